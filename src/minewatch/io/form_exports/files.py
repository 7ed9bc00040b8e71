"""An export's files read into tables of rows: a single file, a folder or a zip (ODK's
csv.zip), each CSV, XLSX sheet, JSON or GeoJSON file, or XForm instance a table of its own.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from minewatch.errors import InvalidInput, Location
from minewatch.io.form_exports.submission import is_blank

Table = list[dict[str, Any]]


def _sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _without_hxl_row(rows: Table) -> Table:
    """Kobo writes a row of HXL hashtags under the headers when the form has an hxl column."""
    if rows:
        values = [str(v).strip() for v in rows[0].values() if not is_blank(v)]
        if values and all(v.startswith("#") for v in values):
            return rows[1:]
    return rows


def _csv_table(text: str, name: str) -> Table:
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text), delimiter=_sniff_delimiter(text))
    rows = []
    try:
        for row in reader:
            extra = row.pop(None, None)
            if extra and any(not is_blank(v) for v in extra):
                raise InvalidInput(
                    "line {line} has more cells than the header ({count})",
                    Location(file=name, row=reader.line_num),
                    line=reader.line_num,
                    count=len(reader.fieldnames or []),
                )
            rows.append(row)
    except csv.Error as exc:  # e.g. a NUL byte, or a field over csv's size limit
        raise InvalidInput(
            "not a readable CSV: {problem}", Location(file=name), problem=exc
        ) from None
    return _without_hxl_row(rows)


def _xlsx_tables(data: bytes) -> dict[str, Table]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    tables: dict[str, Table] = {}
    try:
        for ws in wb.worksheets:
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None)
            if not header:
                continue
            names = [str(h) if h is not None else "" for h in header]
            tables[ws.title] = _without_hxl_row(
                [
                    {n: v for n, v in zip(names, row, strict=False) if n}
                    for row in rows
                    if any(v is not None for v in row)
                ]
            )
    finally:
        wb.close()
    return tables


def _json_rows(data: bytes, file: str) -> Table:
    try:
        payload = json.loads(data)
    except (ValueError, RecursionError) as exc:  # bad JSON, bad encoding, absurd nesting
        raise InvalidInput("not JSON: {problem}", Location(file=file), problem=exc) from None
    if isinstance(payload, dict):
        if payload.get("type") == "FeatureCollection":
            return [_feature_row(f) for f in payload.get("features") or []]
        for key in ("results", "value"):  # Kobo API v2, ODK Central OData
            if isinstance(payload.get(key), list):
                return list(payload[key])
        return [payload]
    if isinstance(payload, list):
        return payload
    raise InvalidInput("expected a JSON object or list of submissions", Location(file=file))


def _feature_row(feature: Mapping[str, Any]) -> dict[str, Any]:
    """A GeoJSON feature (KoboToolbox's GeoJSON export, an ArcGIS/Survey123 layer) as a row:
    its properties, and its geometry under ``geometry`` unless a property has that name."""
    row = dict(feature.get("properties") or {})
    if feature.get("geometry") is not None:
        row.setdefault("geometry", feature["geometry"])
    return row


def _xml_element(element: Any) -> Any:
    """An XML element as a value, an object, or (for repeated children) lists of objects."""
    from lxml import etree

    children = [c for c in element if isinstance(c.tag, str)]
    if not children:
        return (element.text or "").strip() or None
    out: dict[str, Any] = {}
    counts: dict[str, int] = {}
    for child in children:
        tag = etree.QName(child).localname
        counts[tag] = counts.get(tag, 0) + 1
    for child in children:
        tag = etree.QName(child).localname
        value = _xml_element(child)
        if counts[tag] > 1:
            out.setdefault(tag, []).append(value if isinstance(value, dict) else {"value": value})
        else:
            out[tag] = value
    return out


def _xml_submission(data: bytes, file: str) -> dict[str, Any]:
    """One XForm submission instance (ODK Collect's instance file, Central's submission.xml)."""
    from lxml import etree

    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        raise InvalidInput("not XML: {problem}", Location(file=file), problem=exc) from None
    row = _xml_element(root)
    if not isinstance(row, dict):
        raise InvalidInput("not an XForm submission", Location(file=file))
    if root.get("id"):
        row["_xform_id_string"] = root.get("id")
    return row


def _files(path: Path) -> dict[str, bytes]:
    """The export's files by name: a single file, a folder, or a zip (ODK's csv.zip)."""
    if path.is_dir():
        return {
            str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()
        }
    if not path.exists():
        raise InvalidInput("no such file: {path}", Location(file=str(path)), path=path)
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                return {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
        except zipfile.BadZipFile:
            raise InvalidInput("not a zip file", Location(file=str(path))) from None
        except (zlib.error, EOFError, NotImplementedError) as exc:  # damaged or exotic members
            raise InvalidInput(
                "the zip file is damaged: {problem}", Location(file=str(path)), problem=exc
            ) from None
    return {path.name: path.read_bytes()}


def _decoded(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "not UTF-8 text (byte {start}): export the CSV again as UTF-8",
            Location(file=name),
            start=exc.start,
        ) from None


def _workbook_tables(data: bytes, name: str) -> dict[str, Table]:
    from openpyxl.utils.exceptions import InvalidFileException

    # openpyxl reports a file that is not a workbook with zipfile's error, its own, or a
    # KeyError for a zip without the workbook's parts; a damaged one fails anywhere in its
    # parsing (zlib, XML, its own readers) with whatever that part raises. The bytes are all
    # it reads, so any exception means the file, not the program, is broken.
    try:
        return _xlsx_tables(data)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InvalidInput(
            "not an XLSX workbook: {problem}", Location(file=name), problem=exc
        ) from None
    except Exception as exc:  # any failure inside openpyxl (see above)
        raise InvalidInput(
            "the XLSX workbook is damaged ({kind}: {problem})",
            Location(file=name),
            kind=type(exc).__name__,
            problem=exc,
        ) from None


def _tables(files: Mapping[str, bytes], path: Path) -> tuple[dict[str, Table], list[str]]:
    tables: dict[str, Table] = {}
    media: list[str] = []
    for name, data in files.items():
        lower = name.lower()
        if lower.endswith(".csv"):
            tables[name] = _csv_table(_decoded(data, name), name)
        elif lower.endswith((".xlsx", ".xlsm")):
            tables.update(_workbook_tables(data, name))
        elif lower.endswith((".json", ".geojson")):
            tables[name] = _json_rows(data, name)
        elif lower.endswith(".xml"):
            tables.setdefault("submissions.xml", []).append(_xml_submission(data, name))
        elif not PurePosixPath(name).name.startswith("."):
            media.append(PurePosixPath(name).name)
    if not tables:
        raise InvalidInput("no CSV, XLSX or JSON submissions found", Location(file=str(path)))
    return tables, media
