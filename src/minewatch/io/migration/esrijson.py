"""Esri JSON from ArcGIS feature-service queries (``/query?f=json``), one file or a paged dump.

A service answers at most its ``maxRecordCount`` features per query, so a layer is dumped as
pages (``resultOffset``), each page a FeatureSet with the same ``fields``; a page that says
``exceededTransferLimit`` had more after it. A paged dump is a folder of page files, read in
natural order (``page2`` before ``page10``) as one table. Field aliases and coded-value
domains come from the FeatureSet's ``fields`` (a layer's description holds its domains; a
query's answer may not); geometries are read by GDAL's ESRIJSON driver.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from minewatch.errors import InvalidInput, Location
from minewatch.io.migration.catalogue import Catalogue, CodedDomain, SourceField, SourceTable
from minewatch.io.migration.filegdb import _ESRI_TYPES


def esri_pages(path: Path) -> list[Path]:
    """The page files of a dump: the file itself, or a folder's ``.json`` files in natural order."""
    if path.is_file():
        return [path]
    pages = [p for p in path.iterdir() if p.suffix.lower() in (".json", ".esrijson")]

    def natural(page: Path) -> list[Any]:
        return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", page.name)]

    return sorted(pages, key=natural)


def is_esri_json(path: Path) -> bool:
    """Whether a file (or a folder's first page) is an Esri FeatureSet."""
    pages = esri_pages(path) if path.exists() else []
    if not pages:
        return False
    with pages[0].open("rb") as handle:
        head = handle.read(64 * 1024)
    return b'"features"' in head and (b'"geometryType"' in head or b'"attributes"' in head)


#: A string (kept as it is), or a comma before a closing bracket (dropped).
_STRING_OR_TRAILING_COMMA = re.compile(r'("(?:\\.|[^"\\])*")|,(\s*[}\]])')


def without_trailing_commas(text: str) -> str:
    """JSON with the commas before ``}`` or ``]`` removed, strings untouched: ArcGIS tools
    and hand-edited dumps leave them, and GDAL's reader accepts them, so ours does too.

    >>> without_trailing_commas('{"a": [1, 2,], "b": "x,]", }')
    '{"a": [1, 2], "b": "x,]" }'
    """
    return _STRING_OR_TRAILING_COMMA.sub(lambda m: m.group(1) or m.group(2), text)


def _load(page: Path) -> dict[str, Any]:
    try:
        text = page.read_text(encoding="utf-8-sig")
        try:
            document = json.loads(text)
        except ValueError:
            document = json.loads(without_trailing_commas(text))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            "not Esri JSON: {problem}", Location(file=str(page)), problem=exc
        ) from None
    if not isinstance(document, dict) or "features" not in document:
        raise InvalidInput("not an Esri FeatureSet (no 'features')", Location(file=str(page)))
    if "error" in document:
        raise InvalidInput(
            "the service answered an error: {said}",
            Location(file=str(page)),
            said=document["error"],
        )
    return document


def read_esri_catalogue(path: Path) -> Catalogue:
    """One table from every page: fields with aliases and domains, rows counted over pages."""
    pages = esri_pages(path)
    first = _load(pages[0])
    domains: dict[str, CodedDomain] = {}
    fields: list[SourceField] = []
    for spec in first.get("fields") or []:
        name = str(spec.get("name"))
        domain = spec.get("domain") or None
        domain_name = None
        if isinstance(domain, dict) and domain.get("type") == "codedValue":
            domain_name = str(domain.get("name") or f"{name}_domain")
            domains[domain_name] = CodedDomain(
                domain_name,
                str(domain.get("description") or ""),
                {str(c.get("code")): str(c.get("name")) for c in domain.get("codedValues") or []},
            )
        alias = spec.get("alias")
        fields.append(
            SourceField(
                name,
                None if alias in (None, name) else str(alias),
                _ESRI_TYPES.get(str(spec.get("type"))),
                domain_name,
            )
        )
    rows = 0
    notes = []
    last: dict[str, Any] = first
    for page in pages:
        last = first if page == pages[0] else _load(page)
        rows += len(last.get("features") or [])
        if [f.get("name") for f in last.get("fields") or []] != [f.name for f in fields]:
            raise InvalidInput(
                "this page's fields differ from the first page's: pages of one query only",
                Location(file=str(page)),
            )
    if last.get("exceededTransferLimit"):
        notes.append(
            f"{pages[-1].name} says exceededTransferLimit: the service had more features than "
            "the dump holds (fetch the next page with resultOffset)"
        )
    name = path.stem
    key = next((f.name for f in fields if f.name.lower() == "globalid"), None)
    geometry = first.get("geometryType")
    table = SourceTable(name, tuple(fields), rows, None if geometry is None else str(geometry), key)
    return Catalogue(str(path), "esrijson", (table,), domains, (), tuple(notes))
