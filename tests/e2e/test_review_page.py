"""The review screen in Chromium, by keyboard alone: the reviewer sees a repaired redraw
loudly, approves it (a, then Enter to confirm), moves on to the next report by itself, and
rejects that one (r, a reason, Ctrl+Enter), with ? for the keys. Synthetic data."""

from __future__ import annotations

from datetime import date
from typing import Any

import shapely

from minewatch.domain.access import local_admin
from minewatch.domain.records import Kind
from minewatch.services.records import Workflow
from minewatch.store import open_store

#: An area of this test's own (other tests count the seeded areas' reports), and its
#: outline redrawn as a bow tie: repaired on entry.
SQUARE = shapely.box(30.58, 50.44, 30.59, 50.45)
BOWTIE = shapely.Polygon([(30.58, 50.44), (30.59, 50.45), (30.59, 50.44), (30.58, 50.45)])


def _submitted(store_url: str) -> tuple[str, str]:
    """A new area to reject, then (newer, so first in the queue) a redraw to approve."""
    store = open_store(store_url)
    wf = Workflow(store, local_admin("field"))
    base = wf.create_draft(
        Kind.HAZARDOUS_AREA,
        {"name": "Synthetic review square"},
        SQUARE,
        date_of_information=date(2024, 1, 1),
    )
    item = wf.approve(wf.submit(base.code or "").code or "").item_code
    new = wf.create_draft(
        Kind.HAZARDOUS_AREA,
        {"name": "Synthetic phone report", "hazard_types": ["uxo_axo"]},
        shapely.box(30.56, 50.42, 30.565, 50.425),
        date_of_information=date(2025, 2, 1),
    )
    redraw = wf.create_draft(
        Kind.HAZARDOUS_AREA,
        {"classification": "CHA"},
        BOWTIE,
        date_of_information=date(2025, 3, 1),
        item_ref=item,
    )
    codes = wf.submit(new.code or "").code or "", wf.submit(redraw.code or "").code or ""
    store.close()
    return codes


def _state(store_url: str, code: str) -> tuple[str, str | None]:
    store = open_store(store_url)
    report = store.get_report(code)
    store.close()
    return report.state.value, report.decision_reason


def _shows(page: Any, code: str) -> None:
    page.wait_for_function(
        "(code) => document.body.dataset.loaded === 'true' && "
        "document.getElementById('review-title').textContent.includes(code)",
        arg=code,
    )


def test_a_reviewer_approves_and_rejects_by_keyboard_alone(
    page: Any, server: Any, sign_in: Any, password: str, screenshot: Any
) -> None:
    to_reject, to_approve = _submitted(server.store_url)
    sign_in(page, "reviewer", password, "/review.html")
    _shows(page, to_approve)  # the newest report first, as the queue lists them
    assert page.evaluate("document.activeElement.id") == "review-title"
    repair = page.locator(".alert.repair")
    assert repair.count() == 1 and "0 m²" in repair.inner_text()
    changed = page.locator("#diff tr[data-field='classification']")
    assert changed.get_attribute("data-change") == "changed"
    assert page.locator("#review-legend li").count() == 2
    assert (
        page.evaluate("window.minewatch.map.getSource('proposed').serialize().data.features.length")
        == 1
    )
    screenshot(page, "review-01-repaired", full_page=True)

    page.keyboard.press("?")
    assert page.locator("#help-dialog").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#help-dialog").is_visible()
    assert page.evaluate("document.activeElement.id") == "help-open"

    page.keyboard.press("a")
    assert page.locator("#approve-dialog").is_visible()
    assert page.evaluate("document.activeElement.id") == "approve-confirm"
    page.keyboard.press("Escape")  # changed my mind: nothing happens
    assert _state(server.store_url, to_approve) == ("submitted", None)
    page.keyboard.press("a")
    page.keyboard.press("Enter")
    _shows(page, to_reject)  # on to the next report by itself
    assert _state(server.store_url, to_approve) == ("approved", None)
    assert to_approve in page.text_content("#status")

    page.keyboard.press("k")  # the approved one left the queue: nothing before this one
    assert "first report" in page.text_content("#status")
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.id") == "reject-reason"
    page.keyboard.press("Control+Enter")  # no reason yet: refused, focus kept
    assert page.get_attribute("#reject-reason", "aria-invalid") == "true"
    assert page.locator("#reject-dialog").is_visible()
    page.keyboard.type("Sketch map missing: attach it and resubmit")
    screenshot(page, "review-02-reject-reason")
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "(code) => document.getElementById('status').textContent.includes(code)", arg=to_reject
    )
    assert _state(server.store_url, to_reject) == (
        "rejected",
        "Sketch map missing: attach it and resubmit",
    )


def test_a_data_worker_reads_but_cannot_decide(
    page: Any, server: Any, sign_in: Any, password: str
) -> None:
    store = open_store(server.store_url)
    wf = Workflow(store, local_admin("field"))
    draft = wf.create_draft(
        Kind.HAZARDOUS_AREA,
        {"name": "Synthetic read-only"},
        shapely.box(30.57, 50.42, 30.575, 50.425),
        date_of_information=date(2025, 2, 1),
        organisation_code="ORG-DEMO",
    )
    code = wf.submit(draft.code or "").code or ""
    store.close()
    sign_in(page, "worker", password, f"/review.html?report={code}")
    _shows(page, code)
    assert page.locator("#approve").count() == 0 and page.locator("#reject").count() == 0
    page.keyboard.press("a")
    assert not page.locator("#approve-dialog").is_visible()
