"""Geometry rules for mine action records: what is wrong with a geometry, and how it was fixed.

IMSMA never checked geometries; GICHD shipped separate SQL scripts to find broken polygons,
duplicates and overlaps after the fact. Here every check runs on arrays of shapely 2
geometries (WGS84 longitude/latitude) and returns :class:`Finding` objects, each naming the
record (its code or its feature number in a file) and the :class:`Rule` it breaks. A repair
(``shapely.make_valid``) is never silent: it comes back as a finding of severity
``repaired`` carrying a :class:`Repair` note with the areas before and after.

The checks, cheapest first:

* per geometry (:func:`check_geometries`): null or empty, wrong type, non-finite or
  impossible coordinates, latitude and longitude swapped, invalid polygons (self-
  intersection, rings with fewer than three distinct vertices, other GEOS reasons),
  consecutive vertices further apart than ``max_vertex_gap_m``, outside the national
  boundary;
* between geometries (:func:`find_duplicates_and_overlaps`): identical or near-identical
  geometries and overlapping areas, found through an STRtree.

:func:`validate_geometries` runs both. Areas are in m² on the WGS84 ellipsoid
(:func:`minewatch.domain.area.ellipsoidal_area`, the one area measure of the system).

>>> import shapely
>>> bowtie = shapely.from_wkt("POLYGON ((30 50, 30.01 50.01, 30.01 50, 30 50.01, 30 50))")
>>> check = check_geometries([bowtie], ["HA-000001"])
>>> [(f.record, f.rule.value, f.severity.value) for f in check.findings]
[('HA-000001', 'self_intersection', 'repaired')]
>>> check.geometries[0].geom_type
'MultiPolygon'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import shapely
from pydantic import BaseModel, ConfigDict, Field
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from minewatch.domain.area import ellipsoidal_area

#: The WGS84 ellipsoid every distance is measured on (areas: :mod:`minewatch.domain.area`).
WGS84 = Geod(ellps="WGS84")

#: The fewest metres in one degree of latitude or longitude-at-the-equator on WGS84 (a degree
#: of latitude at the equator, a(1 − e²)·π/180): dividing by it turns a distance into degrees
#: that cover at least that distance anywhere. Used only to widen search boxes, never to
#: measure.
MIN_METRES_PER_DEGREE = 110_574.0

GeometryArray = npt.NDArray[np.object_]
RecordRef = str | int


class Rule(StrEnum):
    """The geometry rules; each finding names one.

    Examples
    --------
    >>> Rule("self_intersection") is Rule.SELF_INTERSECTION
    True
    >>> len(Rule)
    13
    """

    NULL_GEOMETRY = "null_geometry"
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


class GeometryRules(BaseModel):
    """The thresholds a national programme chooses for the geometry checks (part of the
    national configuration; every default is documented in docs/geodata.md).

    Examples
    --------
    >>> rules = GeometryRules(max_vertex_gap_m=1_000, vertex_gap_severity="error")
    >>> rules.max_vertex_gap_m, rules.repair_invalid
    (1000.0, True)
    >>> GeometryRules(duplicate_iou=1.5)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for GeometryRules
    ...
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_vertex_gap_m: float = Field(
        default=5_000.0,
        gt=0,
        description="Consecutive vertices further apart than this are reported.",
    )
    vertex_gap_severity: Literal["error", "warning"] = "warning"
    duplicate_iou: float = Field(
        default=0.99,
        gt=0,
        le=1,
        description="Two areas whose intersection over union reaches this are duplicates.",
    )
    duplicate_distance_m: float = Field(
        default=1.0, ge=0, description="Two points closer than this (geodesic) are duplicates."
    )
    min_overlap_m2: float = Field(
        default=1.0,
        ge=0,
        description="Overlaps smaller than this are digitising noise, not reported.",
    )
    boundary_tolerance_m: float = Field(
        default=0.0, ge=0, description="How far outside the national boundary a position may lie."
    )
    outside_boundary_severity: Literal["error", "warning"] = "error"
    repair_invalid: bool = Field(
        default=True,
        description="Repair invalid polygons with make_valid (reported), or reject them.",
    )


