"""File Geodatabases (IMSMA Core, ArcGIS) through GDAL's OpenFileGDB driver, read with pyogrio.

pyogrio reads the layers but not the geodatabase's own descriptions of them, so those come
from its catalogue table, ``GDB_Items``, which GDAL lists when asked for all tables
(``LIST_ALL_TABLES=YES``): each item's ``Definition`` is the XML ArcGIS writes, holding
coded-value domains (``GPCodedValueDomain2``: each code and its name), each field's alias and
domain (``GPFieldInfoEx``: ``AliasName``, ``DomainName``) and relationship classes
(``DERelationshipClassInfo``: origin and destination tables, primary and foreign keys, and
whether it joins attachments). GDAL's own OpenFileGDB driver reads the same XML.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyogrio

from minewatch.errors import InvalidInput, Location
from minewatch.io.migration.catalogue import (
    Catalogue,
    CodedDomain,
    Relation,
    SourceField,
    SourceTable,
)

#: Esri field types as the catalogue names them.
_ESRI_TYPES = {
    "esriFieldTypeString": "text",
    "esriFieldTypeInteger": "integer",
    "esriFieldTypeSmallInteger": "integer",
    "esriFieldTypeBigInteger": "integer",
    "esriFieldTypeDouble": "real",
    "esriFieldTypeSingle": "real",
    "esriFieldTypeDate": "datetime",
    "esriFieldTypeDateOnly": "date",
    "esriFieldTypeGUID": "text",
    "esriFieldTypeGlobalID": "text",
    "esriFieldTypeBlob": "binary",
}
#: Columns ArcGIS maintains that are no one's data.
SYSTEM_COLUMNS = frozenset({"OBJECTID", "SHAPE", "Shape_Length", "Shape_Area", "FID"})


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _text(element: ET.Element, name: str) -> str | None:
    found = _child(element, name)
    return None if found is None or found.text is None else found.text.strip() or None


def _parse(definition: str, where: Location) -> ET.Element:
    try:
        return ET.fromstring(definition.encode("utf-8"))
    except ET.ParseError as exc:
        raise InvalidInput(
            "GDB_Items holds a definition that is not XML: {problem}", where, problem=exc
        ) from None


def _domain(root: ET.Element) -> CodedDomain | None:
    values = _child(root, "CodedValues")
    if values is None:
        return None  # a range domain: nothing to translate
    codes = {}
    for coded in values:
        code, name = _text(coded, "Code"), _text(coded, "Name")
        if code is not None:
            codes[code] = name or code
    return CodedDomain(_text(root, "DomainName") or "", _text(root, "Description") or "", codes)


def _fields(root: ET.Element) -> dict[str, SourceField]:
    infos = _child(root, "GPFieldInfoExs")
    out: dict[str, SourceField] = {}
    for info in [] if infos is None else list(infos):
        name = _text(info, "Name")
        if name is None:
            continue
        esri_type = _text(info, "FieldType") or ""
        out[name] = SourceField(
            name,
            _text(info, "AliasName"),
            _ESRI_TYPES.get(esri_type),
            _text(info, "DomainName"),
        )
    return out


def _relation(root: ET.Element) -> Relation | None:
    origins = [n.text for n in _names(root, "Origin")]
    children = [n.text for n in _names(root, "Destination")]
    keys = {_text(k, "KeyRole"): _text(k, "ObjectKeyName") for k in _keys(root)}
    primary = keys.get("esriRelKeyRoleOriginPrimary")
    foreign = keys.get("esriRelKeyRoleOriginForeign")
    if not (origins and children and origins[0] and children[0] and primary and foreign):
        return None  # many-to-many or attributed: not a parent and its children
    return Relation(
        _text(root, "Name") or "",
        origins[0],
        children[0],
        primary,
        foreign,
        (_text(root, "IsAttachmentRelationship") or "").lower() == "true",
    )


def _names(root: ET.Element, side: str) -> list[ET.Element]:
    holder = _child(root, f"{side}ClassNames")
    return [] if holder is None else list(holder)


def _keys(root: ET.Element) -> list[ET.Element]:
    holder = _child(root, "OriginClassKeys")
    return [] if holder is None else list(holder)


def read_filegdb_catalogue(path: str, shown: Path | None = None) -> Catalogue:
    """The catalogue of a File Geodatabase at ``path`` as GDAL opens it (a folder, or
    ``/vsizip/…`` inside a zip): layers with aliases and domains (a class's own, or its
    subtypes'), the coded-value domains, and relationship classes (parents and children,
    attachments). Messages name ``shown`` (the file as given), if given. A geodatabase of
    ArcGIS 9 has no ``GDB_Items``: its aliases come from ``GDB_FieldInfo``, and a note says
    that its domains and relationships are not read."""
    where = Location(file=str(shown or path))
    try:
        layers = [(str(n), g) for n, g in pyogrio.list_layers(str(path))]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise InvalidInput(
            "GDAL cannot open the File Geodatabase: {problem}", where, problem=exc
        ) from None
    try:
        items = _system_table(path, "GDB_Items", ["Name", "Definition"])
    except pyogrio.errors.DataLayerError:
        return _arcgis9_catalogue(path, layers, str(shown or path))
    domains: dict[str, CodedDomain] = {}
    fields_of: dict[str, dict[str, SourceField]] = {}
    aliases: dict[str, str | None] = {}
    subtype_fields: dict[str, str | None] = {}
    relations: list[Relation] = []
    for name, definition in zip(items["Name"], items["Definition"], strict=True):
        if not isinstance(definition, str) or not definition.strip():
            continue
        root = _parse(definition, where)
        kind = _local(root.tag)
        if kind.endswith("CodedValueDomain2") or kind.endswith("CodedValueDomain"):
            domain = _domain(root)
            if domain is not None:
                domains[domain.name] = domain
        elif kind in ("DEFeatureClassInfo", "DETableInfo"):
            fields, subtype_field, subtype_domain = _fields_with_subtypes(root)
            fields_of[str(name)] = fields
            aliases[str(name)] = _text(root, "AliasName")
            subtype_fields[str(name)] = subtype_field
            if subtype_domain is not None:
                domains[subtype_domain.name] = subtype_domain
        elif kind == "DERelationshipClassInfo" and (relation := _relation(root)) is not None:
            relations.append(relation)
    tables = [
        _table(
            path,
            name,
            geometry,
            fields_of.get(name, {}),
            aliases.get(name),
            subtype_fields.get(name),
        )
        for name, geometry in layers
    ]
    return Catalogue(str(shown or path), "filegdb", tuple(tables), domains, tuple(relations))


def _system_table(path: str, name: str, columns: list[str]) -> Any:
    return pyogrio.read_dataframe(
        str(path), layer=name, columns=columns, read_geometry=False, LIST_ALL_TABLES="YES"
    )


def _fields_with_subtypes(
    root: ET.Element,
) -> tuple[dict[str, SourceField], str | None, CodedDomain | None]:
    """A class's fields, with the domains its subtypes give them; the subtype field, whose
    codes name the subtypes (described by a domain made of the subtypes' names)."""
    fields = _fields(root)
    subtype_field = _text(root, "SubtypeFieldName")
    holder = _child(root, "Subtypes")
    if not subtype_field or holder is None:
        return fields, None, None
    names: dict[str, str] = {}
    by_field: dict[str, list[tuple[str, str]]] = {}
    for subtype in holder:
        code = _text(subtype, "SubtypeCode")
        if code is None:
            continue
        names[code] = _text(subtype, "SubtypeName") or code
        infos = _child(subtype, "FieldInfos")
        for info in [] if infos is None else list(infos):
            field_name, domain = _text(info, "FieldName"), _text(info, "DomainName")
            if field_name and domain:
                by_field.setdefault(field_name, []).append((code, domain))
    for field_name, pairs in by_field.items():
        known = fields.get(field_name, SourceField(field_name))
        fields[field_name] = replace(known, subtype_domains=tuple(pairs))
    own = f"{_text(root, 'Name') or ''} subtypes"
    subtype_domain = CodedDomain(own, "the subtypes of the class", names) if names else None
    if subtype_domain is not None and subtype_field in fields:
        fields[subtype_field] = replace(fields[subtype_field], domain=subtype_domain.name)
    return fields, subtype_field, subtype_domain


def _arcgis9_catalogue(path: str, layers: list[tuple[str, Any]], shown: str) -> Catalogue:
    """An ArcGIS 9 geodatabase: layers, with field aliases where ``GDB_FieldInfo`` has them."""
    described: dict[str, dict[str, SourceField]] = {}
    aliases: dict[str, str | None] = {}
    try:
        classes = _system_table(path, "GDB_ObjectClasses", ["Name", "AliasName"])
        infos = _system_table(path, "GDB_FieldInfo", ["ClassID", "FieldName", "AliasName"])
    except (pyogrio.errors.DataLayerError, pyogrio.errors.FieldError):
        classes = infos = None
    if classes is not None and infos is not None:
        # ClassID is the object class's row (its ObjectID, counted from 1)
        by_id = {i + 1: str(n) for i, n in enumerate(classes["Name"])}
        for i, alias in enumerate(classes["AliasName"]):
            aliases[by_id[i + 1]] = None if alias is None else str(alias)
        for class_id, field_name, alias in zip(
            infos["ClassID"], infos["FieldName"], infos["AliasName"], strict=True
        ):
            table = by_id.get(int(class_id))
            if table is not None and isinstance(field_name, str):
                shown_alias = alias if isinstance(alias, str) and alias != field_name else None
                described.setdefault(table, {})[field_name] = SourceField(field_name, shown_alias)
    tables = [
        _table(path, name, geometry, described.get(name, {}), aliases.get(name), None)
        for name, geometry in layers
    ]
    note = (
        "an ArcGIS 9 geodatabase (no GDB_Items): coded-value domains and relationship classes "
        "are not read; coded fields keep their stored codes (export from ArcGIS 10 or later "
        "to have them described)"
    )
    return Catalogue(shown, "filegdb", tuple(tables), {}, (), (note,))


def _table(
    path: str,
    name: str,
    geometry: Any,
    described: dict[str, SourceField],
    alias: str | None,
    subtype_field: str | None,
) -> SourceTable:
    info = pyogrio.read_info(str(path), layer=name)
    fields = []
    for field_name, dtype in zip(info["fields"], info["dtypes"], strict=True):
        known = described.get(str(field_name))
        if known is not None and known.type is None:
            known = replace(known, type=_dtype_type(str(dtype)))
        fields.append(known or SourceField(str(field_name), None, _dtype_type(str(dtype))))
    key = next((f.name for f in fields if f.name.lower() == "globalid"), None)
    return SourceTable(
        name,
        tuple(fields),
        int(info["features"]),
        None if geometry is None else str(geometry),
        key,
        alias if alias and alias != name else None,
        subtype_field=subtype_field,
    )


def _dtype_type(dtype: str) -> str | None:
    if dtype.startswith("int"):
        return "integer"
    if dtype.startswith("float"):
        return "real"
    if dtype.startswith("datetime"):
        return "datetime"
    if dtype == "object":
        return "text"
    return None
