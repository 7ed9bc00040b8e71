"""The accounting's inputs checked and cleaned: required columns, WGS84, product types, release
dates, and geometries repaired (reported) or counted as empty.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from minewatch.analysis.landrelease.result import RELEASE_CATEGORIES
from minewatch.errors import InvalidInput, Location

_AREA_REQUIRED = ("code", "geometry")
_AREA_OPTIONAL = ("location_code", "organisation_code", "reported_area_m2")
_PRODUCT_REQUIRED = ("code", "product_type", "hazardous_area_code", "geometry")
_PRODUCT_OPTIONAL = (
    "activity_code",
    "organisation_code",
    "release_date",
    "reported_area_m2",
    "activity_type",
    "method",
)


def _require_columns(frame: pd.DataFrame, required: Sequence[str], what: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InvalidInput(
            f"{what} lack the column(s) {', '.join(missing)}", Location(field=missing[0])
        )


def _in_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        return frame.to_crs(4326)
    return frame


def _with_optional(frame: pd.DataFrame, optional: Sequence[str]) -> pd.DataFrame:
    frame = frame.copy()
    for column in optional:
        if column not in frame.columns:
            frame[column] = None
    return frame


def _clean_geometries(
    geoms: NDArray[np.object_],
) -> tuple[NDArray[np.object_], NDArray[np.bool_], NDArray[np.bool_]]:
    """Valid geometries; which were repaired (make_valid) and which are missing or empty."""
    geoms = np.array(geoms, dtype=object)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    geoms[shapely.is_missing(geoms)] = shapely.Polygon()
    repaired = ~empty & ~shapely.is_valid(geoms)
    if repaired.any():
        geoms[repaired] = _polygonal(shapely.make_valid(geoms[repaired]))
    return geoms, repaired, empty


def _product_types(frame: pd.DataFrame) -> NDArray[np.object_]:
    types = frame["product_type"].astype(str).str.strip().str.lower()
    bad = ~types.isin(RELEASE_CATEGORIES)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InvalidInput(
            f"product_type {frame['product_type'].iloc[row]!r} is not one of "
            f"{', '.join(RELEASE_CATEGORIES)}",
            Location(row=row + 1, field="product_type"),
        )
    return types.to_numpy(dtype=object)


def _release_dates(frame: pd.DataFrame) -> pd.Series:
    try:
        return pd.to_datetime(frame["release_date"], errors="raise").dt.normalize()
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"release_date: {exc}", Location(field="release_date")) from None


def _polygonal(geoms: NDArray[np.object_]) -> NDArray[np.object_]:
    """Drop the lines and points overlay can leave in a GeometryCollection (no area)."""
    geoms = np.array(geoms, dtype=object)
    mixed = shapely.get_type_id(geoms) == shapely.GeometryType.GEOMETRYCOLLECTION
    if not mixed.any():
        return geoms
    parts, index = shapely.get_parts(geoms[mixed], return_index=True)
    polygon = shapely.get_type_id(parts) == shapely.GeometryType.POLYGON
    rebuilt = np.full(int(mixed.sum()), shapely.MultiPolygon(), dtype=object)
    if polygon.any():
        shapely.multipolygons(parts[polygon], indices=index[polygon], out=rebuilt)
    geoms[mixed] = rebuilt
    return geoms
