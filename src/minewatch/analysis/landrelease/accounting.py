"""The accounting itself (:func:`account_land_release`): products put in precedence order,
overlaid on their hazardous areas (:mod:`minewatch.analysis.release_overlay`), and the
per-product ledger, the pieces and the per-area balance built from the overlay.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from minewatch.analysis import release_overlay
from minewatch.analysis.landrelease.inputs import (
    _AREA_OPTIONAL,
    _AREA_REQUIRED,
    _PRODUCT_OPTIONAL,
    _PRODUCT_REQUIRED,
    _clean_geometries,
    _in_wgs84,
    _polygonal,
    _product_types,
    _release_dates,
    _require_columns,
    _with_optional,
)
from minewatch.analysis.landrelease.issues import _deviation, _issues, _overlapping_areas
from minewatch.analysis.landrelease.result import (
    CATEGORIES,
    RELEASE_CATEGORIES,
    SAME_DAY_PRECEDENCE,
    LandReleaseAccounting,
)
from minewatch.errors import InvalidInput, Location


def _release_order(
    area_index: NDArray[np.intp], dates: pd.Series, types: NDArray[np.object_], codes: NDArray
) -> NDArray[np.intp]:
    """Position of each product in the precedence order (area, date, type, code)."""
    day = dates.to_numpy(dtype="datetime64[D]").astype(np.int64)
    day = np.where(dates.isna().to_numpy(), np.iinfo(np.int64).max, day)  # undated last
    same_day = pd.Series(types).map(SAME_DAY_PRECEDENCE).to_numpy(dtype=np.int64)
    order = np.lexsort((codes.astype(str), same_day, day, area_index))
    position = np.empty(len(order), dtype=np.intp)
    position[order] = np.arange(len(order))
    return position


def account_land_release(
    hazardous_areas: gpd.GeoDataFrame,
    products: gpd.GeoDataFrame,
    *,
    area_tolerance_fraction: float,
    workers: int | None = None,
) -> LandReleaseAccounting:
    """Account for the land released in each hazardous area, from product geometries.

    Parameters
    ----------
    hazardous_areas
        Columns ``code`` and ``geometry`` (polygons; any CRS, WGS84 if none is set),
        optionally ``location_code``, ``organisation_code``, ``reported_area_m2``.
    products
        Release products: ``code``, ``product_type`` (cancelled, reduced, cleared),
        ``hazardous_area_code``, ``geometry``, optionally ``release_date``, ``activity_code``,
        ``organisation_code``, ``reported_area_m2`` and the activity's ``activity_type`` and
        ``method`` (for reports by method).
    area_tolerance_fraction
        Flag a typed-in area farther than this fraction from the measured one (national
        configuration ``[landrelease] area_tolerance_fraction``), e.g. 0.05 for 5 %.
    workers
        Processes that share the geometry work (default ``os.cpu_count()``); large inputs
        only, see :mod:`minewatch.analysis.release_overlay`. The answer does not depend on it.

    Returns
    -------
    LandReleaseAccounting
        Per-area balance, per-product ledger, the pieces behind every figure, and issues.
    """
    if not area_tolerance_fraction >= 0:
        raise InvalidInput(
            "area_tolerance_fraction must be zero or more",
            Location(field="area_tolerance_fraction"),
        )
    _require_columns(hazardous_areas, _AREA_REQUIRED, "hazardous areas")
    _require_columns(products, _PRODUCT_REQUIRED, "release products")
    areas = _with_optional(_in_wgs84(hazardous_areas), _AREA_OPTIONAL).reset_index(drop=True)
    prods = _with_optional(_in_wgs84(products), _PRODUCT_OPTIONAL).reset_index(drop=True)

    area_codes = areas["code"].astype(str)
    duplicated = area_codes.duplicated()
    if duplicated.any():
        row = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise InvalidInput(
            f"hazardous area {area_codes.iloc[row]} appears more than once",
            Location(row=row + 1, field="code"),
        )
    types = _product_types(prods)
    dates = _release_dates(prods)
    area_geoms, area_repaired, area_empty = _clean_geometries(areas.geometry.to_numpy())
    product_geoms, product_repaired, product_empty = _clean_geometries(prods.geometry.to_numpy())
    named = prods["hazardous_area_code"]
    area_index = pd.Index(area_codes).get_indexer(pd.Index(named.where(named.notna(), None)))
    position = _release_order(area_index, dates, types, prods["code"].to_numpy())

    overlay = release_overlay.overlay(
        area_geoms, product_geoms, area_index, position, workers=workers
    )
    original = overlay.original
    ledger = _ledger(prods, types, dates, area_index, overlay)
    pieces = _pieces(areas, prods, types, dates, area_index, overlay)
    table = _area_table(areas, area_geoms, original, pieces, area_index)
    issues = _issues(
        table,
        ledger,
        area_tolerance_fraction,
        (area_repaired, area_empty),
        (product_repaired, product_empty),
        _overlapping_areas(area_geoms, area_codes),
        overlay.snapped,
    )
    table["reported_deviation"] = _deviation(table["reported_area_m2"], table["original_m2"])
    ledger["reported_deviation"] = _deviation(ledger["reported_area_m2"], ledger["measured_m2"])
    return LandReleaseAccounting(
        areas=table,
        products=ledger,
        pieces=pieces,
        issues=issues,
        area_tolerance_fraction=area_tolerance_fraction,
    )


def _ledger(
    prods: pd.DataFrame,
    types: NDArray[np.object_],
    dates: pd.Series,
    area_index: NDArray[np.intp],
    overlay: release_overlay.Overlay,
) -> pd.DataFrame:
    matched = area_index >= 0
    inside, credited = overlay.inside, overlay.credited
    return pd.DataFrame(
        {
            "code": prods["code"].astype(str).to_numpy(),
            "hazardous_area_code": prods["hazardous_area_code"].to_numpy(),
            "product_type": types,
            "release_date": dates.to_numpy(),
            "activity_code": prods["activity_code"].to_numpy(),
            "organisation_code": prods["organisation_code"].to_numpy(),
            "measured_m2": overlay.measured,
            "credited_m2": credited,
            "already_released_m2": np.maximum(inside - credited, 0.0),
            "outside_m2": np.where(matched, np.maximum(overlay.measured - inside, 0.0), 0.0),
            "unmatched_m2": np.where(matched, 0.0, overlay.measured),
            "reported_area_m2": pd.to_numeric(prods["reported_area_m2"]).to_numpy(dtype=float),
        }
    )


def _pieces(
    areas: pd.DataFrame,
    prods: pd.DataFrame,
    types: NDArray[np.object_],
    dates: pd.Series,
    area_index: NDArray[np.intp],
    overlay: release_overlay.Overlay,
) -> gpd.GeoDataFrame:
    piece_area = overlay.credited
    released = (area_index >= 0) & (piece_area > 0)
    host = area_index[released]
    rem_area = overlay.remaining_area
    left = rem_area > 0
    area_codes = areas["code"].astype(str).to_numpy()
    product_codes = prods["code"].astype(str).to_numpy()
    released_part = pd.DataFrame(
        {
            "piece_id": area_codes[host] + "/" + product_codes[released],
            "hazardous_area_code": area_codes[host],
            "category": types[released],
            "product_code": product_codes[released],
            "activity_code": prods["activity_code"].to_numpy()[released],
            "activity_type": prods["activity_type"].to_numpy()[released],
            "method": prods["method"].to_numpy()[released],
            "organisation_code": prods["organisation_code"].to_numpy()[released],
            "area_organisation_code": areas["organisation_code"].to_numpy()[host],
            "location_code": areas["location_code"].to_numpy()[host],
            "release_date": dates.to_numpy()[released],
            "area_m2": piece_area[released],
        }
    )
    remaining_part = pd.DataFrame(
        {
            "piece_id": area_codes[left] + "/remaining",
            "hazardous_area_code": area_codes[left],
            "category": "remaining",
            "area_organisation_code": areas["organisation_code"].to_numpy()[left],
            "location_code": areas["location_code"].to_numpy()[left],
            "area_m2": rem_area[left],
        }
    )
    frame = pd.concat([released_part, remaining_part], ignore_index=True)
    geometry = _polygonal(np.concatenate([overlay.pieces[released], overlay.remaining[left]]))
    frame["release_date"] = pd.to_datetime(frame["release_date"])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326)


def _area_table(
    areas: pd.DataFrame,
    area_geoms: NDArray[np.object_],
    original: NDArray[np.float64],
    pieces: gpd.GeoDataFrame,
    area_index: NDArray[np.intp],
) -> gpd.GeoDataFrame:
    codes = areas["code"].astype(str)
    host = pd.Index(codes).get_indexer(pd.Index(pieces["hazardous_area_code"]))
    table = pd.DataFrame(
        {
            "hazardous_area_code": codes.to_numpy(),
            "location_code": areas["location_code"].to_numpy(),
            "organisation_code": areas["organisation_code"].to_numpy(),
            "original_m2": original,
        }
    )
    for category in CATEGORIES:
        weights = np.where(pieces["category"].to_numpy() == category, pieces["area_m2"], 0.0)
        table[f"{category}_m2"] = np.bincount(host, weights=weights, minlength=len(codes))
    table["released_m2"] = table[[f"{c}_m2" for c in RELEASE_CATEGORIES]].sum(axis=1)
    table["closure_m2"] = table["original_m2"] - table["released_m2"] - table["remaining_m2"]
    table["reported_area_m2"] = pd.to_numeric(areas["reported_area_m2"]).to_numpy(dtype=float)
    table["products"] = np.bincount(area_index[area_index >= 0], minlength=len(codes))
    return gpd.GeoDataFrame(table, geometry=area_geoms, crs=4326)
