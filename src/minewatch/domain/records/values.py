"""Value types nested inside records: people counted by sex and age, a hazardous area's
evidence and blockages, a quality-management visit's non-conformities.

>>> SexAge(boys=4, men=1).total
5
"""

from __future__ import annotations

from dataclasses import dataclass

from minewatch.domain.records.enums import BlockageType, EvidenceSource, EvidenceType, Severity
from minewatch.domain.records.fields import count_or_measure


@dataclass(frozen=True, kw_only=True)
class SexAge:
    """People counted by sex and age (the disaggregation IMAS and donors ask for).

    Examples
    --------
    >>> SexAge(girls=3, women=2).total
    5
    """

    girls: int = count_or_measure(0)
    boys: int = count_or_measure(0)
    women: int = count_or_measure(0)
    men: int = count_or_measure(0)

    @property
    def total(self) -> int:
        return self.girls + self.boys + self.women + self.men


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
