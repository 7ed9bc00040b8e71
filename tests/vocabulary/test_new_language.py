"""Adding a catalogue is enough to add a language (issue 19, item 5; docs/translations.md):
a Portuguese and a Lao catalogue, dropped into a copy of the locale folder, are picked up by
the vocabulary, the API's and CLI's messages, the XLSForms' columns and the PDFs (Lao in its
bundled font), with no code changed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from minewatch.vocabulary import catalogue

#: A few messages, as a programme's translator would give them (the rest stay empty, so
#: they show in English, as any untranslated message does).
PORTUGUESE = {
    "Approve": "Aprovar",
    "no report {code}": "nenhum relatório {code}",
    "Land release statements": "Declarações de libertação de terras",
}
LAO = {"Land release statements": "ໃບຢັ້ງຢືນການປົດປ່ອຍທີ່ດິນ", "Approve": "ອະນຸມັດ"}


def _catalogue(folder: Path, code: str, translated: dict[str, str]) -> None:
    english = catalogue.read_catalogue("en")
    new = Catalog(locale=code, project="minewatch", fuzzy=False)
    for message in english:
        if message.id and isinstance(message.id, str):
            new.add(message.id, translated.get(message.id, ""), context=message.context)
    target = folder / code / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.po").open("wb") as handle:
        write_po(handle, new)


@pytest.fixture()
def two_more_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "locale"
    shutil.copytree(catalogue._locale_root(), folder)
    _catalogue(folder, "pt", PORTUGUESE)
    _catalogue(folder, "lo", LAO)
    monkeypatch.setattr(catalogue, "_locale_root", lambda: folder)
    catalogue.shipped_locales.cache_clear()
    catalogue._translations.cache_clear()
    yield folder
    monkeypatch.undo()
    catalogue.shipped_locales.cache_clear()
    catalogue._translations.cache_clear()


def test_a_new_catalogue_is_picked_up_everywhere(two_more_languages: Path) -> None:
    from minewatch.errors import NotFound
    from minewatch.forms.build import _translated
    from minewatch.vocabulary import language_names, shipped_locales, translate
    from minewatch.vocabulary.document import vocabulary_document
    from minewatch.vocabulary.negotiate import choose_locale
    from minewatch.vocabulary.problems import error_text

    assert {"pt", "lo"} <= set(shipped_locales())
    assert translate("Approve", "pt-BR") == "Aprovar"
    assert choose_locale(None, "pt-MZ,pt;q=0.9,en;q=0.5") == "pt"
    assert choose_locale(None, "lo-LA") == "lo"
    assert language_names()["pt"] == "Português"
    assert vocabulary_document("pt")["messages"]["Approve"] == "Aprovar"
    assert error_text(NotFound("no report {code}", code="RPT-000001"), "pt") == (
        "nenhum relatório RPT-000001"
    )
    assert "label::Português (pt)" in _translated("label")  # the XLSForms' columns
    assert translate("Reject", "pt") == "Reject"  # untranslated: English, never blank


def test_a_lao_pdf_is_set_in_the_bundled_lao_font(two_more_languages: Path) -> None:
    import warnings

    from minewatch.charts.pdf import LocalisedPDF
    from minewatch.vocabulary import translate

    title = translate("Land release statements", "lo")
    assert title == LAO["Land release statements"]
    doc = LocalisedPDF("lo", title=title)
    assert doc.family == "NotoSansLao"
    doc.add_page()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph missing from every font would warn
        doc.heading(title)
        doc.paragraph("HA-000004 · 2024-05-01")
    lao = doc.fonts["notosanslaoB"].subset.get_all_glyph_names()  # the heading is bold
    assert len(lao) > len(set(title.replace(" ", ""))) // 2  # the title's glyphs, shaped
    assert bytes(doc.output()).startswith(b"%PDF")
