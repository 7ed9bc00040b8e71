"""What an export holds, in one shape whatever server wrote it: each :class:`Submission` with
its :class:`Answers` (found by question name whatever group path, separator or header style the
export used), its repeat rows and :class:`Attachment` files, gathered in an :class:`Export`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

#: Where an export comes from; "xform" is raw XForm submission instances (``.xml``).
Flavour = Literal["kobo", "odk", "xform"]

_TRUE = {"1", "true", "True", "TRUE"}


def is_blank(value: Any) -> bool:
    """An unanswered question: None or empty text."""
    return value is None or (isinstance(value, str) and not value.strip())


class Answers:
    """One submission's (or one repeat row's) answers, found by question name whatever group
    path, separator (``/`` for Kobo, ``-`` for ODK) or header style the export used. Lookups
    fall back to ``parent`` (the submission, for a repeat row), as XPath's scoping does."""

    def __init__(
        self,
        data: Mapping[str, Any],
        parent: Answers | None = None,
        aliases: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.data = {k: v for k, v in data.items() if not is_blank(v)}
        self.parent = parent
        #: question name → labels, for exports whose headers are labels
        self.aliases: Mapping[str, tuple[str, ...]] = aliases or {}
        self._one_hot: dict[str, list[str]] | None = None
        self._index: dict[str, str] = {}
        for key in data:
            self._index.setdefault(key, key)
        for key in data:
            for i, char in enumerate(key):
                if char in "/-":
                    self._index.setdefault(key[i + 1 :], key)

    def own(self, column: str) -> Any:
        """The answer in this row only (no fallback to the submission)."""
        for name in (column, *self.aliases.get(column, ())):
            key = self._index.get(name)
            if key is not None and key in self.data:
                return self.data[key]
        for name in (column, *self.aliases.get(column, ())):
            one_hot = self._from_one_hot(name)
            if one_hot is not None:
                return one_hot
        return None

    def get(self, column: str) -> Any:
        """The answer to ``column`` (a name, a group path or a label), or None."""
        value = self.own(column)
        if value is None and self.parent is not None:
            return self.parent.get(column)
        return value

    def has(self, column: str) -> bool:
        names = (column, *self.aliases.get(column, ()))
        return any(n in self._index for n in names) or (
            self.parent is not None and self.parent.has(column)
        )

    def with_aliases(self, aliases: Mapping[str, tuple[str, ...]]) -> Answers:
        self.aliases = aliases
        return self

    def _from_one_hot(self, column: str) -> str | None:
        """A select_multiple exported only as one-hot ``<question>/<choice>`` columns."""
        if self._one_hot is None:
            self._one_hot = self._index_one_hot()
        chosen = self._one_hot.get(column)
        return " ".join(chosen) if chosen else None

    def _index_one_hot(self) -> dict[str, list[str]]:
        """question (any suffix of its path) → chosen choices, built once per row."""
        index: dict[str, list[str]] = {}
        for key, value in self.data.items():
            prefix, sep, choice = key.rpartition("/")
            if not sep or str(value).strip() not in _TRUE:
                continue
            index.setdefault(prefix, []).append(choice)
            for i, char in enumerate(prefix):
                if char in "/-":
                    index.setdefault(prefix[i + 1 :], []).append(choice)
        return index


@dataclass(frozen=True)
class Attachment:
    """A file sent with a submission (photo, sketch map); ``url`` where the export gives it."""

    filename: str
    question: str | None = None
    url: str | None = None
    mimetype: str | None = None
    in_export: bool = False  # the file itself is in the export (ODK's media/ folder)
    saved: str | None = None  # where a pull saved the file


@dataclass
class Submission:
    """One submission as read from an export, before mapping."""

    instance_id: str | None
    row: int | str
    answers: Answers
    repeats: dict[str, list[Answers]] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    form_id: str | None = None
    server_refusal: str | None = None  # why the server says not to use it, if it does
    version: str | None = None  # this version's own instance ID (it changes with each edit)

    def repeat_rows(self, name: str, labels: tuple[str, ...] = ()) -> list[Answers]:
        """The rows of repeat ``name`` (or of a sheet named after one of its labels)."""
        for key in (name, *labels):
            # Excel sheet names stop at 31 characters, so a long repeat's sheet is truncated.
            rows = self.repeats.get(key) or self.repeats.get(key[:31])
            if rows:
                return rows
        return self._single_row(name)

    def _single_row(self, name: str) -> list[Answers]:
        """A repeat answered once in an XML instance looks like a group: read it as one row."""
        pattern = re.compile(rf"(?:^|/){re.escape(name)}/(.+)$")
        row = {m.group(1): v for k, v in self.answers.data.items() if (m := pattern.search(k))}
        return [Answers(row, parent=self.answers, aliases=self.answers.aliases)] if row else []


@dataclass
class Export:
    """Every submission of one export, with what is known of its origin."""

    file: str
    flavour: Flavour
    submissions: list[Submission]
    columns: set[str]
    form_hint: str | None = None
    media: list[str] = field(default_factory=list)
