"""Coordinate reference systems for OGC API Features Part 2: output in CRS84 (the default,
longitude/latitude), EPSG:4326 (latitude/longitude, as that CRS defines its axes) or
EPSG:3857 (web Mercator metres), and ``bbox-crs`` in any of those.

Data are stored in WGS84 longitude/latitude, so CRS84 needs no transformation at all.

>>> bbox_to_crs84((50.0, 30.0, 51.0, 31.0), EPSG_4326)
(30.0, 50.0, 31.0, 51.0)
"""

from __future__ import annotations

import functools

import numpy as np
import pyproj
import shapely

from minewatch.api.errors import HttpProblem
from minewatch.api.geojson import Reproject

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
EPSG_3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"
SUPPORTED = (CRS84, EPSG_4326, EPSG_3857)


def parse_crs(value: str | None, parameter: str) -> str:
    """The CRS URI asked for (CRS84 when none); 400 for an unsupported one."""
    if value is None:
        return CRS84
    uri = value.strip().strip("[]")
    if uri not in SUPPORTED:
        raise HttpProblem(
            400, f"{parameter} {value!r} is not supported; use one of {list(SUPPORTED)}"
        )
    return uri


@functools.cache
def _to_mercator() -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("OGC:CRS84", "EPSG:3857", always_xy=True)


def reproject(crs: str) -> Reproject | None:
    """A function moving an array of CRS84 geometries into ``crs``, or None for CRS84."""
    if crs == CRS84:
        return None
    if crs == EPSG_4326:

        def swap_axes(geoms: np.ndarray) -> np.ndarray:
            return np.asarray(shapely.transform(geoms, lambda xy: xy[:, ::-1]))

        return swap_axes
    transformer = _to_mercator()

    def to_mercator(geoms: np.ndarray) -> np.ndarray:
        return np.asarray(
            shapely.transform(
                geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
            )
        )

    return to_mercator


def bbox_to_crs84(
    bbox: tuple[float, float, float, float], crs: str
) -> tuple[float, float, float, float]:
    """A bbox given in ``crs`` (in that CRS's axis order) as CRS84 lon/lat."""
    if crs == CRS84:
        return bbox
    if crs == EPSG_4326:
        minlat, minlon, maxlat, maxlon = bbox
        return (minlon, minlat, maxlon, maxlat)
    minx, miny, maxx, maxy = _to_mercator().transform_bounds(
        *bbox, direction="INVERSE", densify_pts=21
    )
    return (float(minx), float(miny), float(maxx), float(maxy))
