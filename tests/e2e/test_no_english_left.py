"""No English left on a French or Arabic page (issue 19, "a search for any English string
left on a non-English page"): every page of the SYNTHETIC demo programme, signed in as its
administrator, in Debian's Chromium; the text a person sees (``innerText``, the values of
buttons, placeholders, titles and accessible names) must hold no English source text of the
catalogue that the language translates differently.

What counts as English here: the catalogue's messages and the vocabulary's labels of codes
and fields, at least 12 letters long and of two words or more (so "Rank", "Total" or a name
such as "KoboToolbox" never count), whose translation in the language differs from the
English; a message with placeholders counts by its longest fixed part. Data stays as the
store holds it (an area's name, a treaty's quoted article): the pages mark such text
``translate="no"`` and it is left out of the search.

One server (conftest's ``demo_url``) and one browser for the module; each language signs in
once and visits every page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from minewatch.vocabulary import vocabulary_document

pytestmark = pytest.mark.e2e

LANGUAGES = ("fr", "ar")
PAGES = (
    "/index.html",
    "/dashboard.html",
    "/entry.html",
    "/queue.html",
    "/review.html",
    "/intake.html",
    "/landrelease.html",
    "/qm.html",
    "/priority.html",
    "/residual.html",
    "/treaty.html?state=Ukraine",
    "/admin.html",
    "/account.html",
    "/item.html?kind=hazardous_area&code=HA-000001",
    "/migration.html",
)
_PLACEHOLDER = re.compile(r"\{\w+\}")
_LETTERS = re.compile(r"[A-Za-z]")

# Everything a person reads on the page: its visible text, and the words a control shows
# or a screen reader says that innerText leaves out; less what the page marks as data shown
# as its source states it (translate="no": a quoted article, a citation, a policy's text).
_SEEN = """() => {
  const data = [...document.querySelectorAll('[translate=no]')];
  const shown = data.map((e) => e.style.display);
  data.forEach((e) => (e.style.display = 'none'));
  const parts = [document.title, document.body.innerText];
  data.forEach((e, i) => (e.style.display = shown[i]));
  for (const e of document.querySelectorAll('[placeholder], [title], [aria-label], input[type=submit], input[type=button]')) {
    if (e.closest('[translate=no]')) continue;
    for (const name of ['placeholder', 'title', 'aria-label', 'value']) {
      if (name === 'value' && !(e instanceof HTMLInputElement && (e.type === 'submit' || e.type === 'button'))) continue;
      const v = e.getAttribute(name);
      if (v) parts.push(v);
    }
  }
  return parts.join('\\n');
}"""


def _fixed_part(text: str) -> str:
    """The longest stretch of a message between its placeholders ("{count} areas" → " areas")."""
    return max(_PLACEHOLDER.split(text), key=len).strip(" :;,.()·—–-")


def english_left_behind(lang: str) -> dict[str, str]:
    """The English texts that must not appear on a page in ``lang``: each searched-for
    fragment with the source text it comes from."""
    english, translated = vocabulary_document("en"), vocabulary_document(lang)
    pairs: list[tuple[str, object]] = []
    for msgid, text in translated["messages"].items():
        source = english["messages"].get(msgid, msgid)
        pairs.append((source if isinstance(source, str) else msgid, text))
    for group in ("enums", "fields"):
        for name, labels in english[group].items():
            for code, source in labels.items():
                pairs.append((source, translated[group].get(name, {}).get(code)))
    wanted: dict[str, str] = {}
    for source, text in pairs:
        forms = list(text.values()) if isinstance(text, dict) else [text]
        if source in forms:  # the language writes it as English does (a name, a cognate)
            continue
        fragment = _fixed_part(source)
        long_enough = len(_LETTERS.findall(fragment)) >= 12 and " " in fragment
        if long_enough and not any(fragment in str(form) for form in forms):
            wanted.setdefault(fragment, source)
    return wanted


@pytest.fixture(scope="module")
def demo_browser(browser: Any, demo_url: str) -> Iterator[Any]:
    """One context per language would share nothing; one for the module, cookies kept."""
    ctx = browser.new_context(base_url=demo_url, viewport={"width": 1366, "height": 900})
    ctx.set_default_timeout(60_000)
    yield ctx
    ctx.close()


#: How a page says it has drawn what it loads (most set body[data-loaded]).
READY = {"/qm.html": "body[data-plan]", "/entry.html": None}


def _settle(page: Any, path: str, lang: str) -> None:
    """The page has its vocabulary and has drawn what it loads."""
    page.wait_for_function("l => document.documentElement.lang === l", arg=lang)
    ready = READY.get(path.split("?")[0], "body[data-loaded]")
    if ready:
        page.wait_for_selector(ready, state="attached")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_english_on_any_page(
    demo_browser: Any, demo_password: str, screenshot: Any, lang: str
) -> None:
    wanted = english_left_behind(lang)
    assert len(wanted) > 300, "the search would find nothing: too few catalogue texts"
    page = demo_browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script(f"localStorage.setItem('minewatch.lang', '{lang}')")
    page.goto("/login.html?next=/account.html")
    page.fill("#username", "officer")
    page.fill("#password", demo_password)
    page.click("#login-submit")
    page.wait_for_url("**/account.html")
    page.wait_for_selector("#whoami")  # signed in: the header names the account
    found: dict[str, list[str]] = {}
    too_wide: dict[str, int] = {}
    # Arabic is read at a phone's width too (right to left, nothing wider than the screen).
    widths = (1366, 390) if lang == "ar" else (1366,)
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        for path in PAGES:
            page.goto(path)
            _settle(page, path, lang)
            if width == 1366:
                seen = page.evaluate(_SEEN)
                left = sorted({source for fragment, source in wanted.items() if fragment in seen})
                if left:
                    found[path] = left
            else:
                wider = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if wider > 1:
                    too_wide[path] = wider
            name = path.strip("/").split("?")[0].removesuffix(".html")
            screenshot(page, f"languages-{lang}-{name}-{width}", full_page=True)
    page.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not found, f"English left on {lang} pages: {found}"
    assert not too_wide, f"{lang} pages wider than a phone (px): {too_wide}"


def test_the_search_finds_english_where_it_is() -> None:
    """The same search on an English page's words finds them (the test can fail)."""
    wanted = english_left_behind("fr")
    page_text = "Hazardous areas by release progress (the accounting) and register status"
    assert any(fragment in page_text for fragment in wanted)
    assert "Approve" not in wanted  # one word: too short to say it is English
