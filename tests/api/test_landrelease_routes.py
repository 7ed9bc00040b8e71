"""Land release accounting over HTTP: the per-area balance adds up and pages, filters pick
areas and periods, flags come from the accounting's issues, reports total the accounting,
release statements come as HTML and PDF for released areas only. Synthetic records."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import shapely
from api_support import Api

from minewatch.analysis.landrelease import FIGURES
from minewatch.domain.records import HazardousArea, ProductType, ReleaseProduct
from minewatch.services import landrelease as service

#: Two synthetic areas far from any real contamination (0°N 0°E, open sea).
WORKED = HazardousArea(
    code="HA-000101",
    name="Synthetic worked area",
    organisation_code="ORG-1",
    geometry=shapely.box(0.0, 0.0, 0.01, 0.01),
)
UNTOUCHED = HazardousArea(
    code="HA-000102", organisation_code="ORG-2", geometry=shapely.box(0.02, 0.0, 0.03, 0.01)
)
#: Cleared: the west half. Cancelled later: the east half, spilling over the cleared half
#: and out of the area to the east.
PRODUCTS = [
    ReleaseProduct(
        code="RP-000101",
        product_type=ProductType.CLEARED,
        hazardous_area_code=WORKED.code,
        release_date=date(2023, 3, 1),
        geometry=shapely.box(0.0, 0.0, 0.005, 0.01),
    ),
    ReleaseProduct(
        code="RP-000102",
        product_type=ProductType.CANCELLED,
        hazardous_area_code=WORKED.code,
        release_date=date(2023, 5, 1),
        geometry=shapely.box(0.004, 0.0, 0.012, 0.01),
    ),
]


@pytest.fixture
def released(api: Api) -> Api:
    api.store.put_items([WORKED, UNTOUCHED])
    api.store.put_items(PRODUCTS)
    return api


def _rows(api: Api, **params: object) -> dict[str, dict[str, object]]:
    body = api.client().get("/api/landrelease/areas", params=params).json()
    return {r["hazardous_area_code"]: r for r in body["areas"]}


def test_each_area_balances_and_matches_the_service(released: Api) -> None:
    rows = _rows(released)
    worked, untouched = rows[WORKED.code], rows[UNTOUCHED.code]
    for row in rows.values():
        parts = sum(float(row[f]) for f in FIGURES[1:])  # type: ignore[arg-type]
        assert row["original_m2"] == pytest.approx(parts, rel=1e-12)
    # The halves of a box split at its middle meridian have the same area.
    assert worked["cleared_m2"] == pytest.approx(worked["cancelled_m2"], rel=1e-9)
    assert worked["remaining_m2"] == pytest.approx(0.0, abs=1e-3)
    assert untouched["remaining_m2"] == untouched["original_m2"]
    accounting, _ = service.account(released.store)
    table = accounting.areas.set_index("hazardous_area_code")
    assert worked["cleared_m2"] == pytest.approx(table.loc[WORKED.code, "cleared_m2"])


def test_flags_name_the_issues_of_the_area_and_its_products(released: Api) -> None:
    rows = _rows(released)
    assert {"clipped_outside_area", "already_released"} <= set(rows[WORKED.code]["flags"])  # type: ignore[arg-type]
    assert rows[UNTOUCHED.code]["flags"] == []
    issues = released.client().get("/api/landrelease/issues").json()["issues"]
    clipped = [i for i in issues if i["issue"] == "clipped_outside_area"]
    assert [(i["code"], i["hazardous_area_code"]) for i in clipped] == [("RP-000102", WORKED.code)]


def test_paging_and_totals_over_every_matched_area(released: Api) -> None:
    client = released.client()
    first = client.get("/api/landrelease/areas", params={"limit": 1}).json()
    assert (first["numberMatched"], first["numberReturned"]) == (2, 1)
    assert [link["rel"] for link in first["links"]] == ["self", "next"]
    second = client.get(next(link["href"] for link in first["links"] if link["rel"] == "next"))
    assert second.json()["areas"][0]["hazardous_area_code"] == UNTOUCHED.code
    totals = first["totals"]
    both = _rows(released)
    assert totals["original_m2"] == pytest.approx(sum(r["original_m2"] for r in both.values()))  # type: ignore[misc]


def test_filters_by_organisation_area_and_period(released: Api) -> None:
    assert list(_rows(released, organisation="ORG-2")) == [UNTOUCHED.code]
    assert list(_rows(released, area=WORKED.code)) == [WORKED.code]
    # Within April–December 2023 only the cancellation falls; the clearance came before.
    period = _rows(released, area=WORKED.code, start="2023-04-01", end="2023-12-31")[WORKED.code]
    assert period["cleared_m2"] == 0
    assert period["released_before_m2"] == pytest.approx(_rows(released)[WORKED.code]["cleared_m2"])
    assert period["cancelled_m2"] > 0
    bad = released.client().get(
        "/api/landrelease/areas", params={"start": "2024-01-01", "end": "2023-01-01"}
    )
    assert bad.status_code == 422
    assert bad.json()["location"]["field"] == "start"


def test_report_json_and_csv_total_the_accounting(released: Api) -> None:
    client = released.client()
    report = client.get("/api/landrelease/report").json()
    worked = _rows(released)[WORKED.code]
    assert report["totals"]["released_m2"] == pytest.approx(worked["released_m2"])
    by_year = report["tables"]["by_year"]
    assert [r["year"] for r in by_year] == ["2023"]
    assert sum(r["released_m2"] for r in report["tables"]["by_method"]) == pytest.approx(
        worked["released_m2"]
    )
    response = client.get("/api/landrelease/report/by_organisation.csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[-1]["organisation_code"] == "total"
    assert float(rows[-1]["released_m2"]) == pytest.approx(worked["released_m2"])
    unknown = client.get("/api/landrelease/report/by_colour.csv")
    assert unknown.status_code == 422 and unknown.json()["location"]["field"] == "table"


def test_release_statements_for_released_areas_only(released: Api) -> None:
    client = released.client()
    html = client.get(f"/api/landrelease/statements/{WORKED.code}.html")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "Synthetic worked area" in html.text and "Not assessed" in html.text
    with_risk = client.get(
        f"/api/landrelease/statements/{WORKED.code}.html",
        params={"searched_fraction": 0.1, "detection_probability": 0.9},
    )
    assert "zero-find bound (poisson)" in with_risk.text
    pdf = client.get(f"/api/landrelease/statements/{WORKED.code}.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(f"/api/landrelease/statements/{UNTOUCHED.code}.pdf").status_code == 404
    assert client.get("/api/landrelease/statements/HA-999999.html").status_code == 404
    assert client.get(f"/api/landrelease/statements/{WORKED.code}.docx").status_code == 422
    half = client.get(
        f"/api/landrelease/statements/{WORKED.code}.html", params={"searched_fraction": 0.1}
    )
    assert half.status_code == 422 and half.json()["location"]["field"] == "detection_probability"
