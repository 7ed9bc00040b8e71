"""The geodata upload as a data worker meets it (issue 13, item 7), in Chromium at desktop
and phone widths: a UTM 36N CSV whose columns are not named like the fields is previewed
(nothing written), every row rejected for want of a CRS; the worker picks the CRS from the
list and the category column, previews again (the first rows on the map, one rejected row
with its field and reason), then imports the good rows as drafts. Synthetic data; the
screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pyproj import Transformer

pytestmark = pytest.mark.e2e


def _utm_csv(path: Path) -> Path:
    to_utm = Transformer.from_crs(4326, 32636, always_xy=True)
    lines = ["FindRef;Type;Easting;Northing"]
    for i in range(12):
        e, n = to_utm.transform(33.5 + i * 0.002, 50.4 + (i % 4) * 0.002)
        lines.append(f"E2E-P{i};{'ap_mine' if i != 7 else 'pressure plate?'};{e:.1f};{n:.1f}")
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_preview_choose_columns_and_crs_then_import(
    page: Any, sign_in: Any, password: str, screenshot: Any, tmp_path: Path
) -> None:
    source = _utm_csv(tmp_path / "finds_utm.csv")
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "worker", password, "/intake.html")
    page.wait_for_function("document.body.dataset.loaded === 'true'")
    page.get_by_label("What are you uploading?").select_option("geodata")
    page.get_by_label("File", exact=True).set_input_files(str(source))
    page.get_by_label("Kind of record in the file").select_option("device_find")
    page.get_by_label("Column with each feature's own id").fill("FindRef")

    page.get_by_role("button", name="Preview").click()
    page.wait_for_function("document.body.dataset.previewed !== undefined")
    summary = page.text_content("#p-summary")
    assert "rows read: 12; would be imported: 0; rejected: 12" in summary, summary
    assert "CRS" in page.text_content("#p-rejected tbody tr")
    assert page.input_value("#p-x") == "Easting" and page.input_value("#p-y") == "Northing"

    page.get_by_label("CRS of the coordinates").fill("EPSG:32636 WGS 84 / UTM zone 36N")
    page.select_option("#p-field-category", "Type")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_function("window.minewatch.preview && window.minewatch.preview.landed === 11")
    assert "would be imported: 11; rejected: 1" in page.text_content("#p-summary")
    assert "EPSG:32636" in page.text_content("#p-crs-note")
    row = page.text_content("#p-rejected tbody tr")
    assert "row 8" in row and "pressure plate?" in row, row
    first = page.evaluate("window.minewatch.preview.sample.features[0].geometry.coordinates")
    assert abs(first[0] - 33.5) < 1e-4 and abs(first[1] - 50.4) < 1e-4
    page.wait_for_function("document.querySelector('#p-map canvas') !== null")
    page.evaluate("document.getElementById('u-preview-area').scrollIntoView()")
    screenshot(page, "upload-preview-1366", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    screenshot(page, "upload-preview-390", full_page=True)
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 392)"
        ".slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1, wide
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_label("Keep going: import the good rows when some are rejected").check()
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector("#u-created")
    assert page.text_content("#u-summary").startswith("11 of 12 features imported as draft")
    assert "pressure plate?" in page.text_content("#u-rejected")
