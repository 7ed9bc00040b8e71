"""maXML records (:mod:`.maxml`) as the catalogue of tables every migration reader gives.

- Each item type is a table (``Hazard``, ``Accident``, ``Victim`` …), each record of
  auxiliary data too (``Organisation``, ``Place`` …); classifications that items only refer
  to (ordnance, assistance, cause, needs) are marked ``lookup``: listed, not migrated.
- A table's key is its GUID column (a name ending in ``guid``), else its local id.
- A complex child that names another item of the export by its GUID is a **link**: the row
  gets ``<Table>_guid`` and the catalogue a relation, so a victim's row names its accident as
  Survey123's repeats name their parent. Which link is a row's parent is decided by a fixed
  order (accident, activity, land, education, QM, victim, location), since IMSMA NG items
  link in several directions.
- A complex child that repeats within an item (ordnance found in an activity) is a child
  table ``<Table>.<child>`` whose rows carry ``parent_guid``; attachments are child tables
  listed as attachments. Any other complex child becomes ``child.leaf`` columns.
- A column whose values are all GUIDs of auxiliary data in the same export (an
  organisation, a place, an ordnance type) gets a coded-value domain: GUID → name, so the
  run translates it as it translates a geodatabase's domain codes.
- Geometries: polygons, else lines, else points, from the coordinate system the file's
  ``DocumentHeader`` declares, in WGS84.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from minewatch.errors import InvalidInput, Location
from minewatch.io.migration.catalogue import (
    Catalogue,
    CodedDomain,
    Relation,
    SourceField,
    SourceTable,
)
from minewatch.io.migration.maxml import MULTI_SEPARATOR, ItemRecord, MaxmlExport

#: When an item links to several others, the first of these it links to is its parent.
PARENT_ORDER = (
    "Accident",
    "HazardReduction",
    "Hazard",
    "MREActivity",
    "QAActivity",
    "Victim",
    "VictimAssistance",
    "Location",
)
PARENT_KEY = "parent_guid"
#: A child row's key: its parent's GUID and its place among the parent's children.
OCCURRENCE_KEY = "occurrence_key"
_WGS84 = CRS.from_epsg(4326)
_WGS84_WORDS = re.compile(r"^(wgs\s*-?\s*84|geographic|lat\s*/?\s*long?)", re.IGNORECASE)


@dataclass
class MaxmlTables:
    """The catalogue, each table's rows as text, each table's geometries in WGS84, and where
    each row is in the files (``forms.xml line 57``)."""

    catalogue: Catalogue
    frames: dict[str, pd.DataFrame]
    geometries: dict[str, np.ndarray]
    origins: dict[str, list[str]]


def _norm(value: object) -> str:
    text = str(value).strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    return text.upper()


def _key_column(records: list[ItemRecord]) -> str | None:
    counts: dict[str, int] = {}
    for record in records:
        for column in record.values:
            counts[column] = counts.get(column, 0) + 1
    guids = [c for c in counts if c.lower().lstrip("@").endswith("guid")]
    localids = [c for c in counts if c.lower().replace("_", "").endswith("localid")]
    for candidates in (guids, localids):
        if candidates:
            return max(
                candidates,
                key=lambda c: (counts[c], c.lower().startswith(records[0].table.lower())),
            )
    return None


def maxml_tables(path: Path, export: MaxmlExport) -> MaxmlTables:
    """Tables, relations, domains and geometries from what :func:`.maxml.read_maxml` read.

    Examples
    --------
    >>> from minewatch.io.migration.maxml import ItemRecord, MaxmlExport
    >>> export = MaxmlExport([
    ...     ItemRecord("Accident", {"accident_guid": "{A1}", "accident_date": "2015-02-01"}),
    ...     ItemRecord("Victim", {"victim_guid": "V1", "gender": "Female"},
    ...                groups={"Accident": [{"accident_guid": "a1"}]})])
    >>> tables = maxml_tables(Path("export.xml"), export)
    >>> tables.catalogue.parent_of("Victim").parent, tables.frames["Victim"]["Accident_guid"][0]
    ('Accident', 'a1')
    """
    by_table: dict[str, list[ItemRecord]] = {}
    for record in export.items:
        by_table.setdefault(record.table, []).append(record)
    keys = {table: _key_column(records) for table, records in by_table.items()}
    auxiliary = {t for t, records in by_table.items() if all(r.auxiliary for r in records)}
    owner: dict[str, str] = {}  # GUID → table of the record it identifies
    names: dict[str, str] = {}  # GUID of auxiliary data → its name
    for table, records in by_table.items():
        key = keys[table]
        for record in records if key else []:
            if key in record.values:
                owner.setdefault(_norm(record.values[key]), table)
                if table in auxiliary and (name := _name_of(record)):
                    names[_norm(record.values[key])] = name
    rows: dict[str, list[dict[str, str]]] = {
        t: [dict(r.values) for r in rs] for t, rs in by_table.items()
    }
    relations: list[Relation] = []
    children: dict[str, list[dict[str, str]]] = {}
    origins = {t: [_origin(r) for r in records] for t, records in by_table.items()}
    for table, records in by_table.items():
        tags = list(dict.fromkeys(tag for r in records for tag in r.groups))
        for tag in tags:
            relations += _resolve_group(
                table, tag, records, rows, keys, owner, auxiliary, children, origins
            )
    rows.update(children)
    relations.sort(key=lambda r: (r.child, _rank(r.parent)))
    aliases = {t: {k: v for r in rs for k, v in r.aliases.items()} for t, rs in by_table.items()}
    frames = {t: _frame(rs) for t, rs in rows.items()}
    domains: dict[str, CodedDomain] = {}
    tables = []
    geometries: dict[str, np.ndarray] = {}
    for table, frame in frames.items():
        records = by_table.get(table, [])
        geometries[table] = _geometries(records, export, len(frame))
        fields = []
        for column in frame.columns:
            own_key = column in (keys.get(table), OCCURRENCE_KEY, PARENT_KEY)
            domain = None if own_key else _domain(f"{table}.{column}", frame[column], names)
            if domain is not None:
                domains[domain.name] = domain
            fields.append(
                SourceField(
                    column,
                    aliases.get(table, {}).get(column),
                    "text",
                    None if domain is None else domain.name,
                )
            )
        shapes = [g for g in geometries[table] if g is not None]
        tables.append(
            SourceTable(
                table,
                tuple(fields),
                len(frame),
                shapes[0].geom_type if shapes else None,
                keys.get(table, OCCURRENCE_KEY),
                lookup=bool(records) and all(r.lookup for r in records),
            )
        )
    notes = tuple(export.notes)
    return MaxmlTables(
        Catalogue(str(path), "maxml", tuple(tables), domains, tuple(relations), notes),
        frames,
        geometries,
        origins,
    )


def _origin(record: ItemRecord) -> str:
    return f"{Path(record.file).name} line {record.line}"


def _name_of(record: ItemRecord) -> str | None:
    for column, value in record.values.items():
        if column.lower() == "name" or column.lower().endswith("_name"):
            return value
    return None


def _rank(table: str) -> int:
    return PARENT_ORDER.index(table) if table in PARENT_ORDER else len(PARENT_ORDER)


def _resolve_group(
    table: str,
    tag: str,
    records: list[ItemRecord],
    rows: dict[str, list[dict[str, str]]],
    keys: dict[str, str | None],
    owner: dict[str, str],
    auxiliary: set[str],
    children: dict[str, list[dict[str, str]]],
    origins: dict[str, list[str]],
) -> list[Relation]:
    """One kind of complex child of a table's records: a link, a child table or columns."""
    targets = {
        owner[_norm(v)]
        for r in records
        for occurrence in r.groups.get(tag, [])
        for v in _values(occurrence)
        if _norm(v) in owner and owner[_norm(v)] != table and owner[_norm(v)] not in auxiliary
    }
    key = keys[table]
    if targets and tag != "attachment":
        for record, row in zip(records, rows[table], strict=True):
            for occurrence in record.groups.get(tag, []):
                used = set()
                for leaf, value in occurrence.items():
                    target = owner.get(_norm(value))
                    if target in targets and f"{target}_guid" not in row:
                        row[f"{target}_guid"] = value
                        used.add(leaf)
                for leaf, value in occurrence.items():
                    if leaf not in used:
                        column = f"{tag}.{leaf}"
                        row[column] = MULTI_SEPARATOR.join(filter(None, (row.get(column), value)))
        return [
            Relation(f"{target}_{table}", target, table, keys[target] or "", f"{target}_guid")
            for target in sorted(targets)
            if keys.get(target)
        ]
    repeated = any(len(r.groups.get(tag, [])) > 1 for r in records)
    if (repeated or tag == "attachment") and key is not None:
        child = f"{table}.{tag}"
        out = children.setdefault(child, [])
        for record in records:
            parent = record.values.get(key, "")
            for n, occurrence in enumerate(record.groups.get(tag, []), start=1):
                out.append({OCCURRENCE_KEY: f"{parent}#{n}", PARENT_KEY: parent, **occurrence})
                origins.setdefault(child, []).append(_origin(record))
        return [Relation(child, table, child, key, PARENT_KEY, attachment=tag == "attachment")]
    for record, row in zip(records, rows[table], strict=True):
        for occurrence in record.groups.get(tag, []):
            for leaf, value in occurrence.items():
                row[f"{tag}.{leaf}"] = value
    return []


