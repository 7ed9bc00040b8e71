"""The data-entry page renders every kind from the schema's description, as a person reads
it: no raw JSON to type, no field names or codes shown as labels; a tired person's input is
caught next to each field; a self-intersecting polygon's repair is shown with its areas and
must be acknowledged before submit. At desktop (1366 px) and phone (390 px) widths.
Screenshots go to test-artifacts/. All data are synthetic."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

KINDS = ["hazardous_area", "land_release_activity", "device_find", "accident", "victim",
         "risk_education_session", "quality_management_visit", "organisation"]  # fmt: skip
RAW_NAME = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[30.55, 50.43], [30.56, 50.44], [30.56, 50.43], [30.55, 50.44], [30.55, 50.43]]
    ],
}

#: Everything a person reads in the form: labels, legends, captions, column headings,
#: options, help and placeholders.
VISIBLE_TEXT = """() => {
  const form = document.querySelector('#report-form');
  const texts = [...form.querySelectorAll('label, legend, caption, th, option, .help, h2')]
    .map(e => e.textContent.trim());
  const holders = [...form.querySelectorAll('[placeholder]')].map(e => e.getAttribute('placeholder'));
  const boxes = [...form.querySelectorAll('textarea')].map(e => e.id);
  return {texts, holders, boxes};
}"""


def _open(page: Any, kind: str) -> None:
    page.goto(f"/entry.html?kind={kind}")
    page.wait_for_function("window.minewatch && window.minewatch.formReady === true")


@pytest.mark.parametrize("width", [1366, 390])
def test_every_kind_reads_as_words_and_asks_for_no_json(
    page: Any, password: str, screenshot: Any, sign_in: Any, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "admin", password, "/entry.html")
    for kind in KINDS:
        _open(page, kind)
        seen = page.evaluate(VISIBLE_TEXT)
        for text in seen["texts"]:
            assert not RAW_NAME.search(text), f"{kind}: a field name or code is shown: {text!r}"
        for holder in seen["holders"]:
            assert "{" not in holder and "[" not in holder, f"{kind}: asks for JSON: {holder!r}"
        # Only sentences go in a multi-line box; structured values are tables.
        assert set(seen["boxes"]) <= {"f-description"}, (kind, seen["boxes"])
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width + 1, f"{kind} at {width} px scrolls sideways ({wide} px)"
    _open(page, "hazardous_area")
    assert page.locator("#f-beneficiaries th").all_text_contents()[:4] == [
        "Girls",
        "Boys",
        "Women",
        "Men",
    ]
    page.wait_for_function("window.minewatch.mapReady === true")
    screenshot(page, f"entry-hazardous-area-{width}", full_page=True)


def test_a_tired_persons_input_is_caught_and_a_repair_must_be_accepted(
    page: Any, password: str, screenshot: Any, sign_in: Any
) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "worker", password, "/entry.html")
    page.wait_for_function("window.minewatch && window.minewatch.mapReady === true")
    assert page.evaluate("window.minewatch.existingAreas") >= 1  # the areas already recorded
    assert "Synthetic Demo Operator" in page.input_value(
        "#f-organisation_code"
    )  # a name, not ORG-DEMO alone
    page.evaluate("g => window.minewatch.setGeometry(g)", BOWTIE)
    page.wait_for_function("window.minewatch.preview")
    preview = page.text_content("#geometry-preview")
    assert "Will be repaired" in preview and "0 m²" in preview, preview
    assert page.is_visible("#ack-repair")

    page.fill("#f-name", "Synthetic tired entry")
    page.fill("#f-date_of_information", "12/07/2026")
    page.fill("#f-beneficiaries-girls", "-5")
    page.fill("#f-reported_area_m2", "1,500")
    page.click("#f-evidence-add")
    page.fill("#f-evidence-0-note", "a shepherd saw a mine")
    page.click("#save-submit")
    page.wait_for_function("document.querySelector('#status').dataset.kind === 'error'")
    errors = {f: page.text_content(f"#f-{f}-error") for f in
              ("date_of_information", "beneficiaries", "reported_area_m2", "evidence", "geometry")}  # fmt: skip
    assert "YYYY-MM-DD" in errors["date_of_information"], errors
    assert "Girls" in errors["beneficiaries"] and "negative" in errors["beneficiaries"], errors
    assert "commas" in errors["reported_area_m2"], errors
    assert "Type" in errors["evidence"], errors
    assert "repaired" in errors["geometry"], errors
    screenshot(page, "entry-tired-input", full_page=True)

    page.fill("#f-date_of_information", "2024-03-01")
    page.fill("#f-beneficiaries-girls", "5")
    page.fill("#f-reported_area_m2", "1500")
    page.select_option("#f-evidence-0-type", "eo_seen")
    page.select_option("#f-evidence-0-source", "told")
    page.check("#ack-repair")
    page.click("#save-submit")
    page.wait_for_function("document.body.dataset.saved")
    saved = page.evaluate("window.minewatch.saved")
    assert saved["changes"]["beneficiaries"]["girls"] == 5
    assert saved["changes"]["evidence"] == [
        {"type": "eo_seen", "source": "told", "note": "a shepherd saw a mine"}
    ]
    assert any("self_intersection" in n for n in saved["notes"])
