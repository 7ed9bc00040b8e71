"""Records and values as plain data (str, int, float, bool, None, lists and dicts) and back:
:func:`to_plain`, :func:`record_to_plain` and :func:`build_record`.

>>> to_plain(build_record("organisation", {"name": "Synthetic NGO"}).kind)
'organisation'
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

from minewatch.domain.records import Kind, Record, record_type
from minewatch.domain.schema.coercion import FieldError, coerce_value
from minewatch.domain.schema.specs import field_specs
from minewatch.domain.text import Message

#: Types that are plain data already (exact types: a str enum is converted to its value).
_PLAIN = frozenset({str, int, float, bool})


def to_plain(value: Any) -> Any:
    """A Python value as JSON-able plain data (enums to their value, dates to ISO text).

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.domain.records import HazardType
    >>> to_plain({"when": date(2024, 5, 1), "types": (HazardType.UXO_AXO,)})
    {'when': '2024-05-01', 'types': ['uxo_axo']}
    """
    if value is None or type(value) in _PLAIN:  # most cells: nothing to convert
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: to_plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def record_to_plain(record: Record, *, include_geometry: bool = False) -> dict[str, Any]:
    """A record's fields as plain data, geometry left out unless asked for (then as WKT).

    Examples
    --------
    >>> import shapely
    >>> find = build_record(Kind.DEVICE_FIND, {"category": "uxo", "quantity": 2,
    ...                                        "geometry": shapely.Point(30, 50)})
    >>> plain = record_to_plain(find, include_geometry=True)
    >>> plain["category"], plain["quantity"], plain["geometry"]
    ('uxo', 2, 'POINT (30 50)')
    """
    out: dict[str, Any] = {}
    for name, spec in field_specs(record.kind).items():
        value = getattr(record, name)
        if spec.storage == "geometry":
            if include_geometry:
                out[name] = None if value is None else value.wkt
            continue
        out[name] = to_plain(value)
    return out


def build_record(kind: Kind | str, values: Mapping[str, Any]) -> Record:
    """A record from plain or typed values (unknown keys are an error).

    Examples
    --------
    >>> area = build_record("hazardous_area", {"code": "HA-000001", "status": "open"})
    >>> area.code, area.status, area.classification
    ('HA-000001', <HazardStatus.OPEN: 'open'>, <HazardClass.SHA: 'SHA'>)
    """
    specs = field_specs(kind)
    kwargs: dict[str, Any] = {}
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None:
            raise FieldError(
                name, Message("{kind} has no field {name!r}", kind=Kind(kind).value, name=name)
            )
        if spec.storage == "geometry":
            kwargs[name] = value
            continue
        try:
            converted = coerce_value(spec, value)
        except (ValueError, TypeError) as exc:
            raise FieldError(name, Message.of(exc)) from None
        if converted is not None or spec.optional:
            kwargs[name] = converted
    return record_type(kind)(**kwargs)
