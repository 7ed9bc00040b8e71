"""The Dask path gives exactly the in-process answer (on a SYNTHETIC seeded district)."""

from __future__ import annotations

import gc
import multiprocessing
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from benchmarks.synthetic_country import CountrySpec, build

from minewatch.analysis.priority import score
from minewatch.errors import InvalidInput
from minewatch.io.priority import FileLayer, PriorityInputs, read_areas, read_layer
from minewatch.priority_config import PriorityConfig, load_priority_config
from minewatch.scale import priority as scale
from minewatch.scale.priority import (
    LayersOnDemand,
    collector_paused,
    indicators_dask,
    indicators_in_process,
)

AS_OF = date(2025, 1, 1)
LAYERS = ("settlements", "roads", "schools", "health", "water", "agriculture", "accidents")


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory):
    files = build(CountrySpec.tiny(), Path(tmp_path_factory.mktemp("district")))
    inputs = PriorityInputs(
        population=str(files.population),
        layers={name: FileLayer(str(files.context), name) for name in LAYERS},
    )
    return read_areas(str(files.areas), "hazardous_areas"), inputs


def _with_batch(config: PriorityConfig, size: int) -> PriorityConfig:
    return config.model_copy(
        update={"indicators": config.indicators.model_copy(update={"batch_size": size})}
    )


def _plain(frame) -> pd.DataFrame:
    return pd.DataFrame(frame.drop(columns="geometry")).reset_index(drop=True)


def test_batches_do_not_change_the_indicators(district) -> None:
    areas, inputs = district
    config = load_priority_config()
    whole = indicators_in_process(areas, inputs, _with_batch(config, 10_000), AS_OF)
    batched = indicators_in_process(areas, inputs, _with_batch(config, 7), AS_OF)
    pd.testing.assert_frame_equal(_plain(whole), _plain(batched))
    assert whole["population"].gt(0).all() and whole["road_distance_m"].notna().any()


def test_threads_do_not_change_the_indicators(district) -> None:
    areas, inputs = district
    config = _with_batch(load_priority_config(), 9)
    seen: list[int] = []
    one = indicators_in_process(areas, inputs, config, AS_OF, workers=1)
    three = indicators_in_process(areas, inputs, config, AS_OF, seen.append, workers=3)
    pd.testing.assert_frame_equal(_plain(one), _plain(three))
    assert sum(seen) == len(areas) and len(seen) == -(-len(areas) // 9)


def test_a_district_of_one_batch_computes_its_indicators_side_by_side(district) -> None:
    # Fewer batches than workers: the indicators of the one batch run on threads, each
    # reading its own layer once; same values as one thread.
    areas, inputs = district
    config = load_priority_config()
    reads: list[str] = []
    real = scale.read_layer

    def counted(source, bounds, columns):
        reads.append(source.layer)
        return real(source, bounds, columns)

    one = indicators_in_process(areas, inputs, config, AS_OF, workers=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scale, "read_layer", counted)
        four = indicators_in_process(areas, inputs, config, AS_OF, workers=4)
    pd.testing.assert_frame_equal(_plain(one), _plain(four))
    assert sorted(reads) == sorted(LAYERS)


def test_an_error_in_an_indicator_thread_reaches_the_caller(district, tmp_path) -> None:
    areas, inputs = district
    broken = tmp_path / "accidents.gpkg"
    read_layer(inputs.layers["accidents"], (-180, -90, 180, 90), ()).to_file(broken)
    layers = {**inputs.layers, "accidents": FileLayer(str(broken), "accidents")}
    bad = PriorityInputs(population=inputs.population, layers=layers)
    with pytest.raises(InvalidInput, match="accident_date"):
        indicators_in_process(areas, bad, load_priority_config(), AS_OF, workers=2)


def test_layers_on_demand_are_read_once_even_when_threads_ask_together() -> None:
    calls: list[str] = []

    def slow_reader(name: str):
        def read():
            calls.append(name)
            time.sleep(0.05)
            return name.upper()

        return read

    layers = LayersOnDemand({"roads": slow_reader("roads"), "water": slow_reader("water")})
    assert "roads" in layers and "schools" not in layers and list(layers) == ["roads", "water"]
    assert calls == []  # asking what is there reads nothing
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(layers.__getitem__, ["roads"] * 4))
    assert got == ["ROADS"] * 4 and calls == ["roads"]
    assert layers.get("schools") is None


