"""IMSMA NG exports in maXML, read safely and as a stream.

IMSMA NG (GICHD's Information Management System for Mine Action, Next Generation) exchanges
its data as maXML files (GICHD, "Importing and Exporting",
http://mwiki.gichd.org:8090/mediawiki/index.php?title=Importing_and_Exporting&direction=next&oldid=13123;
"IMSMA and maXML", http://mwiki.gichd.org/mediawiki/index.php?title=IMSMA_and_maXML&oldid=24335):

- **Data Entry Forms** (item data): the root ``MineActionFieldReport`` holds a
  ``DocumentHeader`` and one ``FieldReport`` per form; each ``FieldReport`` holds a
  ``FieldReportInfo`` (template, reporter, ``ReportingDate`` = Date of Information, approval)
  and one item — ``Hazard`` (Land), ``HazardReduction`` (Activity), ``Accident``, ``Victim``,
  ``MREActivity`` (Education), ``QAActivity`` (Quality Management), ``Location`` or
  ``VictimAssistance`` — and may hold attachments.
- **Auxiliary data**, one type per file: ``GazeteerArtifact`` (country structure),
  ``MineActionOrganisationArtifact``, ``MineActionPlaceArtifact``,
  ``MineActionOrdnanceArtifact`` and the assistance, cause and needs classifications
  (GICHD, "MaXML Architecture",
  http://mwiki.gichd.org/mediawiki/index.php?title=MaXML_Architecture&redirect=no).

The wiki does not publish the element names inside each item (they vary by country, with
custom defined fields), so nothing here depends on them: :func:`read_maxml` turns each item
into a flat record of its values, keeps its complex children (links to other items,
references to auxiliary data, repeated parts such as ordnance found) as groups for
:mod:`.maxml_tables` to resolve by content, and reads its geospatial points and polygons.

Safety: lxml parses without loading a DTD, resolving entities or touching the network, and a
file that declares a DTD at all is refused (an XML bomb or an external entity needs one);
malformed XML is an :class:`~minewatch.errors.InvalidInput` naming the file, the line and the
element being read. Each form is cleared once read, so memory follows the largest form, not
the file.

>>> (tmp / "one.xml").write_text('''<MineActionFieldReport><FieldReport>
...   <FieldReportInfo><ReportingDate>2014-03-14</ReportingDate></FieldReportInfo>
...   <Hazard><hazard_guid>{0A1B}</hazard_guid><status>Active</status></Hazard>
... </FieldReport></MineActionFieldReport>''')
230
>>> export = read_maxml([tmp / "one.xml"])
>>> record = export.items[0]
>>> record.table, record.values["status"], record.values["ReportingDate"]
('Hazard', 'Active', '2014-03-14')
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lxml import etree

from minewatch.errors import InvalidInput, Location

#: The root of a file of Data Entry Forms.
FIELD_REPORTS = "MineActionFieldReport"
#: Auxiliary data that classifies (the items refer to it); not records of their own.
LOOKUP_ARTIFACTS = frozenset(
    {"MineActionOrdnanceArtifact", "AssistanceArtifact", "CauseArtifact", "NeedsAssessmentArtifact"}
)
#: FieldReportInfo's elements and their labels in IMSMA NG's Data Inventory Manager (GICHD,
#: "FieldReportInfo Artifact", http://mwiki.gichd.org:8090/IM/FieldReportInfo_Artifact).
FORM_LABELS = {
    "FieldReportName": "Data Entry Form Template",
    "Version": "Version",
    "ReportingPerson": "Reported By",
    "ReportingPosition": "Reported By Position",
    "ReportingOrg": "Report Owner",
    "ReportingDate": "Date Of Information",
    "VerifyingDate": "Approved Date",
    "VerifiedBy": "Approved By",
    "ReportCompletedDate": "Submitted Date",
}
#: What a multi-select's several values are joined with (the assistant proposes it back).
MULTI_SEPARATOR = "; "
_GEOSPATIAL = re.compile(r"geo_?spatial", re.IGNORECASE)
_CDF = re.compile(r"cdf|customdefined", re.IGNORECASE)
_X = ("longitude", "x", "lon", "long", "easting")
_Y = ("latitude", "y", "lat", "northing")


def local(tag: Any) -> str:
    """An element's name without its namespace."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else str(tag)


@dataclass
class Shape:
    """A shape of an item's geospatial data: its kind (``point``, ``polygon`` or ``line``)
    and its points as (x, y) in the document's coordinate system, in drawing order."""

    kind: str
    points: list[tuple[float, float]]


