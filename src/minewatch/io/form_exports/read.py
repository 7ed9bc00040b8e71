"""Reading a whole export: the main table found among the export's tables, each repeat table
linked to its submissions (ODK's ``PARENT_KEY`` or ``__Submissions-id``, Kobo's
``_parent_index``), and every row made a submission.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from minewatch.errors import InvalidInput, Location
from minewatch.io.form_exports.files import Table, _files, _tables
from minewatch.io.form_exports.rows import _explode_indexed, _flatten, _submission
from minewatch.io.form_exports.submission import Export, Flavour

_ODK_MARKERS = {"KEY", "SubmissionDate", "meta-instanceID", "__id", "__system"}


def _detect_flavour(columns: Iterable[str]) -> Flavour:
    cols = set(columns)
    if cols & _ODK_MARKERS:
        return "odk"
    return "kobo"


# -- linking repeat tables to their submissions -------------------------------------------------


def _children_by_parent(
    tables: Mapping[str, Table], flavour: Flavour, main_name: str
) -> dict[str, dict[str, Table]]:
    """parent key → repeat name → rows, for repeat tables exported beside the main one."""
    linked: dict[str, dict[str, Table]] = {}
    for name, rows in tables.items():
        if name == main_name:
            continue
        repeat = _repeat_name(name, main_name)
        for r in rows:
            if flavour == "odk":
                parent = r.get("PARENT_KEY") or r.get("__Submissions-id")
            else:
                parent_table = r.get("_parent_table_name")
                if parent_table not in (None, "", main_name) and parent_table in tables:
                    continue  # a repeat inside a repeat: not used by any mapping here
                parent = r.get("_parent_index")
            if parent is not None:
                linked.setdefault(_key(parent), {}).setdefault(repeat, []).append(_flatten(r)[0])
    return linked


def _key(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _repeat_name(table: str, main: str) -> str:
    if table.lower().endswith(".json"):  # OData entity sets: Submissions.<group>.<repeat>
        return PurePosixPath(table).stem.rsplit(".", 1)[-1]
    stem = PurePosixPath(table).stem if table.lower().endswith(".csv") else table
    main_stem = PurePosixPath(main).stem if main.lower().endswith(".csv") else main
    return stem[len(main_stem) + 1 :] if stem.startswith(f"{main_stem}-") else stem


_CHILD_LINKS = ("PARENT_KEY", "__Submissions-id", "_parent_index")


def _main_table(tables: Mapping[str, Table]) -> str:
    names = [n for n in tables if not any(k in r for r in tables[n][:1] for k in _CHILD_LINKS)]
    names = names or list(tables)
    csvs = [n for n in names if n.lower().endswith(".csv")]
    if csvs:  # ODK's zip: <form>.csv plus <form>-<repeat>.csv
        stems = {n: PurePosixPath(n).stem for n in csvs}
        for n in csvs:
            if all(s == stems[n] or s.startswith(f"{stems[n]}-") for s in stems.values()):
                return n
        return csvs[0]
    return names[0]


def read_export(path: Path, flavour: Flavour | None = None) -> Export:
    """Every submission in a KoboToolbox or ODK Central export (file, folder or zip).

    ``flavour`` is detected from the columns (ODK's ``KEY``/``SubmissionDate``/``__id``,
    Kobo's ``_uuid``/``_index``) unless given.
    """
    tables, media = _tables(_files(path), path)
    main_name = _main_table(tables)
    main_rows = tables[main_name]
    columns = {c for r in main_rows[:50] for c in r}
    flav = flavour or ("xform" if main_name == "submissions.xml" else _detect_flavour(columns))
    linked = _children_by_parent(tables, flav, main_name)
    submissions = []
    for i, raw in enumerate(main_rows):
        if not isinstance(raw, dict):
            raise InvalidInput(
                "submission {number} is not an object of answers",
                Location(main_name, i + 1),
                number=i + 1,
            )
        flat, nested = _flatten(raw)
        flat, indexed = _explode_indexed(flat)
        repeats = {**indexed, **nested}
        link = (flat.get("KEY") or flat.get("__id")) if flav == "odk" else flat.get("_index")
        if link is not None:
            for name, rows in linked.get(_key(link), {}).items():
                repeats.setdefault(name, []).extend(rows)
        is_list = main_name.lower().endswith((".json", ".geojson", ".xml"))
        row: int | str = i + 1 if is_list else i + 2  # spreadsheet row: the header is row 1
        submissions.append(_submission(flat, repeats, flav, row))
    for rows in tables.values():
        columns.update(c for r in rows[:50] for c in r)
    hint = PurePosixPath(main_name).stem if main_name.lower().endswith(".csv") else None
    return Export(str(path), flav, submissions, columns, hint or path.stem, media)
