"""Submissions as KoboToolbox and ODK Central export them, read into one shape.

What the servers produce (synthetic examples live in ``tests/synthetic_forms.py``):

KoboToolbox
    *CSV*: ``;``-separated by default; headers are question names with their group path
    (``accident/accident_date``) or labels (the default); ``_id``, ``_uuid``,
    ``_submission_time``, ``_index`` and usually ``meta/instanceID``; a geopoint is one column
    ``"lat lon alt acc"`` plus ``_<path>_latitude``/``_longitude``/``_altitude``/``_precision``;
    a select_multiple is one space-separated column plus optional one-hot ``<path>/<choice>``
    columns; a row of HXL hashtags may follow the headers. *XLSX*: the main sheet, then one
    sheet per repeat group whose rows point to their submission through ``_parent_index``
    (= the main sheet's ``_index``) and ``_submission__uuid``. *API v2 JSON*
    (``/api/v2/assets/<uid>/data/``): ``{"results": [...]}``, repeats nested as lists, files in
    ``_attachments`` with their download URLs.
ODK Central
    *CSV* (``submissions.csv.zip``): ``,``-separated; group paths joined by ``-``
    (``accident-accident_date``); ``SubmissionDate``, ``meta-instanceID``, ``KEY``; a geopoint
    is split into ``<path>-Latitude``, ``-Longitude``, ``-Altitude``, ``-Accuracy``; each repeat
    is its own file ``<form>-<repeat>.csv`` whose ``PARENT_KEY`` is the submission's ``KEY``.
    *OData JSON* (``Submissions?$expand=*``): ``{"value": [...]}``, ``__id``, ``__system``, groups
    as nested objects, geometry as GeoJSON (longitude first), repeats as nested lists; or the
    repeat entity sets (``Submissions.victims``) as separate files linked by
    ``__Submissions-id``.
GeoJSON
    A FeatureCollection (KoboToolbox's GeoJSON export, an ArcGIS/Survey123 layer): properties
    named after the questions, the feature's geometry as the location, ``globalid`` as the
    instance ID on ArcGIS.
XForm instances
    One XML file per submission (ODK Collect's instance files, Central's ``submission.xml``):
    the root element carries the form ``id``; a repeat is a repeated element.

>>> _ = (tmp / "a.xml").write_text(
...     '<data id="minewatch_accident"><accident><accident_date>2024-08-01</accident_date>'
...     '<accident_location>35.2 48.6 0 0</accident_location></accident>'
...     '<victims><victim_sex>female</victim_sex></victims><victims><victim_sex>male</victim_sex>'
...     '</victims><meta><instanceID>uuid:0001</instanceID></meta></data>')
>>> export = read_export(tmp / "a.xml")
>>> export.flavour, export.submissions[0].form_id, export.submissions[0].instance_id
('xform', 'minewatch_accident', 'uuid:0001')
>>> len(export.submissions[0].repeats["victims"])
2
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from minewatch.errors import InvalidInput, Location

#: Where an export comes from; "xform" is raw XForm submission instances (``.xml``).
Flavour = Literal["kobo", "odk", "xform"]

_ODK_MARKERS = {"KEY", "SubmissionDate", "meta-instanceID", "__id", "__system"}
_KOBO_SPLIT_GEO = re.compile(r"^_(.+)_(latitude|longitude|altitude|precision)$")
_ODK_SPLIT_GEO = re.compile(r"^(.+)-(Latitude|Longitude|Altitude|Accuracy)$")
_INDEXED = re.compile(r"^(?:.*/)?([^/\[\]]+)\[(\d+)\]/(.+)$")
_GEO_PARTS = {
    "latitude": 0,
    "longitude": 1,
    "altitude": 2,
    "precision": 3,
    "Latitude": 0,
    "Longitude": 1,
    "Altitude": 2,
    "Accuracy": 3,
}
_TRUE = {"1", "true", "True", "TRUE"}


# -- answers, found by question name ---------------------------------------------------------


def is_blank(value: Any) -> bool:
    """An unanswered question: None or empty text."""
    return value is None or (isinstance(value, str) and not value.strip())


class Answers:
    """One submission's (or one repeat row's) answers, found by question name whatever group
    path, separator (``/`` for Kobo, ``-`` for ODK) or header style the export used. Lookups
    fall back to ``parent`` (the submission, for a repeat row), as XPath's scoping does."""

    def __init__(
        self,
        data: Mapping[str, Any],
        parent: Answers | None = None,
        aliases: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.data = {k: v for k, v in data.items() if not is_blank(v)}
        self.parent = parent
        #: question name → labels, for exports whose headers are labels
        self.aliases: Mapping[str, tuple[str, ...]] = aliases or {}
        self._one_hot: dict[str, list[str]] | None = None
        self._index: dict[str, str] = {}
        for key in data:
            self._index.setdefault(key, key)
        for key in data:
            for i, char in enumerate(key):
                if char in "/-":
                    self._index.setdefault(key[i + 1 :], key)

    def own(self, column: str) -> Any:
        """The answer in this row only (no fallback to the submission)."""
        for name in (column, *self.aliases.get(column, ())):
            key = self._index.get(name)
            if key is not None and key in self.data:
                return self.data[key]
        for name in (column, *self.aliases.get(column, ())):
            one_hot = self._from_one_hot(name)
            if one_hot is not None:
                return one_hot
        return None

    def get(self, column: str) -> Any:
        """The answer to ``column`` (a name, a group path or a label), or None."""
        value = self.own(column)
        if value is None and self.parent is not None:
            return self.parent.get(column)
        return value

    def has(self, column: str) -> bool:
        names = (column, *self.aliases.get(column, ()))
        return any(n in self._index for n in names) or (
            self.parent is not None and self.parent.has(column)
        )

    def with_aliases(self, aliases: Mapping[str, tuple[str, ...]]) -> Answers:
        self.aliases = aliases
        return self

    def _from_one_hot(self, column: str) -> str | None:
        """A select_multiple exported only as one-hot ``<question>/<choice>`` columns."""
        if self._one_hot is None:
            self._one_hot = self._index_one_hot()
        chosen = self._one_hot.get(column)
        return " ".join(chosen) if chosen else None

    def _index_one_hot(self) -> dict[str, list[str]]:
        """question (any suffix of its path) → chosen choices, built once per row."""
        index: dict[str, list[str]] = {}
        for key, value in self.data.items():
            prefix, sep, choice = key.rpartition("/")
            if not sep or str(value).strip() not in _TRUE:
                continue
            index.setdefault(prefix, []).append(choice)
            for i, char in enumerate(prefix):
                if char in "/-":
                    index.setdefault(prefix[i + 1 :], []).append(choice)
        return index


@dataclass(frozen=True)
class Attachment:
    """A file sent with a submission (photo, sketch map); ``url`` where the export gives it."""

    filename: str
    question: str | None = None
    url: str | None = None
    mimetype: str | None = None
    in_export: bool = False  # the file itself is in the export (ODK's media/ folder)


@dataclass
class Submission:
    """One submission as read from an export, before mapping."""

    instance_id: str | None
    row: int | str
    answers: Answers
    repeats: dict[str, list[Answers]] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    form_id: str | None = None
    server_refusal: str | None = None  # why the server says not to use it, if it does

    def repeat_rows(self, name: str, labels: tuple[str, ...] = ()) -> list[Answers]:
        """The rows of repeat ``name`` (or of a sheet named after one of its labels)."""
        for key in (name, *labels):
            # Excel sheet names stop at 31 characters, so a long repeat's sheet is truncated.
            rows = self.repeats.get(key) or self.repeats.get(key[:31])
            if rows:
                return rows
        return self._single_row(name)

    def _single_row(self, name: str) -> list[Answers]:
        """A repeat answered once in an XML instance looks like a group: read it as one row."""
        pattern = re.compile(rf"(?:^|/){re.escape(name)}/(.+)$")
        row = {m.group(1): v for k, v in self.answers.data.items() if (m := pattern.search(k))}
        return [Answers(row, parent=self.answers, aliases=self.answers.aliases)] if row else []


@dataclass
class Export:
    """Every submission of one export, with what is known of its origin."""

    file: str
    flavour: Flavour
    submissions: list[Submission]
    columns: set[str]
    form_hint: str | None = None
    media: list[str] = field(default_factory=list)


# -- reading files into tables -----------------------------------------------------------------

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


def _csv_table(text: str) -> Table:
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text), delimiter=_sniff_delimiter(text))
    return _without_hxl_row([dict(row) for row in reader])


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
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"not JSON: {exc}", Location(file=file)) from None
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
        raise InvalidInput(f"not XML: {exc}", Location(file=file)) from None
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
        raise InvalidInput(f"no such file: {path}", Location(file=str(path)))
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                return {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
        except zipfile.BadZipFile:
            raise InvalidInput("not a zip file", Location(file=str(path))) from None
    return {path.name: path.read_bytes()}


def _detect_flavour(columns: Iterable[str]) -> Flavour:
    cols = set(columns)
    if cols & _ODK_MARKERS:
        return "odk"
    return "kobo"


# -- normalising rows ----------------------------------------------------------------------------


def _merge_split_geopoints(row: dict[str, Any], pattern: re.Pattern[str]) -> dict[str, Any]:
    """Rebuild ``"lat lon alt acc"`` from split columns where the whole value is missing."""
    parts: dict[str, list[Any]] = {}
    for key, value in row.items():
        m = pattern.match(key)
        if m:
            parts.setdefault(m.group(1), [None] * 4)[_GEO_PARTS[m.group(2)]] = value
    out = dict(row)
    for path, (lat, lon, alt, acc) in parts.items():
        if is_blank(out.get(path)) and not is_blank(lat) and not is_blank(lon):
            out[path] = " ".join(str(v) for v in (lat, lon, alt, acc) if not is_blank(v))
    return out


def _is_geojson(value: Any) -> bool:
    return isinstance(value, dict) and "coordinates" in value and "type" in value


def _flatten(obj: Mapping[str, Any], prefix: str = "") -> tuple[dict[str, Any], dict[str, Table]]:
    """Nested groups (OData, Kobo JSON) as path keys; lists of objects as repeats."""
    flat: dict[str, Any] = {}
    repeats: dict[str, Table] = {}
    for key, value in obj.items():
        if key.endswith("@odata.navigationLink"):
            continue
        path = f"{prefix}{key}"
        if isinstance(value, dict) and not _is_geojson(value):
            inner, inner_repeats = _flatten(value, f"{path}/")
            flat.update(inner)
            repeats.update(inner_repeats)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            if key == "_attachments":
                flat[key] = value
            else:
                repeats[key.rsplit("/", 1)[-1]] = [_flatten(v)[0] for v in value]
        else:
            flat[path] = value
    return flat, repeats


def _explode_indexed(row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Table]]:
    """Legacy Kobo CSV columns ``victims[2]/victim_age`` as repeat rows."""
    flat: dict[str, Any] = {}
    rows: dict[str, dict[int, dict[str, Any]]] = {}
    for key, value in row.items():
        m = _INDEXED.match(key)
        if m:
            rows.setdefault(m.group(1), {}).setdefault(int(m.group(2)), {})[m.group(3)] = value
        else:
            flat[key] = value
    repeats = {name: [by_index[i] for i in sorted(by_index)] for name, by_index in rows.items()}
    return flat, repeats


