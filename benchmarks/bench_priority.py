"""Prioritisation on a SYNTHETIC country (see benchmarks/synthetic_country.py).

Measures, in one run:

1. **speed against a competent and a naive baseline** on the same spatially compact block of
   areas (1,000 × size on the quick scale, 10,000 × size on the full one: the scale curve).
   Both baselines are what a GIS analyst writes with geopandas — ``sjoin_nearest`` for each
   distance, ``overlay`` for farmland, ``sjoin`` for accidents — reading the same bounding
   boxes as ours (which favours them); for the people near each area the competent one uses
   **zonal statistics** (``exactextract``'s coverage-weighted sum over the buffers), the naive
   one turns every populated raster cell into a point and ``sjoin``s them (70% of its time).
   Ours is ``indicators_in_process`` with the shipped configuration (the block is one batch,
   its indicators computed side by side on two threads). The three run interleaved, three
   times each (wall and CPU, medians). Target (issue 20): ≥3× zonal statistics. Answers are
   compared by population (median relative difference: exactextract weights partial cells,
   ours and the naive one count the cells whose centre lies inside) and ranking (Kendall's
   tau).
2. **the whole country**, ours against zonal statistics in this process (one run each; the
   same ≥3× target);
3. **the whole country end to end** (read the areas, indicators, score, write the CSV) in a
   child process, with its peak resident memory. Target < 4 GiB.
4. **Dask**: the same on a LocalCluster of two single-threaded worker processes, whose
   ranking must equal the in-process one exactly; target: faster than in-process.

Run: ``nice python -m benchmarks --only priority`` (add ``--quick`` for the small country).
"""

from __future__ import annotations

import multiprocessing
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import rasterio
from numpy.typing import NDArray
from rasterio.windows import from_bounds

from benchmarks.harness import Result, compared, interleaved
from benchmarks.synthetic_country import CountryFiles, CountrySpec, build
from minewatch.analysis.priority import blockage_summary, score
from minewatch.analysis.priority.records import beneficiaries_total
from minewatch.io.priority import FileLayer, PriorityInputs, read_areas, write_ranked_csv
from minewatch.priority_config import DISTANCE_LAYERS, PriorityConfig, load_priority_config
from minewatch.scale.priority import indicators_dask, indicators_in_process, run_metric_crs

AS_OF = date(2025, 1, 1)
NAME = "priority"
#: Runs of each path on the block, alternating; the target is judged on their medians.
_REPEATS = 3
_CONTEXT = ("settlements", "roads", "schools", "health", "water", "agriculture", "accidents")


def _inputs(files: CountryFiles) -> PriorityInputs:
    return PriorityInputs(
        population=str(files.population),
        layers={name: FileLayer(str(files.context), name) for name in _CONTEXT},
    )


# -- the naive baseline --------------------------------------------------------------------


def _read(files: CountryFiles, layer: str, bounds: Any, crs: pyproj.CRS) -> gpd.GeoDataFrame:
    frame = pyogrio.read_dataframe(files.context, layer=layer, bbox=tuple(bounds))
    return frame.to_crs(crs)


def cells_as_points(buffers: gpd.GeoDataFrame, files: CountryFiles, box: Any) -> NDArray[Any]:
    """People within each buffer, naively: every populated raster cell of the box turned into
    a point and ``sjoin``-ed to the buffers (cells whose centre lies inside count)."""
    crs = buffers.crs
    with rasterio.open(files.population) as src:
        window = from_bounds(*box, transform=src.transform).round_offsets().round_lengths()
        values = src.read(1, window=window, boundless=True, fill_value=0)
        transform = src.window_transform(window)
    rows, cols = np.nonzero(values > 0)
    xs, ys = rasterio.transform.xy(transform, rows, cols)
    cells = gpd.GeoDataFrame(
        {"people": values[rows, cols]}, geometry=gpd.points_from_xy(xs, ys), crs=4326
    ).to_crs(crs)
    joined = gpd.sjoin(cells, buffers, predicate="within")
    summed = joined.groupby("index_right")["people"].sum()
    return summed.reindex(range(len(buffers)), fill_value=0).to_numpy(dtype=float)


