"""The data-quality issues reported beside the figures: empty and repaired geometries, typed-in
areas that disagree with the polygons, products outside or without their hazardous area, land
released twice, undated products and overlapping hazardous areas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from minewatch.analysis.landrelease.result import OVERLAY_NOISE_M2, Issue


def _overlapping_areas(area_geoms: NDArray[np.object_], codes: pd.Series) -> pd.DataFrame:
    """Issue rows for hazardous areas whose interiors overlap: their common land is counted in
    each, so sums over areas count it twice until the records are corrected."""
    first, second = shapely.STRtree(area_geoms).query(area_geoms, predicate="intersects")
    pair = first < second
    first, second = first[pair], second[pair]
    real = ~shapely.touches(area_geoms[first], area_geoms[second])
    first, second = first[real], second[real]
    names = codes.to_numpy()
    return pd.DataFrame(
        {
            "record_kind": "hazardous_area",
            "code": np.concatenate([names[first], names[second]]),
            "issue": Issue.OVERLAPPING_AREAS.value,
            "measured_m2": np.nan,
            "reported_m2": np.nan,
            "detail": np.concatenate(
                [
                    "overlaps " + names[second].astype(str) + ": land in both counts in both",
                    "overlaps " + names[first].astype(str) + ": land in both counts in both",
                ]
            ),
        }
    )


def _deviation(reported: pd.Series, measured: pd.Series) -> pd.Series:
    with np.errstate(divide="ignore", invalid="ignore"):
        return reported / measured - 1


def _mismatched(reported: pd.Series, measured: pd.Series, tolerance: float) -> NDArray[np.bool_]:
    gap = (reported - measured).abs()
    return (reported.notna() & (gap > tolerance * measured + OVERLAY_NOISE_M2)).to_numpy()


def _issue_rows(
    kind: str,
    codes: pd.Series,
    mask: NDArray[np.bool_],
    issue: Issue,
    measured: pd.Series,
    reported: pd.Series | None,
    detail: str,
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "record_kind": kind,
            "code": codes[mask].to_numpy(),
            "issue": issue.value,
            "measured_m2": measured[mask].to_numpy(),
            "reported_m2": (reported[mask].to_numpy() if reported is not None else np.nan),
            "detail": detail,
        }
    )


def _issues(
    table: pd.DataFrame,
    ledger: pd.DataFrame,
    tolerance: float,
    area_flags: tuple[NDArray[np.bool_], NDArray[np.bool_]],
    product_flags: tuple[NDArray[np.bool_], NDArray[np.bool_]],
    overlapping: pd.DataFrame,
    snapped: NDArray[np.bool_],
) -> pd.DataFrame:
    ha, rp = "hazardous_area", "release_product"
    acodes, pcodes = table["hazardous_area_code"], ledger["code"]
    original, measured = table["original_m2"], ledger["measured_m2"]
    pct = f"{tolerance:.1%}"
    rows = [
        _issue_rows(
            ha,
            acodes,
            area_flags[1],
            Issue.EMPTY_GEOMETRY,
            original,
            None,
            "no polygon: original area counted as 0",
        ),
        _issue_rows(
            ha,
            acodes,
            area_flags[0],
            Issue.REPAIRED_GEOMETRY,
            original,
            None,
            "invalid polygon repaired with make_valid before measuring",
        ),
        _issue_rows(
            ha,
            acodes,
            snapped,
            Issue.SNAPPED_TO_GRID,
            original,
            None,
            "GEOS could not overlay this area's products exactly (the parts did not add up);"
            " overlaid again with coordinates snapped to a 1e-12° grid (about 0.1 µm)",
        ),
        _issue_rows(
            ha,
            acodes,
            _mismatched(table["reported_area_m2"], original, tolerance),
            Issue.REPORTED_AREA_MISMATCH,
            original,
            table["reported_area_m2"],
            f"typed-in area differs from the polygon by more than {pct}",
        ),
        _issue_rows(
            rp,
            pcodes,
            product_flags[1],
            Issue.EMPTY_GEOMETRY,
            measured,
            None,
            "no polygon: releases nothing",
        ),
        _issue_rows(
            rp,
            pcodes,
            product_flags[0],
            Issue.REPAIRED_GEOMETRY,
            measured,
            None,
            "invalid polygon repaired with make_valid before measuring",
        ),
        _issue_rows(
            rp,
            pcodes,
            (ledger["unmatched_m2"] > 0).to_numpy()
            | (ledger["hazardous_area_code"].isna().to_numpy()),
            Issue.UNKNOWN_HAZARDOUS_AREA,
            measured,
            None,
            "its hazardous area is not among the areas accounted: not counted",
        ),
        _issue_rows(
            rp,
            pcodes,
            (ledger["outside_m2"] > OVERLAY_NOISE_M2).to_numpy(),
            Issue.CLIPPED_OUTSIDE_AREA,
            ledger["outside_m2"],
            None,
            "part of the product lies outside its hazardous area: clipped",
        ),
        _issue_rows(
            rp,
            pcodes,
            (ledger["already_released_m2"] > OVERLAY_NOISE_M2).to_numpy(),
            Issue.ALREADY_RELEASED,
            ledger["already_released_m2"],
            None,
            "part of the product was released earlier by another product: counted once",
        ),
        _issue_rows(
            rp,
            pcodes,
            _mismatched(ledger["reported_area_m2"], measured, tolerance),
            Issue.REPORTED_AREA_MISMATCH,
            measured,
            ledger["reported_area_m2"],
            f"typed-in area differs from the polygon by more than {pct}",
        ),
        _issue_rows(
            rp,
            pcodes,
            ledger["release_date"].isna().to_numpy(),
            Issue.MISSING_RELEASE_DATE,
            measured,
            None,
            "no release date: counted in totals, in no period or month",
        ),
    ]
    return pd.concat([*rows, overlapping], ignore_index=True)
