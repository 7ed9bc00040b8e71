"""Positions outside the national boundary: entirely outside (an error, or a swap when the
swapped geometry falls inside), or an area partly outside (a warning with the area beyond).
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from minewatch.domain.area import ellipsoidal_area
from minewatch.domain.geometry.arrays import MIN_METRES_PER_DEGREE, GeometryArray, swap_xy
from minewatch.domain.geometry.findings import FindingSeverity, Rule, _Collector, _xy
from minewatch.domain.geometry.rules import GeometryRules


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
