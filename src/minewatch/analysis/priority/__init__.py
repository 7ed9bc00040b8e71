"""Clearance prioritisation by human impact: indicators for each hazardous area, weighted
scenarios, a Landmine-Impact-Survey-style banded score, sensitivity and explanations.

Everything here is pure: functions over one partition of hazardous areas (a GeoDataFrame in
WGS84 whose columns are named as :class:`minewatch.domain.records.HazardousArea` fields)
and the context data already read for that partition (:class:`PartitionContext`). Reading
files and splitting a country into partitions is done by :mod:`minewatch.scale.priority`,
so that the same functions run in-process for a district and on Dask for a country.

Measurement rules (also in docs/prioritisation.md):

* lengths are measured in one metric CRS for the whole run (the configured national CRS, or
  a transverse Mercator projection centred on all areas): the same area therefore gets
  the same value whichever partition it falls in;
* **population within r**: the sum of the raster cells whose *centre* lies strictly inside
  the area buffered by r; a cell whose centre is outside counts for nothing, even if the
  buffer covers most of it (no fractional cells); nodata, NaN and negative cells count 0;
* **distance to X**: the shortest distance from the area's polygon to the nearest feature of
  layer X (0 when they touch), or NaN when none lies within ``distance_cap_m``;
* **agricultural share**: area of the polygon covered by agricultural-land polygons /
  area of the polygon, capped at 1 (overlapping land polygons are not dissolved);
* **accidents / victims**: accidents within ``accident_radius_m`` of the polygon with a date
  in (as_of - period, as_of], and the sum of their ``victims`` column.

Where things are: :mod:`.indicators` (:func:`compute_indicators`, :class:`PartitionContext`,
the agricultural share and accidents), :mod:`.population` (the raster), :mod:`.nearest`
(distances), :mod:`.records` (indicators read from the hazard records), :mod:`.projection`
(the metric CRS), :mod:`.ranking` (:func:`score`, :func:`lis_score`, :func:`explain`) and
:mod:`.sensitivity`. The names below are the package's public interface, imported from here.

>>> from datetime import date
>>> import geopandas as gpd
>>> from shapely import Point, box
>>> areas = gpd.GeoDataFrame({"code": ["HA-1"]}, geometry=[box(0, 0, 0.01, 0.01)], crs=4326)
>>> ctx = PartitionContext(layers={"roads": gpd.GeoDataFrame(
...     geometry=[Point(0.02, 0.005)], crs=4326)})
>>> frame = compute_indicators(areas, ctx, load_priority_config(), date(2025, 1, 1),
...                            metric_crs=metric_crs_for((0, 0, 0.01, 0.01)))
>>> round(float(frame["road_distance_m"].iloc[0]))
1113
"""

from minewatch.analysis.priority.indicators import (
    INDICATOR_LABELS,
    PartitionContext,
    accidents_within,
    agricultural_share,
    compute_indicators,
)
from minewatch.analysis.priority.nearest import nearest_distance
from minewatch.analysis.priority.population import RasterWindow, population_within
from minewatch.analysis.priority.projection import metric_crs_for
from minewatch.analysis.priority.ranking import explain, lis_score, normalise, rank_order, score
from minewatch.analysis.priority.records import blockage_summary
from minewatch.analysis.priority.sensitivity import SensitivityResult, sensitivity
from minewatch.priority_config import load_priority_config

__all__ = [
    "INDICATOR_LABELS",
    "PartitionContext",
    "RasterWindow",
    "SensitivityResult",
    "accidents_within",
    "agricultural_share",
    "blockage_summary",
    "compute_indicators",
    "explain",
    "lis_score",
    "load_priority_config",
    "metric_crs_for",
    "nearest_distance",
    "normalise",
    "population_within",
    "rank_order",
    "score",
    "sensitivity",
]
