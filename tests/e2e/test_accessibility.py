"""Every page of the web UI scanned by axe-core in Chromium (issue 13, item 10): no serious
or critical violation of WCAG 2.1 A/AA or axe's best practices, signed out and signed in as
an administrator (who sees every control). axe-core is vendored (tests/e2e/vendor, from npm
``axe-core``, MPL-2.0), so the scan runs offline. One browser page walks every page, to keep
the run short; the findings go to test-artifacts/axe.json.

Also the keyboard: the first Tab stop is the skip link, shown when focused, and it moves the
focus to the main content."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

#: Pages as the public sees them, then as a signed-in administrator.
PUBLIC = ["/login.html", "/intake.html"]  # the others show the public less than an administrator
SIGNED_IN = [
    "/index.html",
    "/dashboard.html",
    "/entry.html",
    "/queue.html",
    "/item.html?kind=hazardous_area&code=HA-000001",
    "/landrelease.html",
    "/tasks.html",
    "/priority.html",
    "/residual.html",
    "/qm.html",
    "/treaty.html",
    "/intake.html",
    "/account.html",
    "/admin.html",
    "/migration.html",
]

#: Pages that do not set ``document.body.dataset.loaded`` when their data has arrived.
UNSIGNALLED = {"/login.html", "/entry.html", "/qm.html"}

#: Rows past the 20th of a table repeat the same markup: axe reads the first 20 (the treaty
#: page's 197 states took 25 s of the scan).
LONG_TABLES = "'tbody tr:nth-child(n+21)'"


def _scan(page: Any, path: str) -> list[dict[str, Any]]:
    """The serious and critical violations axe finds on ``path`` once it has loaded."""
    page.goto(path)
    page.wait_for_load_state("networkidle")
    if path.split("?")[0] not in UNSIGNALLED:  # the others are done at network idle
        page.wait_for_function("document.body.dataset.loaded !== undefined")
    started = time.monotonic()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        f"(tags) => axe.run({{exclude: [{LONG_TABLES}]}},"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    print(f"axe {path}: {time.monotonic() - started:.1f} s")
    return [
        {
            "page": path,
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:8],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_passes_axe_with_nothing_serious(page: Any, sign_in: Any, password: str) -> None:
    found: list[dict[str, Any]] = []
    for path in PUBLIC:
        found += _scan(page, path)
    sign_in(page, "admin", password, "/index.html")
    for path in SIGNED_IN:
        found += _scan(page, path)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe.json").write_text(json.dumps(found, indent=1))
    summary = "\n".join(
        f"{v['page']}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}" for v in found
    )
    assert not found, f"axe-core found serious or critical violations:\n{summary}"


def test_the_skip_link_is_the_first_tab_stop_and_moves_the_focus(page: Any) -> None:
    for path in ["/login.html", "/index.html", "/dashboard.html", "/treaty.html"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const a = document.activeElement; const r = a.getBoundingClientRect();"
            " return {cls: a.className, href: a.getAttribute('href'), x: r.left, w: r.width,"
            " ring: getComputedStyle(a).outlineStyle} }"
        )
        assert "skip" in focused["cls"] and focused["href"].startswith("#"), (path, focused)
        assert focused["x"] >= 0 and focused["w"] > 1, (path, "skip link not shown when focused")
        assert focused["ring"] == "solid", (path, "no visible focus ring")
        page.keyboard.press("Enter")
        target = focused["href"][1:]
        assert page.evaluate("location.hash") == f"#{target}"
        page.keyboard.press("Tab")  # the next stop is inside the target, not back in the header
        inside = page.evaluate(
            "(id) => document.getElementById(id).contains(document.activeElement)", target
        )
        assert inside, (path, page.evaluate("document.activeElement.outerHTML.slice(0, 120)"))


def test_signing_in_with_the_keyboard_alone_before_the_page_has_settled(
    page: Any, password: str
) -> None:
    """Tab, type, Tab, type, Enter, while the header is still asking who is signed in: the
    page's own script signs in (no browser GET putting the password in the address)."""
    slow = {"count": 0}

    def delayed(route: Any) -> None:
        slow["count"] += 1
        time.sleep(1.5)
        route.continue_()

    page.route("**/api/auth/me", delayed)
    page.goto("/login.html?next=/intake.html", wait_until="domcontentloaded")
    page.locator("#username").focus()
    page.keyboard.type("worker")
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/intake.html")
    assert "password" not in page.url and slow["count"] >= 1
    page.unroute("**/api/auth/me")


def test_legend_swatches_stand_out_from_the_page(page: Any) -> None:
    """Every legend swatch (map and dashboard charts) has an outline of at least 3:1 against
    the page (WCAG 1.4.11), so light colours such as 'cancelled' stay visible; the label
    beside it carries the meaning."""
    contrast = """() => [...document.querySelectorAll('.swatch')].map(s => {
        const rgb = c => { const [r, g, b, a = 1] = c.match(/[0-9.]+/g).map(Number);
          return [r, g, b].map(v => (a * v + (1 - a) * 255) / 255)  // over white
            .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4); };
        const lum = c => { const [r, g, b] = rgb(c); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const st = getComputedStyle(s);
        const l = [lum(st.borderTopColor), 1.0].sort((a, b) => b - a);  // on white
        return {ratio: (l[0] + 0.05) / (l[1] + 0.05), width: parseFloat(st.borderTopWidth)};
    })"""
    for path in ("/index.html", "/dashboard.html"):
        page.goto(path)
        page.wait_for_function("document.body.dataset.loaded !== undefined")
        page.wait_for_selector(".swatch", state="attached")
        swatches = page.evaluate(contrast)
        assert swatches, path
        weak = [s for s in swatches if s["ratio"] < 3 or s["width"] < 1]
        assert not weak, (path, weak)


def _resurvey(store_url: str) -> str:
    """A submitted resurvey of the seeded area whose crossing outline is repaired on entry:
    the review screen with a diff, a repair alert and both geometries on its map."""
    from datetime import date

    import shapely

    from minewatch.domain.access import local_admin
    from minewatch.domain.queries import ItemQuery
    from minewatch.domain.records import Kind
    from minewatch.services.records import Workflow
    from minewatch.store import open_store

    store = open_store(store_url)
    wf = Workflow(store, local_admin("axe"))
    area = store.query_items(ItemQuery(kind=Kind.HAZARDOUS_AREA))[0]
    x0, y0, x1, y1 = area.geometry.bounds
    bowtie = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    draft = wf.create_draft(
        Kind.HAZARDOUS_AREA,
        {"classification": "CHA"},
        bowtie,
        date_of_information=date(2025, 3, 1),
        item_ref=area.code,
    )
    code = wf.submit(draft.code or "").code or ""
    store.close()
    return code


def test_the_review_screen_and_its_approve_dialog_pass_axe(
    page: Any, server: Any, sign_in: Any, password: str
) -> None:
    code = _resurvey(server.store_url)
    sign_in(page, "admin", password, f"/review.html?report={code}")
    found = _scan(page, f"/review.html?report={code}")
    page.wait_for_function("document.body.dataset.loaded === 'true'")
    assert page.locator(".alert.repair").count() == 1
    page.keyboard.press("a")  # the approve confirmation, as a reviewer opens it
    page.wait_for_selector("dialog[open]")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        TAGS,
    )
    found += [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    page.keyboard.press("Escape")
    assert not found, json.dumps(found, indent=1)[:4000]
