"""Release statements: content, HTML and PDF (synthetic areas and products)."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pytest
import shapely

from minewatch.analysis.landrelease import account_land_release
from minewatch.analysis.release_statement import ResidualRisk, build_release_statements
from minewatch.charts.release_statement import statements_html, statements_pdf, write_statements


@pytest.fixture()
def case():
    areas = gpd.GeoDataFrame(
        {
            "code": ["HA-1", "HA-2"],
            "name": ["Поле біля школи <north>", "Orchard"],
            "classification": ["CHA", "SHA"],
            "hazard_types": [["ap_mines"], []],
            "evidence": [
                '[{"type": "eo_seen", "source": "seen", "note": "PMN-2 by the fence"}]',
                None,
            ],
            "residual_risk": [None, 0.2],
            "location_code": ["LOC-1", "LOC-2"],
        },
        geometry=[shapely.box(30, 0, 30.001, 0.001), shapely.box(31, 0, 31.001, 0.001)],
        crs=4326,
    )
    products = gpd.GeoDataFrame(
        {
            "code": ["RP-1", "RP-2", "RP-3"],
            "product_type": ["reduced", "cleared", "cancelled"],
            "hazardous_area_code": ["HA-1", "HA-1", "HA-2"],
            "release_date": ["2024-02-01", "2024-03-01", "2024-04-01"],
            "activity_code": ["LRA-1", "LRA-2", "LRA-3"],
            "activity_type": ["technical_survey", "clearance", "non_technical_survey"],
            "method": ["mechanical", "manual", "desk"],
        },
        geometry=[
            shapely.box(30, 0, 30.0006, 0.001),
            shapely.box(30.0005, 0, 30.001, 0.001),
            shapely.box(31, 0, 31.0005, 0.001),
        ],
        crs=4326,
    )
    return areas, account_land_release(areas, products, area_tolerance_fraction=0.05)


def test_statement_content_and_residual_risk_sources(case) -> None:
    areas, acc = case
    bound = ResidualRisk(0.37, "live items, 95 % upper bound", "zero-find bound, Poisson")
    statements = build_release_statements(
        acc, areas, residual_risk={"HA-1": bound}, issued_on=date(2024, 5, 1)
    )
    one, two = statements
    assert one.fully_released and not two.fully_released
    assert one.original_m2 == pytest.approx(one.released_m2 + one.remaining_m2, rel=1e-12)
    assert [p.code for p in one.products] == ["RP-1", "RP-2"]
    assert one.products[1].already_released_m2 > 0  # cleared over land reduced before
    assert one.products[1].method == "manual"
    assert one.evidence[0].type == "eo_seen"
    assert one.residual_risk is bound
    assert two.residual_risk.value == 0.2 and "residual-hazard model" in two.residual_risk.method
    only_full = build_release_statements(acc, areas, fully_released_only=True)
    assert [s.hazardous_area_code for s in only_full] == ["HA-1"]
    none = build_release_statements(acc, areas, codes=["HA-2"], residual_risk=lambda c: None)
    assert none[0].residual_risk.value == 0.2


def test_html_escapes_and_pdf_renders(case, tmp_path) -> None:
    areas, acc = case
    statements = build_release_statements(acc, areas, issued_on=date(2024, 5, 1))
    html = statements_html(statements)
    assert "&lt;north&gt;" in html and "<north>" not in html
    assert "Поле біля школи" in html and "RP-2" in html and "Fully released" in html
    pdf = statements_pdf(statements)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    paths = write_statements(statements, tmp_path)
    assert {p.name for p in paths} == {"release-statements.html", "release-statements.pdf"}
