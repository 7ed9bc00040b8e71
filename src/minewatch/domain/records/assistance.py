"""Victim assistance: per survivor (a :class:`~minewatch.domain.records.personal.Victim`),
the needs identified and the services referred and received
(:class:`~minewatch.domain.records.values.AssistanceService`), and where the follow-up
stands (:class:`VictimAssistance`). Its notes on the follow-up are personal data.

>>> from datetime import date
>>> from minewatch.domain.records.enums import AssistanceType, ServiceStatus
>>> va = VictimAssistance(victim_code="VIC-000001", services=(
...     AssistanceService(assistance_type=AssistanceType.REHABILITATION,
...                       status=ServiceStatus.RECEIVED, provider="Synthetic rehab centre",
...                       referred_date=date(2024, 2, 1), received_date=date(2024, 3, 1)),))
>>> va.code_prefix, va.services[0].status.value
('VA', 'received')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from minewatch.domain.records.base import Record
from minewatch.domain.records.enums import FollowUpStatus, Kind
from minewatch.domain.records.fields import described, reference
from minewatch.domain.records.personal import personal
from minewatch.domain.records.values import AssistanceService, SexAge


@dataclass(frozen=True, kw_only=True)
class VictimAssistance(Record):
    """The assistance a survivor needs and receives, followed over time. The person is the
    victim record named (sex, age and disability are read from it); ``household`` counts
    the members of their household the assistance also reaches (indirect beneficiaries, as
    the sector's standard defines them). ``follow_up_notes`` and ``extra`` are personal data.

    Examples
    --------
    >>> VictimAssistance(victim_code="VIC-000001").follow_up_status
    <FollowUpStatus.ACTIVE: 'active'>
    """

    kind = Kind.VICTIM_ASSISTANCE
    code_prefix = "VA"
    victim_code: str | None = reference("victim", help="The survivor assisted")
    organisation_code: str | None = reference(
        "organisation", help="The organisation following the survivor (focal point)"
    )
    services: tuple[AssistanceService, ...] = ()
    household: SexAge = field(default_factory=SexAge)
    follow_up_status: FollowUpStatus = FollowUpStatus.ACTIVE
    last_contact_date: date | None = None
    next_follow_up_date: date | None = described(help="When the survivor is next to be contacted")  # noqa: RUF009
    follow_up_notes: str | None = personal()
    extra: dict[str, Any] | None = field(default=None, hash=False, metadata={"personal": True})
