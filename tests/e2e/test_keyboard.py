"""Every page of the web UI with the keyboard alone (issue 13, item 10), in Chromium.

The walk: on each page, Tab from the top until the focus comes round again; every control a
person can use (links, buttons, fields, the map, scrollable tables) must be reached, and each
must show where the focus is (an outline or ring of at least 2 px, on screen). Then the
work itself, by keys alone: signing in, turning a map layer off and on, entering a device
find with its coordinates typed and submitting it, finding it in the queue, opening it and
approving it on the review screen. Synthetic data; screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

#: Pages an administrator sees (every control shown), and the sign-in page for the public.
PAGES = [
    "/index.html",
    "/dashboard.html",
    "/entry.html?kind=device_find",
    "/queue.html",
    "/item.html?kind=hazardous_area&code=HA-000001",
    "/landrelease.html",
    "/priority.html",
    "/residual.html",
    "/qm.html",
    "/treaty.html",
    "/intake.html",
    "/account.html",
    "/admin.html",
    "/tasks.html",
    "/migration.html",
    "/review.html",
]
#: Pages that do not set ``document.body.dataset.loaded`` when their data has arrived.
UNSIGNALLED = {"/login.html", "/entry.html", "/qm.html"}

#: Marks every control a person could use with ``data-kb`` and describes it. A control
#: counts when it is enabled, not taken out of the tab order, and drawn (not display:none,
#: hidden, or inside a closed <details>, whose summary opens it with Enter); a group of
#: radio buttons is one stop.
MARK = """() => {
  const selector = 'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable=true]';
  const drawn = (el) => {
    if (!el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  const seen = new Set();
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || el.tabIndex < 0 || el.closest('[inert]') || !drawn(el)) continue;
    const closed = el.closest('details:not([open])');
    if (closed && el !== closed.querySelector(':scope > summary')) continue;  // opened first
    if (el.type === 'radio') {
      const group = `radio:${el.form ? el.form.id : ''}:${el.name}`;
      if (el.name && seen.has(group)) { el.dataset.kb = group; continue; }
      seen.add(group);
      el.dataset.kb = group;
    } else {
      el.dataset.kb = `kb${out.length}`;
    }
    out.push({kb: el.dataset.kb, what: `${el.tagName.toLowerCase()}#${el.id || ''}.${String(el.className).slice(0, 40)} "${(el.getAttribute('aria-label') || el.textContent || el.value || '').trim().slice(0, 40)}"`});
  }
  return out;
}"""

#: The focused control: its mark, and whether a person can see it has the focus.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
    || (style.boxShadow && style.boxShadow !== 'none');
  const r = el.getBoundingClientRect();
  const onScreen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
    && r.top < innerHeight && r.left < innerWidth;
  return {kb: el.dataset.kb || null, ring, onScreen,
          what: `${el.tagName.toLowerCase()}#${el.id || ''}.${String(el.className).slice(0, 40)}`};
}"""


