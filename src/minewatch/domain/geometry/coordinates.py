"""Coordinates that cannot be longitude/latitude in degrees: non-finite values, |lon| > 180,
|lat| > 90, and latitude and longitude swapped.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely

from minewatch.domain.geometry.arrays import GeometryArray
from minewatch.domain.geometry.findings import FindingSeverity, Rule, _Collector, _xy


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
