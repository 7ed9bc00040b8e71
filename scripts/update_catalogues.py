"""Bring every language's catalogue in line with the source texts (a maintainer's tool,
like ``pybabel update``; nothing needs it to build or run).

    python scripts/update_catalogues.py                 # add missing entries, drop obsolete ones
    python scripts/update_catalogues.py --new pt        # start a Portuguese catalogue
    python scripts/update_catalogues.py --merge fr.json # take translations from a file

A merge file is a JSON list of ``[context or null, English id, translation]``, the
translation a list of plural forms for a message with plurals. Existing translations are
kept; an entry without one stays empty, which ``tests/vocabulary/test_catalogues.py``
reports.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from minewatch.vocabulary.sources import source_entries

LOCALE_DIR = Path(__file__).resolve().parents[1] / "src" / "minewatch" / "locale"
HEADER = """Messages of minewatch in {name}.
Machine-written translation, not yet reviewed by a native speaker (see docs/translations.md).
Message ids are the English text; msgctxt names the list a label belongs to."""


def _path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"


def update(code: str, merge: list[list[object]] | None = None) -> tuple[int, int]:
    """Rewrite one catalogue; answer (entries, untranslated)."""
    path = _path(code)
    old = Catalog(locale=code)
    if path.exists():
        with path.open("rb") as handle:
            old = read_po(handle, locale=code)
    new = Catalog(
        locale=code,
        header_comment="# " + HEADER.format(name=code).replace("\n", "\n# "),
        project="minewatch",
        version="1",
        msgid_bugs_address="the minewatch issue tracker",
        last_translator="machine-written, not reviewed by a native speaker",
        language_team=f"{code} (none yet)",
        creation_date=old.creation_date,
        revision_date=old.revision_date,
        fuzzy=False,
    )
    given = {(c, str(i)): s for c, i, s in (merge or [])}
    missing = 0
    for (context, singular), ident in source_entries().items():
        previous = old.get(ident[0] if isinstance(ident, tuple) else ident, context=context)
        text = given.get((context, singular))
        if text is None and previous is not None:
            text = previous.string
        if isinstance(ident, tuple):
            forms = list(text) if isinstance(text, list | tuple) else []
            if not any(forms):
                missing += 1
                forms = [""] * new.num_plurals
            new.add(ident, tuple(forms), context=context)
        else:
            text = str(text or "")
            missing += text == ""
            new.add(ident, text, context=context)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, new, width=100, omit_header=False, sort_output=False)
    return len(new), missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new", help="start a catalogue for this language code")
    parser.add_argument("--merge", type=Path, help="JSON file of translations for --lang")
    parser.add_argument("--lang", help="the language --merge translates into")
    args = parser.parse_args()
    codes = sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES").is_dir())
    codes = [c for c in codes if c != "en"]
    if args.new and args.new not in codes:
        codes.append(args.new)
    merge = json.loads(args.merge.read_text(encoding="utf-8")) if args.merge else None
    for code in codes:
        entries, missing = update(code, merge if code == args.lang else None)
        print(f"{code}: {entries} entries, {missing} without a translation")


if __name__ == "__main__":
    main()
