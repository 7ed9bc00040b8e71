"""A French-speaking officer on a phone (390 px), signed in to the SYNTHETIC demo programme,
in Debian's Chromium: the dashboard fits the screen (the instrument's French name, the
longest option on it, once widened the page by ~90 px), the casualty breakdowns are headed
by the dimensions' labels in French (the age table was headed "Age band", a humanised code),
and an item's history counts its reports in French (it said "2 approved report(s)").
Found by the outside user test; all data synthetic.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from minewatch.vocabulary import vocabulary_document

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def phone(browser: Any, demo_url: str) -> Iterator[Any]:
    ctx = browser.new_context(base_url=demo_url, viewport={"width": 390, "height": 844})
    ctx.set_default_timeout(60_000)
    page = ctx.new_page()
    page.add_init_script("localStorage.setItem('minewatch.lang', 'fr')")
    yield page
    ctx.close()


def _open_signed_in(page: Any, password: str, path: str) -> None:
    """Signs in (again: each test stands alone) and lands on ``path``."""
    page.goto(f"/login.html?next={quote(path)}")
    page.fill("#username", "officer")
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/login.html" not in url)
    page.wait_for_selector("body[data-loaded]", state="attached")


def test_the_dashboard_fits_a_phone_in_french(
    phone: Any, demo_password: str, screenshot: Any
) -> None:
    _open_signed_in(phone, demo_password, "/dashboard.html")
    phone.wait_for_selector("#cas-body table")
    wider = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    screenshot(phone, "french-phone-dashboard-390", full_page=True)
    assert wider <= 1, f"the French dashboard is {wider} px wider than a 390 px phone"
    dimensions = vocabulary_document("fr")["enums"]["CasualtyDimension"]
    headers = phone.eval_on_selector_all(
        "#cas-body table thead tr th:first-child", "cells => cells.map((c) => c.textContent.trim())"
    )
    assert headers == [dimensions["sex"], dimensions["age_group"], dimensions["category"]]


def test_an_items_history_counts_its_reports_in_french(phone: Any, demo_password: str) -> None:
    _open_signed_in(phone, demo_password, "/item.html?kind=hazardous_area&code=HA-000001")
    caption = phone.text_content("#history caption") or ""
    count = phone.eval_on_selector_all("#history tbody tr", "rows => rows.length")
    plural = vocabulary_document("fr")["messages"]["{count} report"]
    assert isinstance(plural, dict)
    assert caption.strip() in {form.replace("{count}", str(count)) for form in plural.values()}
    assert "approved report(s)" not in (phone.text_content("#history") or "")


def test_the_account_page_fits_a_phone_and_states_the_rules_in_french(
    phone: Any, demo_password: str
) -> None:
    """The account facts' long French term widened the page by ~80 px, and the password
    rules came from the server in English."""
    _open_signed_in(phone, demo_password, "/account.html")
    phone.wait_for_selector("#password-rules li")
    wider = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wider <= 1, f"the French account page is {wider} px wider than a 390 px phone"
    rules = phone.eval_on_selector_all(
        "#password-rules li", "items => items.map((i) => i.textContent)"
    )
    assert rules and rules[0].startswith("au moins"), rules


def test_the_entry_form_names_itself_and_required_fields_in_french(
    phone: Any, demo_password: str
) -> None:
    """The title said "New report: hazardous area" and required fields "(required)"."""
    phone.goto(f"/login.html?next={quote('/entry.html')}")
    phone.fill("#username", "officer")
    phone.fill("#password", demo_password)
    phone.click("#login-submit")
    phone.wait_for_url(lambda url: "/login.html" not in url)
    phone.wait_for_selector("span.req")
    phone.wait_for_function("document.querySelector('#entry-title').textContent.includes(':')")
    assert (phone.text_content("#entry-title") or "").startswith("Nouveau rapport :")
    required = phone.eval_on_selector_all(
        "span.req", "spans => spans.map((s) => s.textContent.trim())"
    )
    assert required and set(required) == {"(obligatoire)"}, required


def test_victim_assistance_coverage_on_the_dashboard_in_french(
    phone: Any, demo_password: str, screenshot: Any
) -> None:
    """The focal point reads the survivors' path from need to service in words, on a phone
    (the demo's SYNTHETIC assistance records), without the page growing wider."""
    _open_signed_in(phone, demo_password, "/dashboard.html#assistance")
    phone.wait_for_selector("#va-body table")
    text = phone.text_content("#va-body") or ""
    enums = vocabulary_document("fr")["enums"]
    for words in (enums["AssistanceType"]["medical"], enums["ServiceStatus"]["received"]):
        assert words in text, words
    assert "medical" not in text and "any" not in text.split()
    screenshot(phone, "french-phone-dashboard-assistance-390", full_page=True)
    wider = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wider <= 1, f"the victim assistance tables widen the page by {wider} px"
