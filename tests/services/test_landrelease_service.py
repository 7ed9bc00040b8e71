"""Land release over a store filled with the SYNTHETIC programme of benchmarks/synthetic_landrelease_store.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from benchmarks.synthetic_landrelease_store import build_store, fill_store

from minewatch.analysis.landrelease import FIGURES, LandReleaseAccounting
from minewatch.charts.landrelease import write_release_report
from minewatch.charts.release_statement import write_statements
from minewatch.domain.records import ProductType, ReleaseProduct
from minewatch.services import landrelease as service
from minewatch.services.landrelease import accounting as accounting_module
from minewatch.store import Repository, open_store


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
        accounting, tables = service.report(store, area_tolerance_fraction=0.05)
        statements = service.release_statements(store, area_tolerance_fraction=0.05)
    assert accounting.area_tolerance_fraction == 0.05
    written = write_release_report(accounting, tables, tmp_path / "report")
    assert any(p.suffix == ".html" for p in written)
    regions = pd.read_csv(tmp_path / "report" / "land-release-by-region.csv")
    assert len(regions) >= 2
    certificates = write_statements(statements, tmp_path / "certs")
    assert statements and {p.suffix for p in certificates} == {".html", ".pdf"}
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


def _by_code(accounting: LandReleaseAccounting) -> dict[str, pd.DataFrame]:
    """The accounting's figures with rows in code order (backends may return rows in
    different orders)."""
    figures = [*FIGURES, "released_m2", "closure_m2", "products"]
    ledger = ["measured_m2", "credited_m2", "already_released_m2", "outside_m2", "unmatched_m2"]
    return {
        "areas": accounting.areas.set_index("hazardous_area_code")[figures].sort_index(),
        "products": accounting.products.set_index("code")[ledger].sort_index(),
        "pieces": accounting.pieces.set_index("piece_id")[["category", "area_m2"]].sort_index(),
    }


def test_same_accounting_on_both_backends(store: Repository, demo_store: str) -> None:
    """The `store` fixture runs this on a GeoPackage and on PostGIS: each must give the
    figures of the reference GeoPackage built from the same records."""
    fill_store(store)
    ours, _ = service.account(store, area_tolerance_fraction=0.05)
    with open_store(demo_store) as reference_store:
        reference, _ = service.account(reference_store, area_tolerance_fraction=0.05)
    assert ours.totals()["released_m2"] > 0
    mine, theirs = _by_code(ours), _by_code(reference)
    for name in mine:
        pd.testing.assert_frame_equal(mine[name], theirs[name], check_exact=True)


#: Totals from PostGIS itself: per area the union of its products, clipped to it, and what is
#: left, measured as geography (geodesic edges on the spheroid). Our areas take edges straight
#: in lon/lat as GIS draws them; for these boxes of a few hundred metres the two agree to
#: better than 1e-8 of the area, so 1e-6 leaves room and still catches a piece counted twice.
POSTGIS_TOTALS = """
WITH covered AS (
    SELECT a.code, a.geom, ST_Union(p.geom) AS products
    FROM hazardous_area a LEFT JOIN release_product p ON p.hazardous_area_code = a.code
    GROUP BY a.code, a.geom
)
SELECT
    SUM(ST_Area(geom::geography)),
    SUM(COALESCE(ST_Area(ST_Intersection(geom, products)::geography), 0)),
    SUM(ST_Area(COALESCE(ST_Difference(geom, products), geom)::geography))
FROM covered
"""


@pytest.mark.postgis
def test_postgis_itself_agrees_on_total_released_and_remaining(postgis_url: str) -> None:
    with open_store(postgis_url, create=True) as store:
        fill_store(store)
        accounting, _ = service.account(store, area_tolerance_fraction=0.05)
        with store.engine.connect() as conn:  # type: ignore[attr-defined]
            original, released, remaining = conn.exec_driver_sql(POSTGIS_TOTALS).one()
    totals = accounting.totals()
    assert totals["released_m2"] > 0 and totals["remaining_m2"] > 0
    assert totals["original_m2"] == pytest.approx(original, rel=1e-6)
    assert totals["released_m2"] == pytest.approx(released, rel=1e-6)
    assert totals["remaining_m2"] == pytest.approx(remaining, rel=1e-6)


def test_the_accounting_is_kept_until_what_it_reads_changes(tmp_path: Path, monkeypatch) -> None:
    path = build_store(tmp_path / "synthetic.gpkg")
    runs: list[int] = []
    real = accounting_module.account_land_release

    def counted(areas, products, **kwargs):
        runs.append(len(products))
        return real(areas, products, **kwargs)

    # patched where account() looks it up
    monkeypatch.setattr(accounting_module, "account_land_release", counted)
    with open_store(path) as store:
        first, inputs = service.account(store, area_tolerance_fraction=0.05)
        again, _ = service.account(store, area_tolerance_fraction=0.05)
        assert again is first and len(runs) == 1  # the page's balances, issues and report
        service.account(store, area_tolerance_fraction=0.10)
        assert len(runs) == 2  # another tolerance flags other areas
        area = inputs.areas.iloc[0]
        store.put_items(
            [
                ReleaseProduct(
                    code="RP-SYN-NEW", product_type=ProductType.CANCELLED,
                    hazardous_area_code=area["code"], release_date=date(2025, 1, 2),
                    geometry=area.geometry,
                )
            ]
        )  # fmt: skip
        after, _ = service.account(store, area_tolerance_fraction=0.05)
    assert len(runs) == 3 and runs[-1] == runs[0] + 1
    row = after.areas.set_index("hazardous_area_code").loc[area["code"]]
    assert row["remaining_m2"] == pytest.approx(0.0, abs=1e-6)  # the new product counted