def _values(occurrence: dict[str, str]) -> Iterable[str]:
    for value in occurrence.values():
        yield from (v for v in value.split(MULTI_SEPARATOR) if v)


def _frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    columns = list(dict.fromkeys(c for row in rows for c in row))
    return pd.DataFrame.from_records(rows, columns=columns).astype(object)


def _domain(name: str, values: pd.Series, names: dict[str, str]) -> CodedDomain | None:
    present = [str(v) for v in values.dropna().unique() if str(v).strip()]
    if not present or not names or not all(_norm(v) in names for v in present):
        return None
    return CodedDomain(
        name, "IMSMA NG auxiliary data in the export", {v: names[_norm(v)] for v in present}
    )


def _crs(text: str | None, file: str) -> CRS:
    if text is None or _WGS84_WORDS.match(text.strip()):
        return _WGS84
    try:
        return CRS.from_user_input(text.strip())
    except CRSError:
        raise InvalidInput(
            "DocumentCoordinateReferenceSystem {text!r} is not a coordinate system pyproj knows; write it as EPSG:nnnn in the file's DocumentHeader",
            Location(file=file),
            text=text,
        ) from None


def _geometries(records: list[ItemRecord], export: MaxmlExport, size: int) -> np.ndarray:
    out = np.full(size, None, dtype=object)
    transformers: dict[str, Transformer | None] = {}
    for i, record in enumerate(records):
        if not record.shapes:
            continue
        if record.file not in transformers:
            crs = _crs(export.crs.get(record.file), record.file)
            transformers[record.file] = (
                None if crs == _WGS84 else Transformer.from_crs(crs, _WGS84, always_xy=True)
            )
        transformer = transformers[record.file]
        shapes = [
            [transformer.transform(x, y) if transformer else (x, y) for x, y in s.points]
            for s in record.shapes
        ]
        kinds = [s.kind for s in record.shapes]
        if "polygon" in kinds:
            out[i] = shapely.multipolygons(
                [shapely.polygons(p) for p, k in zip(shapes, kinds, strict=True) if k == "polygon"]
            )
        elif "line" in kinds:
            out[i] = shapely.multilinestrings(
                [shapely.linestrings(p) for p, k in zip(shapes, kinds, strict=True) if k == "line"]
            )
        else:
            points = [shapely.points(p[0]) for p in shapes]
            out[i] = points[0] if len(points) == 1 else shapely.multipoints(points)
    return out