@dataclass
class ItemRecord:
    """One item (or one record of auxiliary data) as read: its table (the element's name),
    its values (column → text; a multi-select's values joined by :data:`MULTI_SEPARATOR`),
    its complex children by name (each occurrence flattened to path → text), its shapes, the
    aliases of columns that carry one (custom defined fields' labels) and where it was."""

    table: str
    values: dict[str, str]
    groups: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    shapes: list[Shape] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    file: str = ""
    line: int | None = None
    auxiliary: bool = False  # from an auxiliary data artifact, not a Data Entry Form
    lookup: bool = False  # a classification the items refer to, not records of its own


@dataclass
class MaxmlExport:
    """Everything read from one or more maXML files: the records in file order, the
    coordinate system each file declares, and what the reader noticed."""

    items: list[ItemRecord] = field(default_factory=list)
    crs: dict[str, str] = field(default_factory=dict)  # file → CoordinateSystem as written
    notes: list[str] = field(default_factory=list)


def maxml_files(path: Path) -> list[tuple[str, Any]]:
    """The maXML files of a source: the file, a folder's ``.xml`` files, or a zip's."""
    if path.is_dir():
        return [(str(p), p) for p in sorted(path.glob("*.xml"))]
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = sorted(n for n in archive.namelist() if n.lower().endswith(".xml"))
        return [(f"{path}/{n}", (path, n)) for n in names]
    return [(str(path), path)]


def is_maxml_source(path: Path) -> bool:
    """Whether a source is maXML: an ``.xml`` file, or a folder or zip of ``.xml`` files."""
    if path.is_file() and path.suffix.lower() == ".xml":
        return True
    if path.is_dir():
        return any(path.glob("*.xml")) and not any(path.glob("*.csv"))
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return False
        return any(n.lower().endswith(".xml") for n in names) and not any(
            ".gdb/" in n for n in names
        )
    return False


def read_maxml(files: list[Path] | list[tuple[str, Any]]) -> MaxmlExport:
    """Read maXML files (paths, or ``(name, path | (zip, member))`` pairs) into records."""
    export = MaxmlExport()
    for entry in files:
        name, where = (str(entry), entry) if isinstance(entry, Path) else entry
        with _open(where) as stream:
            _read_file(stream, name, export)
    return export


def _open(where: Any) -> IO[bytes]:
    if isinstance(where, tuple):
        archive, member = where
        with zipfile.ZipFile(archive) as opened:
            return io.BytesIO(opened.read(member))
    return open(where, "rb")  # closed by the caller's with


def _read_file(stream: IO[bytes], name: str, export: MaxmlExport) -> None:
    events = etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    depth = 0
    root = ""
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    root = _check_root(element, name)
                continue
            depth -= 1
            if depth != 1:
                continue
            _take(element, root, name, export)
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, 0)
        said = re.sub(r", line \d+, column \d+$", "", str(exc.msg))
        near = _element_near(stream, line, column)
        raise InvalidInput(
            "not well-formed XML at line {line}, column {column}: {said} (in or after <{near}>)"
            if near
            else "not well-formed XML at line {line}, column {column}: {said}",
            Location(file=name),
            line=line,
            column=column,
            said=said,
            near=near,
        ) from None
    if not root:
        raise InvalidInput("no XML element in the file", Location(file=name))


def _element_near(stream: IO[bytes], line: int, column: int) -> str | None:
    """The last element opened before a place in the file (the parser reports only where)."""
    try:
        stream.seek(0)
    except (OSError, ValueError):
        return None
    tail = b""
    for number, text in enumerate(stream, start=1):
        if number == line:
            tail = (tail + text[: max(column, 0)])[-8192:]
            break
        tail = (tail + text)[-8192:]
    opened = re.findall(rb"<([A-Za-z_][\w.:-]*)", tail)
    return opened[-1].decode("utf-8", "replace") if opened else None


def _check_root(element: Any, name: str) -> str:
    info = element.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise InvalidInput(
            "the file declares a DTD (<!DOCTYPE …>); maXML exports have none, and entities "
            "it defines could expand without end or read other files: refused",
            Location(file=name),
        )
    root = local(element.tag)
    if root != FIELD_REPORTS and not root.endswith("Artifact"):
        raise InvalidInput(
            "not a maXML export: the root element is <{root}>, not <{expected}> or an auxiliary data artifact (…Artifact)",
            Location(file=name),
            root=root,
            expected=FIELD_REPORTS,
        )
    return root


