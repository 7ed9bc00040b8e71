"""What the accounting returns: the release categories and balance figures, the data-quality
issues it reports beside them, and :class:`LandReleaseAccounting` itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import geopandas as gpd
import pandas as pd

from minewatch.domain.records import ProductType

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
        residue, about 1e-12 of the area), ``reported_area_m2``, ``reported_deviation`` (reported/measured
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