def zonal_statistics(buffers: gpd.GeoDataFrame, files: CountryFiles, box: Any) -> NDArray[Any]:
    """People within each buffer as a GIS analyst computes it: zonal statistics with
    ``exactextract`` (the buffers in the raster's CRS; each cell weighted by the share of it
    the buffer covers, where ours counts the cells whose centre lies inside)."""
    from exactextract import exact_extract

    with rasterio.open(files.population) as src:
        zones = buffers.to_crs(src.crs).reset_index(drop=True)
        table = exact_extract(src, zones, "sum", output="pandas")
    return table["sum"].to_numpy(dtype=float)


def naive_indicators(
    areas: gpd.GeoDataFrame,
    files: CountryFiles,
    config: PriorityConfig,
    crs: pyproj.CRS,
    population: Callable[[gpd.GeoDataFrame, CountryFiles, Any], NDArray[Any]] = cells_as_points,
) -> pd.DataFrame:
    """The indicators with plain geopandas joins and overlays (the baseline); ``population``
    says how the people within each buffer are summed: :func:`cells_as_points` (naive) or
    :func:`zonal_statistics` (competent)."""
    settings = config.indicators
    metric = areas.to_crs(crs).reset_index(drop=True)
    margin = settings.distance_cap_m / 80_000.0  # degrees, generous at these latitudes
    w, s, e, n = areas.total_bounds
    box = (w - margin, s - margin, e + margin, n + margin)
    out = pd.DataFrame({"code": areas["code"].to_numpy()})
    buffers = gpd.GeoDataFrame(
        geometry=metric.buffer(settings.population_radius_m, quad_segs=8), crs=crs
    )
    out["population"] = population(buffers, files, box)
    for indicator, layer in DISTANCE_LAYERS.items():
        features = _read(files, layer, box, crs)
        near = gpd.sjoin_nearest(
            metric[["geometry"]],
            features,
            how="left",
            max_distance=settings.distance_cap_m,
            distance_col="d",
        )
        out[indicator] = near.groupby(level=0)["d"].min().reindex(out.index)
    farms = _read(files, "agriculture", box, crs)
    pieces = gpd.overlay(metric[["code", "geometry"]], farms[["geometry"]], how="intersection")
    covered = pieces.assign(a=pieces.area).groupby("code")["a"].sum()
    out["agricultural_share"] = (
        covered.reindex(out["code"]).fillna(0).to_numpy() / metric.area
    ).clip(0, 1)
    accidents = _read(files, "accidents", box, crs)
    start = pd.Timestamp(AS_OF) - pd.Timedelta(days=round(365.25 * settings.accident_period_years))
    when = pd.to_datetime(accidents["accident_date"])
    accidents = accidents[(when > start) & (when <= pd.Timestamp(AS_OF))]
    rings = gpd.GeoDataFrame(geometry=metric.buffer(settings.accident_radius_m), crs=crs)
    hits = gpd.sjoin(accidents, rings, predicate="within").groupby("index_right")
    out["accidents"] = hits.size().reindex(out.index, fill_value=0).astype(float)
    out["victims"] = hits["victims"].sum().reindex(out.index, fill_value=0).astype(float)
    out["blockages"], out["blockage_types"] = blockage_summary(
        areas["blockages"].reset_index(drop=True)
    )
    out["residual_risk"] = areas["residual_risk"].to_numpy()
    out["beneficiaries"] = beneficiaries_total(areas["beneficiaries"].reset_index(drop=True))
    out["hazard_types"] = ""
    return out


# -- child processes, so that peak memory is the pipeline's own ----------------------------


