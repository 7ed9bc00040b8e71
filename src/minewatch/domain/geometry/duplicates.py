"""Checks between geometries (:func:`find_duplicates_and_overlaps`): identical or
near-identical points and areas, and overlapping areas, found through an STRtree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from minewatch.domain.area import ellipsoidal_area
from minewatch.domain.geometry.arrays import (
    MIN_METRES_PER_DEGREE,
    GeometryArray,
    as_geometry_array,
    geodesic_distance,
)
from minewatch.domain.geometry.findings import (
    Finding,
    FindingSeverity,
    RecordRef,
    Rule,
    _label,
    _xy,
)
from minewatch.domain.geometry.rules import DEFAULT_RULES, GeometryRules

_POLYGONAL = np.array([3, 6])


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
