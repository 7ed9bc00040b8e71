"""Every shipped language translates every message and label, with the same placeholders
(issue 19, item 5), and every message the code asks for is in the English catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from minewatch.vocabulary import shipped_locales, translate, vocabulary_document
from minewatch.vocabulary.catalogue import read_catalogue
from minewatch.vocabulary.sources import placeholders, source_entries

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [code for code in shipped_locales() if code != "en"]


def test_the_five_languages_ship() -> None:
    assert set(shipped_locales()) >= {"en", "fr", "es", "uk", "ar"}


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders(code: str) -> None:
    catalogue = read_catalogue(code)
    problems = []
    for (context, singular), ident in source_entries().items():
        message = catalogue.get(ident[0] if isinstance(ident, tuple) else ident, context=context)
        where = f"{code}: {context or ''}|{singular}"
        if message is None:
            problems.append(f"{where}: missing (run scripts/update_catalogues.py)")
            continue
        if message.fuzzy:
            problems.append(f"{where}: marked fuzzy")
        forms = (
            list(message.string) if isinstance(message.string, tuple | list) else [message.string]
        )
        if isinstance(ident, tuple) and len(forms) != catalogue.num_plurals:
            problems.append(
                f"{where}: {len(forms)} plural forms, the language has {catalogue.num_plurals}"
            )
        wanted = placeholders(singular) | (
            placeholders(ident[1]) if isinstance(ident, tuple) else set()
        )
        for form in forms:
            if not form or not form.strip():
                problems.append(f"{where}: not translated")
            elif placeholders(form) != wanted:
                problems.append(
                    f"{where}: placeholders {sorted(placeholders(form))} ≠ {sorted(wanted)}"
                )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_catalogue_keeps_obsolete_entries(code: str) -> None:
    sources = {(c, s) for c, s in source_entries()}
    kept = set()
    for message in read_catalogue(code):
        if message.id:
            singular = message.id[0] if isinstance(message.id, tuple | list) else message.id
            kept.add((message.context, singular))
    assert kept <= sources, sorted(kept - sources)


def _literal_calls(pattern: str, files: list[Path]) -> dict[str, str]:
    found = {}
    for path in files:
        for match in re.finditer(pattern, path.read_text(encoding="utf-8")):
            found[match.group(2)] = f"{path.relative_to(ROOT)}"
    return found


def test_every_message_the_web_pages_ask_for_is_in_the_catalogue() -> None:
    english = {ident for (context, ident) in source_entries() if context is None}
    # t("…") and t('…') with a literal first argument, on the same line or the next (template
    # literals cannot be looked up)
    asked = _literal_calls(
        r"""\bt\(\s*(["'])((?:(?!\1).)+)\1""", sorted((ROOT / "web/src").glob("*.ts"))
    )
    missing = {text: where for text, where in asked.items() if text not in english}
    assert not missing, missing


def _texts(node: ast.expr) -> list[str]:
    """The literal texts an argument can be: a string (Python joins adjacent literals), or
    either branch of a conditional."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _texts(node.body) + _texts(node.orelse)
    return []


#: Calls whose literal arguments are catalogue messages: the English template first
#: (``translate``, ``_t``, a composed ``Message``), or every text after the language
#: (``words_in``: a table's headers).
_FIRST = {"translate", "_t", "say", "Message"}
_ALL_AFTER_LOCALE = {"words_in"}


def python_messages(root: Path) -> dict[str, str]:
    """Every literal message Python code asks the catalogues for, with where it is asked."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            arguments = (
                node.args[:1] if name in _FIRST else node.args[1:] if name in _ALL_AFTER_LOCALE
                else []
            )  # fmt: skip
            for argument in arguments:
                for text in _texts(argument):
                    found.setdefault(text, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_message_python_asks_for_is_in_the_catalogue() -> None:
    english = {ident for (context, ident) in source_entries() if context is None}
    asked = python_messages(ROOT / "src/minewatch")
    assert "Reporting period: {start} to {end}." in asked  # the parse finds them, joined
    missing = {
        text: where
        for text, where in asked.items()
        if text not in english and "vocabulary/" not in where
    }
    assert not missing, missing


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_document_has_no_english_left(code: str) -> None:
    doc = vocabulary_document(code)
    english = vocabulary_document("en")
    assert doc["locale"] == code
    same = [
        f"{name}.{value}"
        for name, labels in doc["enums"].items()
        for value, text in labels.items()
        if text == english["enums"][name][value] and len(text) > 4 and not text.isupper()
    ]
    # words that are the same in both languages (Accident, Organisation, Acquisition...) are
    # few: about one label in sixteen (the lists grow; cognates such as Ratification grow too)
    labels = sum(len(v) for v in english["enums"].values())
    assert len(same) < max(12, labels // 16), same


def test_right_to_left_and_plurals() -> None:
    assert vocabulary_document("ar")["direction"] == "rtl"
    assert translate("Approve", locale="fr") == "Approuver"
    assert translate("Open", locale="fr", context="HazardStatus") == "Ouverte"
    assert vocabulary_document("uk")["messages"]["{count} report"] == {
        "one": "{count} звіт",
        "few": "{count} звіти",
        "many": "{count} звітів",
    }
