"""Every indicator for each area of one partition (:func:`compute_indicators`), from the
context data read for it (:class:`PartitionContext`), with their labels and units."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from minewatch.analysis.priority.nearest import nearest_distance
from minewatch.analysis.priority.population import RasterWindow, population_within
from minewatch.analysis.priority.projection import Floats, Geoms, to_metric
from minewatch.analysis.priority.records import _numeric_column, _record_indicators
from minewatch.domain.area import ellipsoidal_area
from minewatch.errors import InvalidInput, Location
from minewatch.priority_config import DISTANCE_LAYERS, PriorityConfig
from minewatch.vocabulary.enums import ENUM_LABELS

#: Units of the indicators, and their human labels (the vocabulary's, so that every
#: language translates them), for tables, charts and explanations.
_INDICATOR_UNITS: dict[str, str] = {
    "population": "people",
    "settlement_distance_m": "m",
    "road_distance_m": "m",
    "school_distance_m": "m",
    "health_distance_m": "m",
    "water_distance_m": "m",
    "agricultural_share": "0-1",
    "accidents": "accidents",
    "victims": "people",
    "blockages": "kinds",
    "residual_risk": "items",
    "beneficiaries": "people",
}
INDICATOR_LABELS: dict[str, tuple[str, str]] = {
    name: (ENUM_LABELS["PriorityIndicator"][name], unit) for name, unit in _INDICATOR_UNITS.items()
}


@dataclass(frozen=True)
class PartitionContext:
    """The context data read for one partition of areas.

    ``layers`` maps a layer name to a GeoDataFrame in WGS84: ``settlements``, ``roads``,
    ``schools``, ``health``, ``water`` (any geometry), ``agriculture`` (polygons) and
    ``accidents`` (points with ``accident_date`` and optionally ``victims``). A layer that is
    absent yields NaN for its indicator, which scoring treats as unknown.
    """

    population: RasterWindow | None = None
    layers: Mapping[str, gpd.GeoDataFrame] = field(default_factory=dict)
    #: Layers read for this context alone (from a file, not a caller's frame): their
    #: geometries are moved to the metric CRS in place, which leaves these frames with
    #: metric coordinates under a WGS84 label once the indicators are computed.
    owned: frozenset[str] = frozenset()


def agricultural_share(areas_m: Geoms, land_m: Geoms) -> Floats:
    """Share (0..1) of each area's surface on agricultural-land polygons.

    >>> import numpy as np
    >>> from shapely import box
    >>> agricultural_share(np.array([box(0, 0, 10, 10)]), np.array([box(5, 0, 20, 10)]))
    array([0.5])
    """
    out = np.zeros(len(areas_m))
    if len(areas_m) == 0 or len(land_m) == 0:
        return out
    pairs = shapely.STRtree(land_m).query(areas_m, predicate="intersects")
    overlap = shapely.area(shapely.intersection(areas_m[pairs[0]], land_m[pairs[1]]))
    # Added smallest first within each area, so that the sum does not depend on the order
    # in which the land polygons were read (it differs between batches and partitions).
    order = np.lexsort((overlap, pairs[0]))
    covered = np.bincount(pairs[0][order], weights=overlap[order], minlength=len(areas_m))
    area = shapely.area(areas_m)
    np.divide(covered, area, out=out, where=area > 0)
    return np.clip(out, 0.0, 1.0)


def accidents_within(
    areas_m: Geoms,
    accidents_m: Geoms,
    accident_dates: pd.Series,
    victims: Floats,
    radius_m: float,
    period: tuple[date, date],
) -> tuple[Floats, Floats]:
    """Accidents, and the sum of their victims, within ``radius_m`` of each area and dated in
    the half-open period (start, end].

    >>> import numpy as np, pandas as pd
    >>> from shapely import Point, box
    >>> acc = np.array([Point(15, 5), Point(500, 5)])
    >>> accidents_within(np.array([box(0, 0, 10, 10)]), acc,
    ...     pd.Series([date(2024, 1, 1)] * 2), np.array([3.0, 1.0]), 100.0,
    ...     (date(2020, 1, 1), date(2025, 1, 1)))
    (array([1.]), array([3.]))
    """
    n = len(areas_m)
    if n == 0 or len(accidents_m) == 0:
        return np.zeros(n), np.zeros(n)
    when = pd.to_datetime(pd.Series(accident_dates).reset_index(drop=True), errors="coerce")
    start, end = pd.Timestamp(period[0]), pd.Timestamp(period[1])
    recent = ((when > start) & (when <= end)).to_numpy()
    points = accidents_m[recent]
    weights = np.nan_to_num(np.asarray(victims, dtype=np.float64)[recent])
    pairs = shapely.STRtree(areas_m).query(points, predicate="dwithin", distance=radius_m)
    counts = np.bincount(pairs[1], minlength=n).astype(np.float64)
    people = np.bincount(pairs[1], weights=weights[pairs[0]], minlength=n)
    return counts, people.astype(np.float64)


Tasks = Callable[[list[Callable[[], Any]]], list[Any]]
"""Runs independent pieces of work and returns their results in order: one after the other
(:func:`run_in_order`) or on a pool of threads."""


def run_in_order(tasks: list[Callable[[], Any]]) -> list[Any]:
    """Each task in turn, in this thread."""
    return [task() for task in tasks]


def compute_indicators(
    areas: gpd.GeoDataFrame,
    context: PartitionContext,
    config: PriorityConfig,
    as_of: date,
    *,
    metric_crs: pyproj.CRS,
    run_tasks: Tasks = run_in_order,
) -> gpd.GeoDataFrame:
    """Every indicator for each area of one partition, same index and order as ``areas``.

    Columns: ``code``, the indicators of :data:`SCORED_INDICATORS`, ``blockage_types``,
    ``hazard_types`` (as given), ``area_m2`` (in the metric CRS) and ``geometry``.

    The indicators are independent of each other, so they are computed as separate tasks
    given to ``run_tasks`` (a thread pool can run them side by side; each task touches only
    its own layer and reads the areas); the values do not depend on how they are run.
    """
    settings = config.indicators
    areas_m = to_metric(areas, metric_crs)

    def distance(layer: str) -> Callable[[], Any]:
        def task() -> Any:
            features = _layer_metric(context, layer, metric_crs)
            if features is None:
                return np.nan
            return nearest_distance(areas_m, features, settings.distance_cap_m)

        return task

    def population() -> Any:
        if context.population is None:
            return np.nan
        radius = settings.population_radius_m
        return population_within(areas_m, radius, context.population, metric_crs)

    def agriculture() -> Any:
        land = _layer_metric(context, "agriculture", metric_crs)
        return np.nan if land is None else agricultural_share(areas_m, land)

    # The largest first (a road network, the population raster), so that threads finish
    # together.
    order = sorted(DISTANCE_LAYERS, key=lambda name: DISTANCE_LAYERS[name] != "roads")
    tasks: dict[str, Callable[[], Any]] = {
        order[0]: distance(DISTANCE_LAYERS[order[0]]),
        "population": population,
        **{name: distance(DISTANCE_LAYERS[name]) for name in order[1:]},
        "agricultural_share": agriculture,
        "accidents": lambda: _accident_indicators(areas_m, context, config, as_of, metric_crs),
        "records": lambda: _record_indicators(areas),
    }
    done = dict(zip(tasks, run_tasks(list(tasks.values())), strict=True))
    out = pd.DataFrame(index=areas.index)
    out["code"] = areas["code"].astype(str).to_numpy() if "code" in areas else None
    out["population"] = done["population"]
    for indicator in DISTANCE_LAYERS:
        out[indicator] = done[indicator]
    out["agricultural_share"] = done["agricultural_share"]
    out["accidents"], out["victims"] = done["accidents"]
    for name, values in done["records"].items():
        out[name] = values
    # The one area measure of the product (DESIGN.md), so a ranking and the land release
    # accounting give the same area the same m² (a planar area in the metric CRS did not).
    lonlat = areas.geometry if areas.crs is None else areas.geometry.to_crs(4326)
    out["area_m2"] = ellipsoidal_area(lonlat.values) if len(areas) else np.empty(0)
    return gpd.GeoDataFrame(out, geometry=areas.geometry.values, crs=areas.crs or 4326)


def _layer_metric(context: PartitionContext, name: str, crs: pyproj.CRS) -> Geoms | None:
    """The geometries of layer ``name`` in the metric CRS (moved in place when the context
    owns them), or None when the layer is absent."""
    frame = context.layers.get(name)
    return None if frame is None else to_metric(frame, crs, in_place=name in context.owned)


def _accident_indicators(
    areas_m: Geoms,
    context: PartitionContext,
    config: PriorityConfig,
    as_of: date,
    metric_crs: pyproj.CRS,
) -> tuple[Floats, Floats]:
    accidents = context.layers.get("accidents")
    if accidents is None:
        nan = np.full(len(areas_m), np.nan)
        return nan, nan.copy()
    settings = config.indicators
    start = as_of - timedelta(days=round(365.25 * settings.accident_period_years))
    if "accident_date" not in accidents:
        raise InvalidInput(
            "accidents need an accident_date column", Location(field="accident_date")
        )
    victims = _numeric_column(accidents, "victims")
    if "victims" not in accidents:
        victims = np.zeros(len(accidents))
    dates = accidents["accident_date"]
    return accidents_within(
        areas_m,
        to_metric(accidents, metric_crs, in_place="accidents" in context.owned),
        dates,
        victims,
        settings.accident_radius_m,
        (start, as_of),
    )
