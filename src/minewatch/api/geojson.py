"""Records as GeoJSON, written straight to text, and GeoJSON geometry read into shapely.

Geometries are serialised in one vectorised call (``shapely.to_geojson``) and spliced into
the feature text, so a page of features costs one ``json.dumps`` of properties per feature
and nothing more. Output coordinates may be reprojected (see :mod:`minewatch.api.crs`).

>>> from shapely import Point
>>> from minewatch.domain.records import DeviceFind
>>> text = feature_collection([DeviceFind(code="DF-1", geometry=Point(30, 50))], {})
>>> json.loads(text)["features"][0]["geometry"]
{'type': 'Point', 'coordinates': [30.0, 50.0]}
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from minewatch.domain.records import Record
from minewatch.domain.schema import record_to_plain
from minewatch.errors import InvalidInput, Location

GEOJSON = "application/geo+json"

#: Changes coordinates of an array of geometries (e.g. into the requested CRS).
Reproject = Callable[[np.ndarray], np.ndarray]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def geometry_texts(
    geometries: Sequence[BaseGeometry | None], reproject: Reproject | None
) -> list[str]:
    """GeoJSON geometry objects as text ("null" for none), reprojected if asked."""
    arr = np.asarray(list(geometries), dtype=object)
    if not len(arr):
        return []
    if reproject is not None:
        arr = reproject(arr)
    texts = shapely.to_geojson(arr)
    return ["null" if t is None else str(t) for t in texts.tolist()]


def features(records: Sequence[Record], reproject: Reproject | None = None) -> list[str]:
    """One GeoJSON Feature (text) per record; the feature id is the record's code."""
    geoms = geometry_texts([getattr(r, "geometry", None) for r in records], reproject)
    return [
        f'{{"type":"Feature","id":{_dumps(r.code)},"geometry":{g},'
        f'"properties":{_dumps(record_to_plain(r))}}}'
        for r, g in zip(records, geoms, strict=True)
    ]


def feature(record: Record, extra: Mapping[str, Any], reproject: Reproject | None = None) -> str:
    """One record as a GeoJSON Feature with extra members (e.g. ``links``)."""
    text = features([record], reproject)[0]
    return text[:-1] + "".join(f",{_dumps(k)}:{_dumps(v)}" for k, v in extra.items()) + "}"


def feature_collection(
    records: Sequence[Record], meta: Mapping[str, Any], reproject: Reproject | None = None
) -> str:
    """A FeatureCollection with ``meta`` members (numberMatched, links, …) first."""
    head = _dumps({"type": "FeatureCollection", **meta})[:-1]
    return f'{head},"features":[{",".join(features(records, reproject))}]}}'


def parse_geometry(value: Mapping[str, Any] | None, field: str = "geometry") -> BaseGeometry | None:
    """A shapely geometry from a GeoJSON geometry object; InvalidInput says what is wrong."""
    if value is None:
        return None
    try:
        geometry = shapely.from_geojson(_dumps(value))
    except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
        raise InvalidInput(f"not a GeoJSON geometry: {exc}", Location(field=field)) from None
    if geometry is None:
        raise InvalidInput("not a GeoJSON geometry", Location(field=field))
    return geometry


def geometry_plain(geometry: BaseGeometry | None) -> Any:
    """A geometry as a GeoJSON object (for embedding in ordinary JSON responses)."""
    return None if geometry is None else json.loads(shapely.to_geojson(geometry))
