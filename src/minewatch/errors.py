"""The one exception hierarchy of minewatch.

Every layer raises these; the CLI (``minewatch.cli``) and the HTTP API (``minewatch.api``)
each translate them to a user-facing message in exactly one place, so a user error never
shows a traceback.

A message may be a template whose ``{placeholders}`` are given as keyword arguments; the
front doors then show it in the reader's language (the template, in English, is its id in
the message catalogues, ``minewatch.vocabulary.error_message``), and ``str()`` is English:

>>> error = NotFound("no report {code}", code="RPT-000009")
>>> str(error), error.template, error.params
('no report RPT-000009', 'no report {code}', {'code': 'RPT-000009'})

An error may also name the rule it enforces, a stable code for programs that does not change
with the wording or the reader's language (the API answers it as ``rule``):

>>> InvalidInput("say why", Location(field="status_reason")).because("task_status_reason").rule
'task_status_reason'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self


def _apart(message: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """An error raised with a composed message (``minewatch.domain.text.Message``, a ``str``
    with its template and values) keeps them apart, so that it is still translated."""
    template = getattr(message, "template", None)
    if isinstance(template, str) and not params:
        return template, dict(getattr(message, "params", {}))
    return message, params


class MinewatchError(Exception):
    """Base class of every error minewatch reports to a user: ``template`` (English, with
    ``{placeholders}``) and the ``params`` that fill it; ``rule``, when set, the stable code
    of the rule refused."""

    #: The stable code of the rule the error enforces (None: not named).
    rule: str | None = None

    def __init__(self, message: str = "", /, **params: Any) -> None:
        message, params = _apart(message, params)
        self.template = message
        self.params = params
        super().__init__(message.format(**params) if params else message)

    def because(self, rule: str) -> Self:
        """This error, naming the rule it enforces (``rule``), to raise in one expression."""
        self.rule = rule
        return self


@dataclass(frozen=True)
class Location:
    """Where a piece of bad input was found: any of file, row (1-based) and field.

    >>> str(Location(file="areas.csv", row=12, field="status"))
    'areas.csv, row 12, field status'
    """

    file: str | None = None
    row: int | str | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts)


class InvalidInput(MinewatchError):
    """Input that cannot be accepted; says what is wrong and where."""

    def __init__(self, message: str, where: Location | None = None, /, **params: Any) -> None:
        message, params = _apart(message, params)
        self.template = message
        self.params = params
        self.message = message.format(**params) if params else message
        self.where = where or Location()
        Exception.__init__(
            self, f"{self.where}: {self.message}" if str(self.where) else self.message
        )


class NotFound(MinewatchError):
    """A record, report or resource that does not exist (or is not visible to the caller)."""


class Conflict(MinewatchError):
    """A stale version, a duplicate, or a transition the workflow forbids."""


class StaleVersion(Conflict):
    """A write based on a version that is no longer the stored one (someone else wrote first).

    Apart from other conflicts because a conditional request (HTTP ``If-Match``) that loses
    this race must answer 412 Precondition Failed, however late the loss is found.
    """


class PermissionDenied(MinewatchError):
    """The caller's role or organisation does not allow this."""


class ServerUnavailable(MinewatchError):
    """Another server (KoboToolbox, ODK Central) could not be reached, or failed to answer
    (a network error, a timeout, a 5xx answer)."""
