"""Consecutive vertices of a ring or line further apart than the programme allows
(``max_vertex_gap_m``): a cheap upper bound first, the exact geodesic only where it matters.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely

from minewatch.domain.geometry.arrays import GeometryArray, _explode, geodesic_distance
from minewatch.domain.geometry.findings import FindingSeverity, Rule, _Collector, _xy
from minewatch.domain.geometry.rules import GeometryRules

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
