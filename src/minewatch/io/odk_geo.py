"""Geometry answers as ODK, KoboToolbox and Survey123 store them.

An XForm geopoint is the text ``"lat lon [alt [accuracy]]"`` — **latitude first**, the
opposite of WKT and GeoJSON. A geotrace or geoshape is the same points joined by ``;``
(a geoshape repeats its first point at the end). ODK Central's OData API instead returns
GeoJSON (``{"type": "Point", "coordinates": [lon, lat, alt]}``) and can return WKT; all
three are accepted here, and the result is a 2-D shapely geometry in lon/lat.

>>> parse_geometry("50.45 30.52 120 5").wkt
'POINT (30.52 50.45)'
>>> parse_geometry("50 30 0 0;50 30.01 0 0;50.01 30.01 0 0;50 30 0 0;").geom_type
'Polygon'
>>> parse_geometry({"type": "Point", "coordinates": [30.52, 50.45, 120]}).wkt
'POINT (30.52 50.45)'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry

from minewatch.domain.text import Message

_WKT_PREFIXES = ("POINT", "LINESTRING", "POLYGON", "MULTI")


def _check_ranges(lonlat: np.ndarray, text: str) -> None:
    if not np.isfinite(lonlat).all():
        raise ValueError(Message("{text!r} has a coordinate that is not a number", text=text))
    lon, lat = lonlat[:, 0], lonlat[:, 1]
    if (np.abs(lat) > 90).any() or (np.abs(lon) > 180).any():
        raise ValueError(
            Message(
                "{text!r} is outside latitude -90..90 / longitude -180..180 "
                "(ODK stores latitude first)",
                text=text,
            )
        )


def _vertices(text: str) -> np.ndarray:
    """The (lon, lat) vertices of an XForm geo string."""
    parts = [p.split() for p in text.split(";") if p.strip()]
    if not parts:
        raise ValueError(Message("empty location"))
    if any(len(p) < 2 or len(p) > 4 for p in parts):
        raise ValueError(
            Message("{text!r} is not 'latitude longitude [altitude [accuracy]]'", text=text)
        )
    try:
        latlon = np.array([[float(p[0]), float(p[1])] for p in parts])
    except ValueError:
        raise ValueError(
            Message("{text!r} has a coordinate that is not a number", text=text)
        ) from None
    lonlat = latlon[:, ::-1].copy()
    _check_ranges(lonlat, text)
    return lonlat


def _from_vertices(lonlat: np.ndarray) -> BaseGeometry:
    if len(lonlat) == 1:
        return Point(lonlat[0])
    closed = len(lonlat) >= 4 and bool((lonlat[0] == lonlat[-1]).all())
    if closed:
        return Polygon(lonlat)
    return LineString(lonlat)


def _from_geojson(value: Mapping[str, Any]) -> BaseGeometry:
    try:
        geom = shape({"type": value["type"], "coordinates": value["coordinates"]})
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(Message("not a GeoJSON geometry: {problem}", problem=exc)) from None
    return shapely.force_2d(geom)


def parse_geometry(value: Any) -> BaseGeometry:
    """A geopoint, geotrace or geoshape answer as a shapely geometry; ValueError says why not.

    A closed list of at least four points becomes a Polygon, any other list a LineString.
    """
    if isinstance(value, Mapping):
        geom = _from_geojson(value)
    elif isinstance(value, BaseGeometry):
        geom = value
    else:
        text = str(value).strip()
        if text.upper().startswith(_WKT_PREFIXES):
            try:
                geom = shapely.force_2d(shapely.from_wkt(text))
            except shapely.errors.GEOSException as exc:
                raise ValueError(
                    Message("bad WKT {text!r}: {problem}", text=text, problem=exc)
                ) from None
        else:
            return _from_vertices(_vertices(text))
    coords = shapely.get_coordinates(geom)
    if len(coords) == 0:
        raise ValueError(Message("empty location"))
    _check_ranges(coords, str(value))
    return geom


def as_polygon(geom: BaseGeometry) -> tuple[BaseGeometry, str | None]:
    """A geometry fit for an area record: a geotrace walked around the area is closed into a
    polygon (with a note saying so); points cannot describe an area."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom, None
    if geom.geom_type == "LineString":
        coords = np.asarray(geom.coords)
        if len(np.unique(coords, axis=0)) < 3:
            raise ValueError(Message("a boundary needs at least three distinct points"))
        ring = np.vstack([coords, coords[:1]]) if not (coords[0] == coords[-1]).all() else coords
        return Polygon(ring), "the perimeter track (geotrace) was closed into a polygon"
    raise ValueError(
        Message("an area needs a geoshape or geotrace, got a {geometry}", geometry=geom.geom_type)
    )
