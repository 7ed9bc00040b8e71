"""The Migration page in Debian's Chromium: an administrator uploads a synthetic archive (a
zip of two CSV tables), reads the proposed mapping with its reasons, makes a mistake in the
mapping and sees it named, leaves one table out, runs a dry run and reads its report, then
migrates for real. Checked with axe-core, at 1366 px and 390 px (screenshots in
test-artifacts/)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

ORGANISATIONS = (
    "Org ID,Name,Acronym\nMIG-1,Synthetic Migration Trust,SMT\nMIG-2,Synthetic Archive Team,SAT\n"
)
HAZARDS = "HazID,Status,Area name\nH1,Open,Synthetic ridge\nH2,closed,Synthetic ford\n"


def _archive(tmp_path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("organisations.csv", ORGANISATIONS)
        z.writestr("hazards.csv", HAZARDS)
    path = tmp_path / "synthetic-archive.zip"
    path.write_bytes(buffer.getvalue())
    return path


def _serious(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:4]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_an_administrator_plans_checks_and_migrates_an_archive(
    page: Any, sign_in: Any, password: str, screenshot: Any, tmp_path: Path
) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "admin", password, "/migration.html")
    page.wait_for_function("document.body.dataset.loaded === 'true'")
    assert page.get_by_role("link", name="Migration").get_attribute("aria-current") == "page"

    page.get_by_role("button", name="Propose a mapping").click()
    assert "Choose the archive" in page.text_content("#m-file-error")

    page.get_by_label("Archive file").set_input_files(str(_archive(tmp_path)))
    page.get_by_role("button", name="Propose a mapping").click()
    page.wait_for_function("document.body.dataset.planned !== undefined")
    tables = page.text_content("#m-tables")
    assert "Organisation" in tables and "Hazardous area" in tables
    assert "Open → Open" in tables and "Status" in tables and "matches 'organisation'" in tables
    assert not _serious(page), _serious(page)
    screenshot(page, "16-migration-plan-1366", full_page=True)

    mapping = page.input_value("#m-mapping")
    page.fill("#m-mapping", mapping.replace("[tables.hazards]", "[tables.hazards", 1))
    page.get_by_role("button", name="Check the mapping").click()
    page.wait_for_function("document.querySelector('#m-mapping-error').textContent !== ''")
    assert "line" in page.text_content("#m-mapping-error")
    assert page.get_attribute("#m-mapping", "aria-invalid") == "true"

    # Leave the hazards out: only the organisations migrate.
    page.fill(
        "#m-mapping", mapping.replace("[tables.hazards]\n", "[tables.hazards]\nskip = true\n", 1)
    )
    page.get_by_role("button", name="Check the mapping").click()
    page.wait_for_function("document.querySelector('#m-check-result').textContent !== ''")
    assert "tables to migrate: 1" in page.text_content("#m-check-result")

    assert page.get_by_role("button", name="Migrate for real").is_disabled()
    page.get_by_role("button", name="Dry run: check, write nothing").click()
    page.wait_for_function("document.body.dataset.reported !== undefined")
    summary = page.text_content("#m-summary")
    assert "Dry run" in summary and "left out" in summary
    assert page.evaluate("window.minewatch.report.committed") is False
    assert not _serious(page), _serious(page)

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "16-migration-report-390", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_label(
        "I have read the dry run's report: land these rows as approved reports"
    ).check()
    page.get_by_role("button", name="Migrate for real").click()
    page.wait_for_function("window.minewatch.report.committed === true")
    landed = page.evaluate(
        "window.minewatch.report.tables.find(t => t.table === 'organisations').landed"
    )
    assert landed == 2
    assert "rows landed as approved reports: 2" in page.text_content("#status")
    screenshot(page, "16-migration-done-1366", full_page=True)


def test_a_data_worker_is_told_the_page_is_not_theirs(
    page: Any, sign_in: Any, password: str
) -> None:
    sign_in(page, "worker", password, "/migration.html")
    page.wait_for_function("document.body.dataset.loaded === 'true'")
    assert "for reviewers and administrators" in page.text_content("#status")
    assert page.is_hidden("#m-upload-section")
    assert page.get_by_role("link", name="Migration").count() == 0
