"""Pages work on a network with no internet (issue 13, point 6): in Chromium, with every
request to another host refused, the API explorer draws every operation of the OpenAPI
document, the offline HTML map of priorities draws its plot and the home page its map, and
none of them even tried to reach another host. tests/test_offline.py reads the files; this
watches what a real browser asks for."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest


def operations(document: dict[str, Any]) -> int:
    verbs = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    return sum(len(verbs & set(path)) for path in document["paths"].values())


class Offline:
    """A browser page at 1366 px that may only reach the test server."""

    def __init__(self, browser: Any, server: Any) -> None:
        self.context = browser.new_context(
            base_url=server.url, viewport={"width": 1366, "height": 900}
        )
        self.context.set_default_timeout(30_000)
        ours = urlsplit(server.url).netloc
        self.refused: list[str] = []

        def only_our_server(route: Any) -> None:
            if urlsplit(route.request.url).netloc == ours:
                route.continue_()
            else:
                self.refused.append(route.request.url)
                route.abort("internetdisconnected")

        self.context.route("**/*", only_our_server)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def check(self) -> None:
        assert not self.errors, f"JavaScript errors in the page: {self.errors}"
        assert self.refused == [], f"the page asked other hosts for {self.refused}"


@pytest.fixture
def offline(browser: Any, server: Any) -> Iterator[Offline]:
    cut_off = Offline(browser, server)
    yield cut_off
    cut_off.context.close()


def test_api_explorer_renders_with_the_internet_cut_off(offline: Offline, screenshot: Any) -> None:
    page = offline.page
    page.goto("/api/docs")
    page.wait_for_selector(".opblock .opblock-summary-path")
    page.wait_for_load_state("networkidle")
    expected = operations(page.request.get("/api/openapi.json").json())
    assert "minewatch API" in page.locator(".info .title").first.inner_text()
    assert expected > 50 and page.locator(".opblock").count() == expected
    screenshot(page, "api-docs-offline-1366")
    offline.check()


def test_offline_priority_map_and_home_page_reach_no_other_host(
    offline: Offline, screenshot: Any
) -> None:
    page = offline.page
    page.goto("/api/priority/ranking.html")
    page.wait_for_selector(".plot-container svg.main-svg")
    page.wait_for_load_state("networkidle")
    screenshot(page, "priority-ranking-offline-1366")
    page.goto("/")
    page.wait_for_selector(".maplibregl-canvas")
    page.wait_for_load_state("networkidle")
    offline.check()