def _with_uuid_prefix(value: Any) -> str | None:
    if is_blank(value):
        return None
    text = str(value).strip()
    return text if text.startswith("uuid:") else f"uuid:{text}"


def _kobo_instance_id(answers: Answers) -> str | None:
    # rootUuid survives edits on KoboToolbox; instanceID and _uuid are the same for an
    # unedited submission, so CSV, XLSX and JSON exports of it agree.
    # globalid: the GUID ArcGIS (Survey123) gives each feature.
    candidates = ("meta/rootUuid", "rootUuid", "meta/instanceID", "instanceID", "_uuid")
    for column in (*candidates, "globalid", "GlobalID"):
        value = answers.data.get(column) if "/" in column else answers.get(column)
        if not is_blank(value):
            return _with_uuid_prefix(str(value).strip("{}").lower() if "lobal" in column else value)
    return None


def _odk_instance_id(answers: Answers) -> str | None:
    # KEY and __id are the instance ID the submission was first sent with: stable across
    # edits on ODK Central, whereas meta/instanceID changes with each edit.
    for column in ("KEY", "__id", "meta-instanceID", "meta/instanceID", "instanceID"):
        value = answers.data.get(column)
        if not is_blank(value):
            return str(value).strip()
    return None


def _kobo_attachments(raw: Any) -> list[Attachment]:
    if not isinstance(raw, list):
        return []
    out = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        name = str(item.get("filename") or item.get("media_file_basename") or "")
        out.append(
            Attachment(
                filename=PurePosixPath(name).name or name,
                question=item.get("question_xpath"),
                url=item.get("download_url") or item.get("download_large_url"),
                mimetype=item.get("mimetype"),
            )
        )
    return out