def high_water_mib() -> float:
    """This process's own peak resident memory (VmHWM), in MiB.

    Not ``ru_maxrss``: on Linux a child started by fork + exec (multiprocessing's "spawn")
    inherits its parent's high-water mark in ``ru_maxrss``, so a child of a 2 GiB parent
    reports at least 2 GiB whatever it does; VmHWM belongs to the new address space only.
    """
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(row for row in status if row.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024.0


def _end_to_end(files: CountryFiles, dask_workers: int, out_csv: str, queue: Any) -> None:
    config = load_priority_config()
    start = time.perf_counter()
    areas = read_areas(str(files.areas), "hazardous_areas")
    workers = 0.0
    if dask_workers:
        from distributed import Client, LocalCluster

        with (
            LocalCluster(
                n_workers=dask_workers, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            indicators = indicators_dask(areas, _inputs(files), config, AS_OF, client=client)
            workers = max(client.run(high_water_mib).values())
    else:
        indicators = indicators_in_process(areas, _inputs(files), config, AS_OF)
    ranked = score(indicators, config)
    write_ranked_csv(ranked, out_csv)
    seconds = time.perf_counter() - start
    queue.put((seconds, max(high_water_mib(), workers), ranked["code"].tolist()))


def _in_child(
    files: CountryFiles, dask_workers: int, out_csv: str
) -> tuple[float, float, list[str]]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_end_to_end, args=(files, dask_workers, out_csv, queue))
    child.daemon = False
    child.start()
    result = queue.get()
    child.join()
    return result  # type: ignore[no-any-return]


def _compact_block(areas: gpd.GeoDataFrame, size: int) -> gpd.GeoDataFrame:
    if len(areas) <= size:
        return areas
    order = np.argsort(areas.geometry.hilbert_distance().to_numpy(), kind="stable")
    middle = len(order) // 2 - size // 2
    return areas.iloc[np.sort(order[middle : middle + size])].reset_index(drop=True)


def _metric_config(
    block: gpd.GeoDataFrame, config: PriorityConfig
) -> tuple[PriorityConfig, pyproj.CRS]:
    crs = pyproj.CRS.from_wkt(run_metric_crs(tuple(block.total_bounds), config))
    update = {"indicators": config.indicators.model_copy(update={"metric_crs": crs.to_wkt()})}
    return config.model_copy(update=update), crs


def _agreement(ours: pd.DataFrame, theirs: pd.DataFrame) -> tuple[float, float]:
    """Median relative difference of the population indicator, and Kendall's tau between the
    two rankings (areas matched by code)."""
    mine = ours.set_index("code")
    other = theirs.set_index("code").loc[mine.index]
    gap = np.abs(mine["population"] - other["population"]) / np.maximum(other["population"], 1.0)
    tau = float(pd.Series(mine["rank"]).corr(pd.Series(other["rank"]), method="kendall"))
    return float(gap.median()), tau


def _block_results(
    areas: gpd.GeoDataFrame, files: CountryFiles, n: int, size: float, judge: bool
) -> list[Result]:
    """Ours against zonal statistics (competent) and cells-as-points (naive) on a compact
    block of ``n`` areas: interleaved, three runs each, medians."""
    block = _compact_block(areas, n)
    config, crs = _metric_config(block, load_priority_config())
    runs = interleaved(
        {
            "ours": lambda: score(
                indicators_in_process(block, _inputs(files), config, AS_OF), config
            ),
            "zonal": lambda: score(
                naive_indicators(block, files, config, crs, population=zonal_statistics), config
            ),
            "naive": lambda: score(naive_indicators(block, files, config, crs), config),
        },
        repeat=_REPEATS,
    )
    ours, ranked = runs["ours"]
    zonal, by_zonal = runs["zonal"]
    naive, by_naive = runs["naive"]
    label = f"indicators+score, {len(block):,}-area block"
    gap, tau = _agreement(ranked, by_zonal)
    naive_gap, naive_tau = _agreement(ranked, by_naive)
    return [
        compared(
            NAME,
            label,
            ours,
            "zonal statistics (exactextract) + geopandas",
            zonal,
            target="≥3× zonal statistics",
            limit=1 / 3,
            judge=judge,
            size=size,
            series="block: ours vs zonal statistics",
        ),
        compared(
            NAME,
            f"{label}, against the naive baseline",
            ours,
            "naive geopandas (cells as points)",
            naive,
            size=size,
            series="block: ours vs naive",
        ),
        Result(
            NAME,
            f"population vs zonal statistics, {len(block):,} areas",
            gap,
            "median rel. diff",
            target="small: exactextract weights partial cells",
        ),
        Result(
            NAME,
            f"ranking vs zonal statistics (Kendall tau), {len(block):,} areas",
            tau,
            "tau",
            target="~1",
        ),
        Result(
            NAME,
            f"population vs naive (same cell rule), {len(block):,} areas",
            naive_gap,
            "median rel. diff",
            target="~0",
        ),
        Result(
            NAME,
            f"ranking vs naive (Kendall tau), {len(block):,} areas",
            naive_tau,
            "tau",
            target="~1",
        ),
    ]


def _country_results(areas: gpd.GeoDataFrame, files: CountryFiles, judge: bool) -> list[Result]:
    """The whole country in this process, ours against zonal statistics (one run each: the
    baseline takes minutes)."""
    config, crs = _metric_config(areas, load_priority_config())
    runs = interleaved(
        {
            "ours": lambda: score(
                indicators_in_process(areas, _inputs(files), config, AS_OF), config
            ),
            "zonal": lambda: score(
                naive_indicators(areas, files, config, crs, population=zonal_statistics), config
            ),
        },
        repeat=1,
    )
    (ours, ranked), (zonal, theirs) = runs["ours"], runs["zonal"]
    gap, tau = _agreement(ranked, theirs)
    return [
        compared(
            NAME,
            f"indicators+score, whole country, {len(areas):,} areas",
            ours,
            "zonal statistics (exactextract) + geopandas",
            zonal,
            target="≥3× zonal statistics",
            limit=1 / 3,
            judge=judge,
        ),
        Result(
            NAME,
            "whole country: ranking vs zonal statistics (Kendall tau)",
            tau,
            "tau",
            target="~1",
        ),
        Result(NAME, "whole country: population vs zonal statistics", gap, "median rel. diff"),
    ]


def run(quick: bool, size: float = 1.0) -> list[Result]:
    spec = CountrySpec.quick() if quick else CountrySpec.full()
    folder = (
        Path(tempfile.gettempdir()) / f"minewatch-bench-priority-{'quick' if quick else 'full'}"
    )
    files = build(spec, folder)
    areas = read_areas(str(files.areas), "hazardous_areas")
    judge = not quick and size >= 1.0
    n_block = max(int((1_000 if quick else 10_000) * size), 50)
    results = _block_results(areas, files, n_block, size, judge)
    if size < 1.0:  # the scale curve: the block only
        return results
    results += _country_results(areas, files, judge)
    del areas
    serial_s, serial_mib, serial_rank = _in_child(files, 0, str(folder / "ranked-in-process.csv"))
    dask_s, dask_mib, dask_rank = _in_child(files, 2, str(folder / "ranked-dask.csv"))
    same = float(np.mean(np.array(serial_rank) == np.array(dask_rank)))
    return [
        *results,
        Result(NAME, f"end to end in-process, {spec.areas:,} areas", serial_s, "s"),
        Result(
            NAME,
            "peak memory in-process (child VmHWM)",
            serial_mib,
            "MiB",
            target="< 4096 MiB",
            met=serial_mib < 4096,
        ),
        Result(
            NAME,
            "end to end Dask LocalCluster 2x1",
            dask_s,
            "s",
            "in-process",
            serial_s,
            serial_s / dask_s,
            "faster than in-process (ratio > 1)",
            serial_s > dask_s if judge else None,
        ),
        Result(NAME, "peak memory Dask (largest VmHWM of client, workers)", dask_mib, "MiB"),
        Result(
            NAME,
            "Dask ranking equal to in-process",
            same,
            "share of ranks",
            target="1.0",
            met=same == 1.0,
        ),
    ]
