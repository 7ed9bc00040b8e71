"""The pages in each shipped language, in Debian's Chromium (issue 19): the header, the sign-in
page and the account page are in the chosen language, <html lang dir> follow it, Arabic is laid
out right to left at phone width, and the choice is kept in the account. Screenshots go to
test-artifacts/ (languages-<lang>-<page>-<width>.png). Synthetic users."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

EXPECTED = {  # the sign-in page's heading and the header's map link
    "en": ("Sign in", "Map"),
    "fr": ("Se connecter", "Carte"),
    "es": ("Iniciar sesión", "Mapa"),
    "uk": ("Увійти", "Мапа"),
    "ar": ("تسجيل الدخول", "الخريطة"),
}


def _choose(page: Any, lang: str) -> None:
    page.add_init_script(f"localStorage.setItem('minewatch.lang', '{lang}')")


@pytest.fixture(autouse=True)
def _forget_the_language(page: Any) -> Any:
    """The browser context is shared by the whole session: leave no language chosen."""
    yield
    if page.url.startswith("http"):
        page.evaluate("localStorage.removeItem('minewatch.lang')")


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_the_sign_in_page_in_each_language(page: Any, screenshot: Any, lang: str) -> None:
    _choose(page, lang)
    for width, height in ((1366, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/login.html")
        page.wait_for_selector("#login-link")
        heading, map_link = EXPECTED[lang]
        assert page.inner_text("h1") == heading
        assert page.inner_text("#site-header nav a[href='/']") == map_link
        assert page.get_attribute("html", "lang") == lang
        assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
        assert page.title().endswith("· minewatch") and (
            lang == "en" or page.title() != "Sign in · minewatch"
        )
        page.click("#login-submit")  # empty: the field messages are translated too
        if lang != "en":
            assert page.inner_text("#username-error") not in ("", "Enter your username.")
        # nothing runs off the side of a phone
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{lang} at {width} px is {overflow} px too wide"
        screenshot(page, f"languages-{lang}-login-{width}", full_page=True)


def test_arabic_mirrors_the_header(page: Any, screenshot: Any) -> None:
    _choose(page, "ar")
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto("/login.html")
    page.wait_for_selector("#login-link")
    brand = page.locator("#site-header .brand").bounding_box()
    who = page.locator("#site-header .who").bounding_box()
    assert brand["x"] > who["x"], "right to left: the brand on the right, the account on the left"


def test_the_choice_is_kept_in_the_account(
    page: Any, sign_in: Any, password: str, screenshot: Any
) -> None:
    sign_in(page, "worker", password, "/account.html")
    page.select_option("#language", "uk")
    page.wait_for_load_state("load")
    page.wait_for_function("document.documentElement.lang === 'uk'")
    assert page.inner_text("h1") == "Ваш обліковий запис"
    me = page.evaluate("fetch('/api/auth/me').then(r => r.json())")
    assert me["language"] == "uk"
    screenshot(page, "languages-uk-account-1100", full_page=True)
    # another browser of the same person, with nothing chosen locally, follows the account
    page.evaluate("localStorage.removeItem('minewatch.lang')")
    page.reload()
    page.wait_for_function("document.documentElement.lang === 'uk'")
    page.select_option("#language", "en")
    page.wait_for_function("document.documentElement.lang === 'en'")


PAGE_HEADINGS = {  # the first heading of each page whose HTML is translated, in Arabic
    "/qm.html": "إدارة الجودة",
    "/residual.html": "منحنيات الخطر المتبقي",
    "/priority.html": "أولويات التطهير",
    "/account.html": "حسابك",
}


@pytest.mark.parametrize("path", sorted(PAGE_HEADINGS))
def test_pages_in_arabic_at_phone_width(
    page: Any, sign_in: Any, password: str, screenshot: Any, path: str
) -> None:
    _choose(page, "ar")
    page.set_viewport_size({"width": 390, "height": 844})
    if path == "/account.html":
        sign_in(page, "worker", password, path)
    else:
        page.goto(path)
    page.wait_for_function("document.documentElement.dir === 'rtl'")
    page.wait_for_function(
        "h => document.querySelector('h1') && document.querySelector('h1').innerText === h",
        arg=PAGE_HEADINGS[path],
    )
    name = path.strip("/").removesuffix(".html")
    screenshot(page, f"languages-ar-{name}-390", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 800})
    screenshot(page, f"languages-ar-{name}-1366", full_page=True)
