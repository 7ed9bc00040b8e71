"""The browser flow of issue 7, in Debian's Chromium: a data worker signs in, draws a
hazardous area with terra-draw (mouse clicks on the map canvas), fills the form (inline
validation included) and submits it; a reviewer signs in and approves it; the area is then
on the map (and gone from it when the time slider goes back before it was recorded) and
counted in the dashboard. A second flow imports a GeoJSON file as a draft. Screenshots go to
test-artifacts/. All data are synthetic."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

AREA_NAME = "E2E drawn field"
#: Corners of the drawn polygon (lon, lat), clear of the seeded areas.
CORNERS = [(30.540, 50.420), (30.548, 50.420), (30.548, 50.426), (30.540, 50.426)]


def sign_out(page: Any) -> None:
    page.click("#logout")
    page.wait_for_url("**/login.html")


def draw_polygon(page: Any, corners: list[tuple[float, float]]) -> None:
    """Clicks each corner on the map canvas, then the first corner again to close."""
    page.wait_for_function("window.minewatch && window.minewatch.mapReady === true")
    page.evaluate("window.minewatch.map.jumpTo({center: [30.544, 50.423], zoom: 14})")
    canvas = page.locator("#draw-map canvas")
    origin = canvas.bounding_box()
    pixels = page.evaluate(
        "(corners) => corners.map(c => { const p = window.minewatch.map.project(c); return [p.x, p.y]; })",
        corners,
    )
    for x, y in [*pixels, pixels[0]]:
        page.mouse.move(origin["x"] + x, origin["y"] + y)
        page.mouse.click(origin["x"] + x, origin["y"] + y)
        page.wait_for_timeout(120)


def test_draw_submit_approve_then_on_map_and_dashboard(
    page: Any, password: str, screenshot: Any, sign_in: Any
) -> None:
    sign_in(page, "worker", password, "/entry.html")
    page.wait_for_selector("#f-name")
    draw_polygon(page, CORNERS)
    page.wait_for_function(
        "window.minewatch.geometry && window.minewatch.geometry.type === 'Polygon'"
    )
    page.wait_for_function("window.minewatch.preview && window.minewatch.preview.accepted")
    assert "Area:" in page.text_content("#geometry-preview")  # measured by the server

    page.fill("#f-name", AREA_NAME)
    page.select_option("#f-classification", "CHA")
    page.select_option("#f-status", "open")
    page.check("#f-hazard_types input[value='ap_mines']")
    page.fill("#f-reported_area_m2", "lots")  # inline validation catches a non-number
    page.press("#f-reported_area_m2", "Tab")
    assert "number" in page.text_content("#f-reported_area_m2-error").lower()
    assert page.get_attribute("#f-reported_area_m2", "aria-invalid") == "true"
    page.fill("#f-reported_area_m2", "480000")
    page.press("#f-reported_area_m2", "Tab")
    assert page.text_content("#f-reported_area_m2-error") == ""
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "01-entry-drawn")

    page.click("#save-submit")
    page.wait_for_function("document.body.dataset.saved")
    code = page.evaluate("document.body.dataset.saved")
    saved = page.evaluate("window.minewatch.saved")
    assert saved["state"] == "submitted"
    assert saved["geometry"]["type"] in ("Polygon", "MultiPolygon")
    page.wait_for_url("**/queue.html*")
    page.wait_for_selector(f"#report-{code}[data-state='submitted']")
    # a data worker may look at the review screen but not decide there
    assert page.text_content(f"a[aria-label='Review {code}']") == "View"
    sign_out(page)

    sign_in(page, "reviewer", password, "/queue.html")
    page.click(f"a[aria-label='Review {code}']")  # decisions are taken on the review screen
    page.wait_for_function("document.body.dataset.loaded === 'true'")
    page.click("#approve")
    page.click("#approve-confirm")
    page.wait_for_function(f"document.getElementById('status').textContent.includes('{code}')")
    page.goto("/queue.html")
    page.wait_for_selector(f"#queue-approved #report-{code}[data-state='approved']")
    screenshot(page, "02-queue-approved")

    page.goto("/")
    page.wait_for_function("document.body.dataset.loaded === 'current'")
    names = page.evaluate(
        "window.minewatch.data.hazardous_area.features.map(f => f.properties.name)"
    )
    assert AREA_NAME in names
    page.evaluate("window.minewatch.map.jumpTo({center: [30.53, 50.415], zoom: 12.5})")
    page.wait_for_function(
        "(name) => { const m = window.minewatch.map; return m.loaded() && "
        "m.queryRenderedFeatures({layers: ['ha-fill']}).some(f => f.properties.name === name); }",
        arg=AREA_NAME,
    )
    shot = screenshot(page, "03-map")
    assert shot.stat().st_size > 10_000

    # As known on a date before anything of 2021 was recorded: only the area of 2020, no
    # finds or accidents, and not today's area.
    page.evaluate(
        """() => { const s = document.getElementById('asof');
        const start = Date.now() - Number(s.max) * 86400000;
        s.value = String(Math.round((Date.parse('2020-12-31') - start) / 86400000));
        s.dispatchEvent(new Event('input')); }"""
    )
    page.wait_for_function("document.body.dataset.loaded !== 'current'")
    shown = page.evaluate(
        "Object.fromEntries(Object.entries(window.minewatch.data).map(([k, v]) => [k, v.features.length]))"
    )
    assert shown == {
        "hazardous_area": 1,
        "release_product": 0,
        "device_find": 0,
        "accident": 0,
        "task_order": 0,  # the open task orders' layer: none issued by 2020
    }
    assert page.text_content("#asof-value").startswith("2020-12")

    page.goto("/dashboard.html")
    page.wait_for_function("document.body.dataset.loaded === 'true'")
    # the seeded area, ours, and those other tests of the shared server approved
    areas = page.evaluate(
        "fetch('/api/items/hazardous_area?limit=1000').then(r => r.json())"
        ".then(j => j.features.length)"
    )
    assert areas >= 2
    assert page.text_content("#card-ha-count .card-value") == str(areas)
    assert page.text_content("#card-casualties .card-value") == "1"  # staff see casualties
    screenshot(page, "04-dashboard")


def test_import_geojson_as_draft(page: Any, password: str, tmp_path: Path, sign_in: Any) -> None:
    area = {
        "type": "Feature",
        "properties": {"name": "Imported synthetic area", "status": "suspended"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[30.56, 50.43], [30.565, 50.43], [30.565, 50.435], [30.56, 50.43]]],
        },
    }
    file = tmp_path / "area.geojson"
    file.write_text(json.dumps(area))
    sign_in(page, "worker", password, "/entry.html")
    page.wait_for_function("window.minewatch && window.minewatch.mapReady === true")
    page.set_input_files("#import-geojson", str(file))
    page.wait_for_function(
        "window.minewatch.geometry && window.minewatch.geometry.type === 'Polygon'"
    )
    assert page.input_value("#f-name") == "Imported synthetic area"  # properties fill the form
    assert page.input_value("#f-status") == "suspended"
    page.fill("#f-date_of_information", "")
    page.click("#save-draft")
    assert "date" in page.text_content("#f-date_of_information-error").lower()
    page.fill("#f-date_of_information", "2024-02-03")
    page.click("#save-draft")
    page.wait_for_function("document.body.dataset.saved")
    assert page.evaluate("window.minewatch.saved.state") == "draft"
    code = page.evaluate("window.minewatch.saved.code")
    page.wait_for_selector(f"#queue-draft #report-{code}[data-state='draft']")

    # The seeded area's history: one approved report, and what it set.
    seeded = page.evaluate(
        "fetch('/api/items/hazardous_area?where=name:Synthetic old field')"
        ".then(r => r.json()).then(fc => fc.features[0].id)"
    )
    page.goto(f"/item.html?kind=hazardous_area&code={seeded}")
    page.wait_for_function("document.body.dataset.loaded === 'true'")
    assert page.text_content("#history caption") == "1 report"  # approved reports, counted
    assert "Synthetic old field" in page.text_content("#history")
    assert page.text_content("#item-title") == f"Hazardous area {seeded}"  # the vocabulary's label


def test_residual_hazard_curves_page(page: Any, screenshot: Any) -> None:
    page.goto("/residual.html")
    page.wait_for_function("document.body.dataset.loaded === 'true'")
    assert page.locator("#residual-result svg").count() == 2
    screenshot(page, "05-residual", full_page=True)
    assert "after about" in page.text_content("#residual-summary") or "stays above" in (
        page.text_content("#residual-summary")
    )
    page.fill("#r-mines", "many")
    page.click("#r-draw")
    assert "whole number" in page.text_content("#r-mines-error")
    page.fill("#r-mines", "500")
    page.fill("#r-sd_failure", "often")
    page.click("#r-draw")
    page.wait_for_function("document.getElementById('r-sd_failure-error').textContent !== ''")
