"""Land release over a store filled with the SYNTHETIC programme of benchmarks/synthetic_landrelease_store.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from benchmarks.synthetic_landrelease_store import build_store

from minewatch.analysis.landrelease import FIGURES
from minewatch.services import landrelease as service
from minewatch.store import open_store


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_store(tmp_path_factory.mktemp("lr") / "synthetic.gpkg")


def test_accounting_from_the_store_balances_and_filters(demo_store: str) -> None:
    with open_store(demo_store) as store:
        everything, inputs = service.account(store, area_tolerance_fraction=0.05)
        assert len(everything.areas) == len(inputs.areas) > 0
        totals = everything.totals()
        assert totals["released_m2"] > 0
        assert totals["original_m2"] == pytest.approx(
            sum(totals[f] for f in FIGURES[1:]), rel=1e-12
        )
        assert set(everything.pieces["method"].dropna()) == {"manual", "mechanical"}  # joined
        code = everything.areas.loc[everything.areas["released_m2"] > 0, "hazardous_area_code"]
        one, _ = service.account(
            store,
            service.ReleaseFilter(hazardous_areas=[code.iloc[0]]),
            area_tolerance_fraction=0.05,
        )
        assert list(one.areas["hazardous_area_code"]) == [code.iloc[0]]
        assert one.areas["released_m2"].iloc[0] == pytest.approx(
            everything.areas.set_index("hazardous_area_code").loc[code.iloc[0], "released_m2"]
        )
        location = inputs.areas["location_code"].dropna().iloc[0]
        by_location, _ = service.account(
            store, service.ReleaseFilter(locations=[location]), area_tolerance_fraction=0.05
        )
        assert set(by_location.areas["location_code"]) == {location}


def test_period_balance_from_the_store(demo_store: str) -> None:
    where = service.ReleaseFilter(start=date(2024, 6, 1), end=date(2024, 12, 31))
    with open_store(demo_store) as store:
        accounting, _ = service.account(store, where, area_tolerance_fraction=0.05)
    table = service.balance_table(accounting, where, "location_code")
    parts = [
        "released_before_m2",
        "cancelled_m2",
        "reduced_m2",
        "cleared_m2",
        "undated_m2",
        "remaining_m2",
    ]
    assert (table["original_m2"] - table[parts].sum(axis=1)).abs().max() < 1e-6


def test_report_and_statements_files(demo_store: str, tmp_path: Path) -> None:
    with open_store(demo_store) as store:
        written = service.write_report(store, tmp_path / "report", area_tolerance_fraction=0.05)
        statements = service.write_release_statements(
            store, tmp_path / "certs", area_tolerance_fraction=0.05
        )
    assert any(p.suffix == ".html" for p in written)
    regions = pd.read_csv(tmp_path / "report" / "land-release-by-region.csv")
    assert len(regions) >= 2
    assert {p.suffix for p in statements} == {".html", ".pdf"}
    with pytest.raises(Exception, match="starts after it ends"):
        service.ReleaseFilter(start=date(2024, 2, 1), end=date(2024, 1, 1))


def test_region_names_roll_up_the_gazetteer() -> None:
    locations = pd.DataFrame(
        {
            "code": ["C", "R1", "D1", "V1", "R2"],
            "name": ["Country", "North", "District", "Village", "South"],
            "level": ["country", "adm1", "adm2", "settlement", "adm1"],
            "parent_code": [None, "C", "R1", "D1", "C"],
        }
    )
    names = service.region_names(locations, "adm1")
    assert names["V1"] == names["D1"] == "North (R1)"
    assert names["R2"] == "South (R2)" and names["C"] == "Country (C)"
    assert service.locations_below(locations, ["R1"]) == {"R1", "D1", "V1"}
