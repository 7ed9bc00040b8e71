"""The pages a programme officer reads, on the SYNTHETIC demo programme, in Chromium at a
desktop (1366 px) and a phone (390 px) width: figures that agree with each other, one unit
per column, ISO dates, nothing cut off or wider than the screen, and no internals (UUIDs,
JSON, snake_case codes) where people read.

The server here holds ``minewatch demo``'s programme (conftest's ``demo_url``, built once for
the session), not the small store of the other browser tests, because these are the pages at
their fullest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from minewatch.vocabulary.document import record_fields, vocabulary_document
from minewatch.vocabulary.enums import ENUM_LABELS

WIDTHS = (1366, 390)
PAGES = (
    "/dashboard.html",
    "/landrelease.html",
    "/priority.html",
    "/index.html",
    "/item.html?kind=hazardous_area&code=HA-000001",
    "/tasks.html",
)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
JSON_TEXT = re.compile(r"[\[{]\s*\"\w+\"\s*:|\[object Object\]")
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def _store_names() -> list[str]:
    """Every field and code name with an underscore, as a page would show it had it only
    replaced the underscores ("organisation code"), less those the vocabulary's own English
    writes ("already released" in "Land already released by an earlier product")."""
    english = vocabulary_document("en")
    words = [*english["messages"].values()]
    words += [
        text
        for group in ("enums", "fields")
        for table in english[group].values()
        for text in table.values()
    ]
    said = " | ".join(w if isinstance(w, str) else " | ".join(w.values()) for w in words)
    names = {n for fields in record_fields().values() for n in fields} | {
        c for codes in ENUM_LABELS.values() for c in codes
    }
    raw = {n.replace("_", " ") for n in names if "_" in n}
    return sorted(r for r in raw if r not in said)


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def demo_page(request: Any, browser: Any, demo_url: str) -> Iterator[Any]:
    ctx = browser.new_context(base_url=demo_url, viewport={"width": request.param, "height": 800})
    ctx.set_default_timeout(60_000)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.width = request.param
    yield page
    ctx.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def _open(page: Any, path: str) -> None:
    page.goto(path)
    page.wait_for_selector("body[data-loaded]")


def _texts(page: Any, selector: str) -> list[str]:
    return [(t or "").strip() for t in page.locator(selector).all_text_contents()]


def _m2(text: str) -> float:
    """'1,318.29 ha' → m²."""
    number, unit = re.fullmatch(r"([\d,.]+)\s(m²|ha|km²)", text.strip()).groups()  # type: ignore[union-attr]
    return float(number.replace(",", "")) * {"m²": 1, "ha": 1e4, "km²": 1e6}[unit]


def _overflow(page: Any) -> list[str]:
    """Elements that stick out past the right edge of the window, outside any box that
    scrolls or clips (a scrolling table is fine; a page wider than the phone is not)."""
    return page.evaluate(
        """() => {
      const width = document.documentElement.clientWidth;
      const clipped = (e) => { for (let p = e.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
        return false; };
      const out = [...document.querySelectorAll('body *')].filter((e) =>
        e.getBoundingClientRect().right > width + 1 && !clipped(e));
      return [document.documentElement.scrollWidth > width ? `page ${document.documentElement.scrollWidth}px` : '',
              ...out.slice(0, 5).map((e) => `${e.tagName}#${e.id}.${e.className}`)].filter(Boolean);
    }"""
    )


def _wrapped_values(page: Any) -> list[str]:
    """Cells holding one value (a number, an area, a date, a code) drawn on two lines."""
    return page.evaluate(
        """() => [...document.querySelectorAll('td')].filter((td) => {
      const t = td.innerText.trim();
      if (!/^(?:[-+]?[\\d,.]+(?:\\s?(?:m²|ha|km²|%))?|\\d{4}-\\d{2}-\\d{2}|[A-Z]{2,4}-\\d{4,})$/.test(t)) return false;
      const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const r = document.createRange(); r.selectNodeContents(node);
        if (r.getClientRects().length > 1) return true;
      }
      return td.innerText.trim().includes('\\n');
    }).map((td) => td.innerText)"""
    )


def test_dashboard_figures_agree_with_the_accounting(demo_page: Any) -> None:
    _open(demo_page, "/dashboard.html")
    demo_page.wait_for_selector("#card-balance-remaining")
    data = demo_page.evaluate("window.minewatch.landRelease")
    balance = data["balance"]
    areas = data["hazardous_areas"]
    released = [r for r in areas if r["progress"] == "released"]
    assert released, "the demo has areas its products release completely"
    # Fully released areas are not "still open", whatever their register status says.
    open_count, open_area = demo_page.text_content("#card-ha-open .card-value").split(" · ")
    assert int(open_count) == sum(r["count"] for r in areas if r["progress"] != "released")
    assert _m2(open_area) == pytest.approx(balance["remaining_m2"], rel=1e-4)
    remaining = _m2(demo_page.text_content("#card-balance-remaining .card-value"))
    assert _m2(open_area) == remaining
    released_card = _m2(demo_page.text_content("#card-released .card-value"))
    original = _m2(demo_page.text_content("#card-balance-original .card-value"))
    assert released_card + remaining == pytest.approx(original, abs=1000)  # ha to 0.1
    assert demo_page.text_content("#card-ha-released .card-value").startswith(
        str(sum(r["count"] for r in released))
    )


def test_one_unit_per_column(demo_page: Any) -> None:
    _open(demo_page, "/landrelease.html")
    table = demo_page.locator("#lr-areas-table")
    headers = _texts(table, "thead th")
    for index, header in enumerate(headers):
        unit = re.search(r"\((m²|ha|km²)\)$", header)
        if not unit:
            continue
        cells = _texts(table, f"tbody td:nth-child({index + 1})")
        assert cells and all(c.endswith(unit.group(1)) for c in cells), (header, cells)
    progress = _texts(table, "tbody .progress")
    assert "Released" in progress and "Partly released" in progress


def test_pages_fit_the_screen_and_keep_values_whole(demo_page: Any, screenshot: Any) -> None:
    for path in PAGES:
        _open(demo_page, path)
        demo_page.wait_for_timeout(300)
        name = re.sub(r"\W+", "-", path.strip("/"))
        screenshot(demo_page, f"readable-{name}-{demo_page.width}", full_page=True)
        assert _overflow(demo_page) == [], (path, demo_page.width)
        assert _wrapped_values(demo_page) == [], (path, demo_page.width)


def test_dates_are_iso_not_the_browsers_format(demo_page: Any) -> None:
    for path in (
        "/dashboard.html",
        "/landrelease.html",
        "/priority.html",
        "/treaty.html",
    ):
        _open(demo_page, path)
        assert demo_page.locator("input[type=date]").count() == 0, path
        for box in demo_page.locator("input[pattern]").all():
            assert box.get_attribute("placeholder") == "YYYY-MM-DD"
    _open(demo_page, "/dashboard.html")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", demo_page.input_value("#treaty-date"))


def test_no_internals_where_people_read(demo_page: Any) -> None:
    pages = [
        "/dashboard.html",
        "/landrelease.html",
        "/item.html?kind=hazardous_area&code=HA-000001",
        "/tasks.html",
        "/item.html?kind=task_order&code=TSK-000001",
    ]
    for path in pages:
        _open(demo_page, path)
        text = demo_page.inner_text("main")
        assert not UUID.search(text), path
        assert not JSON_TEXT.search(text), path
        assert not SNAKE.findall(text), (path, SNAKE.findall(text)[:5])
        # A field or code with its underscores swapped for spaces ("organisation code") is
        # still a name from the store, not the vocabulary's label ("Organisation").
        raw = _store_names()
        assert not [r for r in raw if re.search(rf"\b{re.escape(r)}\b", text)], path
        # The accounting's technical notes (GEOS, make_valid) stay folded under "Detail".
        assert "GEOS" not in text and "make_valid" not in text, path


def test_counts_of_people_have_whole_ticks(demo_page: Any, demo_password: str) -> None:
    demo_page.goto("/login.html?next=/dashboard.html")
    demo_page.fill("#username", "officer")
    demo_page.fill("#password", demo_password)
    demo_page.click("#login-submit")
    demo_page.wait_for_url("**/dashboard.html")
    demo_page.wait_for_selector("#card-casualties")
    ticks = _texts(demo_page, "#cas-body svg.chart text.tick")
    numbers = [t for t in ticks if re.fullmatch(r"[\d.,]+", t) and len(t) < 4]
    assert numbers and all(re.fullmatch(r"\d+", t) for t in numbers), ticks
