"""An Arabic-speaking officer on the entry page (issue 19, the outside tester's finding): the
fields' help ("The day the information describes…", "Expected live items left…"), the
sex-and-age grid's rows ("All", "With disability") and the personal-data mark read in
Arabic, from the catalogues. SYNTHETIC demo programme, Debian's Chromium."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from minewatch.vocabulary import field_help, translate
from minewatch.vocabulary.fields import REPORT_FIELD_HELP

pytestmark = pytest.mark.e2e


def _sign_in_arabic(browser: Any, demo_url: str, password: str, path: str) -> tuple[Any, Any]:
    ctx = browser.new_context(base_url=demo_url, viewport={"width": 390, "height": 844})
    ctx.set_default_timeout(60_000)
    page = ctx.new_page()
    page.add_init_script("localStorage.setItem('minewatch.lang', 'ar')")
    page.goto(f"/login.html?next={quote(path)}")
    page.fill("#username", "officer")
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/login.html" not in url)
    page.wait_for_function("window.minewatch && window.minewatch.formReady === true")
    return ctx, page


def test_the_entry_forms_help_and_grid_read_in_arabic(
    browser: Any, demo_url: str, demo_password: str, screenshot: Any
) -> None:
    ctx, page = _sign_in_arabic(browser, demo_url, demo_password, "/entry.html?kind=hazardous_area")
    helps = page.eval_on_selector_all(".help", "ps => ps.map((p) => p.textContent)")
    english = "Expected live items left, from the residual-hazard model"
    assert any(field_help(english, "ar") in h for h in helps), helps
    assert any(field_help(REPORT_FIELD_HELP["date_of_information"], "ar") in h for h in helps)
    assert not [h for h in helps if "Expected live" in h or "The day the" in h], helps
    rows = page.eval_on_selector_all(
        "#f-beneficiaries tbody th[scope=row]", "ths => ths.map((t) => t.textContent)"
    )
    assert rows == ["الكل", "ذوو إعاقة"], rows
    screenshot(page, "entry-ar-hazardous-area-390", full_page=True)
    page.goto("/entry.html?kind=victim")
    page.wait_for_function("window.minewatch && window.minewatch.formReady === true")
    badges = page.eval_on_selector_all(".badge", "bs => bs.map((b) => b.textContent)")
    assert badges and set(badges) == {translate("personal data", "ar")}, badges
    ctx.close()
