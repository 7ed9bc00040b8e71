"""The whole vocabulary of one language as one JSON-ready document: what
``GET /api/vocabulary?lang=xx`` answers and the web pages' ``i18n.ts`` reads.

>>> doc = vocabulary_document("ar")
>>> doc["locale"], doc["direction"], doc["enums"]["HazardClass"]["CHA"]
('ar', 'rtl', 'منطقة خطرة مؤكدة (CHA)')
"""

from __future__ import annotations

import dataclasses
import enum
import typing
from typing import Any

from minewatch.vocabulary.catalogue import (
    catalogue_messages,
    direction,
    normalise_locale,
    shipped_locales,
)
from minewatch.vocabulary.enums import ENUM_LABELS
from minewatch.vocabulary.fields import FIELD_UNITS, NESTED_KINDS, UNITS
from minewatch.vocabulary.labels import field_label, label, unit_label


def record_fields() -> dict[str, list[str]]:
    """Every kind of record and nested value, with its fields in declaration order.

    Examples
    --------
    >>> fields = record_fields()
    >>> fields["sex_age"][:4], "reported_area_m2" in fields["hazardous_area"]
    (['girls', 'boys', 'women', 'men'], True)
    """
    from minewatch.domain.records import Kind, values
    from minewatch.domain.schema import field_specs

    out = {kind.value: list(field_specs(kind)) for kind in Kind}
    for nested, class_name in NESTED_KINDS.items():
        out[nested] = [f.name for f in dataclasses.fields(getattr(values, class_name))]
    return out


def field_enums() -> dict[str, str]:
    """The enumeration each column name holds codes of, across every kind of record (a field
    of one name holds the same enumeration wherever it appears), and the report's columns:
    what a table needs to show labels instead of codes.

    Examples
    --------
    >>> enums = field_enums()
    >>> enums["hazard_types"], enums["state"], enums["kind"], enums["evidence.type"]
    ('HazardType', 'ReportState', 'Kind', 'EvidenceType')
    """
    from minewatch.domain.records import Kind, values
    from minewatch.domain.schema import field_specs

    out = {"kind": "Kind", "state": "ReportState", "action": "ReportAction", "role": "Role"}
    for kind in Kind:
        for name, spec in field_specs(kind).items():
            if spec.enum is not None:
                out.setdefault(name, spec.enum.__name__)
    # a nested value's fields, as "kind.field" (evidence.type is an EvidenceType)
    for nested, class_name in NESTED_KINDS.items():
        cls = getattr(values, class_name)
        for field_name, hint in typing.get_type_hints(cls).items():
            if isinstance(hint, type) and issubclass(hint, enum.Enum):
                out[f"{nested}.{field_name}"] = hint.__name__
    return out


def nested_fields() -> dict[str, str]:
    """The fields that hold nested values (rows of evidence, blockages…), each with its nested
    kind as :data:`NESTED_KINDS` names it, so that ``field_enums()[f"{kind}.{column}"]`` labels
    the codes inside them.

    Examples
    --------
    >>> nested = nested_fields()
    >>> nested["evidence"], nested["blockages"], nested["beneficiaries"]
    ('evidence', 'blockage', 'sex_age')
    """
    from minewatch.domain.records import Kind
    from minewatch.domain.schema import field_specs

    by_class = {class_name: nested for nested, class_name in NESTED_KINDS.items()}
    out: dict[str, str] = {}
    for kind in Kind:
        for name, spec in field_specs(kind).items():
            nested = by_class.get(getattr(spec.python_type, "__name__", ""))
            if nested is not None:
                out.setdefault(name, nested)
    return out


def language_names() -> dict[str, str]:
    """Each shipped language named in itself, for a language picker.

    Examples
    --------
    >>> language_names()["fr"], language_names()["uk"], language_names()["ar"]
    ('Français', 'Українська', 'العربية')
    """
    from babel import Locale

    names = {}
    for code in shipped_locales():
        name = Locale.parse(code).get_display_name(code) or code
        names[code] = name[:1].upper() + name[1:]
    return names


def vocabulary_document(locale: str | None = None) -> dict[str, Any]:
    """Labels of every stored code, field and unit, and every interface message, in the
    shipped language closest to ``locale`` (English if none is).

    Examples
    --------
    >>> doc = vocabulary_document("fr-BE")
    >>> doc["locale"], doc["enums"]["HazardType"]["uxo_axo"]
    ('fr', 'Munitions non explosées ou abandonnées')
    >>> doc["fields"]["hazardous_area"]["reported_area_m2"], doc["units"]["m2"]
    ('Superficie déclarée', 'm²')
    """
    code = normalise_locale(locale)
    return {
        "locale": code,
        "direction": direction(code),
        "languages": language_names(),
        "enums": {
            name: {value: label(name, value, locale=code) for value in codes}
            for name, codes in ENUM_LABELS.items()
        },
        "fields": {
            kind: {name: field_label(kind, name, code) for name in names}
            for kind, names in record_fields().items()
        },
        "units": {unit: unit_label(unit, code) for unit in UNITS},
        "field_units": dict(FIELD_UNITS),
        "field_enums": field_enums(),
        "messages": catalogue_messages(code),
    }
