"""What a geometry check reports: the :class:`Rule` broken, its :class:`FindingSeverity`, the
:class:`Finding` naming the record, and the :class:`Repair` note a repaired geometry carries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

RecordRef = str | int


class Rule(StrEnum):
    """The geometry rules; each finding names one.

    Examples
    --------
    >>> Rule("self_intersection") is Rule.SELF_INTERSECTION
    True
    >>> len(Rule)
    14
    """

    NULL_GEOMETRY = "null_geometry"
    TOO_MANY_VERTICES = "too_many_vertices"
    EMPTY_GEOMETRY = "empty_geometry"
    WRONG_GEOMETRY_TYPE = "wrong_geometry_type"
    INVALID_COORDINATE = "invalid_coordinate"
    SWAPPED_COORDINATES = "swapped_coordinates"
    UNCLOSED_RING = "unclosed_ring"
    TOO_FEW_POINTS = "too_few_points"
    SELF_INTERSECTION = "self_intersection"
    INVALID_POLYGON = "invalid_polygon"
    VERTEX_GAP = "vertex_gap"
    OUTSIDE_BOUNDARY = "outside_boundary"
    DUPLICATE = "duplicate"
    OVERLAP = "overlap"


class FindingSeverity(StrEnum):
    """``error``: the geometry cannot be stored as it is; ``warning``: it can, but someone
    should look; ``repaired``: it was invalid and has been replaced by its repair.

    Examples
    --------
    >>> [s.value for s in FindingSeverity]
    ['error', 'warning', 'repaired']
    """

    ERROR = "error"
    WARNING = "warning"
    REPAIRED = "repaired"


@dataclass(frozen=True)
class Repair:
    """What a repair changed: the geometry types and areas before and after, and
    any non-polygonal parts that were dropped (``made_type`` is what make_valid returned
    before only its polygonal parts were kept).

    Examples
    --------
    >>> import shapely
    >>> from minewatch.domain.geometry import check_geometries
    >>> bowtie = shapely.from_wkt("POLYGON ((30 50, 30.01 50.01, 30.01 50, 30 50.01, 30 50))")
    >>> repair = check_geometries([bowtie]).findings[0].repair
    >>> repair.type_before, repair.type_after
    ('Polygon', 'MultiPolygon')
    >>> print(repair)
    repaired with make_valid: Polygon → MultiPolygon; area 0 m² → 398,692 m²
    """

    type_before: str
    type_after: str
    area_before_m2: float
    area_after_m2: float
    dropped: str | None = None
    made_type: str | None = None

    def __str__(self) -> str:
        made = self.made_type or self.type_after
        text = f"repaired with make_valid: {self.type_before} → {made}"
        if self.dropped:
            text += f"; kept only its polygonal parts ({self.type_after}), dropped {self.dropped}"
        return f"{text}; area {self.area_before_m2:,.0f} m² → {self.area_after_m2:,.0f} m²"


@dataclass(frozen=True)
class Finding:
    """One rule broken by one record (or a pair of records, then ``related`` is the other).

    ``record`` is the record's code or, in a file, its feature number; ``location`` is
    (lon, lat) where the problem is, when known; ``measure`` is the size of the problem in the
    rule's unit (metres for a vertex gap, m² for an overlap); ``field`` names the input field
    for findings raised while reading files.

    Examples
    --------
    >>> import shapely
    >>> from minewatch.domain.geometry import check_geometries
    >>> [finding] = check_geometries([shapely.Point(30, 95)], ["DF-000001"]).findings
    >>> finding.rule, finding.severity, finding.record
    (<Rule.SWAPPED_COORDINATES: 'swapped_coordinates'>, <FindingSeverity.ERROR: 'error'>,
     'DF-000001')
    >>> print(finding)
    DF-000001: [swapped_coordinates] error: latitude 95 is impossible and every value fits the
    other axis: longitude and latitude look swapped
    """

    rule: str
    severity: FindingSeverity
    record: RecordRef | None
    message: str
    location: tuple[float, float] | None = None
    related: RecordRef | None = None
    measure: float | None = None
    repair: Repair | None = None
    field: str | None = "geometry"

    def __str__(self) -> str:
        where = f"{self.record}: " if self.record is not None else ""
        return f"{where}[{self.rule}] {self.severity.value}: {self.message}"


class _Collector:
    """Accumulates findings and the rows that have an error."""

    def __init__(self, n: int, refs: Sequence[RecordRef]) -> None:
        self.refs = refs
        self.rows: list[int] = []
        self.findings: list[Finding] = []
        self.rejected = np.zeros(n, dtype=bool)

    def add(
        self,
        row: int | np.integer[Any],
        rule: Rule,
        severity: FindingSeverity,
        message: str,
        **extra: Any,
    ) -> None:
        self.rows.append(int(row))
        self.findings.append(Finding(rule, severity, self.refs[int(row)], message, **extra))
        if severity is FindingSeverity.ERROR:
            self.rejected[row] = True


def _label(ref: RecordRef) -> str:
    """How a message names another record: its code, or "feature N" in a file."""
    return f"feature {ref}" if isinstance(ref, int | np.integer) else str(ref)


def _xy(x: float, y: float) -> tuple[float, float]:
    return (float(x), float(y))
