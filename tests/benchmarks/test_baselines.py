"""The benchmarks' competent baselines give the same answers as minewatch (issue 20): a
baseline that answered another question would make its ratio meaningless. Synthetic data;
no times are asserted."""

from __future__ import annotations

import numpy as np
import pytest
from benchmarks.bench_landrelease import synthetic_release_data
from benchmarks.curves import format_curves, plot_curves
from benchmarks.harness import Result, compared, interleaved
from benchmarks.landrelease_baselines import duckdb_connection, duckdb_spatial, vectorised_shapely

from minewatch.analysis.landrelease import CATEGORIES, account_land_release


@pytest.fixture(scope="module")
def release_data():  # type: ignore[no-untyped-def]
    return synthetic_release_data(150, 450, seed=5)


def _ours(areas, products):  # type: ignore[no-untyped-def]
    accounting = account_land_release(areas, products, area_tolerance_fraction=0.05, workers=1)
    table = accounting.areas.set_index("hazardous_area_code").sort_index()
    return table[[f"{c}_m2" for c in CATEGORIES]].to_numpy()


def test_vectorised_shapely_accounts_as_minewatch_does(release_data) -> None:  # type: ignore[no-untyped-def]
    areas, products = release_data
    theirs = vectorised_shapely(areas, products).sort_index()[list(CATEGORIES)].to_numpy()
    assert np.abs(theirs - _ours(areas, products)).max() < 1e-3


def test_duckdb_spatial_accounts_as_minewatch_does(release_data) -> None:  # type: ignore[no-untyped-def]
    areas, products = release_data
    try:
        conn = duckdb_connection(threads=1)
    except ImportError as exc:  # pragma: no cover - the dev install has it
        pytest.fail(f"DuckDB spatial must load offline from its package: {exc}")
    theirs = duckdb_spatial(conn, areas, products).sort_index()[list(CATEGORIES)].to_numpy()
    ours = _ours(areas, products)
    # GeographicLib's area against ours (≤3e-5 of an area), GEOS slivers below 1 m²
    assert (np.abs(theirs - ours) <= 1e-4 * ours + 1.0).all()


def test_interleaved_runs_every_path_and_keeps_its_answer() -> None:
    calls: list[str] = []
    runs = interleaved({"a": lambda: calls.append("a") or 1, "b": lambda: calls.append("b") or 2})
    assert calls == ["a", "b"] * 3  # alternating, three runs each
    assert runs["a"][1] == 1 and runs["b"][1] == 2
    timing = runs["a"][0]
    assert timing.runs == 3 and timing.wall_min <= timing.wall and timing.cpu >= 0


def test_scale_curves_table_and_plot(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from benchmarks.harness import Timing

    results: list[Result] = []
    for size in (0.25, 0.5, 1.0):
        ours = Timing(size, size, size, size, 3)
        theirs = Timing(2 * size, 2 * size, 2 * size, 2 * size, 3)
        results.append(
            compared("demo", f"n={size}", ours, "twice as slow", theirs, size=size, series="s")
        )
    table = format_curves(results)
    assert "growth" in table and "1.00" in table and "2.00x" in table
    (png,) = plot_curves(results, tmp_path)
    assert png.read_bytes()[:4] == b"\x89PNG"
