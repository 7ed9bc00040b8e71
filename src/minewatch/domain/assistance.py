"""Victim assistance coverage: how many survivors needed, were referred to and received
each kind of assistance in a year, by sex, age and disability (the direct beneficiaries),
and the members of their households the assistance reached (the indirect beneficiaries, as
the sector's Standardizing Beneficiary Definitions count them; see
:mod:`minewatch.domain.beneficiaries`). Pure: the service
(:mod:`minewatch.services.assistance`) reads the records and hands them here.

A survivor counts once per year, kind of assistance and stage, however many services of
that kind they had: **needed** in the year a need was identified (its identification date,
else the record's Date of Information), **referred** in the year of a referral,
**received** in the year a service was received. What is not known stays unknown: a
survivor without a recorded sex, age or disability is counted apart, never as female,
adult or without disability (the casualty rules of :mod:`minewatch.domain.casualties`).

>>> coverage_keys()[:4]
('year', 'assistance_type', 'stage', 'people')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from minewatch.domain.casualties import age_group, disability_of
from minewatch.domain.records import AssistanceService, AssistanceType, ServiceStatus

#: The stages a need goes through, in the order tables give them.
STAGES = ("needed", "referred", "received")
#: The row that counts a survivor under any kind of assistance.
ANY = "any"


@dataclass(frozen=True)
class Survivor:
    """What the coverage needs of one survivor: sex, age and disability from the victim
    record (unknown when not recorded), and their services.

    >>> Survivor("VIC-1", "female", 9, None, ()).age_group
    'child'
    """

    code: str
    sex: str
    age: int | None
    disability: bool | None
    services: tuple[AssistanceService, ...]
    recorded: date | None = None  # the record's Date of Information

    @property
    def age_group(self) -> str:
        return age_group(self.age)


def coverage_keys() -> tuple[str, ...]:
    """The columns of :func:`coverage_rows` (also the CSV header).

    >>> coverage_keys()[-3:]
    ('with_disability', 'without_disability', 'disability_not_recorded')
    """
    return (
        "year",
        "assistance_type",
        "stage",
        "people",
        "female",
        "male",
        "sex_unknown",
        "children",
        "adults",
        "age_unknown",
        "with_disability",
        "without_disability",
        "disability_not_recorded",
    )


def _stage_days(service: AssistanceService, recorded: date | None) -> dict[str, date | None]:
    days: dict[str, date | None] = {"needed": service.identified_date or recorded}
    # A referral counts where one is recorded: its date, or a service still waiting as
    # referred (year unknown); a service received without a referral date was not referred
    # as far as the record says, so it adds no referral of unknown year.
    if service.referred_date or service.status is ServiceStatus.REFERRED:
        days["referred"] = service.referred_date
    if service.status is ServiceStatus.RECEIVED:
        days["received"] = service.received_date
    return days


def coverage_rows(survivors: Iterable[Survivor]) -> list[dict[str, Any]]:
    """One row per year, kind of assistance (and ``any``) and stage with anyone in it: the
    people, and of them by sex, age group and disability. A stage without a date (a
    service marked received with no date) counts in year None.

    Examples
    --------
    >>> rehab = AssistanceService(assistance_type=AssistanceType.REHABILITATION,
    ...     status=ServiceStatus.RECEIVED, identified_date=date(2023, 11, 2),
    ...     referred_date=date(2023, 12, 1), received_date=date(2024, 1, 15))
    >>> psy = AssistanceService(assistance_type=AssistanceType.PSYCHOLOGICAL_SUPPORT,
    ...     status=ServiceStatus.REFERRED, referred_date=date(2024, 2, 1))
    >>> rows = coverage_rows([Survivor("VIC-1", "female", 9, True, (rehab, psy), date(2024, 2, 1)),
    ...                       Survivor("VIC-2", "unknown", None, None, (rehab,), date(2024, 2, 1))])
    >>> [(r["year"], r["assistance_type"], r["stage"], r["people"], r["children"],
    ...   r["disability_not_recorded"]) for r in rows if r["assistance_type"] == "any"]
    [(2023, 'any', 'needed', 2, 1, 1), (2023, 'any', 'referred', 2, 1, 1), (2024, 'any', 'needed', 1, 1, 0), (2024, 'any', 'referred', 1, 1, 0), (2024, 'any', 'received', 2, 1, 1)]
    """
    seen: dict[tuple[int | None, str, str], dict[str, Survivor]] = defaultdict(dict)
    for survivor in survivors:
        for service in survivor.services:
            for stage, day in _stage_days(service, survivor.recorded).items():
                year = day.year if day else None
                for kind in (service.assistance_type.value, ANY):
                    seen[year, kind, stage][survivor.code] = survivor
    order = [t.value for t in AssistanceType] + [ANY]
    rows = []
    for year, kind, stage in sorted(
        seen, key=lambda k: (k[0] is None, k[0] or 0, order.index(k[1]), STAGES.index(k[2]))
    ):
        people = list(seen[year, kind, stage].values())
        disabled = [disability_of(p.disability) for p in people]
        rows.append(
            {
                "year": year,
                "assistance_type": kind,
                "stage": stage,
                "people": len(people),
                "female": sum(p.sex == "female" for p in people),
                "male": sum(p.sex == "male" for p in people),
                "sex_unknown": sum(p.sex not in ("female", "male") for p in people),
                "children": sum(p.age_group == "child" for p in people),
                "adults": sum(p.age_group == "adult" for p in people),
                "age_unknown": sum(p.age_group == "unknown" for p in people),
                "with_disability": disabled.count("yes"),
                "without_disability": disabled.count("no"),
                "disability_not_recorded": disabled.count("unknown"),
            }
        )
    return rows
