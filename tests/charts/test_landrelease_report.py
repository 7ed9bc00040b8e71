"""The land release report files: their totals equal the accounting (synthetic data)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from benchmarks.bench_landrelease import synthetic_release_data

from minewatch.analysis.landrelease import account_land_release
from minewatch.analysis.release_report import release_report_tables
from minewatch.charts.landrelease import write_release_report


@pytest.fixture(scope="module")
def accounting():
    areas, products = synthetic_release_data(60, 200, seed=7)
    products["method"] = ["manual", "mechanical", None, "animal_detection"] * 50
    products["activity_type"] = ["clearance", "technical_survey"] * 100
    return account_land_release(areas, products, area_tolerance_fraction=0.05)


def test_report_files_and_totals_match_the_accounting(accounting, tmp_path: Path) -> None:
    regions = {f"LOC-{i:03d}": f"Region {i % 3}" for i in range(25)}
    written = write_release_report(
        accounting, release_report_tables(accounting, regions=regions), tmp_path
    )
    names = {p.name for p in written}
    assert {
        "land-release.json",
        "land-release.html",
        "land-release-by-year.png",
        "land-release-monthly.png",
        "land-release-by-method.csv",
    } <= names
    totals = accounting.totals()
    for name in ("by-year", "by-organisation", "by-region", "by-method"):
        table = pd.read_csv(tmp_path / f"land-release-{name}.csv")
        total = table.iloc[-1]
        body = table.iloc[:-1]
        for column in ("cancelled_m2", "reduced_m2", "cleared_m2", "released_m2"):
            assert body[column].sum() == pytest.approx(totals[column], rel=1e-12, abs=1e-6)
            assert total[column] == pytest.approx(totals[column], rel=1e-12, abs=1e-6)
    region = pd.read_csv(tmp_path / "land-release-balance-by-region.csv").iloc[-1]
    for column in ("original_m2", "remaining_m2"):
        assert region[column] == pytest.approx(totals[column], rel=1e-12)
    assert set(pd.read_csv(tmp_path / "land-release-by-region.csv")["location_code"][:-1]) <= {
        "Region 0",
        "Region 1",
        "Region 2",
        "unknown",
    }
    document = json.loads((tmp_path / "land-release.json").read_text())
    assert document["totals"]["released_m2"] == pytest.approx(totals["released_m2"], rel=1e-12)
    by_year = sum(r["released_m2"] for r in document["tables"]["by_year"])
    assert by_year == pytest.approx(totals["released_m2"], rel=1e-12)
    html = (tmp_path / "land-release.html").read_text()
    assert "plotly" in html and len(html) > 1_000_000  # plotly.js embedded: works offline
    assert (tmp_path / "land-release-by-year.png").read_bytes()[:4] == b"\x89PNG"


def test_every_figure_traces_to_pieces(accounting) -> None:
    pieces = accounting.pieces
    for category in ("cancelled", "reduced", "cleared", "remaining"):
        assert pieces.loc[pieces["category"] == category, "area_m2"].sum() == pytest.approx(
            accounting.totals()[f"{category}_m2"], rel=1e-12
        )
    assert pieces["piece_id"].is_unique