def _take(element: Any, root: str, name: str, export: MaxmlExport) -> None:
    """One element at depth 2: the header, a form, or a record of auxiliary data."""
    tag = local(element.tag)
    if tag == "DocumentHeader":
        crs = _find_text(element, "CoordinateSystem")
        if crs:
            export.crs[name] = crs
        return
    if root != FIELD_REPORTS:
        record = _flatten_item(element, name)
        record.auxiliary = True
        record.lookup = root in LOOKUP_ARTIFACTS
        export.items.append(record)
        return
    if tag != "FieldReport":
        export.notes.append(f"{Path(name).name} line {element.sourceline}: <{tag}> skipped")
        return
    info: dict[str, str] = {}
    items = []
    attachments = []
    for child in element:
        child_tag = local(child.tag)
        if child_tag == "FieldReportInfo":
            info = _leaves(child)
        elif child_tag.lower().startswith("attachment"):
            attachments.append(_leaves(child))
        else:
            items.append(child)
    if not items:
        export.notes.append(
            f"{Path(name).name} line {element.sourceline}: a FieldReport with no item"
        )
    for item in items:
        record = _flatten_item(item, name)
        for key, value in info.items():
            column = key if key not in record.values else f"FieldReportInfo.{key}"
            record.values[column] = value
            if key in FORM_LABELS:
                record.aliases[column] = FORM_LABELS[key]
        if attachments:
            record.groups["attachment"] = attachments
        export.items.append(record)


def _find_text(element: Any, name: str) -> str | None:
    for descendant in element.iter():
        if local(descendant.tag) == name and descendant.text and descendant.text.strip():
            return str(descendant.text).strip()
    return None


def _flatten_item(element: Any, name: str) -> ItemRecord:
    record = ItemRecord(local(element.tag), {}, file=name, line=element.sourceline)
    multi: dict[str, list[str]] = {}
    for key, value in element.attrib.items():
        multi.setdefault(local(key), []).append(str(value))
    for child in element:
        tag = local(child.tag)
        if _GEOSPATIAL.search(tag):
            record.shapes.extend(_shapes(child, name))
        elif _CDF.search(tag) and child.get("name"):
            column = str(child.get("name"))
            multi.setdefault(column, []).extend(_texts(child))
            if child.get("label"):
                record.aliases[column] = str(child.get("label"))
        elif len(child) == 0:
            text = (child.text or "").strip()
            if text:
                multi.setdefault(tag, []).append(text)
        else:
            record.groups.setdefault(tag, []).append(_leaves(child))
    record.values = {k: MULTI_SEPARATOR.join(dict.fromkeys(v)) for k, v in multi.items() if v}
    return record


def _texts(element: Any) -> list[str]:
    if len(element) == 0:
        return [t] if (t := (element.text or "").strip()) else []
    return [t for c in element.iter() if len(c) == 0 and (t := (c.text or "").strip())]


def _leaves(element: Any) -> dict[str, str]:
    """A complex element as path → text (paths below it joined with '.'; repeats joined)."""
    out: dict[str, list[str]] = {}

    def walk(node: Any, prefix: str) -> None:
        for key, value in node.attrib.items():
            out.setdefault(f"{prefix}@{local(key)}", []).append(str(value))
        for child in node:
            tag = prefix + local(child.tag)
            if len(child) == 0:
                if (text := (child.text or "").strip()) != "":
                    out.setdefault(tag, []).append(text)
            else:
                walk(child, tag + ".")

    walk(element, "")
    return {k: MULTI_SEPARATOR.join(dict.fromkeys(v)) for k, v in out.items()}


def _shapes(element: Any, name: str) -> Iterator[Shape]:
    """Points and polygons/lines under a geospatial element: every element holding an x and
    a y (or longitude and latitude) is a point; points under one parent whose name or type
    says polygon or line are that shape, in their point numbers' order."""
    by_parent: dict[Any, list[tuple[float, int, float, float]]] = {}
    for node in element.iter():
        if len(node) < 2:
            continue
        leaves = {local(c.tag).lower(): (c.text or "").strip() for c in node if len(c) == 0}
        x = next((leaves[k] for k in _X if leaves.get(k)), None)
        y = next((leaves[k] for k in _Y if leaves.get(k)), None)
        if x is None or y is None:
            continue
        try:
            point = (float(x), float(y))
        except ValueError:
            raise InvalidInput(
                "line {line}: coordinates {x!r}, {y!r} are not numbers",
                Location(file=name, field=local(node.tag)),
                line=node.sourceline,
                x=x,
                y=y,
            ) from None
        order = _number(leaves)
        points = by_parent.setdefault(node.getparent(), [])
        points.append((order if order is not None else len(points), len(points), *point))
    for parent, points in by_parent.items():
        words = " ".join(
            [local(parent.tag)] + [(c.text or "") for c in parent if len(c) == 0]
        ).lower()
        ordered = [(x, y) for _, _, x, y in sorted(points)]
        if "polygon" in words and len(ordered) >= 3:
            yield Shape("polygon", ordered)
        elif ("polyline" in words or "line" in words.split()) and len(ordered) >= 2:
            yield Shape("line", ordered)
        else:
            yield from (Shape("point", [p]) for p in ordered)


def _number(leaves: dict[str, str]) -> float | None:
    for key in ("pointno", "point_no", "pointnumber", "sequence", "order"):
        try:
            return float(leaves[key])
        except (KeyError, ValueError):
            continue
    return None
