"""Sentences the domain and the services compose for a person to read, kept as an English
template with its values apart, so that the front doors show them in the reader's language
(:func:`minewatch.vocabulary.render`). The same shape as an error's (:mod:`minewatch.errors`):
the template is the message's id in the catalogues; ``str()`` is English, for logs and for
callers that want plain text.

A value may be a stored code to be shown by its label (:class:`Term`), a list of them
(:class:`Terms`, joined with "and" or "or" as the language does), another :class:`Message`,
or anything else, shown as it is (codes, numbers, ISO dates).

>>> from minewatch.domain.records import TaskStatus
>>> note = Message("a task cannot move from {current} to {new}",
...                current=Term.of(TaskStatus.ISSUED), new=Term.of(TaskStatus.COMPLETED))
>>> str(note)
'a task cannot move from issued to completed'
>>> str(Terms((Term("TaskStatus", "accepted"), Term("TaskStatus", "cancelled")), "or"))
'accepted or cancelled'
>>> str(Sentences((Message("bound"), Message("communication on record"))))
'bound; communication on record'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from minewatch.errors import InvalidInput, Location, MinewatchError


@dataclass(frozen=True)
class Term:
    """A stored code shown by its label: ``enum`` names the vocabulary's list (the
    enumeration's class name), ``code`` is the value stored; ``english`` the word plain
    English text (``str()``) uses, the code's words when empty.

    Examples
    --------
    >>> str(Term("TaskStatus", "in_progress")), str(Term("TaskStatus", "issued", "Issued"))
    ('in progress', 'Issued')
    """

    enum: str
    code: str
    english: str = ""

    @classmethod
    def of(cls, member: Enum, english: str = "") -> Term:
        """The term of an enumeration member.

        >>> from minewatch.domain.records import TaskStatus
        >>> Term.of(TaskStatus.IN_PROGRESS)
        Term(enum='TaskStatus', code='in_progress', english='')
        """
        return cls(type(member).__name__, str(member.value), english)

    def __str__(self) -> str:
        return self.english or self.code.replace("_", " ")


@dataclass(frozen=True)
class Terms:
    """Several terms in a list, joined as the language joins ("EOD or technical survey").

    Examples
    --------
    >>> str(Terms((Term("ActivityMethod", "eod"), Term("ActivityType", "technical_survey")), "or"))
    'eod or technical survey'
    """

    items: tuple[Any, ...]
    conjunction: Literal["and", "or"] = "and"

    def __str__(self) -> str:
        words = [str(item) for item in self.items]
        if len(words) < 2:
            return "".join(words)
        return f"{', '.join(words[:-1])} {self.conjunction} {words[-1]}"


class Message(str):
    """An English template with its values apart (see the module's examples). It *is* its
    English text, a ``str``, so it travels wherever text does — a rejected row's ``reason``, a
    field check's ``ValueError``, JSON, a file — and is still shown in the reader's language by
    the front doors (:func:`minewatch.vocabulary.render`); an error raised with one keeps its
    template and values.

    >>> reason = Message("{value!r} is not a whole number", value="x")
    >>> reason, reason.template, reason.params
    ("'x' is not a whole number", '{value!r} is not a whole number', {'value': 'x'})
    >>> Message.of(ValueError(reason)).template, Message.of(ValueError("plain")).template
    ('{value!r} is not a whole number', 'plain')
    """

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Message:
        english = template.format(**{k: _english(v) for k, v in params.items()})
        text = super().__new__(cls, english if params else template)
        text.template = template
        text.params = params
        return text

    def __reduce__(self) -> tuple[Any, ...]:  # pickled (to worker processes) with its values
        return (_message, (self.template, self.params))

    @classmethod
    def of(cls, error: BaseException) -> Message:
        """What ``error`` says, as a Message: the one it was raised with, the template and
        values of a MinewatchError (without its location), else its English text."""
        if isinstance(error, MinewatchError):
            return cls(error.template, **error.params)
        said = error.args[0] if len(error.args) == 1 else None
        return said if isinstance(said, Message) else cls(str(error))

    def invalid(self, where: Location | None = None) -> InvalidInput:
        """The error that refuses input for this reason, its template and values kept.

        >>> error = Message("no {kind} has the code {code}", kind="task order",
        ...                 code="TSK-9").invalid(Location(field="task_order_code"))
        >>> str(error), error.template
        ('field task_order_code: no task order has the code TSK-9', 'no {kind} has the code {code}')
        """
        return InvalidInput(self.template, where, **self.params)


def _message(template: str, params: dict[str, Any]) -> Message:
    return Message(template, **params)


def _english(value: Any) -> Any:
    """A value as the English text shows it: composed values by their words, others (numbers
    with a format such as ``{count:,}``) as they are."""
    return str(value) if isinstance(value, Term | Terms | Sentences) else value


@dataclass(frozen=True)
class Sentences:
    """Parts read one after another, separated as the language separates clauses ("; ").

    Examples
    --------
    >>> str(Sentences.of(["withdrawn", Term("StatusKind", "bound")]))
    'withdrawn; bound'
    """

    parts: tuple[Any, ...]

    @classmethod
    def of(cls, parts: Iterable[Any]) -> Sentences:
        return cls(tuple(parts))

    def __str__(self) -> str:
        return "; ".join(str(part) for part in self.parts)
