"""The words a form shows, from the one vocabulary (:mod:`minewatch.vocabulary`): a field's
label, a code's label, a kind's name and a translated sentence.

Until the vocabulary answers for a name (it is being built beside the forms), a label is
derived from the name itself, never listed here: ``reported_area_m2`` reads "Reported area
(m²)", ``organisation_code`` "Organisation". A form must never show a raw field name or code.

>>> field_label("hazardous_area", "reported_area_m2")
'Reported area (m²)'
>>> from minewatch.domain.records import Outcome
>>> enum_label(Outcome.KILLED)
'Killed'
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

#: Unit suffixes of field names, read as the unit in brackets.
_UNITS = {"m2": "m²", "km2": "km²", "cm": "cm", "m": "m", "hours": "hours", "days": "days"}


def humanised(name: str) -> str:
    """A readable label made from a field name or code, for names the vocabulary lacks.

    >>> humanised("organisation_code"), humanised("depth_cm"), humanised("eo_seen")
    ('Organisation', 'Depth (cm)', 'Eo seen')
    """
    words = name.split("_")
    unit = None
    if len(words) > 1 and words[-1] in _UNITS:
        unit = _UNITS[words.pop()]
    if len(words) > 1 and words[-1] == "code":
        words.pop()
    text = " ".join(words).strip().capitalize() or name
    return f"{text} ({unit})" if unit else text


def _vocabulary() -> Any:
    try:
        from minewatch import vocabulary  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return None
    return vocabulary


def _usable(text: Any, raw: str) -> bool:
    """Whether the vocabulary gave a label rather than the code back."""
    return (
        isinstance(text, str) and bool(text) and text != raw and not re.fullmatch(r"\w+_\w+", text)
    )


def field_label(owner: str, name: str, locale: str | None = None) -> str:
    """The label of field ``name`` of ``owner`` (a kind, ``report``, or a nested value's
    class name such as ``SexAge``).

    >>> field_label("victim", "age")
    'Age'
    """
    vocabulary = _vocabulary()
    if vocabulary is not None:
        try:
            text = vocabulary.field_label(owner, name, locale=locale)
        except (KeyError, LookupError, ValueError):
            text = None
        if _usable(text, name):
            return str(text)
    return humanised(name)


def enum_label(member: Enum, locale: str | None = None) -> str:
    """The label of one code of an enumeration.

    >>> from minewatch.domain.records import Sex
    >>> enum_label(Sex.FEMALE)
    'Female'
    """
    vocabulary = _vocabulary()
    if vocabulary is not None:
        try:
            text = vocabulary.label(member, locale=locale)
        except (KeyError, LookupError, ValueError):
            text = None
        if _usable(text, str(member.value)):
            return str(text)
    return humanised(str(member.value))


def kind_label(kind: Enum, locale: str | None = None) -> str:
    """The name of a kind of record, as a person says it.

    >>> from minewatch.domain.records import Kind
    >>> kind_label(Kind.RISK_EDUCATION_SESSION)
    'Risk education session'
    """
    return enum_label(kind, locale)


def translated(text: str, locale: str | None = None) -> str:
    """``text`` (English, the source) in ``locale``, where the vocabulary has it.

    >>> translated("Yes")
    'Yes'
    """
    vocabulary = _vocabulary()
    if vocabulary is None or locale is None:
        return text
    try:
        return str(vocabulary.translate(text, locale=locale))
    except (KeyError, LookupError, ValueError):
        return text
