"""The clearance-priorities page in Debian's Chromium: pick a scenario, see the ranked table
and the areas on the map, open an area's explanation with the keyboard, show the H3 grid,
download the list, and meet the inline validation. The store is the browser tests' seeded
SYNTHETIC programme; the page must work whatever other tests have added to it."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def test_scenario_ranking_explanation_grid_and_downloads(page: Any, screenshot: Any) -> None:
    page.goto("/priority.html")
    page.wait_for_function("document.body.dataset.loaded === 'balanced'")
    assert page.locator("#p-scenario option").count() == 3

    page.select_option("#p-scenario", "livelihoods")
    page.wait_for_function("document.body.dataset.loaded === 'livelihoods'")
    assert "agricultural land" in page.text_content("#p-scenario-description")
    caption = page.text_content("#p-ranking-table caption")
    assert "scenario Livelihoods" in caption
    ranking = page.evaluate("window.minewatch.ranking")
    codes = [a["code"] for a in ranking["areas"]]
    assert ranking["numberMatched"] >= 1 and codes
    assert [a["rank"] for a in ranking["areas"]] == list(range(1, len(codes) + 1))
    first = page.locator("#p-ranking-table tbody tr").first
    assert first.locator("td").first.text_content() == "1"
    assert page.is_disabled("#p-prev")
    # with no population raster or context layers configured, the page says so
    assert "unknown for some areas" in page.text_content("#p-missing").lower()

    last = codes[-1]
    page.focus(f"button[aria-label='Explain {last}']")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'p-explain'")  # focus follows
    explanation = page.evaluate("window.minewatch.explanation")
    assert explanation["code"] == last
    rows = page.locator("#p-explain-table tbody tr")
    assert rows.count() == len(explanation["indicators"]) == 7  # livelihoods weighs seven
    total = sum(r["contribution"] for r in explanation["indicators"])
    assert total == pytest.approx(explanation["score"], abs=1e-6)
    assert f"rank {len(codes)} of {ranking['numberMatched']}" in page.text_content(
        "#p-explain-table caption"
    )
    assert page.get_attribute(f"#p-row-{last}", "class") == "highlight"

    page.check("#p-grid")
    page.wait_for_function(
        "window.minewatch.map.getLayoutProperty('grid-fill', 'visibility') === 'visible'"
    )
    page.check("#p-colour-band")
    assert "band" in page.text_content("#p-legend")
    page.wait_for_function(
        "(code) => { const m = window.minewatch.map; return m.loaded() && "
        "m.queryRenderedFeatures({layers: ['areas-fill']}).some(f => f.properties.code === code); }",
        arg=codes[0],
    )
    assert page.locator("#p-sensitivity-changes tbody tr").count() == 7  # one per weight
    assert page.locator("#p-sensitivity-changes thead th").count() == 1 + 4 + 2  # four steps
    page.evaluate("window.scrollTo(0, 0)")
    shot = screenshot(page, "06-priority", full_page=True)
    assert shot.stat().st_size > 10_000

    href = page.get_attribute("#p-csv", "href")
    assert "scenario=livelihoods" in href
    csv_text = page.evaluate("(url) => fetch(url).then(r => r.text())", href)
    assert csv_text.splitlines()[0].startswith("code,longitude,latitude")
    assert len(csv_text.splitlines()) == ranking["numberMatched"] + 1
    for link, media in (
        ("#p-png", "image/png"),
        ("#p-html", "text/html"),
        ("#p-grid-png", "image/png"),
    ):
        url = page.get_attribute(link, "href")
        assert "scenario=livelihoods" in url
        got = page.evaluate("(url) => fetch(url).then(r => r.headers.get('content-type'))", url)
        assert got.startswith(media)

    page.fill("#p-as_of", "1850-01-01")
    page.click("#p-rank")
    assert "after 1900" in page.text_content("#p-as_of-error")
    assert page.get_attribute("#p-as_of", "aria-invalid") == "true"
