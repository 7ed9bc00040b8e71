"""Field specifications derived from the record dataclasses, and the conversions between
records and plain values (str, int, float, bool, None, lists and dicts) that reports, stores,
importers and APIs exchange.

There is one description of each record type (its dataclass); everything that needs columns,
JSON or validation reads it from here rather than keeping its own list.

>>> spec = field_specs(Kind.VICTIM)["sex"]
>>> spec.storage, spec.personal
('text', False)
>>> coerce_value(spec, "female")
<Sex.FEMALE: 'female'>
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal

from shapely.geometry.base import BaseGeometry

from minewatch.domain.records import Kind, Record, record_type

Storage = Literal["text", "integer", "real", "boolean", "date", "datetime", "json", "geometry"]

#: Fields every record has that reports do not set: the store maintains them.
SYSTEM_FIELDS = frozenset({"id", "code", "version", "date_of_information"})


@dataclass(frozen=True)
class FieldSpec:
    """What one field of a record type holds, derived from its type hint."""

    name: str
    storage: Storage
    python_type: Any  # the base type (int, str, an Enum class, a nested dataclass, ...)
    many: bool = False  # a tuple of python_type
    optional: bool = True
    personal: bool = False

    @property
    def enum(self) -> type[Enum] | None:
        is_enum = isinstance(self.python_type, type) and issubclass(self.python_type, Enum)
        return self.python_type if is_enum else None


def _unwrap_optional(hint: Any) -> tuple[Any, bool]:
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0], True
    return hint, False


def _storage_of(base: Any, many: bool) -> Storage:
    if many or dataclasses.is_dataclass(base):
        return "json"
    if isinstance(base, type) and issubclass(base, BaseGeometry):
        return "geometry"
    if isinstance(base, type) and issubclass(base, Enum):
        return "text"
    table: dict[Any, Storage] = {
        bool: "boolean",
        int: "integer",
        float: "real",
        str: "text",
        uuid.UUID: "text",
        datetime: "datetime",
        date: "date",
    }
    return table[base]


@functools.cache
def field_specs(kind: Kind | str) -> dict[str, FieldSpec]:
    """Every field of a record type, in declaration order, keyed by name."""
    cls = record_type(kind)
    hints = typing.get_type_hints(cls)
    specs: dict[str, FieldSpec] = {}
    for f in dataclasses.fields(cls):
        base, optional = _unwrap_optional(hints[f.name])
        many = typing.get_origin(base) is tuple
        if many:
            base = typing.get_args(base)[0]
        specs[f.name] = FieldSpec(
            name=f.name,
            storage=_storage_of(base, many),
            python_type=base,
            many=many,
            optional=optional,
            personal=bool(f.metadata.get("personal")),
        )
    return specs


def data_fields(kind: Kind | str) -> dict[str, FieldSpec]:
    """The fields a report may set: all but the store-maintained ones and the geometry."""
    return {
        n: s
        for n, s in field_specs(kind).items()
        if n not in SYSTEM_FIELDS and s.storage != "geometry" and n != "external_id"
    }


class FieldError(ValueError):
    """A value that does not fit its field; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def _coerce_scalar(base: Any, value: Any) -> Any:
    if isinstance(base, type) and issubclass(base, Enum):
        try:
            return base(value.strip().lower() if isinstance(value, str) else value)
        except ValueError:
            try:
                return base(value.strip()) if isinstance(value, str) else base(value)
            except ValueError:
                allowed = ", ".join(str(m.value) for m in base)
                raise ValueError(f"{value!r} is not one of: {allowed}") from None
    if dataclasses.is_dataclass(base) and isinstance(base, type):
        return _coerce_nested(base, value)
    if base is bool:
        return _coerce_bool(value)
    if base is int:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError(f"{value!r} is not a whole number")
        return int(str(value).strip()) if isinstance(value, str) else int(value)
    if base is float:
        return float(value)
    if base is str:
        return str(value)
    if base is uuid.UUID:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    if base is datetime:
        return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if base is date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value).strip()[:10])
    raise TypeError(f"no conversion for {base!r}")


def _coerce_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "y", "t"}:
        return True
    if text in {"0", "false", "no", "n", "f"}:
        return False
    raise ValueError(f"{value!r} is not yes/no")


def _coerce_nested(cls: type, value: Any) -> Any:
    if isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        raise ValueError(
            f"expected an object with fields {[f.name for f in dataclasses.fields(cls)]}"
        )
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = set(value) - known
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    kwargs = {}
    for name, raw in value.items():
        base, _ = _unwrap_optional(hints[name])
        kwargs[name] = None if raw is None else _coerce_scalar(base, raw)
    return cls(**kwargs)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def coerce_value(spec: FieldSpec, value: Any) -> Any:
    """``value`` converted to the field's Python type; ValueError says why it cannot be."""
    if spec.many:
        if _is_blank(value):
            return ()
        items = value.split() if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise ValueError(f"expected a list, got {value!r}")
        return tuple(_coerce_scalar(spec.python_type, v) for v in items)
    if _is_blank(value):
        if spec.storage == "json":
            return spec.python_type()
        return None
    return _coerce_scalar(spec.python_type, value)


