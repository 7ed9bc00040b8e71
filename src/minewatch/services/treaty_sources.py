"""Where every shipped treaty and policy fact comes from: one row per fact with its source,
address (URL) and the passage quoted in support (:func:`source_rows`), and the rows that lack
either (:func:`missing_sources`, behind ``minewatch treaty sources --check``).

Rows read from the depositary's saved status pages (participants, withdrawals, communications,
notes, instruments) quote nothing themselves: the saved page is the text, so they need its
address only. Curated rows (a declared suspension, an armed-conflict finding, an extension
decision, a date of effect, a stockpile declaration, each policy source) need both.

>>> problems = missing_sources(data_source())
>>> problems
[]
"""

from __future__ import annotations

import tomllib
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from minewatch.io.treaty_data import data_source, read_rows

#: Files built from the depositary's pages: the page is the quotation, its address required.
DEPOSITARY_FILES = (
    "instruments.csv",
    "participants_apmbc.csv",
    "participants_ccw-ap2.csv",
    "withdrawals.csv",
    "communications.csv",
    "notes.csv",
)
#: Curated files: every row needs its address and the passage that supports it.
CURATED_FILES = (
    "communications_extra.csv",
    "armed_conflict.csv",
    "art5_extensions.csv",
    "art5_completions.csv",
    "art5_mined_areas.csv",
    "effect_facts.csv",
    "stockpiles.csv",
    "groups.csv",
)
#: Lookup tables, not facts about treaties: listed as not checked.
NOT_CHECKED = ("states.csv",)


def _fact(row: dict[str, str]) -> str:
    if row.get("group"):
        return f"{row['group']} member since {row.get('since') or 'by ' + row.get('known_by', '')}"
    for key in (
        "kind",
        "new_deadline",
        "declared_on",
        "date_of_effect",
        "held_stockpile",
        "engaged",
        "consent",
        "mined_areas_reported",
    ):
        if row.get(key):
            return f"{key}={row[key]}"
    return ""


def _csv_rows(source: Traversable, name: str, need_quote: bool) -> list[dict[str, Any]]:
    if not (source / name).is_file():
        return []
    out = []
    for i, r in enumerate(read_rows(source, name), start=2):
        row = {
            "file": name,
            "row": i,
            "state": r.get("state", r.get("instrument", "")),
            "fact": _fact(r),
            "source": r.get("source", ""),
            "source_url": r.get("source_url", ""),
            "quote": r.get("quote", "") if need_quote else "(the saved depositary page)",
        }
        out.append(row)
        if need_quote and (r.get("legal_character") or "").strip():
            out.append(
                row
                | {
                    "fact": "legal_character",
                    "source": r.get("legal_character_source", ""),
                    "source_url": r.get("legal_character_url", ""),
                    "quote": r.get("legal_character_quote", ""),
                }
            )
    return out


def _policy_rows(source: Traversable) -> list[dict[str, Any]]:
    names = sorted(f.name for f in source.iterdir() if f.name.endswith("_policy.toml"))
    out = []
    for name in names:
        raw = tomllib.loads((source / name).read_text(encoding="utf-8"))
        cited = raw.get("sources", {})
        used: dict[str, list[str]] = {}
        for v in raw.get("versions", []):
            for s in v.get("sources", []):
                used.setdefault(s, []).append(v.get("id", "?"))
            for dim, p in v.get("provisions", {}).items():
                for s in p.get("sources", []):
                    used.setdefault(s, []).append(f"{v.get('id', '?')}.{dim}")
        for s in sorted(used):
            c = cited.get(s, {})
            out.append(
                {
                    "file": name,
                    "row": s,
                    "state": raw.get("state", ""),
                    "fact": ", ".join(dict.fromkeys(used[s])),
                    "source": s,
                    "source_url": c.get("url", ""),
                    "quote": c.get("quote", ""),
                }
            )
    return out


def data_directory(data_dir: str | Path | None = None) -> Traversable:
    """The treaty data directory the CLI names (``--data-dir``), or the shipped one.

    >>> data_directory().name
    'treaties'
    """
    return data_source(data_dir)


def source_rows(source: Traversable | None = None) -> list[dict[str, Any]]:
    """Every checked fact in the data directory with its source, URL and quotation.

    >>> rows = source_rows()
    >>> ukraine = [r for r in rows if r["file"] == "communications_extra.csv"]
    >>> [r["fact"] for r in ukraine][:3]
    ['kind=national decision', 'legal_character', 'kind=national law']
    """
    source = source or data_source()
    rows = []
    for name in DEPOSITARY_FILES:
        rows += _csv_rows(source, name, need_quote=False)
    for name in CURATED_FILES:
        rows += _csv_rows(source, name, need_quote=True)
    return rows + _policy_rows(source)


def missing_sources(source: Traversable | None = None) -> list[dict[str, Any]]:
    """The rows of :func:`source_rows` without a URL or without a quotation, each with what
    is missing.

    >>> from pathlib import Path
    >>> import shutil
    >>> copy = shutil.copytree(data_source(), tmp / "treaties")
    >>> with (copy / "stockpiles.csv").open("a") as fh:
    ...     _ = fh.write("apmbc,Synthetica,true,a synthetic claim,,\\n")
    >>> [(r["file"], r["row"], r["missing"]) for r in missing_sources(copy)]
    [('stockpiles.csv', 8, 'source_url, quote')]
    """
    out = []
    for r in source_rows(source):
        missing = [k for k in ("source_url", "quote") if not str(r[k]).strip()]
        if missing:
            out.append(r | {"missing": ", ".join(missing)})
    return out