DEFAULT_RULES = GeometryRules()

Expected = Literal["polygon", "point", "line"] | None

_EXPECTED_TYPES: dict[str, frozenset[int]] = {
    "point": frozenset({0}),  # Point
    "line": frozenset({1, 5}),  # LineString, MultiLineString
    "polygon": frozenset({3, 6}),  # Polygon, MultiPolygon
}
_POLYGONAL = np.array([3, 6])
_REASON = re.compile(r"^(?P<text>[^\[]*)\[(?P<x>\S+) (?P<y>\S+)\]")


@dataclass
class GeometryCheck:
    """The result of :func:`check_geometries`: the geometries to store (repairs applied,
    None where rejected), every finding, and which rows have an error.

    Examples
    --------
    >>> import shapely
    >>> check = check_geometries([shapely.box(30, 50, 30.01, 50.01), None])
    >>> check.rejected.tolist(), check.geometries[1]
    ([False, True], None)
    >>> [str(f) for f in check.findings]
    ['2: [null_geometry] error: the record has no geometry']
    """

    geometries: GeometryArray
    findings: list[Finding] = field(default_factory=list)
    rejected: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))


# -- areas and distances -------------------------------------------------------------------


def as_geometry_array(geoms: Any) -> GeometryArray:
    """Any sequence of shapely geometries (or None) as a 1-d object array.

    Examples
    --------
    >>> import shapely
    >>> as_geometry_array(shapely.Point(30, 50))
    array([<POINT (30 50)>], dtype=object)
    >>> as_geometry_array([shapely.Point(30, 50), None]).shape
    (2,)
    """
    if isinstance(geoms, BaseGeometry):
        geoms = [geoms]
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = list(geoms)
    return arr


def _explode(geoms: GeometryArray) -> tuple[GeometryArray, npt.NDArray[np.intp]]:
    """Single parts of every geometry and the index of the geometry each came from
    (``shapely.get_parts``, skipped for the geometries that are single already)."""
    type_ids = shapely.get_type_id(geoms)
    single = np.flatnonzero((type_ids >= 0) & (type_ids <= 3))
    multi = np.flatnonzero(type_ids > 3)
    parts, owner = shapely.get_parts(geoms[multi], return_index=True)
    all_parts = np.concatenate([geoms[single], np.asarray(parts, dtype=object)])
    all_owners = np.concatenate([single, multi[owner]]).astype(np.intp)
    return all_parts, all_owners