def _threaded_run_in_child(areas, inputs, config, queue) -> None:
    frame = indicators_in_process(areas, inputs, config, AS_OF, workers=3)
    queue.put(_plain(frame))


def test_a_forked_child_runs_its_own_threads(district) -> None:
    # The parent's kept thread pool must not be reused by a forked child, whose copy of it
    # has no threads: the child would wait for ever.
    areas, inputs = district
    config = _with_batch(load_priority_config(), 9)
    parent = indicators_in_process(areas, inputs, config, AS_OF, workers=3)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_threaded_run_in_child, args=(areas, inputs, config, queue))
    child.start()
    try:
        pd.testing.assert_frame_equal(queue.get(timeout=120), _plain(parent))
    finally:
        child.join(timeout=30)
        if child.is_alive():
            child.kill()
    assert child.exitcode == 0


def test_layers_in_memory_are_left_as_given_and_give_the_file_values(district) -> None:
    # File layers are moved to the metric CRS in place; a caller's frames must not be.
    areas, inputs = district
    config = _with_batch(load_priority_config(), 11)
    frames = {
        name: read_layer(source, (-180, -90, 180, 90)) for name, source in inputs.layers.items()
    }
    before = {name: frame.geometry.to_wkb() for name, frame in frames.items()}
    in_memory = PriorityInputs(population=inputs.population, layers=frames)
    from_files = indicators_in_process(areas, inputs, config, AS_OF)
    from_frames = indicators_in_process(areas, in_memory, config, AS_OF)
    pd.testing.assert_frame_equal(_plain(from_files), _plain(from_frames))
    for name, frame in frames.items():
        assert frame.geometry.to_wkb().equals(before[name]), name


def test_the_garbage_collector_is_paused_only_while_batches_run() -> None:
    states: list[bool] = []
    started = threading.Barrier(2)

    def batch(wait: float) -> None:
        with collector_paused():
            started.wait()
            time.sleep(wait)
            states.append(gc.isenabled())

    try:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(batch, (0.0, 0.2)))
        assert states == [False, False] and gc.isenabled()
        gc.disable()  # a caller who turned it off keeps it off
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_dask_local_cluster_equals_in_process(district) -> None:
    from distributed import Client, LocalCluster

    areas, inputs = district
    config = _with_batch(load_priority_config(), 20)
    expected = indicators_in_process(areas, inputs, config, AS_OF)
    seen: list[int] = []
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        got = indicators_dask(
            areas, inputs, config, AS_OF, client=client, npartitions=4, progress=seen.append
        )
    pd.testing.assert_frame_equal(_plain(expected), _plain(got))
    assert sum(seen) == len(areas)
    ranked_here = score(expected, config)["code"].tolist()
    ranked_there = score(got, config)["code"].tolist()
    assert ranked_here == ranked_there


def test_dask_threads_without_a_cluster(district) -> None:
    areas, inputs = district
    config = load_priority_config()
    got = indicators_dask(areas.head(40), inputs, config, AS_OF, npartitions=3)
    expected = indicators_in_process(areas.head(40), inputs, config, AS_OF)
    pd.testing.assert_frame_equal(_plain(expected), _plain(got))


def test_an_already_partitioned_dask_geopandas_frame(district) -> None:
    import dask_geopandas

    areas, inputs = district
    config = load_priority_config()
    subset = areas.head(30)
    partitioned = dask_geopandas.from_geopandas(subset, npartitions=3)
    got = indicators_dask(partitioned, inputs, config, AS_OF)
    expected = indicators_in_process(subset, inputs, config, AS_OF)
    # Each partition is used as it comes; the run CRS comes from all of them, so the values
    # are those of the in-process run.
    pd.testing.assert_frame_equal(_plain(expected), _plain(got), check_dtype=False)
