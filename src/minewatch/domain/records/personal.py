"""Personal data in the model: :func:`personal` marks a field as holding it, :class:`Victim`
is the record whose fields it marks (name, contact, medical details), and
:func:`personal_fields` and :func:`redact` tell them apart and blank them. Only
:mod:`minewatch.services.disclosure` uses the last two (``tests/test_personal_data_chokepoint.py``
keeps it so).

>>> sorted(personal_fields(Victim)), redact(Victim(name="Synthetic Name")).name
(['contact', 'extra', 'medical_details', 'name'], None)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from minewatch.domain.records.base import Record
from minewatch.domain.records.enums import Kind, Outcome, Sex, VictimType
from minewatch.domain.records.fields import count_or_measure, reference


def personal(default: Any = None) -> Any:
    """A dataclass field that holds personal data (names, contacts, medical details).

    Examples
    --------
    >>> from dataclasses import dataclass, fields
    >>> @dataclass
    ... class Contact:
    ...     phone: str | None = personal()
    >>> fields(Contact)[0].metadata["personal"]
    True
    """
    return field(default=default, metadata={"personal": True})


@dataclass(frozen=True, kw_only=True)
class Victim(Record):
    """A person killed or injured in an accident (a casualty, in the Landmine Monitor's
    words). Name, contact and medical details are personal data. What is not known stays
    unknown: ``victim_type`` and ``outcome`` default to ``unknown``, ``age`` and
    ``disability`` to None (never civilian, injured, adult or without disability).

    Examples
    --------
    >>> victim = Victim(accident_code="ACC-000001", sex=Sex.FEMALE, age=9, name="Synthetic Name")
    >>> redact(victim).name, redact(victim).age
    (None, 9)
    """

    kind = Kind.VICTIM
    code_prefix = "VIC"
    accident_code: str | None = reference("accident")
    victim_type: VictimType = VictimType.UNKNOWN
    sex: Sex = Sex.UNKNOWN
    age: int | None = count_or_measure(maximum=130)
    outcome: Outcome = Outcome.UNKNOWN
    #: Whether the person lives with a disability (from the accident or before); None when
    #: not recorded. A disaggregation, as sex and age are, not a medical detail.
    disability: bool | None = None
    activity_at_time: str | None = None
    name: str | None = personal()
    contact: str | None = personal()
    medical_details: str | None = personal()
    # A migrated victim's other source fields may be anything a programme kept about the
    # person (a village, a phone number), so they are personal data as a whole.
    extra: dict[str, Any] | None = field(default=None, hash=False, metadata={"personal": True})


def personal_fields(cls: type[Record]) -> frozenset[str]:
    """Names of the fields of ``cls`` that hold personal data.

    >>> sorted(personal_fields(Victim))
    ['contact', 'extra', 'medical_details', 'name']
    """
    return frozenset(f.name for f in dataclasses.fields(cls) if f.metadata.get("personal"))


def redact(record: Record) -> Record:
    """The record with every personal field blanked: the one filter all outputs use.

    Examples
    --------
    >>> victim = Victim(code="VIC-000001", name="Synthetic Name", contact="+000-555", age=40)
    >>> hidden = redact(victim)
    >>> hidden.name, hidden.contact, hidden.age
    (None, None, 40)
    >>> from minewatch.domain.records import HazardousArea
    >>> area = HazardousArea(code="HA-000001")
    >>> redact(area) is area   # nothing personal to hide
    True
    """
    hidden: dict[str, Any] = dict.fromkeys(personal_fields(type(record)))
    return dataclasses.replace(record, **hidden) if hidden else record
