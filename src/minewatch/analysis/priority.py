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

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from affine import Affine
from numpy.typing import NDArray
from scipy import stats
from scipy.spatial import cKDTree

from minewatch.errors import InvalidInput, Location, NotFound
from minewatch.priority_config import (
    DISTANCE_LAYERS,
    SCORED_INDICATORS,
    LisSettings,
    PriorityConfig,
    Scenario,
    load_priority_config,
)

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

#: Human labels and units of the indicators, for tables, charts and explanations.
INDICATOR_LABELS: dict[str, tuple[str, str]] = {
    "population": ("People within the population radius", "people"),
    "settlement_distance_m": ("Distance to nearest settlement", "m"),
    "road_distance_m": ("Distance to nearest road", "m"),
    "school_distance_m": ("Distance to nearest school", "m"),
    "health_distance_m": ("Distance to nearest health facility", "m"),
    "water_distance_m": ("Distance to nearest water point", "m"),
    "agricultural_share": ("Share of the area on agricultural land", "0-1"),
    "accidents": ("Accidents within radius and period", "accidents"),
    "victims": ("Victims of those accidents", "people"),
    "blockages": ("Kinds of blocked resources recorded", "kinds"),
    "residual_risk": ("Residual hazard (expected live items)", "items"),
    "beneficiaries": ("Beneficiaries recorded on the hazard record", "people"),
}

#: Candidate raster cells tested at once in :func:`population_within` (bounds memory).
_CELL_CHUNK = 4_000_000

Geoms = NDArray[np.object_]
_T = TypeVar("_T")
Floats = NDArray[np.float64]


@dataclass(frozen=True)
class RasterWindow:
    """A block of a population raster: values (nodata already 0), its affine transform and
    CRS. A window of zero size (no overlap with the raster) is allowed."""

    values: NDArray[np.floating[Any]]
    transform: Affine
    crs: pyproj.CRS


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


# -- geometry helpers ---------------------------------------------------------------------


def metric_crs_for(bounds: tuple[float, float, float, float]) -> pyproj.CRS:
    """A transverse Mercator CRS (scale 1 on its central meridian) centred on WGS84
    ``bounds``: lengths are exact along the central meridian and too long by the factor
    ``1 + d² / 2R²`` at ``d`` from it (0.3 % at 500 km), enough to rank areas. It is several
    times faster to compute than an equidistant projection.

    >>> metric_crs_for((30.0, 50.0, 32.0, 52.0)).coordinate_operation.method_name
    'Transverse Mercator'
    """
    lon = (bounds[0] + bounds[2]) / 2.0
    lat = (bounds[1] + bounds[3]) / 2.0
    return pyproj.CRS.from_proj4(
        f"+proj=tmerc +lat_0={lat:.6f} +lon_0={lon:.6f} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m"
    )


_TRANSFORMERS = threading.local()


def transformer_for(source: Any, target: Any) -> pyproj.Transformer:
    """A lon/lat-ordered transformer, cached per thread: building one costs tens of
    milliseconds, far more than a batch's transformation, and they are not shared across
    threads (Dask may run partitions in threads)."""
    cache: dict[tuple[str, str], pyproj.Transformer] = _TRANSFORMERS.__dict__.setdefault(
        "cache", {}
    )
    key = (pyproj.CRS.from_user_input(source).to_wkt(), pyproj.CRS.from_user_input(target).to_wkt())
    if key not in cache:
        cache[key] = pyproj.Transformer.from_crs(source, target, always_xy=True)
    return cache[key]


Mover = Callable[[Floats], Floats]


def _mover(source: pyproj.CRS, target: pyproj.CRS) -> Mover:
    """A function moving (N, 2) coordinates from ``source`` to ``target``."""
    transformer = transformer_for(source, target)

    def move(coords: Floats) -> Floats:
        if source == target:
            return coords[:, :2]
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return move