def coerce_fields(kind: Kind | str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and convert a report's changes; raises FieldError naming the first bad field."""
    specs = data_fields(kind)
    out: dict[str, Any] = {}
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None:
            raise FieldError(name, f"{Kind(kind).value} has no field {name!r}")
        try:
            out[name] = coerce_value(spec, value)
        except (ValueError, TypeError) as exc:
            raise FieldError(name, str(exc)) from None
    return out


def to_plain(value: Any) -> Any:
    """A Python value as JSON-able plain data (enums to their value, dates to ISO text)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def record_to_plain(record: Record, *, include_geometry: bool = False) -> dict[str, Any]:
    """A record's fields as plain data, geometry left out unless asked for (then as WKT)."""
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
    """A record from plain or typed values (unknown keys are an error)."""
    specs = field_specs(kind)
    kwargs: dict[str, Any] = {}
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None:
            raise FieldError(name, f"{Kind(kind).value} has no field {name!r}")
        if spec.storage == "geometry":
            kwargs[name] = value
            continue
        try:
            converted = coerce_value(spec, value)
        except (ValueError, TypeError) as exc:
            raise FieldError(name, str(exc)) from None
        if converted is not None or spec.optional:
            kwargs[name] = converted
    return record_type(kind)(**kwargs)


@dataclass(frozen=True)
class CellError:
    """One bad value: its 0-based row in the batch, the field and why."""

    row: int
    field: str
    message: str


def _blank_mask(values: Sequence[Any]) -> list[bool]:
    return [v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())
            for v in values]


def _coerce_column(spec: FieldSpec, values: list[Any]) -> tuple[list[Any], list[tuple[int, str]]]:
    """One column converted to typed values, with (row, message) for each bad cell.

    Scalar enums, numbers and dates go through pandas in one pass; lists and nested
    objects (rare, short) through :func:`coerce_value` row by row.
    """
    import pandas as pd

    blank = _blank_mask(values)
    if spec.storage == "json":
        out, bad = [], []
        for i, v in enumerate(values):
            try:
                out.append(coerce_value(spec, None if blank[i] else v))
            except (ValueError, TypeError) as exc:
                out.append(None)
                bad.append((i, str(exc)))
        return out, bad
    series = pd.Series([None if b else v for v, b in zip(values, blank, strict=True)], dtype=object)
    enum = spec.enum
    if enum is not None:
        allowed = {str(m.value): m for m in enum}
        lowered = series.map(lambda v: v.strip().lower() if isinstance(v, str) else v)
        exact = series.map(lambda v: v.strip() if isinstance(v, str) else v)
        result = [allowed.get(lo, allowed.get(ex)) if lo is not None else None
                  for lo, ex in zip(lowered, exact, strict=True)]
        bad = [(i, f"{values[i]!r} is not one of: {', '.join(allowed)}")
               for i, r in enumerate(result) if r is None and not blank[i]]
        return result, bad
    if spec.storage in ("integer", "real"):
        numbers = pd.to_numeric(series, errors="coerce")
        out, bad = [], []
        for i, (n, b) in enumerate(zip(numbers.tolist(), blank, strict=True)):
            if b:
                out.append(None)
            elif n != n or isinstance(values[i], bool) or (spec.storage == "integer" and not float(n).is_integer()):
                out.append(None)
                kind = "a whole number" if spec.storage == "integer" else "a number"
                bad.append((i, f"{values[i]!r} is not {kind}"))
            else:
                out.append(int(n) if spec.storage == "integer" else float(n))
        return out, bad
    if spec.storage in ("date", "datetime"):
        out, bad = [], []
        for i, v in enumerate(series.tolist()):
            try:
                out.append(None if blank[i] else _coerce_scalar(spec.python_type, v))
            except (ValueError, TypeError):
                out.append(None)
                bad.append((i, f"{values[i]!r} is not a date (YYYY-MM-DD)"))
        return out, bad
    out, bad = [], []
    for i, v in enumerate(series.tolist()):
        try:
            out.append(None if blank[i] else _coerce_scalar(spec.python_type, v))
        except (ValueError, TypeError) as exc:
            out.append(None)
            bad.append((i, str(exc)))
    return out, bad


def coerce_columns(kind: Kind | str, columns: Mapping[str, Sequence[Any]]) -> tuple[dict[str, list[Any]], list[CellError]]:
    """Validate a batch of reports' changes given column by column.

    Returns the typed columns (bad cells set to None) and every bad cell, so an importer can
    either refuse the whole batch or reject just those rows.

    >>> cols, errors = coerce_columns("device_find", {"category": ["AP_MINE", "banana"]})
    >>> [c.value if c else c for c in cols["category"]], [(e.row, e.field) for e in errors]
    (['ap_mine', None], [(1, 'category')])
    """
    specs = data_fields(kind)
    typed: dict[str, list[Any]] = {}
    errors: list[CellError] = []
    for name, values in columns.items():
        spec = specs.get(name)
        if spec is None:
            raise FieldError(name, f"{Kind(kind).value} has no field {name!r}")
        typed[name], bad = _coerce_column(spec, list(values))
        errors += [CellError(row, name, message) for row, message in bad]
    return typed, sorted(errors, key=lambda e: (e.row, e.field))


def default_values(kind: Kind | str) -> dict[str, Any]:
    """Each data field's default, as a record built from no values would hold it."""
    out = {}
    for f in dataclasses.fields(record_type(kind)):
        if f.name not in data_fields(kind):
            continue
        if f.default is not dataclasses.MISSING:
            out[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = f.default_factory()
        else:
            out[f.name] = None
    return out
