"""The Treaties & policy page in Debian's Chromium: pick a state and a date (keyboard only),
see its status under each instrument with the article behind each date and the depositary
source; see the count of states parties on the date; get an inline error for an unknown
state; open a policy version and a diff between two versions. Screenshots go to
test-artifacts/. The figures are the shipped depositary data's (status as at 3 February 2026),
as tests/services/test_treaty.py establishes them; no user signs in (the page is public)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def show(page: Any, state: str, day: str) -> None:
    """Types the state and date and submits with Enter, as a keyboard user would."""
    page.fill("#t-state", "")
    page.type("#t-state", state)
    page.fill("#t-date", day)
    page.press("#t-date", "Enter")


def test_state_status_with_article_and_source_then_policy_diff(page: Any, screenshot: Any) -> None:
    page.goto("/treaty.html")
    page.wait_for_selector("body[data-loaded='true']")
    assert "2026-02-03" in page.text_content("#data-note")
    assert page.get_attribute("#dashboard-link", "href") == "/dashboard.html#treaty"

    show(page, "Poland", "2026-02-20")
    page.wait_for_selector("#status-summary:has-text('Poland (POL) on 2026-02-20')")
    ottawa = page.locator("#status-result [data-instrument='apmbc']")
    text = ottawa.text_content()
    assert "Withdrawn" in text and "Not assessed" in text  # the status and its condition
    assert "Art. 20(3)" in text and "six months after the receipt" in text
    assert "Art. 17(2)" in text and "2013-06-01" in text
    assert "Projection" in text  # 2026-02-20 is after the data's status as at
    link = ottawa.locator("a.source-link").first
    assert link.get_attribute("href").startswith("https://treaties.un.org/")
    assert "status as at 03 February 2026" in link.text_content()
    ccw = page.locator("#status-result [data-instrument='ccw-ap2']").text_content()
    assert "Bound" in ccw
    page.wait_for_selector("[data-count='apmbc:in-force']:has-text('161')")
    screenshot(page, "06-treaty-status", full_page=True)

    show(page, "Narnia", "2026-02-20")
    page.wait_for_selector("#t-state-error:has-text('Narnia')")
    assert page.get_attribute("#t-state", "aria-invalid") == "true"
    assert page.get_attribute("#status", "data-kind") == "error"

    page.click("#p-timeline button[data-version='us-2025-12']")
    page.wait_for_selector("#p-version-title:has-text('us-2025-12')")
    assert page.locator("#p-version .badge.unverified").count() == 1
    page.select_option("#p-before", "us-2014-09")
    page.select_option("#p-after", "us-2020-01")
    page.click("#p-compare")
    page.wait_for_selector("#p-diff table")
    diff = page.text_content("#p-diff")
    assert "Now stated" in diff and "Who may authorise use" in diff
    page.locator("#policy-section").scroll_into_view_if_needed()
    screenshot(page, "07-treaty-policy-diff", full_page=True)


def test_country_profile_linked_readable_and_axe_clean(page: Any, screenshot: Any) -> None:
    from pathlib import Path

    page.goto("/treaty.html")
    page.wait_for_selector("body[data-loaded='true']")
    show(page, "Ukraine", "2026-12-07")
    page.wait_for_selector("#status-summary:has-text('Ukraine (UKR)')")
    link = page.locator(".profile-links a").first
    assert link.get_attribute("href") == "/api/treaty/profile/UKR.html?date=2026-12-07"
    link.click()
    page.wait_for_selector("h1:has-text('Country profile: Ukraine (UKR)')")
    assert "Projection" in page.text_content(".fresh")
    assert "not in the treaty data" in page.text_content("body")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"06-country-profile-{width}", full_page=True)
    page.add_script_tag(path=str(Path(__file__).parent / "vendor" / "axe.min.js"))
    violations = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a',"
        " 'wcag21aa', 'best-practice']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)"
    )
    assert violations == []