def _project(
    geoms: Geoms, source: pyproj.CRS, target: pyproj.CRS, *, in_place: bool = False
) -> Geoms:
    """``geoms`` moved from ``source`` to ``target`` (x and y only).

    With ``in_place`` (geometries nobody else holds), the coordinates are overwritten with
    :func:`shapely.set_coordinates`: no geometry is rebuilt, which on a road network costs
    less than half of rebuilding it. Otherwise a layer of one geometry type goes through
    :func:`shapely.to_ragged_array`: one pass over its coordinates and one construction,
    about twice as fast as :func:`shapely.transform` (which rebuilds each geometry through
    a callback); the coordinates are the same, point by point, on all three paths. Mixed,
    missing or empty geometries, which the ragged form would change (a Point becomes a
    MultiPoint beside one, a missing one becomes empty), take :func:`shapely.transform`, and
    so do 3D ones (whose z the other paths would keep or refuse).
    """
    if source == target or len(geoms) == 0:
        return geoms
    move = _mover(source, target)
    if shapely.has_z(geoms).any():
        return np.asarray(shapely.transform(geoms, move), dtype=object)
    if in_place:
        return np.asarray(shapely.set_coordinates(geoms, move(shapely.get_coordinates(geoms))))
    kinds = shapely.get_type_id(geoms)
    if kinds.min() == kinds.max() >= 0 and not shapely.is_empty(geoms).any():
        kind, coords, offsets = shapely.to_ragged_array(geoms, include_z=False)
        return np.asarray(shapely.from_ragged_array(kind, move(coords), offsets), dtype=object)
    return np.asarray(shapely.transform(geoms, move), dtype=object)


def to_metric(frame: gpd.GeoDataFrame | None, crs: pyproj.CRS, *, in_place: bool = False) -> Geoms:
    """The geometries of ``frame`` (any CRS, default WGS84) in the metric CRS; with
    ``in_place``, ``frame``'s own geometries are moved (see :func:`_project`)."""
    if frame is None or len(frame) == 0:
        return np.empty(0, dtype=object)
    source = pyproj.CRS.from_user_input(frame.crs or 4326)
    geoms = np.asarray(frame.geometry.values, dtype=object)
    return _project(geoms, source, crs, in_place=in_place)


# -- indicators -----------------------------------------------------------------------------


def population_within(
    areas_m: Geoms, radius_m: float, window: RasterWindow, metric_crs: pyproj.CRS
) -> Floats:
    """People within ``radius_m`` of each area: the sum of the cells of ``window`` whose
    centre lies strictly inside the buffered polygon (partial cells do not count).

    Candidate cells are those of each buffer's bounding box; their centres are tested with
    :func:`shapely.contains_xy` on the prepared buffers, all areas at once.

    >>> import numpy as np, pyproj
    >>> from affine import Affine
    >>> from shapely import Point
    >>> window = RasterWindow(np.ones((10, 10)), Affine(10, 0, -50, 0, -10, 50),
    ...                       pyproj.CRS("EPSG:3857"))
    >>> population_within(np.array([Point(0, 0)]), 15.0, window, pyproj.CRS("EPSG:3857"))
    array([4.])
    """
    n = len(areas_m)
    out = np.zeros(n)
    if n == 0 or window.values.size == 0:
        return out
    buffers = shapely.buffer(areas_m, radius_m, quad_segs=8)
    t = window.transform
    if t.b == 0 and t.d == 0 and t.a > 0 and t.e < 0:
        # Only the edges' ends are needed, moved to the raster's CRS, not new polygons.
        return _scanline_sums(buffers, window, _mover(metric_crs, window.crs))
    buffers = _project(buffers, metric_crs, window.crs)
    shapely.prepare(buffers)  # a rotated or south-up raster: test every candidate centre
    rows0, rows1, cols0, cols1 = _cell_ranges(shapely.bounds(buffers), window)
    counts = (rows1 - rows0) * (cols1 - cols0)
    for chunk in _chunks_by_total(counts, _CELL_CHUNK):
        out[chunk] = _sum_cells(
            buffers[chunk], rows0[chunk], cols0[chunk], cols1[chunk] - cols0[chunk],
            counts[chunk], window,
        )  # fmt: skip
    return out


