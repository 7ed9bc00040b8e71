"""The API explorer (/api/docs) works on a network with no internet: in Chromium, with
every request to another host refused, Swagger UI draws every operation of the OpenAPI
document, and it did not even try to reach another host (issue 13, point 6)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit


def operations(document: dict[str, Any]) -> int:
    verbs = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    return sum(len(verbs & set(path)) for path in document["paths"].values())


def test_api_explorer_renders_with_the_internet_cut_off(
    browser: Any, server: Any, screenshot: Any
) -> None:
    context = browser.new_context(base_url=server.url, viewport={"width": 1366, "height": 900})
    context.set_default_timeout(30_000)
    ours = urlsplit(server.url).netloc
    refused: list[str] = []

    def only_our_server(route: Any) -> None:
        if urlsplit(route.request.url).netloc == ours:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_our_server)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto("/api/docs")
        page.wait_for_selector(".opblock .opblock-summary-path")
        page.wait_for_load_state("networkidle")
        expected = operations(page.request.get("/api/openapi.json").json())
        shown = page.locator(".opblock").count()
        title = page.locator(".info .title").first.inner_text()
        screenshot(page, "api-docs-offline-1366")
    finally:
        context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"
    assert refused == [], f"the API explorer asked other hosts for {refused}"
    assert "minewatch API" in title
    assert expected > 50 and shown == expected, (shown, expected)
