"""How a field form is written as data: a :class:`FormDefinition` of :class:`Question` and
:class:`Group` items (a group with ``repeat`` is a repeat group) and its :class:`Choice` lists,
each question naming the record field its answer fills.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from minewatch.domain.records import (
    Kind,
)

#: The message context of the forms' own words (questions, hints, groups, titles and the
#: choices that are no stored code) in the catalogues of :mod:`minewatch.vocabulary`.
FORM_CONTEXT = "form"


@dataclass(frozen=True)
class Choice:
    """One answer option: its stored name and English label, and the catalogue context its
    label is translated under (an enumeration's name for a stored code, else ``form``)."""

    name: str
    label: str
    context: str = FORM_CONTEXT


@dataclass(frozen=True)
class Question:
    """One XLSForm row. ``type`` is the XLSForm type without its list (``select_one`` and
    ``select_multiple`` take ``choices``). ``field`` is the record field the answer fills
    (``beneficiaries.girls`` reaches into a nested value); ``each`` turns a select_multiple
    into a list of objects with that key (blockages)."""

    type: str
    name: str
    label: str = ""
    choices: str | None = None
    required: bool = False
    hint: str = ""
    relevant: str = ""
    constraint: str = ""
    constraint_message: str = ""
    appearance: str = ""
    default: str = ""
    field: str | None = None
    each: str | None = None

    @property
    def xlsform_type(self) -> str:
        return f"{self.type} {self.choices}" if self.choices else self.type


@dataclass(frozen=True)
class Group:
    """A group, or with ``repeat`` a repeat group. A repeat with ``child`` makes one record
    of that kind per row, linked to the main record through the field ``link``; a repeat
    with ``nested`` fills that list field of the main record."""

    name: str
    label: str
    children: tuple[Question | Group, ...]
    repeat: bool = False
    relevant: str = ""
    appearance: str = ""
    child: Kind | None = None
    link: str | None = None
    nested: str | None = None
    #: For child records: fields filled from the main part of the submission (looked up
    #: after the repeat row's own answers), e.g. the release date of a product.
    inherit: tuple[tuple[str, str], ...] = ()
    geometry: tuple[str, ...] = ()
    date_of_information: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormDefinition:
    form_id: str
    title: str
    kind: Kind
    survey: tuple[Question | Group, ...]
    choice_lists: dict[str, tuple[Choice, ...]]
    date_of_information: tuple[str, ...]
    geometry: tuple[str, ...] = ()
    organisation: str | None = "organisation_code"
    constants: tuple[tuple[str, str], ...] = ()
    #: (field, question) pairs for a question that fills a second field too.
    extra_fields: tuple[tuple[str, str], ...] = ()
    description: str = ""

    def questions(self) -> Iterator[Question]:
        """Every question, depth first, groups and repeats included."""
        yield from _walk(self.survey)

    def repeats(self) -> Iterator[Group]:
        yield from _walk_groups(self.survey, repeat_only=True)


def _walk(items: tuple[Question | Group, ...]) -> Iterator[Question]:
    for item in items:
        if isinstance(item, Group):
            yield from _walk(item.children)
        else:
            yield item


def _walk_groups(items: tuple[Question | Group, ...], *, repeat_only: bool) -> Iterator[Group]:
    for item in items:
        if isinstance(item, Group):
            if item.repeat or not repeat_only:
                yield item
            yield from _walk_groups(item.children, repeat_only=repeat_only)
