"""Value types nested inside records: people counted by sex and age, a hazardous area's
evidence and blockages, a quality-management visit's non-conformities, a survivor's needs and
the services that meet them.

>>> SexAge(boys=4, men=1).total
5
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from minewatch.domain.records.enums import (
    AssistanceType,
    BlockageType,
    EvidenceSource,
    EvidenceType,
    ServiceStatus,
    Severity,
)
from minewatch.domain.records.fields import count_or_measure
from minewatch.domain.text import Message

#: The four groups of the sex and age grid, in the order forms and tables give them.
GROUPS = ("girls", "boys", "women", "men")


@dataclass(frozen=True, kw_only=True)
class SexAge:
    """People counted by sex and age, and of them how many live with a disability: the sex,
    age and disability disaggregated data (SADDD) IMAS and the sector's Standardizing
    Beneficiary Definitions (2nd edition, 2020) ask for. Girls and boys are under 18.

    A disability count is None when it was not recorded (never read as 0); it may not exceed
    its group's count, which is checked wherever a value is built (forms, imports, the API).

    Examples
    --------
    >>> people = SexAge(girls=3, women=2, girls_with_disability=1, women_with_disability=0)
    >>> people.total, people.with_disability
    (5, 1)
    >>> SexAge(girls=3, women=2, girls_with_disability=1).with_disability is None  # women's not recorded
    True
    >>> SexAge(boys=2, boys_with_disability=3)
    Traceback (most recent call last):
    ...
    ValueError: boys_with_disability: 3 is more than the 2 boys counted
    """

    girls: int = count_or_measure(0)
    boys: int = count_or_measure(0)
    women: int = count_or_measure(0)
    men: int = count_or_measure(0)
    girls_with_disability: int | None = count_or_measure()
    boys_with_disability: int | None = count_or_measure()
    women_with_disability: int | None = count_or_measure()
    men_with_disability: int | None = count_or_measure()

    def __post_init__(self) -> None:
        for group in GROUPS:
            counted, disabled = getattr(self, group), getattr(self, f"{group}_with_disability")
            if disabled is not None and counted is not None and disabled > counted:
                raise ValueError(
                    Message(
                        "{group}_with_disability: {disabled} is more than the {counted} {group} "
                        "counted",
                        group=group,
                        disabled=disabled,
                        counted=counted,
                    )
                )

    @property
    def total(self) -> int:
        return sum(getattr(self, group) or 0 for group in GROUPS)

    def disability_of(self, group: str) -> int | None:
        """People of ``group`` with a disability: as recorded, 0 when the group is empty,
        None when not recorded.

        >>> SexAge(boys=0).disability_of("boys"), SexAge(boys=4).disability_of("boys")
        (0, None)
        """
        recorded = getattr(self, f"{group}_with_disability")
        if recorded is not None:
            return int(recorded)
        return 0 if not getattr(self, group) else None

    @property
    def with_disability(self) -> int | None:
        """Everyone counted with a disability, or None unless every group with people has
        its disability count recorded (a partial sum would read as a total)."""
        parts = [self.disability_of(group) for group in GROUPS]
        return None if any(p is None for p in parts) else sum(p or 0 for p in parts)


@dataclass(frozen=True, kw_only=True)
class Evidence:
    """One indicator behind a hazardous area, and how it became known.

    Examples
    --------
    >>> Evidence(type=EvidenceType.EO_SEEN, source=EvidenceSource.TOLD, note="shepherd")
    Evidence(type=<EvidenceType.EO_SEEN: 'eo_seen'>, source=<EvidenceSource.TOLD: 'told'>,
     note='shepherd')
    """

    type: EvidenceType
    source: EvidenceSource
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Blockage:
    """One land use a hazardous area blocks.

    Examples
    --------
    >>> Blockage(type=BlockageType.GRAZING).type
    <BlockageType.GRAZING: 'grazing'>
    """

    type: BlockageType
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class NonConformity:
    """One finding of a quality-management visit, with how serious it is.

    Examples
    --------
    >>> NonConformity(severity=Severity.MAJOR, description="lane markings missing").severity
    <Severity.MAJOR: 'major'>
    """

    severity: Severity
    description: str


@dataclass(frozen=True, kw_only=True)
class AssistanceService:
    """One need of a survivor and the service that meets it: its type, how far it went
    (needed, referred, received, declined, not available), the provider and the dates it
    was identified, referred and received.

    Examples
    --------
    >>> AssistanceService(assistance_type=AssistanceType.MEDICAL).status
    <ServiceStatus.NEEDED: 'needed'>
    >>> AssistanceService(assistance_type=AssistanceType.MEDICAL, referred_date=date(2024, 3, 2),
    ...                   received_date=date(2024, 3, 1))
    Traceback (most recent call last):
    ...
    ValueError: received_date: 2024-03-01 is before the referral (2024-03-02)
    """

    assistance_type: AssistanceType
    status: ServiceStatus = ServiceStatus.NEEDED
    provider: str | None = None
    identified_date: date | None = None
    referred_date: date | None = None
    received_date: date | None = None

    def __post_init__(self) -> None:
        if self.received_date and self.referred_date and self.received_date < self.referred_date:
            raise ValueError(
                Message(
                    "received_date: {received} is before the referral ({referred})",
                    received=self.received_date,
                    referred=self.referred_date,
                )
            )
