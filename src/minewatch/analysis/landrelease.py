"""Land release accounting from the geometries of approved products (IMAS 07.11, 08.10,
08.20, 09.10).

For every hazardous area: the **original** area, the parts **cancelled** by non-technical
survey, **reduced** by technical survey and **cleared**, and the **remaining** area, such that

    original = cancelled + reduced + cleared + remaining

holds for every area and every aggregate to floating-point precision. The figures come from
polygons, never from typed-in numbers:

* a product is clipped to its hazardous area; the part outside is measured, left out and
  flagged (``clipped_outside_area``);
* products that overlap each other count once. **Precedence: land is released once, by the
  first product that covered it** — products are taken in order of release date; on the same
  date cleared before reduced before cancelled (the stronger evidence first), then by code.
  Why first release rather than "best method wins": once land is released it is no longer
  hazardous, so a later product over it releases nothing new, and a later product must not
  rewrite an earlier month's figures — with this rule the accounting "as of date D" is
  exactly the part of today's accounting dated up to D, and monthly series never change in
  hindsight. The work a later product repeated is not lost: each product's ledger line shows
  it as ``already_released_m2`` (flagged ``already_released``);
* a typed-in m² (``reported_area_m2``) farther from the measured area than
  ``area_tolerance_fraction`` of it is flagged (``reported_area_mismatch``).

Areas are in m² on the WGS84 ellipsoid. Overlay happens in longitude/latitude, exactly as a
GIS shows the polygons, and every piece is measured with
:func:`minewatch.domain.area.ellipsoidal_area`, which is exactly additive: the pieces of
an area add up to it (geodesic areas of pieces cut in lon/lat do not).

Every figure is a sum over :attr:`LandReleaseAccounting.pieces`, a GeoDataFrame of disjoint
polygons, each with the hazardous area, product, activity and organisation behind it: that
is how a figure is traced to its geometries.

>>> import geopandas as gpd, shapely
>>> areas = gpd.GeoDataFrame({"code": ["HA-1"]},
...                          geometry=[shapely.box(30, 0, 30.001, 0.001)], crs=4326)
>>> products = gpd.GeoDataFrame({
...     "code": ["RP-1", "RP-2"], "product_type": ["cancelled", "cleared"],
...     "hazardous_area_code": ["HA-1", "HA-1"],
...     "release_date": ["2024-01-10", "2024-03-05"]},
...     geometry=[shapely.box(30, 0, 30.0005, 0.001), shapely.box(30.00025, 0, 30.001, 0.0005)],
...     crs=4326)
>>> acc = account_land_release(areas, products, area_tolerance_fraction=0.05)
>>> row = acc.areas.iloc[0]
>>> [round(row[c]) for c in ("original_m2", "cancelled_m2", "cleared_m2", "remaining_m2")]
[12309, 6155, 3077, 3077]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from minewatch.analysis import release_overlay
from minewatch.domain.records import ProductType
from minewatch.errors import InvalidInput, Location

#: The three ways land is released, in report order.
RELEASE_CATEGORIES: tuple[str, ...] = tuple(t.value for t in ProductType)
#: Every category a piece of a hazardous area can fall in.
CATEGORIES: tuple[str, ...] = (*RELEASE_CATEGORIES, "remaining")
#: On the same release date the stronger evidence takes the overlap: lower comes first.
SAME_DAY_PRECEDENCE: dict[str, int] = {
    ProductType.CLEARED.value: 0,
    ProductType.REDUCED.value: 1,
    ProductType.CANCELLED.value: 2,
}
#: The balance columns, in order; ``original_m2`` is the sum of the others.
FIGURES: tuple[str, ...] = tuple(f"{c}_m2" for c in ("original", *CATEGORIES))
#: Areas below this many m² are floating-point residue of overlay, not land.
OVERLAY_NOISE_M2 = 1e-6

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


class Issue(StrEnum):
    """Data-quality findings the accounting reports beside its figures."""

    CLIPPED_OUTSIDE_AREA = "clipped_outside_area"
    REPORTED_AREA_MISMATCH = "reported_area_mismatch"
    UNKNOWN_HAZARDOUS_AREA = "unknown_hazardous_area"
    EMPTY_GEOMETRY = "empty_geometry"
    REPAIRED_GEOMETRY = "repaired_geometry"
    ALREADY_RELEASED = "already_released"
    MISSING_RELEASE_DATE = "missing_release_date"
    OVERLAPPING_AREAS = "overlapping_areas"
    SNAPPED_TO_GRID = "snapped_to_grid"


@dataclass(frozen=True)
class LandReleaseAccounting:
    """The result of :func:`account_land_release`.

    Attributes
    ----------
    areas
        One row per hazardous area (WGS84 geometry as given, repaired if invalid):
        ``hazardous_area_code, location_code, organisation_code`` and :data:`FIGURES`,
        plus ``released_m2``, ``closure_m2`` (original minus the sum of the parts: floating
        residue, ~1e-9 m²), ``reported_area_m2``, ``reported_deviation`` (reported/measured
        − 1) and ``products`` (how many products name the area).
    products
        One ledger line per product: ``measured_m2 = credited_m2 + already_released_m2 +
        outside_m2 + unmatched_m2`` (whole polygon; released here; released earlier by
        another product; outside its hazardous area; its hazardous area not in the input).
    pieces
        Disjoint WGS84 polygons, one per product that released land and one per area with
        land remaining: ``piece_id, hazardous_area_code, category, product_code,
        activity_code, activity_type, method, organisation_code`` (the product's),
        ``area_organisation_code, location_code, release_date, area_m2``. Every figure is a
        sum of ``area_m2`` over some of these rows.
    issues
        ``record_kind, code, issue, measured_m2, reported_m2, detail``.
    area_tolerance_fraction
        The tolerance the reported-area check used.
    """

    areas: gpd.GeoDataFrame
    products: pd.DataFrame
    pieces: gpd.GeoDataFrame
    issues: pd.DataFrame
    area_tolerance_fraction: float

    def totals(self) -> pd.Series:
        """The balance over every area: :data:`FIGURES` plus ``released_m2``."""
        return self.areas[[*FIGURES, "released_m2"]].sum()


# --------------------------------------------------------------------------- input checks


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


# --------------------------------------------------------------------------- precedence


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


# --------------------------------------------------------------------------- accounting


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


# --------------------------------------------------------------------------- aggregates

#: Piece attributes that :func:`released_by` derives from the release date.
DATE_KEYS = ("year", "quarter", "month")
#: The label for pieces whose grouping attribute is not recorded.
UNKNOWN = "unknown"


def _group_keys(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _labelled(frame: pd.DataFrame, keys: list[str], mapping: dict[str, str] | None) -> pd.DataFrame:
    frame = frame.copy()
    for key in keys:
        if key not in frame.columns:
            raise InvalidInput(f"cannot group by {key!r}", Location(field=key))
        values = frame[key]
        if mapping is not None:
            values = values.map(mapping)
        frame[key] = values.astype(object).where(values.notna(), UNKNOWN).astype(str)
    return frame


def _grouped_sum(frame: pd.DataFrame, keys: list[str], columns: list[str]) -> pd.DataFrame:
    if not keys:
        return frame[columns].sum().to_frame("total").T
    return frame.groupby(keys, sort=True)[columns].sum()


def balance(
    accounting: LandReleaseAccounting,
    by: str | Sequence[str] | None = None,
    *,
    mapping: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The balance (:data:`FIGURES` and ``released_m2``) summed over hazardous areas.

    Parameters
    ----------
    by
        Column(s) of :attr:`LandReleaseAccounting.areas` to group by, e.g.
        ``"location_code"`` or ``"organisation_code"`` (the organisation responsible for the
        area); None for one ``total`` row.
    mapping
        Optional relabelling of the grouping values, e.g. location code → region name, so
        areas roll up to any level of the gazetteer. Unmapped or missing values group as
        ``"unknown"``, so nothing drops out of the sum.

    Each row satisfies ``original = cancelled + reduced + cleared + remaining``, because it is
    a sum of area rows that do.
    """
    keys = _group_keys(by)
    frame = _labelled(pd.DataFrame(accounting.areas.drop(columns="geometry")), keys, mapping)
    return _grouped_sum(frame, keys, [*FIGURES, "released_m2"])


def _period_class(dates: pd.Series, start: date | None, end: date | None) -> NDArray[np.object_]:
    stamp = pd.to_datetime(dates)
    before = stamp < pd.Timestamp(start) if start else np.zeros(len(stamp), dtype=bool)
    after = stamp > pd.Timestamp(end) if end else np.zeros(len(stamp), dtype=bool)
    return np.select(
        [stamp.isna().to_numpy(), np.asarray(before), np.asarray(after)],
        ["undated", "before", "after"],
        "within",
    ).astype(object)


#: Columns of :func:`period_balance`; ``original_m2`` is the sum of the others.
PERIOD_FIGURES: tuple[str, ...] = (
    "original_m2",
    "released_before_m2",
    "cancelled_m2",
    "reduced_m2",
    "cleared_m2",
    "undated_m2",
    "remaining_m2",
)


def period_balance(
    accounting: LandReleaseAccounting,
    start: date | None,
    end: date | None,
    by: str | Sequence[str] | None = None,
    *,
    mapping: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The balance of a period: land released within [start, end] (both inclusive).

    Columns are :data:`PERIOD_FIGURES` plus ``released_m2`` (within the period), with

        original = released_before + cancelled + reduced + cleared + undated + remaining

    where cancelled, reduced and cleared are the pieces released within the period,
    ``released_before`` those released before ``start``, ``undated`` those with no release
    date (they cannot be placed in time) and ``remaining`` the land still hazardous at
    ``end`` (today's remaining plus what was released after ``end``). ``by`` and ``mapping``
    work as in :func:`balance`. Because land is released once, by the first product
    (module docstring), these figures never change when later products are added.
    """
    keys = _group_keys(by)
    pieces = pd.DataFrame(accounting.pieces.drop(columns="geometry"))
    released = pieces["category"] != "remaining"
    when = _period_class(pieces["release_date"], start, end)
    column = np.where(
        ~released.to_numpy(),
        "remaining_m2",
        np.where(
            when == "within",
            pieces["category"] + "_m2",
            np.select(
                [when == "before", when == "undated"],
                ["released_before_m2", "undated_m2"],
                "remaining_m2",
            ),
        ),
    )
    wide = pd.DataFrame(
        {"code": pieces["hazardous_area_code"], "column": column, "area": pieces["area_m2"]}
    ).pivot_table(index="code", columns="column", values="area", aggfunc="sum", fill_value=0.0)
    areas = pd.DataFrame(accounting.areas.drop(columns="geometry")).set_index("hazardous_area_code")
    frame = areas[["location_code", "organisation_code", "original_m2"]].join(wide)
    for figure in PERIOD_FIGURES[1:]:
        frame[figure] = frame[figure].fillna(0.0) if figure in frame else 0.0
    frame["released_m2"] = frame[["cancelled_m2", "reduced_m2", "cleared_m2"]].sum(axis=1)
    frame = _labelled(frame.reset_index(names="hazardous_area_code"), keys, mapping)
    return _grouped_sum(frame, keys, [*PERIOD_FIGURES, "released_m2"])


def released_pieces(accounting: LandReleaseAccounting) -> pd.DataFrame:
    """The released pieces (no geometry) with ``year``, ``quarter`` and ``month`` added."""
    pieces = pd.DataFrame(accounting.pieces.drop(columns="geometry"))
    pieces = pieces[pieces["category"] != "remaining"].copy()
    stamp = pd.to_datetime(pieces["release_date"]).to_numpy(dtype="datetime64[ns]")
    undated = np.isnat(stamp)
    month = stamp.astype("datetime64[M]")
    year = stamp.astype("datetime64[Y]").astype(str)
    quarter = np.char.add(
        np.char.add(year, "Q"), (month.astype(np.int64) % 12 // 3 + 1).astype(str)
    )
    for column, values in (("year", year), ("quarter", quarter), ("month", month.astype(str))):
        labels = values.astype(object)
        labels[undated] = None
        pieces[column] = labels
    return pieces


#: Columns of :func:`released_by`.
RELEASED_FIGURES: tuple[str, ...] = (*(f"{c}_m2" for c in RELEASE_CATEGORIES), "released_m2")


def released_by(
    accounting: LandReleaseAccounting,
    by: str | Sequence[str],
    *,
    start: date | None = None,
    end: date | None = None,
    mapping: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Land released, by category, grouped by any attribute of the released pieces.

    ``by`` may name ``organisation_code`` (who released it), ``area_organisation_code``,
    ``location_code``, ``hazardous_area_code``, ``activity_type``, ``method``, ``year``,
    ``quarter`` or ``month``; ``start``/``end`` keep pieces released within that period
    (undated pieces are then left out, as they cannot be placed in it). Missing values
    group as ``"unknown"``. The grand total of ``released_m2`` equals the accounting's
    released total (or the period's, when a period is given).
    """
    keys = _group_keys(by)
    pieces = released_pieces(accounting)
    if start is not None or end is not None:
        pieces = pieces[_period_class(pieces["release_date"], start, end) == "within"]
    wide = pieces.assign(column=pieces["category"] + "_m2")
    wide = _labelled(wide, keys, mapping)
    table = (
        wide.pivot_table(
            index=keys, columns="column", values="area_m2", aggfunc="sum", fill_value=0.0
        )
        if len(wide)
        else pd.DataFrame(
            index=pd.MultiIndex.from_tuples([], names=keys)
            if len(keys) > 1
            else pd.Index([], name=keys[0])
        )
    )
    table = table.reindex(columns=list(RELEASED_FIGURES[:-1]), fill_value=0.0)
    table["released_m2"] = table.sum(axis=1)
    table.columns.name = None
    return table


def monthly_series(accounting: LandReleaseAccounting) -> pd.DataFrame:
    """Release progress month by month, with no gaps between the first and last month.

    Columns: cancelled, reduced, cleared and released m² in the month, ``cumulative_m2``
    released by the end of the month, and ``remaining_m2`` at the end of the month:

        remaining(month) = original − undated − cumulative(month)

    Land released by undated products is taken off from the start (it was released at
    some time before these data were compiled), so the last month's remaining equals the
    accounting's remaining exactly; such products are flagged ``missing_release_date``.
    """
    pieces = released_pieces(accounting)
    dated = pieces[pieces["month"].notna()]
    table = (
        released_by(accounting, "month")
        if len(dated)
        else pd.DataFrame(columns=list(RELEASED_FIGURES))
    )
    table = table.drop(index=UNKNOWN, errors="ignore")
    if len(table):
        months = pd.period_range(table.index.min(), table.index.max(), freq="M").astype(str)
        table = table.reindex(months, fill_value=0.0)
    table.index.name = "month"
    totals = accounting.totals()
    undated = float(pieces.loc[pieces["month"].isna(), "area_m2"].sum())
    table["cumulative_m2"] = table["released_m2"].cumsum()
    table["remaining_m2"] = totals["original_m2"] - undated - table["cumulative_m2"]
    return table.astype(float)
