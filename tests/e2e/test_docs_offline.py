"""The documentation site works opened from disk with no network (issue 13, point 6): in
Chromium, ``site/index.html`` opened as a file shows the page in system fonts, its links
open the other pages as files, search finds pages, and nothing asks for an address on the
network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def disk_page(browser: Any) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A page at 1366 px for which the network does not exist; yields it with the network
    addresses it asked for and its JavaScript errors."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(20_000)
    asked: list[str] = []

    def no_network(route: Any) -> None:
        asked.append(route.request.url)
        route.abort("internetdisconnected")

    context.route("http*://**/*", no_network)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "request",
        lambda r: (
            None if r.url.startswith(("file:", "data:", "blob:", "about:")) else asked.append(r.url)
        ),
    )
    yield page, asked, errors
    context.close()


def test_docs_opened_from_disk(docs_site: Path, disk_page: Any, screenshot: Any) -> None:
    page, asked, errors = disk_page
    page.goto((docs_site / "index.html").as_uri())
    page.wait_for_selector("article h1")
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Roboto" not in font, font
    page.locator("nav.md-nav--primary a", has_text="Clearance prioritisation").first.click()
    page.wait_for_url("**/prioritisation.html")
    assert "prioritisation" in page.locator("article h1").inner_text().lower()
    screenshot(page, "docs-from-disk-1366")

    search = page.locator("input.md-search__input")
    search.click()  # at desktop width the search field is in the header
    page.keyboard.type("sampling", delay=30)  # material searches on key events, not fill()
    page.wait_for_selector(".md-search-result__item")
    assert page.locator(".md-search-result__item").count() > 0
    screenshot(page, "docs-search-from-disk-1366")
    assert not errors, errors
    assert asked == [], f"the docs asked the network for {asked}"