def _open(page: Any, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    if path.split("?")[0] not in UNSIGNALLED:
        page.wait_for_function(
            "document.body.dataset.loaded && document.body.dataset.loaded !== 'false'"
        )
    if path.startswith("/entry.html"):
        page.wait_for_function("window.minewatch && window.minewatch.formReady === true")


def _walk(page: Any, path: str) -> dict[str, Any]:
    """Tab through ``path`` from the top; what was reached, missed and hard to see."""
    _open(page, path)
    controls = page.evaluate(MARK)
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    reached: set[str] = set()
    unseen: list[str] = []
    first = None
    for _ in range(len(controls) + 15):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        key = focused["kb"] or focused["what"]
        if key == first:
            break  # round again
        first = first or key
        reached.add(key)
        if not (focused["ring"] and focused["onScreen"]):
            unseen.append(
                f"{focused['what']} ring={focused['ring']} on screen={focused['onScreen']}"
            )
    missed = [c["what"] for c in controls if c["kb"] not in reached]
    return {"page": path, "controls": len(controls), "reached": len(reached),
            "missed": missed, "focus not visible": unseen}  # fmt: skip


@pytest.mark.parametrize("width", [1366, 390])
def test_every_control_of_every_page_is_reached_by_tab_with_the_focus_visible(
    page: Any, sign_in: Any, password: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    walks = [_walk(page, "/login.html")]
    sign_in(page, "admin", password, "/index.html")
    walks += [_walk(page, path) for path in PAGES]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"keyboard-{width}.json").write_text(json.dumps(walks, indent=1))
    problems = [w for w in walks if w["missed"] or w["focus not visible"]]
    assert not problems, json.dumps(problems, indent=1)
    assert all(w["controls"] > 3 for w in walks), [(w["page"], w["controls"]) for w in walks]


def _tab_to(page: Any, selector: str, limit: int = 150) -> None:
    """Press Tab until ``selector`` has the focus (fails if it never does)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never had the focus after {limit} Tabs")


def _sign_in_by_keyboard(page: Any, username: str, password: str, then: str) -> None:
    page.context.clear_cookies()
    page.goto(f"/login.html?next={then}")
    page.wait_for_load_state("networkidle")
    _tab_to(page, "#username", limit=30)
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{then}")


def _report(store_url: str, code: str) -> Any:
    from minewatch.store import open_store

    store = open_store(store_url)
    try:
        return store.get_report(code)
    finally:
        store.close()


def test_enter_submit_review_approve_and_toggle_map_layers_by_keyboard_alone(
    page: Any, server: Any, password: str, screenshot: Any
) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    # A data worker enters a device find, typing its coordinates (no mouse on the map).
    _sign_in_by_keyboard(page, "worker", password, "/entry.html?kind=device_find")
    page.wait_for_function("window.minewatch && window.minewatch.mapReady === true")
    _tab_to(page, "#typed-lat")
    page.keyboard.type("95")  # a latitude past the pole: refused, said why, nothing placed
    page.keyboard.press("Tab")
    page.keyboard.type("30.5034")
    page.keyboard.press("Enter")  # Enter places the point; it does not save the form
    assert "latitude −90 to 90" in (page.text_content("#f-geometry-error") or "")
    assert page.evaluate("window.minewatch.preview") in (None, False)
    assert page.evaluate("document.body.dataset.saved") is None
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Control+a")
    page.keyboard.type("50.4021")
    page.keyboard.press("Enter")
    page.wait_for_function("window.minewatch.preview && window.minewatch.preview.accepted")
    assert page.text_content("#f-geometry-error") == ""
    _tab_to(page, "#f-category")
    page.keyboard.press("ArrowDown")
    category = page.input_value("#f-category")
    assert category, "no category chosen with the arrow key"
    screenshot(page, "keyboard-entry-1366", full_page=True)
    _tab_to(page, "#save-submit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/queue.html?saved=*")  # the page goes on to the queue
    code = page.url.rsplit("saved=", 1)[1]
    report = _report(server.store_url, code)
    assert report.state.value == "submitted" and report.changes["category"] == category
    assert (report.geometry.x, report.geometry.y) == (30.5034, 50.4021)

    # A reviewer finds it in the queue, opens it and approves it (a, then Enter).
    _sign_in_by_keyboard(page, "reviewer", password, "/queue.html")
    page.wait_for_function("document.body.dataset.loaded !== undefined")
    _tab_to(page, f'a[href="/review.html?report={code}"]')
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(code) => document.body.dataset.loaded === 'true' && "
        "document.getElementById('review-title').textContent.includes(code)",
        arg=code,
    )
    page.keyboard.press("a")
    page.wait_for_selector("dialog[open]")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(code) => !document.getElementById('review-title').textContent.includes(code)"
        " || document.body.dataset.decided",
        arg=code,
    )
    assert _report(server.store_url, code).state.value == "approved"

    # On the map, a layer is turned off and on again with the space bar.
    page.goto("/index.html")
    page.wait_for_function("document.body.dataset.loaded === 'current'")
    visibility = "window.minewatch.map.getLayoutProperty('df-circle', 'visibility') ?? 'visible'"
    _tab_to(page, "#show-device_find")
    page.keyboard.press("Space")
    assert page.evaluate(visibility) == "none"
    assert not page.is_checked("#show-device_find")
    page.keyboard.press("Space")
    assert page.evaluate(visibility) == "visible"


@pytest.mark.parametrize("width", [1366, 390])
def test_the_typed_point_fits_the_page(
    page: Any, sign_in: Any, password: str, screenshot: Any, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "worker", password, "/entry.html?kind=accident")
    page.wait_for_function("window.minewatch && window.minewatch.mapReady === true")
    assert page.is_visible("#typed-point")
    page.fill("#typed-lat", "50.41")
    page.fill("#typed-lon", "30.53")
    page.click("#typed-place")
    page.wait_for_function("window.minewatch.preview && window.minewatch.preview.accepted")
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width + 1, f"the entry page at {width} px scrolls sideways ({wide} px)"
    screenshot(page, f"entry-typed-point-{width}", full_page=True)
    page.goto("/entry.html?kind=hazardous_area")
    page.wait_for_function("window.minewatch && window.minewatch.formReady === true")
    assert not page.is_visible("#typed-point")  # an area is drawn or imported, not typed
