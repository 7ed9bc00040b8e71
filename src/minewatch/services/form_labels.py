"""The words a form shows, all from the one vocabulary (:mod:`minewatch.vocabulary`): a
field's label, a code's label, a kind's name and a translated sentence. Nothing is listed
here; a missing label is added to the vocabulary.

>>> field_label("hazardous_area", "reported_area_m2"), field_label("SexAge", "girls")
('Reported area', 'Girls')
>>> from minewatch.domain.records import Outcome
>>> enum_label(Outcome.KILLED), enum_label(Outcome.KILLED, "fr") != "Killed"
('Killed', True)
"""

from __future__ import annotations

from enum import Enum

from minewatch import vocabulary


def field_label(owner: str, name: str, locale: str | None = None) -> str:
    """The label of field ``name`` of ``owner`` (a kind, ``report``, or a nested value's
    class name such as ``SexAge``).

    >>> field_label("victim", "age"), field_label("report", "date_of_information")
    ('Age', 'Date of information')
    """
    return vocabulary.field_label(owner, name, locale=locale)


def enum_label(member: Enum, locale: str | None = None) -> str:
    """The label of one code of an enumeration.

    >>> from minewatch.domain.records import Sex
    >>> enum_label(Sex.FEMALE)
    'Female'
    """
    return vocabulary.label(member, locale=locale)


def kind_label(kind: Enum, locale: str | None = None) -> str:
    """The name of a kind of record, as a person says it.

    >>> from minewatch.domain.records import Kind
    >>> kind_label(Kind.RISK_EDUCATION_SESSION)
    'Risk education session'
    """
    return enum_label(kind, locale)


def translated(text: str, locale: str | None = None) -> str:
    """``text`` (English, the source) in ``locale``, where the catalogue has it.

    >>> translated("Yes")
    'Yes'
    """
    return vocabulary.translate(text, locale=locale)