def _ring_edges(
    polygons: Geoms, move: Mover
) -> tuple[NDArray[np.int64], Floats, Floats, Floats, Floats]:
    """Every edge of every ring (exterior and holes) as (owner, x0, y0, x1, y1), its ends
    moved by ``move``."""
    parts, part_owner = shapely.get_parts(polygons, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    coords = move(coords)
    starts = np.flatnonzero(coord_ring[:-1] == coord_ring[1:])
    owner = part_owner[ring_part[coord_ring[starts]]]
    a, b = coords[starts], coords[starts + 1]
    return owner, a[:, 0], a[:, 1], b[:, 0], b[:, 1]


def _scanline_sums(buffers: Geoms, window: RasterWindow, move: Mover) -> Floats:
    """Sums of the cells whose centre is strictly inside each polygon (moved to the raster's
    CRS by ``move``), for a north-up raster.

    Each raster row's centre line is crossed with the polygons' edges (a crossing counts
    when the line is in [lower, upper) of the edge's y, so every closed ring crosses it an
    even number of times); sorted crossings pair into inside spans, and the cells whose
    centres fall strictly within a span are summed. The work grows with edges and rows, not
    with the cells of the bounding box; the order of summation is fixed per area, so the
    result does not depend on where the window starts.
    """
    t = window.transform
    height, width = window.values.shape
    owner, x0, y0, x1, y1 = _ring_edges(buffers, move)
    low, high = np.minimum(y0, y1), np.maximum(y0, y1)
    first = np.maximum(np.floor((high - t.f) / t.e - 0.5).astype(np.int64) + 1, 0)
    last = np.minimum(np.floor((low - t.f) / t.e - 0.5).astype(np.int64), height - 1)
    per_edge = np.maximum(last - first + 1, 0)
    edge = np.repeat(np.arange(len(owner)), per_edge)
    row = first[edge] + np.arange(len(edge)) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
    yc = t.f + t.e * (row + 0.5)
    x = x0[edge] + (yc - y0[edge]) * (x1[edge] - x0[edge]) / (y1[edge] - y0[edge])
    key = owner[edge] * np.int64(height) + row
    order = np.lexsort((x, key))
    key, x = key[order], x[order]
    span_key, left, right = key[0::2], x[0::2], x[1::2]
    col0 = np.maximum(np.floor((left - t.c) / t.a - 0.5).astype(np.int64) + 1, 0)
    col1 = np.minimum(np.ceil((right - t.c) / t.a - 0.5).astype(np.int64) - 1, width - 1)
    keep = col1 >= col0
    span_key, col0, col1 = span_key[keep], col0[keep], col1[keep]
    start = (span_key % height) * width + col0
    return np.bincount(
        span_key // height, weights=_run_sums(window.values, start, col1 - col0 + 1),
        minlength=len(buffers),
    ).astype(np.float64)  # fmt: skip


def _run_sums(values: NDArray[Any], start: NDArray[np.int64], length: NDArray[np.int64]) -> Floats:
    """Sums of the runs ``values.flat[start : start + length]`` (each length ≥ 1).

    A span of a raster row is contiguous in memory, so :func:`numpy.add.reduceat` sums it in
    place rather than gathering its cells one by one. reduceat also sums the gap from each
    run's end to the next run's start, so the runs are visited in order of ``start``: the
    gaps then add up to one pass over the window at most. Each run's own sum does not depend
    on the others or on where the window starts.
    """
    if len(start) == 0:
        return np.empty(0)
    flat = np.ravel(values).astype(np.float64, copy=False)
    last = len(flat) - 1
    order = np.argsort(start, kind="stable")
    start, length = start[order], length[order]
    # reduceat wants every index below the size, so a run ending on the window's last cell
    # stops one short and gets that cell added after (a run of that cell alone is returned
    # by reduceat as it is); padding the window instead would copy it.
    ends_last = start + length > last
    bounds = np.column_stack([start, np.minimum(start + length, last)]).ravel()
    ordered = np.add.reduceat(flat, bounds)[0::2]
    ordered[ends_last & (length > 1)] += flat[last]
    sums = np.empty(len(start))
    sums[order] = ordered
    return sums


def _cell_ranges(
    bounds: Floats, window: RasterWindow
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Row and column ranges [start, stop) of the cells each bounding box touches."""
    inverse = ~window.transform
    xs = bounds[:, [0, 2, 0, 2]]
    ys = bounds[:, [1, 1, 3, 3]]
    cols = inverse.a * xs + inverse.b * ys + inverse.c
    rows = inverse.d * xs + inverse.e * ys + inverse.f
    height, width = window.values.shape
    r0 = np.clip(np.floor(np.nan_to_num(rows.min(axis=1))), 0, height).astype(np.int64)
    r1 = np.clip(np.ceil(np.nan_to_num(rows.max(axis=1))), 0, height).astype(np.int64)
    c0 = np.clip(np.floor(np.nan_to_num(cols.min(axis=1))), 0, width).astype(np.int64)
    c1 = np.clip(np.ceil(np.nan_to_num(cols.max(axis=1))), 0, width).astype(np.int64)
    return r0, np.maximum(r1, r0), c0, np.maximum(c1, c0)


def _chunks_by_total(counts: NDArray[np.int64], limit: int) -> list[slice]:
    """Consecutive slices of ``counts`` whose totals stay near ``limit``."""
    ends = np.cumsum(counts)
    cuts = np.searchsorted(ends, np.arange(limit, int(ends[-1]) + limit, limit), side="right")
    bounds = np.unique(np.concatenate([[0], cuts, [len(counts)]]))
    return [slice(int(a), int(b)) for a, b in itertools.pairwise(bounds)]


def _sum_cells(
    buffers: Geoms,
    rows0: NDArray[np.int64],
    cols0: NDArray[np.int64],
    widths: NDArray[np.int64],
    counts: NDArray[np.int64],
    window: RasterWindow,
) -> Floats:
    total = int(counts.sum())
    if total == 0:
        return np.zeros(len(buffers))
    owner = np.repeat(np.arange(len(buffers)), counts)
    k = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    w = widths[owner]
    rows = rows0[owner] + k // w
    cols = cols0[owner] + k % w
    values = np.asarray(window.values[rows, cols], dtype=np.float64)
    keep = values > 0
    owner, rows, cols, values = owner[keep], rows[keep], cols[keep], values[keep]
    t = window.transform
    x = t.a * (cols + 0.5) + t.b * (rows + 0.5) + t.c
    y = t.d * (cols + 0.5) + t.e * (rows + 0.5) + t.f
    inside = shapely.contains_xy(buffers[owner], x, y)
    sums = np.bincount(owner[inside], weights=values[inside], minlength=len(buffers))
    return sums.astype(np.float64)


def nearest_distance(areas_m: Geoms, features_m: Geoms, cap_m: float) -> Floats:
    """Distance in metres from each area to the nearest feature, NaN beyond ``cap_m``.

    The values are GEOS's exact polygon-to-feature distances, as a nearest search would
    give, found in three vectorised steps (about three times faster than
    :meth:`shapely.STRtree.query_nearest` on point layers, where it spends its time
    weighing candidates area by area):

    1. areas that touch a feature are at 0 (an ``intersects`` query; on a road network
       most areas are settled here);
    2. for the others, the centre ``c`` of the area's bounding box, whose half-diagonal is
       ``R``, bounds the answer: the feature nearest to ``c`` at ``d_c`` is at most
       ``d_c + R`` from the area, and none is nearer than ``d_c - R`` (so an area with
       ``d_c - R`` beyond the cap is NaN at once);
    3. every feature within ``d_c + R`` of the area has its envelope within that distance
       of the area's box: an envelope query finds all of them, and the smallest exact
       distance among them is the answer.

    >>> import numpy as np
    >>> from shapely import Point, box
    >>> nearest_distance(np.array([box(0, 0, 10, 10)]), np.array([Point(13, 14)]), 100.0)
    array([5.])
    """
    out = np.full(len(areas_m), np.nan)
    if len(areas_m) == 0 or len(features_m) == 0:
        return out
    tree = shapely.STRtree(features_m)
    touching = np.zeros(len(areas_m), dtype=bool)
    touching[tree.query(areas_m, predicate="intersects")[0]] = True
    out[touching] = 0.0
    box = shapely.bounds(areas_m)
    rest = np.flatnonzero(~touching & np.isfinite(box).all(axis=1))  # empty areas stay NaN
    box = box[rest]
    centre_x, centre_y = (box[:, 0] + box[:, 2]) / 2.0, (box[:, 1] + box[:, 3]) / 2.0
    half_diagonal = np.hypot(box[:, 2] - box[:, 0], box[:, 3] - box[:, 1]) / 2.0
    from_centre = _nearest_from_points(tree, features_m, centre_x, centre_y)
    # Slack for rounding: a bound a micrometre too wide only adds candidates.
    reach = (from_centre + half_diagonal) * (1.0 + 1e-9) + 1e-6
    wanted = np.isfinite(reach) & (from_centre - half_diagonal <= cap_m * (1.0 + 1e-9) + 1e-6)
    rest, box, reach = rest[wanted], box[wanted], reach[wanted]
    search = shapely.box(box[:, 0] - reach, box[:, 1] - reach, box[:, 2] + reach, box[:, 3] + reach)
    area_of, feature = tree.query(search)
    distance = shapely.distance(areas_m[rest[area_of]], features_m[feature])
    nearest = np.full(len(rest), np.inf)
    np.fmin.at(nearest, area_of, distance)  # fmin: an empty feature's NaN is no answer
    out[rest] = np.where(nearest <= cap_m, nearest, np.nan)
    return out


def _nearest_from_points(tree: shapely.STRtree, features_m: Geoms, x: Floats, y: Floats) -> Floats:
    """Distance from each point (x, y) to the nearest feature (inf when there is none).

    A layer of points takes a k-d tree over their coordinates, several times faster than
    GEOS's search; other layers take the STRtree's nearest search from the points, which is
    cheaper from a point than from a polygon.
    """
    if len(x) == 0:
        return np.empty(0)
    if (shapely.get_type_id(features_m) == 0).all():
        coords = shapely.get_coordinates(features_m)
        if len(coords) == 0:
            return np.full(len(x), np.inf)
        return np.asarray(cKDTree(coords).query(np.column_stack([x, y]))[0], dtype=np.float64)
    out = np.full(len(x), np.inf)
    pairs, distance = tree.query_nearest(shapely.points(x, y), return_distance=True)
    np.fmin.at(out, pairs[0], distance)
    return out


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


def _record_values(values: Iterable[Any], field: str, derive: Callable[[Any], _T]) -> list[_T]:
    """``derive`` of each value of a record field (a list or mapping), JSON text parsed first.

    Why a cache keyed by text: the store and GeoPackage exports hold these fields as JSON
    text, and blockages and hazard types repeat a few combinations across a country, so
    each distinct text is parsed and derived once (parsing every row took a tenth of a
    batch's time).
    """
    if isinstance(values, pd.Series):  # Arrow-backed text is slow to iterate item by item
        values = values.to_numpy(dtype=object)
    cache: dict[str, _T] = {}
    out: list[_T] = []
    for position, value in enumerate(values):
        try:
            if not isinstance(value, str):
                out.append(derive(value))
            elif value in cache:
                out.append(cache[value])
            else:
                out.append(cache.setdefault(value, derive(_parsed_json(value, field))))
        except InvalidInput as exc:
            raise InvalidInput(exc.message, Location(row=position + 1, field=field)) from None
    return out


def _parsed_json(text: str, field: str) -> Any:
    """The value of a JSON text (None for blank text); bad JSON names the field and text."""
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{field} holds text that is not JSON ({exc.msg} at character {exc.pos + 1}): "
            f"{text[:80]!r}",
            Location(field=field),
        ) from None


def _items(value: Any, field: str) -> list[Any]:
    """The items of a list-valued field; missing is an empty list."""
    if isinstance(value, list | tuple):
        return list(value)
    if _missing(value):
        return []
    if isinstance(value, str | Mapping) or not np.iterable(value):
        raise InvalidInput(f"{field} should be a list, not {value!r:.80}", Location(field=field))
    return list(value)


def blockage_summary(blockages: pd.Series) -> tuple[Floats, pd.Series]:
    """The number of distinct blocked-resource types per area and their names joined by ";".

    Items are ``{"type": ..., "note": ...}`` mappings (or JSON text of a list of them).

    >>> count, kinds = blockage_summary(pd.Series([[{"type": "road"}, {"type": "water"},
    ...     {"type": "road"}], []]))
    >>> count.tolist(), kinds.tolist()
    ([2.0, 0.0], ['road;water', ''])
    """
    owners, kinds = _blocked_kinds(blockages)
    codes, names = pd.factorize(np.array(kinds, dtype=object), sort=True)
    if len(names) > 62:
        raise ValueError("more than 62 distinct blockage types")
    masks = np.zeros(len(blockages), dtype=np.int64)
    np.bitwise_or.at(masks, np.array(owners, dtype=np.int64), np.int64(1) << codes)
    unique, inverse = np.unique(masks, return_inverse=True)
    bits = (unique[:, None] >> np.arange(len(names))) & 1
    labels = np.array([";".join(names[row.astype(bool)]) for row in bits], dtype=object)
    count = bits.sum(axis=1)[inverse].astype(np.float64)
    return count, pd.Series(labels[inverse], index=pd.RangeIndex(len(blockages)))


def _blocked_kinds(blockages: pd.Series) -> tuple[list[int], list[str]]:
    """Each blocked-resource item as (position of its area, its type as text), missing types
    left out.

    A plain loop: one pass over a few items per area, where exploding them into a pandas
    Series and mapping over it cost five times as much.
    """
    owners: list[int] = []
    kinds: list[str] = []
    for position, types in enumerate(_record_values(blockages, "blockages", _blocked_types)):
        owners.extend([position] * len(types))
        kinds.extend(types)
    return owners, kinds


def _blocked_types(value: Any) -> list[str]:
    """The types of one area's blocked-resource items (mappings with a ``type``, or the
    type itself), missing ones left out."""
    types = []
    for item in _items(value, "blockages"):
        kind = item.get("type") if isinstance(item, Mapping) else item
        if isinstance(kind, str) or not _missing(kind):
            types.append(str(kind))
    return types


def _missing(value: Any) -> bool:
    """None, NaN, NaT or pd.NA (what ``dropna`` drops); a list or mapping is not missing."""
    return value is None or (np.ndim(value) == 0 and bool(pd.isna(value)))


def _people(value: Any) -> float:
    if not isinstance(value, Mapping):
        return np.nan
    counts = [value.get(k) for k in ("girls", "boys", "women", "men")]
    known = [float(c) for c in counts if c is not None]
    return float(sum(known)) if known else np.nan


def beneficiaries_total(beneficiaries: pd.Series) -> Floats:
    """Total people in a ``SexAge`` column (mappings or JSON text); NaN where not recorded.

    >>> beneficiaries_total(pd.Series([{"girls": 1, "men": 2}, '{"women": 4}', None])).tolist()
    [3.0, 4.0, nan]
    """
    return np.array(_record_values(beneficiaries, "beneficiaries", _people), dtype=np.float64)


def _joined_hazards(value: Any) -> str:
    return ";".join(str(kind) for kind in _items(value, "hazard_types"))


def _numeric_column(areas: pd.DataFrame, name: str) -> Floats:
    if name not in areas:
        return np.full(len(areas), np.nan)
    return pd.to_numeric(areas[name], errors="coerce").to_numpy(dtype=np.float64)


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
    out["area_m2"] = shapely.area(areas_m) if len(areas_m) else np.empty(0)
    return gpd.GeoDataFrame(out, geometry=areas.geometry.values, crs=areas.crs or 4326)


def _record_indicators(areas: pd.DataFrame) -> dict[str, Any]:
    """The indicators read from the hazard records themselves (blockages, residual hazard,
    beneficiaries, hazard types); a bad value is reported with its area's code."""
    try:
        count, names = blockage_summary(
            areas["blockages"] if "blockages" in areas else pd.Series([[]] * len(areas))
        )
        beneficiaries = (
            beneficiaries_total(areas["beneficiaries"]) if "beneficiaries" in areas else np.nan
        )
        hazards = (
            np.array(
                _record_values(areas["hazard_types"], "hazard_types", _joined_hazards),
                dtype=object,
            )
            if "hazard_types" in areas
            else ""
        )
    except InvalidInput as exc:
        row = exc.where.row
        if not isinstance(row, int) or "code" not in areas:
            raise
        code = areas["code"].iloc[row - 1]
        raise InvalidInput(f"area {code}: {exc.message}", Location(field=exc.where.field)) from None
    return {
        "blockages": count,
        "blockage_types": names.to_numpy(),
        "residual_risk": _numeric_column(areas, "residual_risk"),
        "beneficiaries": beneficiaries,
        "hazard_types": hazards,
    }


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


# -- scoring --------------------------------------------------------------------------------


def benefit_values(indicators: pd.DataFrame, names: list[str], cap_m: float) -> Floats:
    """Indicator values turned so that more always means a higher priority: distances become
    proximity ``1 - min(d, cap) / cap`` (NaN, i.e. nothing within the cap, becomes 0)."""
    columns = []
    for name in names:
        values = pd.to_numeric(indicators[name], errors="coerce").to_numpy(dtype=np.float64)
        if name in DISTANCE_LAYERS:
            values = np.nan_to_num(1.0 - np.minimum(values, cap_m) / cap_m, nan=0.0)
        columns.append(values)
    return np.column_stack(columns) if columns else np.empty((len(indicators), 0))


def normalise(values: Floats, method: str, missing: str) -> Floats:
    """Each column on a 0..1 scale (``minmax`` or ``rank``); NaN then filled by ``missing``.

    >>> normalise(np.array([[1.0], [3.0], [np.nan], [2.0]]), "minmax", "lowest").ravel()
    array([0. , 1. , 0. , 0.5])
    >>> normalise(np.array([[10.0], [30.0], [20.0]]), "rank", "lowest").ravel()
    array([0. , 1. , 0.5])
    """
    out = np.zeros_like(values, dtype=np.float64)
    for j in range(values.shape[1]):
        column = values[:, j]
        known = ~np.isnan(column)
        if not known.any():
            continue
        if method == "rank":
            ranks = stats.rankdata(column[known], method="average")
            span = max(known.sum() - 1, 1)
            scaled = (ranks - 1.0) / span
        else:
            low, high = column[known].min(), column[known].max()
            scaled = (column[known] - low) / (high - low) if high > low else 0.0 * column[known]
        out[known, j] = scaled
        out[~known, j] = np.median(scaled) if missing == "median" else 0.0
    return out


def rank_order(scores: Floats, codes: NDArray[np.object_] | pd.Series) -> NDArray[np.int64]:
    """Ranks 1..n by descending score, ties broken by code so every run agrees.

    >>> rank_order(np.array([0.5, 0.9, 0.5]), np.array(["b", "c", "a"], dtype=object)).tolist()
    [3, 1, 2]
    """
    order = np.lexsort((np.asarray(codes, dtype=str), -np.round(scores, 12)))
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[order] = np.arange(1, len(scores) + 1)
    return ranks


def _weights(scenario: Scenario) -> tuple[list[str], Floats]:
    names = [n for n in SCORED_INDICATORS if scenario.weights.get(n, 0.0) > 0]
    return names, np.array([scenario.weights[n] for n in names], dtype=np.float64)


def _weighted(normalised: Floats, weights: Floats) -> tuple[Floats, Floats]:
    contributions = 100.0 * normalised * (weights / weights.sum())
    return contributions.sum(axis=1), contributions


def score(
    indicators: pd.DataFrame, config: PriorityConfig, scenario: str | None = None
) -> pd.DataFrame:
    """Score and rank every area under one scenario, with the LIS-style band.

    ``score`` (0..100) is ``100 * sum_i w_i * n_i / sum_i w_i`` with ``n_i`` the normalised
    indicator; ``contribution_<indicator>`` columns hold each term, so they add up to the
    score. ``rank`` 1 is the highest priority.
    """
    chosen = config.scenario(scenario)
    names, weights = _weights(chosen)
    raw = benefit_values(indicators, names, config.indicators.distance_cap_m)
    normalised = normalise(raw, config.normalisation, config.missing)
    total, contributions = _weighted(normalised, weights)
    out = indicators.copy()
    out["scenario"] = scenario or config.default_scenario
    out["score"] = np.round(total, 9)
    for j, name in enumerate(names):
        out[f"normalised_{name}"] = normalised[:, j]
        out[f"contribution_{name}"] = contributions[:, j]
    out["rank"] = rank_order(total, out["code"].to_numpy(dtype=object))
    points, band = lis_score(indicators, config.lis)
    out["lis_points"], out["lis_band"] = points, band
    return out.sort_values("rank")


def lis_score(indicators: pd.DataFrame, lis: LisSettings) -> tuple[Floats, NDArray[np.object_]]:
    """Landmine-Impact-Survey-style points and their band (low / medium / high).

    Points = the highest configured points among the area's hazard types + the points of
    each distinct blocked resource + points per victim within the accident radius/period.
    """
    n = len(indicators)
    hazard = _points_for_list(indicators.get("hazard_types"), lis.points_per_hazard_type, n)
    blocked = _points_for_list(
        indicators.get("blockage_types"), lis.points_per_blockage_type, n, total=True
    )
    victims = np.nan_to_num(_numeric_column(indicators, "victims"))
    points = hazard + blocked + lis.points_per_recent_victim * victims
    bands = np.where(
        points >= lis.bands.high_from,
        "high",
        np.where(points >= lis.bands.medium_from, "medium", "low"),
    ).astype(object)
    return points, bands


def _points_for_list(
    column: pd.Series | None, table: Mapping[Any, float], n: int, *, total: bool = False
) -> Floats:
    """Points of each ";"-joined list: the highest of its items' points, or with ``total``
    their sum (an item not in ``table`` scores 0). Worked out once per distinct list, since
    a country repeats a few combinations of hazard and blockage types."""
    if column is None or not table:
        return np.zeros(n)
    lookup = {str(getattr(k, "value", k)): float(v) for k, v in table.items()}
    combine = sum if total else max
    codes, texts = pd.factorize(column.fillna("").astype(str).to_numpy(dtype=object))
    per_text = np.array(
        [combine(lookup.get(item, 0.0) for item in text.split(";")) for text in texts],
        dtype=np.float64,
    )
    return per_text[codes] if len(texts) else np.zeros(n)


# -- sensitivity and explanation ------------------------------------------------------------


@dataclass(frozen=True)
class SensitivityResult:
    """How the ranking moves when each weight moves alone.

    ``perturbations``: one row per (indicator, step) with Kendall's tau against the base
    ranking, the share of the base top-k still in the top-k, and the largest rank shift.
    ``areas``: per area its base rank and the best and worst rank seen over all
    perturbations (rank range).
    """

    perturbations: pd.DataFrame
    areas: pd.DataFrame


def sensitivity(
    indicators: pd.DataFrame, config: PriorityConfig, scenario: str | None = None
) -> SensitivityResult:
    """One-at-a-time sensitivity of the ranking to each weight of a scenario."""
    chosen = config.scenario(scenario)
    names, weights = _weights(chosen)
    raw = benefit_values(indicators, names, config.indicators.distance_cap_m)
    normalised = normalise(raw, config.normalisation, config.missing)
    codes = indicators["code"].to_numpy(dtype=object)
    base = rank_order(_weighted(normalised, weights)[0], codes)
    k = min(config.sensitivity.top_k, len(base))
    base_top = set(np.flatnonzero(base <= k))
    best, worst = base.copy(), base.copy()
    rows = []
    for j, name in enumerate(names):
        for step in config.sensitivity.steps:
            moved = weights.copy()
            moved[j] *= 1.0 + step
            if moved.sum() <= 0:
                continue
            ranks = rank_order(_weighted(normalised, moved)[0], codes)
            best, worst = np.minimum(best, ranks), np.maximum(worst, ranks)
            tau = stats.kendalltau(base, ranks).statistic if len(base) > 1 else 1.0
            rows.append(
                {
                    "indicator": name,
                    "step": step,
                    "weight": moved[j],
                    "kendall_tau": float(tau),
                    "top_k_kept": len(base_top & set(np.flatnonzero(ranks <= k))) / max(k, 1),
                    "max_rank_shift": int(np.abs(ranks - base).max()) if len(base) else 0,
                }
            )
    areas = pd.DataFrame(
        {"code": codes, "base_rank": base, "best_rank": best, "worst_rank": worst}
    ).sort_values("base_rank")
    areas["rank_range"] = areas["worst_rank"] - areas["best_rank"]
    return SensitivityResult(pd.DataFrame(rows), areas.reset_index(drop=True))


def explain(scored: pd.DataFrame, code: str, config: PriorityConfig) -> pd.DataFrame:
    """Why one area scored what it did: each indicator's value, normalised value, weight
    share and contribution (points out of 100; they add up to the score).

    ``scored`` is the output of :func:`score` (its ``scenario`` column names the weights).
    """
    match = scored[scored["code"].astype(str) == str(code)]
    if match.empty:
        raise NotFound(f"no hazardous area {code} in the ranking")
    row = match.iloc[0]
    names, weights = _weights(config.scenario(str(row["scenario"])))
    total = float(row["score"])
    records = [
        {
            "indicator": name,
            "label": INDICATOR_LABELS[name][0],
            "value": row[name],
            "unit": INDICATOR_LABELS[name][1],
            "normalised": float(row[f"normalised_{name}"]),
            "weight_share": float(weight / weights.sum()),
            "contribution": float(row[f"contribution_{name}"]),
            "share_of_score": float(row[f"contribution_{name}"]) / total if total else 0.0,
        }
        for name, weight in zip(names, weights, strict=True)
    ]
    return pd.DataFrame(records).sort_values("contribution", ascending=False, ignore_index=True)
