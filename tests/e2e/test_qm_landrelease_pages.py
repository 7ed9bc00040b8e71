"""The quality-management and land release pages in Debian's Chromium: a calculator is
filled in and answers (inline validation and the server's errors shown by the field it
names); the land release page, over a store with an approved clearance, shows a balance
that adds up, links the area's release statement and suggests a classification. All data
are synthetic; screenshots go to test-artifacts/."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from shapely import box

from minewatch.domain.access import local_admin
from minewatch.domain.records import Kind
from minewatch.services.records import Workflow
from minewatch.store import ItemQuery, open_store

pytestmark = pytest.mark.e2e

SEEDED_AREA = "Synthetic old field"


def test_quality_management_calculators(page: Any, screenshot: Any) -> None:
    page.goto("/qm.html")
    page.wait_for_function("document.body.dataset.plan === 'true'")
    # ISO 2859-1: a lot of 1200 at level II is code letter J, n = 80; AQL 1.0: Ac 2, Re 3.
    assert (page.text_content("#sp-n"), page.text_content("#sp-ac")) == ("80", "2")
    assert page.locator("#sp-result svg").count() == 1
    assert "Formula" in page.text_content("#sp-result")

    page.fill("#sp-aql", "1.1")  # not a preferred AQL: the server says so by the field
    page.click("#sp-run")
    page.wait_for_function("document.getElementById('sp-aql-error').textContent !== ''")
    assert "preferred" in page.text_content("#sp-aql-error")
    assert page.get_attribute("#sp-aql", "aria-invalid") == "true"

    page.fill("#aoz-clean", "lots")
    page.click("#aoz-run")
    assert "number" in page.text_content("#aoz-clean-error")
    page.fill("#aoz-units", "400")
    page.fill("#aoz-clean", "99")
    page.fill("#aoz-confidence", "95")
    page.press("#aoz-confidence", "Enter")  # keyboard users submit with Enter
    page.wait_for_function("document.body.dataset.aoz === 'true'")
    assert page.get_attribute("#aoz-clean", "aria-invalid") == "false"
    assert "n = 180 of 400" in page.text_content("#aoz-answer")

    page.click("#zf-run")
    page.wait_for_function("document.body.dataset.zf === 'true'")
    assert page.text_content("#zf-poisson") == "30.29"  # −ln(0.05)/0.09 × 0.91
    page.focus("#sp-aql")
    screenshot(page, "06-quality-management", full_page=True)


def _approve_clearance(store_url: str) -> str:
    """An approved clearance over the west half of the seeded hazardous area, dated after
    the other browser tests look ("as known on 2020-12-31"); returns the area's code."""
    store = open_store(store_url)
    try:
        areas = store.items_frame(ItemQuery(Kind.HAZARDOUS_AREA))
        code = str(areas.loc[areas["name"] == SEEDED_AREA, "code"].iloc[0])
        wf = Workflow(store, local_admin("e2e"))
        report = wf.create_draft(
            Kind.RELEASE_PRODUCT,
            {"product_type": "cleared", "hazardous_area_code": code, "release_date": "2021-07-01"},
            box(30.50, 50.40, 30.505, 50.41),
            date_of_information=date(2021, 7, 1),
        )
        wf.submit(report.code or "")
        wf.approve(report.code or "")
    finally:
        store.close()
    return code


def test_land_release_balance_statement_and_classification(
    page: Any, server: Any, screenshot: Any
) -> None:
    code = _approve_clearance(server.store_url)
    page.goto("/landrelease.html")
    page.wait_for_function("document.body.dataset.loaded === 'true'")
    assert page.get_attribute("#lr-check", "data-balanced") == "true"
    rows = page.evaluate("window.minewatch.areas.areas")
    [row] = [r for r in rows if r["hazardous_area_code"] == code]
    parts = row["cancelled_m2"] + row["reduced_m2"] + row["cleared_m2"] + row["remaining_m2"]
    assert row["original_m2"] == pytest.approx(parts, rel=1e-9)
    assert row["cleared_m2"] == pytest.approx(row["original_m2"] / 2, rel=1e-6)  # west half
    assert "2021" in page.text_content("#lr-breakdown")
    screenshot(page, "07-land-release", full_page=True)

    page.fill("#lr-start", "2022-01-01")
    page.fill("#lr-end", "2021-01-01")
    page.click("#lr-apply")
    assert "starts after" in page.text_content("#lr-start-error")
    page.fill("#lr-start", "")
    page.fill("#lr-end", "")

    page.check("#cl-eo_seen-seen")
    page.check("#cl-marking-told")
    page.click("#cl-run")
    page.wait_for_function("document.body.dataset.classified")
    assert page.text_content("#cl-answer").startswith("Confirmed hazardous area (CHA)")
    page.fill("#cl-area", "HA-999999")
    page.click("#cl-area-run")
    page.wait_for_function("document.getElementById('cl-area-error').textContent !== ''")

    page.click(f"a[aria-label='Release statement of {code} (HTML)']")
    page.wait_for_url(f"**/api/landrelease/statements/{code}.html")
    assert f"Hazardous area {code}" in page.text_content("h2")
    assert "Partly released" in page.text_content("body")
