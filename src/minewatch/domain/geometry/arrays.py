"""Geometry arrays and distances on the WGS84 ellipsoid: every check takes any sequence of
shapely geometries as a 1-d object array, and measures distances geodesically (areas:
:mod:`minewatch.domain.area`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

#: The WGS84 ellipsoid every distance is measured on (areas: :mod:`minewatch.domain.area`).
WGS84 = Geod(ellps="WGS84")

#: The fewest metres in one degree of latitude or longitude-at-the-equator on WGS84 (a degree
#: of latitude at the equator, a(1 − e²)·π/180): dividing by it turns a distance into degrees
#: that cover at least that distance anywhere. Used only to widen search boxes, never to
#: measure.
MIN_METRES_PER_DEGREE = 110_574.0

GeometryArray = npt.NDArray[np.object_]


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