def _submission(
    flat: dict[str, Any],
    repeats: Mapping[str, Table],
    flavour: Flavour,
    row: int | str,
) -> Submission:
    pattern = _ODK_SPLIT_GEO if flavour == "odk" else _KOBO_SPLIT_GEO
    answers = Answers(_merge_split_geopoints(flat, pattern))
    repeat_answers = {
        name: [Answers(_merge_split_geopoints(r, pattern), parent=answers) for r in rows]
        for name, rows in repeats.items()
    }
    instance = _odk_instance_id(answers) if flavour == "odk" else _kobo_instance_id(answers)
    form_id = flat.get("_xform_id_string")
    return Submission(
        instance_id=instance,
        row=row,
        answers=answers,
        repeats=repeat_answers,
        attachments=_kobo_attachments(flat.get("_attachments")),
        form_id=str(form_id) if form_id else None,
        server_refusal=_server_refusal(flat),
    )


_NOT_APPROVED = {"validation_status_not_approved", "not approved", "rejected"}
_ENCRYPTED = "missing encrypted form data"


def _server_refusal(flat: Mapping[str, Any]) -> str | None:
    """Why the server says this submission must not be used: a supervisor rejected it there
    (ODK Central's review state, KoboToolbox's validation status), or it is still encrypted."""
    review = flat.get("ReviewState") or flat.get("__system/reviewState")
    if isinstance(review, str) and review.strip().lower() in _NOT_APPROVED:
        return f"rejected on the server (review state {review!r})"
    validation = flat.get("_validation_status/uid") or flat.get("_validation_status")
    if isinstance(validation, str) and validation.strip().lower() in _NOT_APPROVED:
        return f"not approved on the server (validation status {validation!r})"
    status = flat.get("Status") or flat.get("__system/status")
    if isinstance(status, str) and status.strip().lower() == _ENCRYPTED:
        return "the submission is encrypted: decrypt it on the server before exporting"
    return None


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


def _decoded(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"not UTF-8 text (byte {exc.start}): export the CSV again as UTF-8",
            Location(file=name),
        ) from None


def _workbook_tables(data: bytes, name: str) -> dict[str, Table]:
    from openpyxl.utils.exceptions import InvalidFileException

    # openpyxl reports a file that is not a workbook with zipfile's error, its own, or a
    # KeyError for a zip without the workbook's parts.
    try:
        return _xlsx_tables(data)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InvalidInput(f"not an XLSX workbook: {exc}", Location(file=name)) from None


def _tables(files: Mapping[str, bytes], path: Path) -> tuple[dict[str, Table], list[str]]:
    tables: dict[str, Table] = {}
    media: list[str] = []
    for name, data in files.items():
        lower = name.lower()
        if lower.endswith(".csv"):
            tables[name] = _csv_table(_decoded(data, name))
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
