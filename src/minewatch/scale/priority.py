"""Prioritisation indicators for a district in-process, or for a country on Dask.

Both paths run the same function, :func:`indicators_for_partition`, over a GeoDataFrame of
hazardous areas. Inside it, the areas are ordered along a Hilbert curve computed on the
partition alone (no global shuffle: dask-geopandas' ``spatial_shuffle`` sorts the whole
country and is slow) and cut into batches of ``batch_size``; each batch reads only the raster
window and the vector features around it. Memory therefore follows the batch, not the
country, and the answer does not depend on how areas were partitioned: every length is
measured in one metric CRS fixed for the whole run.

In-process::

    frame = indicators_in_process(areas, inputs, config, as_of)

On a Dask cluster (a scheduler address, or ``distributed.Client``)::

    frame = indicators_dask(areas, inputs, config, as_of, client="tcp://10.0.0.5:8786")

>>> import geopandas as gpd
>>> from datetime import date
>>> from shapely import box
>>> from minewatch.io.priority import PriorityInputs
>>> from minewatch.priority_config import load_priority_config
>>> areas = gpd.GeoDataFrame({"code": ["HA-2", "HA-1"]},
...     geometry=[box(1, 1, 1.01, 1.01), box(0, 0, 0.01, 0.01)], crs=4326)
>>> out = indicators_in_process(areas, PriorityInputs(), load_priority_config(),
...                             date(2025, 1, 1))
>>> out["code"].tolist()
['HA-2', 'HA-1']
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from minewatch.analysis.priority import PartitionContext, compute_indicators, metric_crs_for
from minewatch.analysis.priority.indicators import Tasks, run_in_order
from minewatch.domain.spatial import transformer_for
from minewatch.io.priority import (
    LAYER_COLUMNS,
    FileLayer,
    PriorityInputs,
    read_layer,
    read_population_window,
)
from minewatch.priority_config import DISTANCE_LAYERS, PriorityConfig

Progress = Callable[[int], None]
"""Called with the number of areas just finished."""


def run_metric_crs(bounds: tuple[float, float, float, float], config: PriorityConfig) -> str:
    """The one metric CRS of a run (as WKT, so it pickles): the configured national CRS,
    or a transverse Mercator projection centred on all the areas."""
    configured = config.indicators.metric_crs
    crs = pyproj.CRS.from_user_input(configured) if configured else metric_crs_for(bounds)
    return str(crs.to_wkt())


def _margin_m(layer: str, config: PriorityConfig) -> float:
    settings = config.indicators
    if layer in DISTANCE_LAYERS.values():
        return settings.distance_cap_m
    if layer == "accidents":
        return settings.accident_radius_m
    return 0.0


def _wgs84_bounds(
    bounds_m: np.ndarray, margin: float, crs: pyproj.CRS
) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = bounds_m
    to_wgs = transformer_for(crs, 4326)
    west, south, east, north = to_wgs.transform_bounds(
        x0 - margin, y0 - margin, x1 + margin, y1 + margin, densify_pts=21
    )
    return (west, south, east, north)


def read_context(
    batch: gpd.GeoDataFrame, inputs: PriorityInputs, config: PriorityConfig, crs: pyproj.CRS
) -> PartitionContext:
    """What a batch of areas needs: the raster window around their population buffers and
    each layer's features within the search margin (distance cap or accident radius).

    The layers are read when an indicator first asks for them (:class:`LayersOnDemand`), so
    that indicators computed on several threads read their layers side by side."""
    transformer = transformer_for(4326, crs)
    x0, y0, x1, y1 = batch.total_bounds
    bounds_m = np.array(transformer.transform_bounds(x0, y0, x1, y1, densify_pts=21))
    window = None
    if inputs.population is not None:
        r = config.indicators.population_radius_m * 1.01  # room for the buffer's vertices
        padded = (bounds_m[0] - r, bounds_m[1] - r, bounds_m[2] + r, bounds_m[3] + r)
        window = read_population_window(inputs.population, padded, crs)
    readers = {
        name: functools.partial(
            read_layer,
            source,
            _wgs84_bounds(bounds_m, _margin_m(name, config), crs),
            LAYER_COLUMNS.get(name, ()),
        )
        for name, source in inputs.layers.items()
    }
    # Frames read from files belong to this batch alone; a caller's frames are shared.
    owned = frozenset(n for n, source in inputs.layers.items() if isinstance(source, FileLayer))
    return PartitionContext(population=window, layers=LayersOnDemand(readers), owned=owned)


class LayersOnDemand(Mapping[str, gpd.GeoDataFrame]):
    """Context layers, each read by its reader the first time it is asked for (once, even
    when threads ask together); ``in`` and iteration need no read."""

    def __init__(self, readers: Mapping[str, Callable[[], gpd.GeoDataFrame]]) -> None:
        self._readers = dict(readers)
        self._locks = {name: threading.Lock() for name in readers}
        self._frames: dict[str, gpd.GeoDataFrame] = {}

    def __getitem__(self, name: str) -> gpd.GeoDataFrame:
        with self._locks[name]:  # KeyError for a layer that is not there, as a dict
            if name not in self._frames:
                self._frames[name] = self._readers[name]()
            return self._frames[name]

    def __contains__(self, name: object) -> bool:
        return name in self._readers

    def __iter__(self) -> Iterator[str]:
        return iter(self._readers)

    def __len__(self) -> int:
        return len(self._readers)


class _Collector:
    """How many batches have paused Python's cyclic garbage collector, across threads."""

    lock = threading.Lock()
    pauses = 0
    was_enabled = True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a batch is computed; the objects the
    batch made are checked for cycles once, at its end.

    Why: every shapely geometry is an object the collector tracks, and a batch makes a few
    hundred thousand of them (the road segments around it). The collector would run every
    700 of them and rescan the older objects again and again: about 13 % of a batch's CPU
    time on 10,000 areas. Reference counting still frees everything at once; only cycles
    wait for the end of the batch, when one pass over the younger objects
    (``gc.collect(1)``) frees them. Threads share the collector: it is back as it was when
    no batch runs.
    """
    with _Collector.lock:
        if _Collector.pauses == 0:
            _Collector.was_enabled = gc.isenabled()
            gc.disable()
        _Collector.pauses += 1
    try:
        yield
    finally:
        with _Collector.lock:
            _Collector.pauses -= 1
            if _Collector.pauses == 0 and _Collector.was_enabled:
                gc.enable()
        gc.collect(1)


def hilbert_batches(areas: gpd.GeoDataFrame, batch_size: int) -> list[np.ndarray]:
    """Row positions of ``areas`` cut into spatially compact batches: sorted by the Hilbert
    distance of their centres over the partition's own bounds, then split."""
    if len(areas) == 0:
        return []
    keys = areas.geometry.hilbert_distance(total_bounds=areas.total_bounds)
    order = np.argsort(keys.to_numpy(), kind="stable")
    return np.array_split(order, max(1, -(-len(areas) // batch_size)))


def indicators_for_partition(
    areas: gpd.GeoDataFrame,
    inputs: PriorityInputs,
    config: PriorityConfig,
    as_of: date,
    metric_crs_wkt: str,
    progress: Progress | None = None,
    workers: int = 1,
) -> gpd.GeoDataFrame:
    """Indicators for one partition, rows in the partition's order (the Dask task).

    With ``workers`` > 1, that many threads compute batches side by side; a partition of
    fewer batches than workers (a district) has the indicators of each batch computed side
    by side instead. Threads, not processes: GDAL reads, GEOS queries, PROJ and numpy
    release the GIL (building shapely objects and pandas do not), and a thread starts at no
    cost where a process would first import the geospatial stack (about 1.5 s of CPU). Each
    batch's values, and each indicator's, do not depend on the others, so the answer is the
    same for any number of workers.
    """
    crs = pyproj.CRS.from_wkt(metric_crs_wkt)
    batches = hilbert_batches(areas, max(config.indicators.batch_size, 1))
    if not batches:
        return compute_indicators(areas, PartitionContext(), config, as_of, metric_crs=crs)
    threads = max(1, min(workers, len(batches)))
    # Fewer batches than workers (a district): the spare threads compute one batch's
    # indicators side by side, rather than cutting the district into smaller batches that
    # would each read their margins again.
    tasks = run_in_order if len(batches) >= workers else _pooled(workers)

    def one(positions: np.ndarray) -> gpd.GeoDataFrame:
        batch = areas.iloc[positions]
        with collector_paused():
            context = read_context(batch, inputs, config, crs)
            frame = compute_indicators(
                batch, context, config, as_of, metric_crs=crs, run_tasks=tasks
            )
        return frame.set_index(pd.Index(positions))

    parts = []
    pool = _thread_pool(threads, "batches") if threads > 1 else None
    for frame in map(one, batches) if pool is None else pool.map(one, batches):
        parts.append(frame)
        if progress is not None:
            progress(len(frame))
    joined = pd.concat(parts).sort_index()
    joined.index = areas.index
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=areas.crs or 4326)


def _pooled(threads: int) -> Tasks:
    """Runs tasks on the kept pool of ``threads`` indicator threads."""
    pool = _thread_pool(threads, "indicators")
    return lambda tasks: list(pool.map(lambda task: task(), tasks))


@functools.cache
def _thread_pool(threads: int, role: str) -> ThreadPoolExecutor:
    """A pool of ``threads`` threads kept for the life of the process, one per ``role``
    (batches wait for indicator tasks: sharing a pool could leave no thread to run them).

    Why kept: each thread caches what is costly to build once per thread (PROJ
    transformers, about 15 ms each) and its memory arena; a server computing priorities
    again and again, or a run of many partitions, would otherwise pay for both every time.
    Idle threads cost nothing and end with the interpreter.
    """
    return ThreadPoolExecutor(threads, thread_name_prefix=f"minewatch-priority-{role}")


# A forked child has none of its parent's threads: it starts its own pools.
os.register_at_fork(after_in_child=_thread_pool.cache_clear)


def _checked(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if areas.crs is None:
        return areas.set_crs(4326)
    return areas if areas.crs.to_epsg() == 4326 else areas.to_crs(4326)


def indicators_in_process(
    areas: gpd.GeoDataFrame,
    inputs: PriorityInputs,
    config: PriorityConfig,
    as_of: date,
    progress: Progress | None = None,
    workers: int | None = None,
) -> gpd.GeoDataFrame:
    """Indicators for every area, computed in this process batch by batch, on ``workers``
    threads (default: one per core, ``os.cpu_count()``)."""
    areas = _checked(areas)
    crs = run_metric_crs(tuple(areas.total_bounds), config)
    threads = workers if workers is not None else os.cpu_count() or 1
    return indicators_for_partition(areas, inputs, config, as_of, crs, progress, threads)


def indicators_dask(
    areas: Any,
    inputs: PriorityInputs,
    config: PriorityConfig,
    as_of: date,
    *,
    client: Any = None,
    npartitions: int | None = None,
    progress: Progress | None = None,
) -> gpd.GeoDataFrame:
    """Indicators for every area, one Dask task per partition.

    ``areas`` is a GeoDataFrame (it is sorted along a Hilbert curve and split into
    ``npartitions`` so that partitions are compact) or a dask-geopandas GeoDataFrame (used
    as partitioned; its list fields such as ``blockages`` must be JSON text, since Dask turns
    Python lists into their repr). ``client`` is a ``distributed.Client``, a scheduler address such as
    ``"tcp://scheduler:8786"``, or None for Dask's local threads. Rows come back in the
    order of ``areas``. On a cluster a GeoDataFrame's partitions are scattered to the
    workers, not written into the task graph, and by default there are as many as the
    workers or a multiple of them (:func:`cluster_partitions`).
    """
    import dask
    import dask_geopandas

    if isinstance(areas, gpd.GeoDataFrame):
        areas = _as_json_text(_checked(areas))
        crs = run_metric_crs(tuple(areas.total_bounds), config)
        order = hilbert_batches(areas, len(areas))
        ordered = areas.iloc[order[0]] if order else areas
        if client is not None:
            joined = _on_cluster(ordered, inputs, config, as_of, crs, client, npartitions, progress)
            return gpd.GeoDataFrame(joined.loc[areas.index], geometry="geometry", crs=4326)
        parts = npartitions or max(1, -(-len(areas) // (4 * config.indicators.batch_size)))
        frame = dask_geopandas.from_geopandas(ordered, npartitions=parts, sort=False)
    else:
        frame = areas
        crs = run_metric_crs(tuple(frame.total_bounds.compute()), config)
    meta = indicators_for_partition(frame._meta, inputs, config, as_of, crs)
    mapped = frame.map_partitions(
        indicators_for_partition, inputs, config, as_of, crs, meta=meta, align_dataframes=False
    )
    results = _compute_partitions(mapped.to_delayed(), client, progress, dask)
    joined = pd.concat(results) if results else meta
    if isinstance(areas, gpd.GeoDataFrame):
        joined = joined.loc[areas.index]
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=4326)


def cluster_partitions(n_areas: int, workers: int, batch_size: int) -> int:
    """How many partitions a cluster of ``workers`` gets: a multiple of the workers, so that
    equal partitions keep every worker busy to the end (five partitions on two workers left
    one idle for a fifth of the run), and none over four batches.

    >>> cluster_partitions(200_000, 2, 10_000), cluster_partitions(30, 2, 10_000)
    (6, 2)
    """
    workers = max(workers, 1)
    rounds = max(1, -(-n_areas // (workers * 4 * max(batch_size, 1))))
    return max(1, min(n_areas, workers * rounds))


def _on_cluster(
    ordered: gpd.GeoDataFrame,
    inputs: PriorityInputs,
    config: PriorityConfig,
    as_of: date,
    crs: str,
    client: Any,
    npartitions: int | None,
    progress: Progress | None,
) -> pd.DataFrame:
    """One task per partition on a ``distributed`` cluster, with the data scattered to the
    workers first: the partitions straight to the workers that will compute them, the
    inputs and configuration once to every worker. Embedding them in the task graph instead
    (``from_geopandas``) made a 60 MiB graph for 200,000 areas, which the scheduler holds,
    pickles again and forwards (issue 20)."""
    with _connected(client) as live:
        workers = len(live.scheduler_info()["workers"])
        parts = npartitions or cluster_partitions(
            len(ordered), workers, config.indicators.batch_size
        )
        slices = np.array_split(np.arange(len(ordered)), max(1, min(parts, len(ordered))))
        data = live.scatter([ordered.iloc[rows] for rows in slices])
        shared_inputs, shared_config = live.scatter([inputs, config], broadcast=True)
        futures = live.map(
            indicators_for_partition,
            data,
            [shared_inputs] * len(data),
            [shared_config] * len(data),
            [as_of] * len(data),
            [crs] * len(data),
            pure=False,
        )
        results = _gathered(live, futures, progress)
    return pd.concat(results)


#: Record fields that hold lists or mappings; Dask would turn them into their repr text.
_NESTED_FIELDS = ("blockages", "beneficiaries", "hazard_types", "evidence")


def _as_json_text(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Nested record fields as JSON text, which survives Dask's string conversion."""
    nested = [name for name in _NESTED_FIELDS if name in areas]
    if not nested:
        return areas
    out = areas.copy()
    for name in nested:
        out[name] = out[name].map(_json_text)
    return out


def _json_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float) and np.isnan(value):
        return None
    return json.dumps(list(value) if isinstance(value, tuple | np.ndarray) else value)


def _compute_partitions(
    parts: list[Any], client: Any, progress: Progress | None, dask: Any
) -> list[gpd.GeoDataFrame]:
    if client is None:
        results = list(dask.compute(*parts))
        if progress is not None:
            progress(sum(len(r) for r in results))
        return results
    with _connected(client) as live:
        return _gathered(live, live.compute(parts), progress)


@contextlib.contextmanager
def _connected(client: Any) -> Iterator[Any]:
    """A ``distributed.Client``: the one given, or one connected to the address given (and
    closed at the end)."""
    from distributed import Client

    if not isinstance(client, str):
        yield client
        return
    live = Client(client)
    try:
        yield live
    finally:
        live.close()


def _gathered(live: Any, futures: list[Any], progress: Progress | None) -> list[Any]:
    """The futures' results in their order, ``progress`` told as each one finishes."""
    from distributed import as_completed

    if progress is not None:
        for future in as_completed(futures):
            progress(len(future.result()))
    return list(live.gather(futures))