def geodesic_distance(
    x1: npt.ArrayLike, y1: npt.ArrayLike, x2: npt.ArrayLike, y2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Geodesic distance in metres between lon/lat positions, element by element.

    Examples
    --------
    >>> geodesic_distance([0, 30], [0, 50], [1, 30], [0, 50.01]).round(1)
    array([111319.5,   1112.3])
    """
    _, _, dist = WGS84.inv(
        np.asarray(x1, float), np.asarray(y1, float), np.asarray(x2, float), np.asarray(y2, float)
    )
    return np.asarray(dist, dtype=float)


def swap_xy(geoms: Any) -> GeometryArray:
    """The geometries with x and y exchanged (to test or undo swapped latitude/longitude).

    Examples
    --------
    >>> import shapely
    >>> swap_xy([shapely.Point(50.4, 30.5), None])
    array([<POINT (30.5 50.4)>, None], dtype=object)
    """
    arr = as_geometry_array(geoms)
    return np.asarray(shapely.transform(arr, lambda c: c[:, ::-1]), dtype=object)


# -- per-geometry checks -------------------------------------------------------------------


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


def _check_presence(geoms: GeometryArray, expected: Expected, out: _Collector) -> GeometryArray:
    """Null, empty and wrong-type geometries. A GeometryCollection where a polygon is
    expected keeps its polygonal parts (reported as a repair) when it has any."""
    for row in np.flatnonzero(shapely.is_missing(geoms)):
        out.add(row, Rule.NULL_GEOMETRY, FindingSeverity.ERROR, "the record has no geometry")
    live = ~out.rejected
    for row in np.flatnonzero(live & shapely.is_empty(geoms)):
        out.add(row, Rule.EMPTY_GEOMETRY, FindingSeverity.ERROR, "the geometry is empty")
    if expected is None:
        return geoms
    fixed = geoms.copy()
    type_ids = shapely.get_type_id(geoms)
    if expected == "polygon":
        collections = np.flatnonzero(~out.rejected & (type_ids == 7))
        polygonal, dropped = _polygonal_parts(geoms[collections])
        areas = ellipsoidal_area(polygonal)
        for k, row in enumerate(collections):
            if polygonal[k] is None:
                continue
            note = Repair(
                "GeometryCollection", polygonal[k].geom_type, areas[k], areas[k], dropped[k]
            )
            out.add(
                row,
                Rule.WRONG_GEOMETRY_TYPE,
                FindingSeverity.REPAIRED,
                f"a GeometryCollection where a polygon is expected: kept its polygonal parts "
                f"as a {polygonal[k].geom_type}"
                + (f", dropped {dropped[k]}" if dropped[k] else ""),
                repair=note,
            )
            fixed[row] = polygonal[k]
            type_ids[row] = shapely.get_type_id(polygonal[k])
    allowed = np.array(sorted(_EXPECTED_TYPES[expected]))
    for row in np.flatnonzero(~out.rejected & ~np.isin(type_ids, allowed)):
        out.add(
            row,
            Rule.WRONG_GEOMETRY_TYPE,
            FindingSeverity.ERROR,
            f"expected a {expected}, got a {geoms[row].geom_type}",
        )
    return fixed


def _check_coordinates(geoms: GeometryArray, out: _Collector) -> None:
    """Non-finite values, |lon| > 180, |lat| > 90; |lat| > 90 with |lon| ≤ 90 is a swap."""
    live = np.flatnonzero(~out.rejected)
    coords, owner = shapely.get_coordinates(geoms[live], return_index=True)
    if len(coords) == 0:
        return
    x, y = coords[:, 0], coords[:, 1]
    n = len(live)
    nonfinite = ~np.isfinite(x) | ~np.isfinite(y)
    bad_lat = np.abs(y) > 90
    bad_lon = np.abs(x) > 180
    any_nonfinite = np.bincount(owner, nonfinite, n) > 0
    any_bad_lat = np.bincount(owner, bad_lat, n) > 0
    any_bad_lon = np.bincount(owner, bad_lon, n) > 0
    # a swap keeps every value within the other axis' range
    looks_swapped = (
        np.bincount(owner, (np.abs(x) <= 90) & (np.abs(y) <= 180), n)
        == np.bincount(owner, minlength=n)
    ) & any_bad_lat
    first_bad = _first_vertex(owner, nonfinite | bad_lat | bad_lon, n)
    for k in np.flatnonzero(any_nonfinite | any_bad_lat | any_bad_lon):
        row = live[k]
        vx, vy = x[first_bad[k]], y[first_bad[k]]
        if any_nonfinite[k]:
            out.add(
                row,
                Rule.INVALID_COORDINATE,
                FindingSeverity.ERROR,
                f"a coordinate is not a number ({vx}, {vy})",
            )
        elif looks_swapped[k]:
            out.add(
                row,
                Rule.SWAPPED_COORDINATES,
                FindingSeverity.ERROR,
                f"latitude {vy:g} is impossible and every value fits the other axis: "
                "longitude and latitude look swapped",
                location=_xy(vy, vx),
            )
        else:
            out.add(
                row,
                Rule.INVALID_COORDINATE,
                FindingSeverity.ERROR,
                f"({vx:g}, {vy:g}) is not a longitude/latitude in degrees "
                "(was the file's CRS declared?)",
            )


def _first_vertex(
    owner: npt.NDArray[np.intp], mask: npt.NDArray[np.bool_], n: int
) -> npt.NDArray[np.intp]:
    """Index of the first vertex of each geometry where ``mask`` holds (0 where none)."""
    first = np.zeros(n, dtype=np.intp)
    hits = np.flatnonzero(mask)
    geoms_hit, pos = np.unique(owner[hits], return_index=True)
    first[geoms_hit] = hits[pos]
    return first


_REASON_RULES: tuple[tuple[str, Rule], ...] = (
    ("Self-intersection", Rule.SELF_INTERSECTION),
    ("Ring Self-intersection", Rule.SELF_INTERSECTION),
    ("Too few points", Rule.TOO_FEW_POINTS),
    ("Ring is not closed", Rule.UNCLOSED_RING),
)


def _classify_reason(reason: str) -> tuple[Rule, str, tuple[float, float] | None]:
    """The rule behind a GEOS ``is_valid_reason`` text, its wording and its location."""
    match = _REASON.match(reason)
    text = match.group("text").strip() if match else reason
    location = _xy(float(match.group("x")), float(match.group("y"))) if match else None
    rule = next((r for prefix, r in _REASON_RULES if text.startswith(prefix)), None)
    return rule or Rule.INVALID_POLYGON, text, location


def _polygonal_parts(geoms: GeometryArray) -> tuple[GeometryArray, list[str | None]]:
    """Only the polygonal parts of each geometry (a MultiPolygon, or a Polygon when there is
    one part), and a description of the parts dropped (None when nothing was dropped)."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    # collections may nest multipolygons: flatten once more
    parts, inner = shapely.get_parts(parts, return_index=True)
    owner = owner[inner]
    type_ids = shapely.get_type_id(parts)
    keep = (type_ids == 3) & ~shapely.is_empty(parts)
    result = np.full(len(geoms), None, dtype=object)
    if keep.any():
        owners, dense = np.unique(owner[keep], return_inverse=True)
        collected = shapely.multipolygons(parts[keep], indices=dense)
        counts = np.bincount(dense)
        result[owners] = np.where(counts == 1, shapely.get_geometry(collected, 0), collected)
    dropped: list[str | None] = [None] * len(geoms)
    for k in np.flatnonzero(~keep):
        name = parts[k].geom_type + (" (empty)" if parts[k].is_empty else "")
        row = owner[k]
        dropped[row] = f"{dropped[row]}, {name}" if dropped[row] else name
    return result, dropped


def _check_validity(geoms: GeometryArray, rules: GeometryRules, out: _Collector) -> GeometryArray:
    """Invalid polygons: repaired (reported) when ``rules.repair_invalid`` and the repair keeps
    some area, rejected otherwise. Returns the geometries with repairs applied."""
    fixed = geoms.copy()
    live = ~out.rejected & ~shapely.is_missing(geoms)
    invalid = np.flatnonzero(live & ~shapely.is_valid(geoms))
    if len(invalid) == 0:
        return fixed
    reasons = shapely.is_valid_reason(geoms[invalid])
    repaired: GeometryArray = np.full(len(invalid), None, dtype=object)
    made: GeometryArray = np.full(len(invalid), None, dtype=object)
    dropped: list[str | None] = [None] * len(invalid)
    if rules.repair_invalid:
        made = np.asarray(shapely.make_valid(geoms[invalid], method="linework"), dtype=object)
        repaired, dropped = _polygonal_parts(made)
    area_before = ellipsoidal_area(geoms[invalid])
    area_after = ellipsoidal_area(repaired)
    for k, row in enumerate(invalid):
        rule, text, location = _classify_reason(str(reasons[k]))
        if repaired[k] is None or not rules.repair_invalid:
            why = "no area is left after repair" if rules.repair_invalid else "repair is off"
            out.add(
                row,
                rule,
                FindingSeverity.ERROR,
                f"invalid geometry: {text}; {why}",
                location=location,
            )
            continue
        note = Repair(
            type_before=geoms[row].geom_type,
            type_after=repaired[k].geom_type,
            area_before_m2=float(area_before[k]),
            area_after_m2=float(area_after[k]),
            dropped=dropped[k],
            made_type=made[k].geom_type,
        )
        out.add(
            row,
            rule,
            FindingSeverity.REPAIRED,
            f"invalid geometry: {text}; {note}",
            location=location,
            repair=note,
        )
        fixed[row] = repaired[k]
    return fixed


#: Metres in one degree along a meridian or a parallel, at most (at the poles, where the
#: WGS84 radius of curvature is a²/b = 6,399,594 m): bounds any geodesic from above.
_MAX_METRES_PER_DEGREE = 111_695.0


def _distance_upper_bound(
    start: npt.NDArray[np.float64], end: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """A cheap upper bound on the geodesic between two positions: the length of the path
    along a meridian then a parallel, each degree counted at its longest. Edges shorter than
    this bound needs no exact geodesic."""
    dlon = np.abs(end[:, 0] - start[:, 0])
    dlon = np.minimum(dlon, 360.0 - dlon)
    return np.asarray(
        (np.abs(end[:, 1] - start[:, 1]) + dlon) * _MAX_METRES_PER_DEGREE, dtype=float
    )


def _check_vertex_gaps(geoms: GeometryArray, rules: GeometryRules, out: _Collector) -> None:
    """Consecutive vertices of a ring or line further apart than ``max_vertex_gap_m``."""
    live = np.flatnonzero(~out.rejected & (shapely.get_dimensions(geoms) > 0))
    if len(live) == 0:
        return
    parts, part_owner = _explode(geoms[live])
    is_poly = shapely.get_type_id(parts) == 3
    rings, ring_part = shapely.get_rings(parts[is_poly], return_index=True)
    lines = np.concatenate([rings, parts[~is_poly]])
    line_owner = np.concatenate([part_owner[is_poly][ring_part], part_owner[~is_poly]]).astype(
        np.intp
    )
    coords, line_of = shapely.get_coordinates(lines, return_index=True)
    if len(coords) < 2:
        return
    same_line = line_of[1:] == line_of[:-1]
    start, end = coords[:-1][same_line], coords[1:][same_line]
    owners = line_owner[line_of[:-1][same_line]]
    # Only edges that could be too long go through the exact (slower) geodesic.
    maybe = _distance_upper_bound(start, end) > rules.max_vertex_gap_m
    start, end, owners = start[maybe], end[maybe], owners[maybe]
    gaps = geodesic_distance(start[:, 0], start[:, 1], end[:, 0], end[:, 1])
    too_far = gaps > rules.max_vertex_gap_m
    if not too_far.any():
        return
    severity = FindingSeverity(rules.vertex_gap_severity)
    for k in np.unique(owners[too_far]):
        mine = np.flatnonzero(too_far & (owners == k))
        worst = mine[np.argmax(gaps[mine])]
        out.add(
            live[k],
            Rule.VERTEX_GAP,
            severity,
            f"{len(mine)} pair(s) of consecutive vertices are more than "
            f"{rules.max_vertex_gap_m:,.0f} m apart (longest {gaps[worst]:,.0f} m, from "
            f"({start[worst, 0]:.6f}, {start[worst, 1]:.6f}) to "
            f"({end[worst, 0]:.6f}, {end[worst, 1]:.6f}))",
            location=_xy(start[worst, 0], start[worst, 1]),
            measure=float(gaps[worst]),
        )


def _check_boundary(
    geoms: GeometryArray, boundary: BaseGeometry, rules: GeometryRules, out: _Collector
) -> None:
    """Outside the national boundary entirely (an error, or a swap when the swapped
    geometry falls inside), or partly outside (a warning with the area outside)."""
    area = boundary
    if rules.boundary_tolerance_m > 0:
        # at least the tolerance in every direction; generous in longitude off the equator
        area = shapely.buffer(boundary, rules.boundary_tolerance_m / MIN_METRES_PER_DEGREE)
    shapely.prepare(area)
    live = np.flatnonzero(~out.rejected)
    touching = shapely.intersects(area, geoms[live])
    outside = live[~touching]
    if len(outside):
        swapped_inside = shapely.intersects(area, swap_xy(geoms[outside]))
        severity = FindingSeverity(rules.outside_boundary_severity)
        for row, swapped in zip(outside, swapped_inside, strict=True):
            point = shapely.get_coordinates(shapely.point_on_surface(geoms[row]))[0]
            if swapped:
                out.add(
                    row,
                    Rule.SWAPPED_COORDINATES,
                    FindingSeverity.ERROR,
                    "the geometry lies outside the national boundary but inside it with "
                    "longitude and latitude swapped",
                    location=_xy(point[1], point[0]),
                )
            else:
                out.add(
                    row,
                    Rule.OUTSIDE_BOUNDARY,
                    severity,
                    f"the geometry lies outside the national boundary, near "
                    f"({point[0]:.6f}, {point[1]:.6f})",
                    location=_xy(point[0], point[1]),
                )
    partial = live[touching]
    partial = partial[
        (shapely.get_dimensions(geoms[partial]) == 2) & ~shapely.covered_by(geoms[partial], area)
    ]
    if len(partial) == 0:
        return
    beyond = shapely.difference(geoms[partial], area)
    beyond_m2 = ellipsoidal_area(beyond)
    for row, piece, m2 in zip(partial, beyond, beyond_m2, strict=True):
        if m2 < rules.min_overlap_m2:
            continue
        point = shapely.get_coordinates(shapely.point_on_surface(piece))[0]
        out.add(
            row,
            Rule.OUTSIDE_BOUNDARY,
            FindingSeverity.WARNING,
            f"{m2:,.0f} m² of the area lies outside the national boundary",
            location=_xy(point[0], point[1]),
            measure=float(m2),
        )


def check_geometries(
    geoms: Any,
    refs: Sequence[RecordRef] | None = None,
    *,
    rules: GeometryRules = DEFAULT_RULES,
    boundary: BaseGeometry | None = None,
    expected: Expected = None,
) -> GeometryCheck:
    """Check each geometry on its own and repair what can be repaired.

    Parameters
    ----------
    geoms
        Shapely geometries (or None) in WGS84 lon/lat.
    refs
        The record each geometry belongs to (code or feature number); 1, 2, … by default.
    rules
        The national thresholds.
    boundary
        The national boundary (WGS84); positions outside it are reported.
    expected
        "polygon", "point" or "line": anything else is a wrong geometry type.

    Returns
    -------
    GeometryCheck
        The geometries to store (repairs applied, None for rejected rows), the findings in
        row order, and a mask of rows with an error.

    Examples
    --------
    >>> import shapely
    >>> check = check_geometries([shapely.Point(50.4, 130.5)], ["DF-000001"])
    >>> check.findings[0].rule.value, bool(check.rejected[0])
    ('swapped_coordinates', True)
    """
    arr = as_geometry_array(geoms)
    references = list(refs) if refs is not None else list(range(1, len(arr) + 1))
    out = _Collector(len(arr), references)
    arr = _check_presence(arr, expected, out)
    _check_coordinates(arr, out)
    fixed = _check_validity(arr, rules, out)
    _check_vertex_gaps(fixed, rules, out)
    if boundary is not None:
        _check_boundary(fixed, boundary, rules, out)
    fixed[out.rejected] = None
    in_row_order = [f for _, f in sorted(zip(out.rows, out.findings, strict=True), key=_first)]
    return GeometryCheck(geometries=fixed, findings=in_row_order, rejected=out.rejected)


def _first(pair: tuple[int, Finding]) -> int:
    return pair[0]


# -- checks between geometries --------------------------------------------------------------


def _pairs(
    tree_geoms: GeometryArray,
    query_geoms: GeometryArray,
    distance: float | None = None,
    same_set: bool = True,
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Index pairs (query, tree) that intersect, or lie within ``distance`` (degrees) when
    given; within one set, each pair once."""
    if len(tree_geoms) == 0 or len(query_geoms) == 0:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    tree = shapely.STRtree(tree_geoms)
    if distance is None:
        q, t = tree.query(query_geoms, predicate="intersects")
    else:
        q, t = tree.query(query_geoms, predicate="dwithin", distance=distance)
    if same_set:
        keep = q < t
        q, t = q[keep], t[keep]
    return q, t


def _point_duplicates(
    points: GeometryArray,
    refs: list[RecordRef],
    others: GeometryArray,
    other_refs: list[RecordRef],
    same_set: bool,
    rules: GeometryRules,
) -> list[Finding]:
    xy = shapely.get_coordinates(points)
    lat = float(np.max(np.abs(xy[:, 1]))) if len(xy) else 0.0
    # a box wide enough in longitude at the highest latitude present
    widen = rules.duplicate_distance_m / (
        MIN_METRES_PER_DEGREE * max(np.cos(np.radians(lat)), 1e-6)
    )
    q, t = _pairs(others, points, distance=widen, same_set=same_set)
    if len(q) == 0:
        return []
    a = shapely.get_coordinates(points[q])
    b = shapely.get_coordinates(others[t])
    dist = geodesic_distance(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    close = dist <= rules.duplicate_distance_m
    return [
        Finding(
            Rule.DUPLICATE,
            FindingSeverity.WARNING,
            refs[i],
            f"same position as {_label(other_refs[j])}"
            if d == 0
            else f"{d:.2f} m from {_label(other_refs[j])} (a near-duplicate)",
            location=_xy(a[k, 0], a[k, 1]),
            related=other_refs[j],
            measure=float(d),
        )
        for k, (i, j, d) in enumerate(zip(q, t, dist, strict=True))
        if close[k]
    ]


def _area_duplicates_and_overlaps(
    areas: GeometryArray,
    refs: list[RecordRef],
    others: GeometryArray,
    other_refs: list[RecordRef],
    same_set: bool,
    rules: GeometryRules,
) -> list[Finding]:
    q, t = _pairs(others, areas, same_set=same_set)
    if len(q) == 0:
        return []
    # neighbours that only share a border are not overlaps; touches is cheaper than overlay
    inside = ~shapely.touches(areas[q], others[t])
    q, t = q[inside], t[inside]
    shared = shapely.intersection(areas[q], others[t])
    shared_m2 = ellipsoidal_area(shared)
    area_q = ellipsoidal_area(areas[q])
    area_t = ellipsoidal_area(others[t])
    iou = shared_m2 / np.maximum(area_q + area_t - shared_m2, 1e-9)
    identical = shapely.equals(areas[q], others[t])
    findings: list[Finding] = []
    for k, (i, j) in enumerate(zip(q, t, strict=True)):
        if shared_m2[k] < rules.min_overlap_m2 and not identical[k]:
            continue
        point = shapely.get_coordinates(shapely.point_on_surface(shared[k]))
        location = _xy(point[0, 0], point[0, 1]) if len(point) else None
        if identical[k] or iou[k] >= rules.duplicate_iou:
            what = (
                "identical to"
                if identical[k]
                else f"a near-duplicate of ({iou[k]:.1%} intersection over union)"
            )
            findings.append(
                Finding(
                    Rule.DUPLICATE,
                    FindingSeverity.WARNING,
                    refs[i],
                    f"the area is {what} {_label(other_refs[j])}",
                    location=location,
                    related=other_refs[j],
                    measure=float(iou[k]),
                )
            )
            continue
        findings.append(
            Finding(
                Rule.OVERLAP,
                FindingSeverity.WARNING,
                refs[i],
                f"overlaps {_label(other_refs[j])} by {shared_m2[k]:,.0f} m² "
                f"({shared_m2[k] / max(area_q[k], 1e-9):.1%} of this area)",
                location=location,
                related=other_refs[j],
                measure=float(shared_m2[k]),
            )
        )
    return findings


def find_duplicates_and_overlaps(
    geoms: Any,
    refs: Sequence[RecordRef] | None = None,
    *,
    rules: GeometryRules = DEFAULT_RULES,
    against: Any = None,
    against_refs: Sequence[RecordRef] | None = None,
) -> list[Finding]:
    """Duplicate and near-duplicate geometries, and overlapping areas.

    Within ``geoms`` each pair is reported once (on the earlier record). With ``against``
    (e.g. the hazardous areas already stored), each of ``geoms`` is compared with those
    instead. Null, empty and invalid geometries are skipped: run :func:`check_geometries`
    first.

    Examples
    --------
    >>> import shapely
    >>> a = shapely.box(30.0, 50.0, 30.01, 50.01)
    >>> b = shapely.box(30.005, 50.0, 30.015, 50.01)
    >>> [(f.rule.value, f.record, f.related) for f in find_duplicates_and_overlaps(
    ...     [a, a, b], ["HA-1", "HA-2", "HA-3"])][:2]
    [('duplicate', 'HA-1', 'HA-2'), ('overlap', 'HA-1', 'HA-3')]
    """
    arr = as_geometry_array(geoms)
    references = list(refs) if refs is not None else list(range(1, len(arr) + 1))
    same_set = against is None
    other = arr if same_set else as_geometry_array(against)
    if same_set:
        other_references = references
    elif against_refs is not None:
        other_references = list(against_refs)
    else:
        other_references = list(range(1, len(other) + 1))
    usable = ~shapely.is_missing(arr) & ~shapely.is_empty(arr) & shapely.is_valid(arr)
    other_usable = ~shapely.is_missing(other) & ~shapely.is_empty(other) & shapely.is_valid(other)
    findings: list[Finding] = []
    for type_ids, handler in (
        (np.array([0]), _point_duplicates),
        (_POLYGONAL, _area_duplicates_and_overlaps),
    ):
        mine = np.flatnonzero(usable & np.isin(shapely.get_type_id(arr), type_ids))
        theirs = (
            mine
            if same_set
            else np.flatnonzero(other_usable & np.isin(shapely.get_type_id(other), type_ids))
        )
        found = handler(
            arr[mine],
            [references[i] for i in mine],
            other[theirs],
            [other_references[i] for i in theirs],
            same_set,
            rules,
        )
        findings.extend(found)
    return findings


def validate_geometries(
    geoms: Any,
    refs: Sequence[RecordRef] | None = None,
    *,
    rules: GeometryRules = DEFAULT_RULES,
    boundary: BaseGeometry | None = None,
    expected: Expected = None,
    pairwise: bool = True,
) -> list[Finding]:
    """Every finding for these geometries: :func:`check_geometries` on each, then (when
    ``pairwise``) :func:`find_duplicates_and_overlaps` on the geometries as repaired.

    >>> import shapely
    >>> two_vertex = shapely.from_wkt("POLYGON ((30 50, 30.01 50.01, 30 50))")
    >>> [str(f) for f in validate_geometries([two_vertex], ["HA-000007"])]
    ['HA-000007: [too_few_points] error: invalid geometry: Too few points in geometry component; no area is left after repair']
    """
    check = check_geometries(geoms, refs, rules=rules, boundary=boundary, expected=expected)
    findings = list(check.findings)
    if pairwise:
        references = list(refs) if refs is not None else list(range(1, len(check.geometries) + 1))
        findings.extend(find_duplicates_and_overlaps(check.geometries, references, rules=rules))
    return findings
