"""The "Field data" page in Debian's Chromium: a data worker finds the field forms, uploads a
Kobo CSV export (synthetic) with one bad submission, all or nothing, and sees nothing imported;
uploads again keeping going (the default) and sees the draft created and the rejected row with its field and reason; the
public sees only the open-data links. The screenshot goes to test-artifacts/."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

GOOD = "uuid:e2e-intake-0001"
BAD = "uuid:e2e-intake-0002"


def test_upload_a_kobo_export_through_the_page(
    page: Any, password: str, screenshot: Any, sf: ModuleType, tmp_path: Path
) -> None:
    name, data = sf.kobo_hazard_upload("ORG-DEMO", [GOOD, BAD], bad=(BAD,))
    export = tmp_path / name
    export.write_bytes(data)

    page.goto("/login.html?next=/intake.html")
    page.get_by_label("Username").fill("worker")
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url("**/intake.html")
    page.wait_for_function("document.body.dataset.loaded === 'true'")
    assert page.get_by_role("link", name="Field data").get_attribute("aria-current") == "page"
    download = page.get_by_role(
        "link", name="Download Explosive ordnance accident and victims (XLSForm)"
    )
    href = download.get_attribute("href")
    assert page.evaluate("(u) => fetch(u).then(r => r.status)", href) == 200

    # Uploading with nothing chosen is caught on the page, next to the field.
    page.get_by_role("button", name="Upload").click()
    assert "Choose the file" in page.text_content("#u-file-error")
    assert page.get_attribute("#u-file", "aria-invalid") == "true"

    page.get_by_label("File", exact=True).set_input_files(str(export))
    keep_going = page.get_by_label("Keep going: import the good rows when some are rejected")
    assert keep_going.is_checked()  # a field export keeps going by default, as the CLI
    keep_going.uncheck()
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector("#u-rejected")
    assert "Nothing imported" in page.text_content("#u-summary")
    assert page.locator("#u-created").count() == 0

    keep_going.check()
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector("#u-created")
    assert "Draft reports created: 1," in page.text_content("#u-summary")
    created = page.text_content("#u-created tbody")
    assert GOOD in created and "Hazardous area" in created
    rejected = page.text_content("#rejected-1")
    assert BAD in rejected and "classification" in rejected and "XYZ" in rejected
    assert f"{name}, row 3" in rejected
    page.evaluate("document.getElementById('upload-section').scrollIntoView()")
    screenshot(page, "06-field-data-upload", full_page=True)

    # The draft is in the organisation's queue.
    code = page.evaluate("window.minewatch.upload.created[0].code")
    page.get_by_role("link", name=code).click()
    page.wait_for_selector(f"#queue-draft #report-{code}[data-state='draft']")

    # A geodata file, checked only: the feature with an unknown status is rejected, the
    # other would land, nothing is written.
    areas = tmp_path / "areas.geojson"
    areas.write_bytes(
        sf.hazard_areas_geojson([("E2E upload 1", "open"), ("E2E upload 2", "vanished")], 30.6)
    )
    page.goto("/intake.html")
    page.wait_for_function("document.body.dataset.loaded === 'true'")
    page.get_by_label("What are you uploading?").select_option("geodata")
    assert not page.get_by_label(
        "Keep going: import the good rows when some are rejected"
    ).is_checked()
    page.get_by_label("File", exact=True).set_input_files(str(areas))
    page.get_by_label("Kind of record in the file").select_option("hazardous_area")
    page.get_by_label("Check only (dry run): write nothing").check()
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector("#u-rejected")
    assert page.text_content("#u-summary").startswith("Dry run, nothing written: 1 of 2")
    assert "areas.geojson, row 2" in page.text_content("#rejected-1")
    assert "status" in page.text_content("#rejected-1")
