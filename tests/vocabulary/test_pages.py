"""The words written in the translated web pages' HTML are all in the catalogue, so
``translateStatic`` (web/src/i18n.ts) finds each of them in every language (issue 19).

Every page is checked, a new one included."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from minewatch.vocabulary.sources import source_entries

WEB = Path(__file__).resolve().parents[2] / "web"
TRANSLATED_PAGES = sorted(p.name for p in WEB.glob("*.html"))  # every page, new ones too
#: Codes written the same in every language (ISO 2859-1's inspection levels S-1, II...).
_CODE = re.compile(r"[A-Z0-9-]{1,4}")
_SKIPPED = {"script", "style", "code", "pre", "kbd", "samp"}
_VOID = {"meta", "link", "input", "br", "img", "hr", "source", "col", "wbr"}
_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")


class _Texts(HTMLParser):
    """The texts translateStatic looks up: text nodes (whitespace collapsed) outside code,
    the translated attributes, and the title before " · minewatch"."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.stack.append(tag)
        for name, value in attrs:
            if name in _ATTRIBUTES and value and value.strip():
                self.texts.append(" ".join(value.split()))

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if any(tag in _SKIPPED for tag in self.stack):
            return
        text = " ".join(data.split())
        if self.stack and self.stack[-1] == "title":
            text = text.split(" · ")[0]
        if re.search(r"[^\W\d_]", text) and not _CODE.fullmatch(text):
            self.texts.append(text)


def page_texts(page: str) -> list[str]:
    parser = _Texts()
    parser.feed((WEB / page).read_text(encoding="utf-8"))
    return parser.texts


@pytest.mark.parametrize("page", TRANSLATED_PAGES)
def test_every_word_of_a_translated_page_is_in_the_catalogue(page: str) -> None:
    english = {ident for (context, ident) in source_entries() if context is None}
    missing = [text for text in page_texts(page) if text not in english]
    assert not missing, f"{page}: add to the English catalogue: {missing}"


def test_the_reader_sees_the_language_and_direction_set_by_the_script() -> None:
    nav = (WEB / "src" / "nav.ts").read_text(encoding="utf-8")
    assert "loadVocabulary(" in nav and "translateStatic()" in nav
    i18n = (WEB / "src" / "i18n.ts").read_text(encoding="utf-8")
    assert "documentElement.dir" in i18n and "documentElement.lang" in i18n
