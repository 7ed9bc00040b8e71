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

Where things are: :mod:`.result` (categories, figures, :class:`Issue`,
:class:`LandReleaseAccounting`), :mod:`.inputs` (checking and cleaning the inputs),
:mod:`.accounting` (:func:`account_land_release`: precedence, ledger, pieces, balance),
:mod:`.issues` (the data-quality issues) and :mod:`.aggregates` (:func:`balance`,
:func:`period_balance`, :func:`released_by`, :func:`monthly_series`). The names below are the
package's public interface, imported from here.

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

from minewatch.analysis.landrelease.accounting import account_land_release
from minewatch.analysis.landrelease.aggregates import (
    DATE_KEYS,
    PERIOD_FIGURES,
    RELEASED_BELOW_M2,
    RELEASED_FIGURES,
    UNKNOWN,
    balance,
    monthly_series,
    period_balance,
    release_progress,
    released_by,
    released_pieces,
)
from minewatch.analysis.landrelease.result import (
    CATEGORIES,
    FIGURES,
    OVERLAY_NOISE_M2,
    RELEASE_CATEGORIES,
    SAME_DAY_PRECEDENCE,
    Issue,
    LandReleaseAccounting,
)

__all__ = [
    "CATEGORIES",
    "DATE_KEYS",
    "FIGURES",
    "OVERLAY_NOISE_M2",
    "PERIOD_FIGURES",
    "RELEASED_BELOW_M2",
    "RELEASED_FIGURES",
    "RELEASE_CATEGORIES",
    "SAME_DAY_PRECEDENCE",
    "UNKNOWN",
    "Issue",
    "LandReleaseAccounting",
    "account_land_release",
    "balance",
    "monthly_series",
    "period_balance",
    "release_progress",
    "released_by",
    "released_pieces",
]
