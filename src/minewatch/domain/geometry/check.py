"""Each geometry checked on its own (:func:`check_geometries`): null, empty and wrong-type
geometries here, then coordinates, validity (with repair), vertex gaps and the national
boundary, each in its own module; the result is a :class:`GeometryCheck`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from minewatch.domain.area import ellipsoidal_area
from minewatch.domain.geometry.arrays import GeometryArray, as_geometry_array
from minewatch.domain.geometry.boundary import _check_boundary
from minewatch.domain.geometry.coordinates import _check_coordinates
from minewatch.domain.geometry.findings import (
    Finding,
    FindingSeverity,
    RecordRef,
    Repair,
    Rule,
    _Collector,
)
from minewatch.domain.geometry.repair import _check_validity, _polygonal_parts
from minewatch.domain.geometry.rules import DEFAULT_RULES, GeometryRules
from minewatch.domain.geometry.vertex_gaps import _check_vertex_gaps

Expected = Literal["polygon", "point", "line"] | None

_EXPECTED_TYPES: dict[str, frozenset[int]] = {
    "point": frozenset({0}),  # Point
    "line": frozenset({1, 5}),  # LineString, MultiLineString
    "polygon": frozenset({3, 6}),  # Polygon, MultiPolygon
}


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


def _check_vertex_count(geoms: GeometryArray, limit: int, out: _Collector) -> None:
    """Geometries with more than ``limit`` vertices, counted without touching them
    (``get_num_coordinates`` reads a stored count), so a huge polygon is refused before the
    checks whose cost grows with its size."""
    counts = shapely.get_num_coordinates(geoms)
    for row in np.flatnonzero(counts > limit):
        out.add(
            row,
            Rule.TOO_MANY_VERTICES,
            FindingSeverity.ERROR,
            f"the geometry has {counts[row]:,} vertices, more than the {limit:,} allowed "
            "(geometry.max_vertices in the national configuration)",
        )


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
    _check_vertex_count(arr, rules.max_vertices, out)
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
