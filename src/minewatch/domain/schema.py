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
import json
import math
import types
import typing
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from shapely.geometry.base import BaseGeometry

from minewatch.domain.records import Kind, Record, record_type

Storage = Literal["text", "integer", "real", "boolean", "date", "datetime", "json", "geometry"]

#: Fields every record has that reports do not set: the store maintains them.
SYSTEM_FIELDS = frozenset({"id", "code", "version", "date_of_information"})

#: Names the records' annotations use but their modules import only for type checkers (so
#: that declaring records, as the CLI does at start, loads no shapely): given to
#: ``typing.get_type_hints`` when a field's type is read.
_HINT_NAMES: dict[str, Any] = {"BaseGeometry": BaseGeometry}

#: The whole numbers a field can hold: PostGIS stores them as 32-bit INTEGER, and both
#: stores must accept the same values.
INTEGER_RANGE = (-(2**31), 2**31 - 1)


@dataclass(frozen=True)
class FieldSpec:
    """What one field of a record type holds, derived from its type hint.

    Examples
    --------
    >>> spec = field_specs(Kind.HAZARDOUS_AREA)["hazard_types"]
    >>> spec.storage, spec.many, spec.enum
    ('json', True, <enum 'HazardType'>)
    """

    name: str
    storage: Storage
    python_type: Any  # the base type (int, str, an Enum class, a nested dataclass, ...)
    many: bool = False  # a tuple of python_type
    optional: bool = True
    personal: bool = False
    minimum: float | None = None  # the smallest value allowed (counts and measures: 0)
    maximum: float | None = None  # the largest value allowed (an age: 130)

    @property
    def enum(self) -> type[Enum] | None:
        """The field's Enum class, or None if it holds no enum."""
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
    """Every field of a record type, in declaration order, keyed by name.

    Examples
    --------
    >>> specs = field_specs("victim")
    >>> specs["age"].storage, specs["name"].personal, "geometry" in specs   # victims have none
    ('integer', True, False)
    >>> field_specs(Kind.HAZARDOUS_AREA)["geometry"].storage
    'geometry'
    """
    cls = record_type(kind)
    hints = typing.get_type_hints(cls, localns=_HINT_NAMES)
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
            minimum=f.metadata.get("minimum"),
            maximum=f.metadata.get("maximum"),
        )
    return specs


def data_fields(kind: Kind | str) -> dict[str, FieldSpec]:
    """The fields a report may set: all but the store-maintained ones and the geometry.

    Examples
    --------
    >>> list(data_fields(Kind.VICTIM))
    ['accident_code', 'victim_type', 'sex', 'age', 'outcome', 'activity_at_time', 'name', 'contact',
     'medical_details']
    >>> "code" in data_fields(Kind.VICTIM), "code" in field_specs(Kind.VICTIM)
    (False, True)
    """
    return {
        n: s
        for n, s in field_specs(kind).items()
        if n not in SYSTEM_FIELDS and s.storage != "geometry" and n != "external_id"
    }


class FieldError(ValueError):
    """A value that does not fit its field; ``field`` names it.

    Examples
    --------
    >>> try:
    ...     coerce_fields(Kind.VICTIM, {"age": 40, "sex": "unsure"})
    ... except FieldError as error:
    ...     print(error.field, "-", error)
    sex - 'unsure' is not one of: female, male, unknown
    """

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
        try:
            number = int(str(value).strip()) if isinstance(value, str) else int(value)
        except (ValueError, OverflowError):  # "inf", "abc", float("inf")
            raise ValueError(f"{value!r} is not a whole number") from None
        if not INTEGER_RANGE[0] <= number <= INTEGER_RANGE[1]:
            raise ValueError(f"{value!r} is out of range (at most {INTEGER_RANGE[1]:,})")
        return number
    if base is float:
        real = float(value)
        if not math.isfinite(real):
            raise ValueError(f"{value!r} is not a finite number")
        return real
    if base is str:
        return _text(str(value))
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


def text_problem(value: Any) -> str | None:
    """Why ``value`` cannot be stored as text, or None: NUL is refused because PostgreSQL
    cannot keep it (and GDAL and other C readers stop at it), so both stores hold the same.

    >>> text_problem("Area 51") is None
    True
    >>> print(text_problem("A" + chr(0)))
    'A\\x00' contains a NUL character (byte 0)
    """
    if isinstance(value, str) and "\x00" in value:
        return f"{value!r} contains a NUL character (byte 0)"
    return None


def _text(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _within(minimum: float | None, maximum: float | None, value: Any) -> Any:
    """``value`` if no bound of its field excludes it."""
    if not isinstance(value, int | float):
        return value
    if minimum is not None and value < minimum:
        raise ValueError(f"{value!r} is below the smallest allowed value, {minimum:g}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{value!r} is above the largest allowed value, {maximum:g}")
    return value


def _coerce_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "y", "t"}:
        return True
    if text in {"0", "false", "no", "n", "f"}:
        return False
    raise ValueError(f"{value!r} is not yes/no")


@functools.cache
def _nested_hints(cls: type) -> dict[str, Any]:
    """A nested record's field types (cached: imports convert thousands of them)."""
    hints = typing.get_type_hints(cls, localns=_HINT_NAMES)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


@functools.cache
def _nested_bounds(cls: type) -> dict[str, tuple[Any, Any]]:
    return {
        f.name: (f.metadata.get("minimum"), f.metadata.get("maximum"))
        for f in dataclasses.fields(cls)
    }


def _coerce_nested(cls: type, value: Any) -> Any:
    if isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        raise ValueError(
            f"expected an object with fields {[f.name for f in dataclasses.fields(cls)]}"
        )
    hints = _nested_hints(cls)
    known = set(hints)
    unknown = set(value) - known
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    kwargs = {}
    bounds = _nested_bounds(cls)
    for name, raw in value.items():
        base, _ = _unwrap_optional(hints[name])
        try:
            kwargs[name] = (
                None if raw is None else _within(*bounds[name], _coerce_scalar(base, raw))
            )
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{name}: {exc}") from None
    return cls(**kwargs)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def coerce_value(spec: FieldSpec, value: Any) -> Any:
    """``value`` converted to the field's Python type; ValueError says why it cannot be.

    Examples
    --------
    >>> specs = field_specs(Kind.HAZARDOUS_AREA)
    >>> coerce_value(specs["hazard_types"], "ap_mines uxo_axo")
    (<HazardType.AP_MINES: 'ap_mines'>, <HazardType.UXO_AXO: 'uxo_axo'>)
    >>> coerce_value(specs["reported_area_m2"], " ") is None
    True
    >>> coerce_value(specs["status"], "mined?")
    Traceback (most recent call last):
    ...
    ValueError: 'mined?' is not one of: open, suspended, closed, released
    """
    if isinstance(value, str) and spec.storage == "json" and value.strip()[:1] in ("[", "{"):
        try:
            value = json.loads(value)  # lists and objects as our exports write them
        except ValueError:
            raise ValueError(f"{value!r} is not valid JSON") from None
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
    return _within(spec.minimum, spec.maximum, _coerce_scalar(spec.python_type, value))


def coerce_fields(kind: Kind | str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and convert a report's changes; raises FieldError naming the first bad field.

    Examples
    --------
    >>> coerce_fields(Kind.VICTIM, {"sex": "female", "age": "34"})
    {'sex': <Sex.FEMALE: 'female'>, 'age': 34}
    >>> coerce_fields(Kind.VICTIM, {"colour": "red"})
    Traceback (most recent call last):
    ...
    minewatch.domain.schema.FieldError: victim has no field 'colour'
    """
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
    """A Python value as JSON-able plain data (enums to their value, dates to ISO text).

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.domain.records import HazardType
    >>> to_plain({"when": date(2024, 5, 1), "types": (HazardType.UXO_AXO,)})
    {'when': '2024-05-01', 'types': ['uxo_axo']}
    """
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
    """One bad value: its 0-based row in the batch, the field and why.

    Examples
    --------
    >>> _, errors = coerce_columns(Kind.VICTIM, {"age": [30, "unknown"]})
    >>> errors
    [CellError(row=1, field='age', message="'unknown' is not a whole number")]
    """

    row: int
    field: str
    message: str


def _distinct_key(value: Any) -> Any:
    """A hashable stand-in for a cell, so each distinct value is converted once."""
    if isinstance(value, list | dict | tuple):
        return ("\x00json", json.dumps(to_plain(value), sort_keys=True, default=str))
    return value


def _bad_number(value: Any, storage: Storage) -> str:
    kind = "a whole number" if storage == "integer" else "a number"
    return f"{value!r} is not {kind}"


def _coerce_numbers(
    spec: FieldSpec, cells: npt.NDArray[np.object_]
) -> tuple[list[Any], list[tuple[int, str]]]:
    """A number column in one vectorised pass (a million cells is a common import)."""
    import pandas as pd

    numbers = pd.to_numeric(pd.Series(cells, dtype=object), errors="coerce").to_numpy(float)
    failed = np.isnan(numbers) & ~pd.isna(cells)
    # Blank text is a missing value, not a bad one; booleans are not numbers.
    failed[failed] = [not _is_blank(v) for v in cells[failed]]
    numeric = ("integer", "floating", "mixed-integer-float", "decimal", "empty")
    if pd.api.types.infer_dtype(cells, skipna=True) not in numeric:
        failed |= np.fromiter((isinstance(v, bool) for v in cells), bool, len(cells))
    whole = spec.storage == "integer"
    if whole:
        with np.errstate(invalid="ignore"):
            failed |= np.isfinite(numbers) & (np.mod(numbers, 1) != 0)
    # The scalar rules (finite, in range, not below the minimum) as masks, same messages.
    infinite = np.isinf(numbers)
    too_big = whole & ((numbers < INTEGER_RANGE[0]) | (numbers > INTEGER_RANGE[1])) & ~infinite
    with np.errstate(invalid="ignore"):
        too_small = numbers < spec.minimum if spec.minimum is not None else infinite & False
        too_large = numbers > spec.maximum if spec.maximum is not None else infinite & False
    out_of_range = (infinite | too_big | too_small | too_large) & ~failed
    usable = ~np.isnan(numbers) & ~failed & ~out_of_range
    out = np.full(len(cells), None, dtype=object)
    out[usable] = (numbers[usable].astype(np.int64) if whole else numbers[usable]).astype(object)
    bad = [(int(i), _bad_number(cells[i], spec.storage)) for i in np.flatnonzero(failed)]
    for i in np.flatnonzero(out_of_range):
        try:
            coerce_value(spec, cells[i])
        except (ValueError, TypeError) as exc:
            bad.append((int(i), str(exc)))
    return out.tolist(), sorted(bad)


def coerce_column(
    spec: FieldSpec, values: Sequence[Any] | npt.NDArray[np.object_]
) -> tuple[list[Any], list[tuple[int, str]]]:
    """One column converted to typed values (bad cells None), with (row, message) for each
    bad cell.

    Numbers go through pandas in one pass; every other value through :func:`coerce_value`
    once per distinct value, so a million rows with a few distinct statuses cost a few calls
    and the rules stay those of :func:`coerce_value` (blank text is missing, as there).

    >>> coerce_column(field_specs("victim")["age"], [7, " ", "x", 2.5, None])
    ([7, None, None, None, None], [(2, "'x' is not a whole number"), (3, '2.5 is not a whole number')])
    """
    import pandas as pd  # only importers coerce columns: the CLI's start stays light

    # Through pandas, not ``np.array``: a column of lists must stay a column of lists.
    cells = pd.Series(list(values), dtype=object).to_numpy()
    if spec.storage in ("integer", "real") and not spec.many:
        return _coerce_numbers(spec, cells)
    if spec.python_type is str and not spec.many:  # free text: only NUL can be bad
        missing = pd.isna(cells)
        texts = [None if m or _is_blank(v) else str(v) for v, m in zip(cells, missing, strict=True)]
        bad = [(i, p) for i, t in enumerate(texts) if (p := text_problem(t)) is not None]
        for i, _ in bad:
            texts[i] = None
        return texts, bad
    try:
        codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    except TypeError:  # lists or objects among the cells: key them by their JSON
        keys = np.empty(len(cells), dtype=object)
        keys[:] = [_distinct_key(v) for v in cells]
        codes, _ = pd.factorize(keys, use_na_sentinel=True)
        first = np.unique(codes[codes >= 0], return_index=True)[1]
        uniques = cells[codes >= 0][first]
    results = np.full(len(uniques) + 1, None, dtype=object)  # the last slot answers code -1
    messages: list[str | None] = [None] * (len(uniques) + 1)
    for k, value in enumerate([*uniques, None]):
        try:
            results[k] = coerce_value(spec, value)
        except (ValueError, TypeError) as exc:
            dated = spec.storage in ("date", "datetime")
            messages[k] = f"{value!r} is not a date (YYYY-MM-DD)" if dated else str(exc)
    failed = np.array([m is not None for m in messages])[codes]
    bad = [(int(i), str(messages[codes[i]])) for i in np.flatnonzero(failed)]
    return results[codes].tolist(), bad


def plain_column(values: Sequence[Any]) -> list[Any]:
    """Typed values as plain data (:func:`to_plain`), converting each distinct value once.

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.domain.records import HazardStatus
    >>> plain_column([HazardStatus.OPEN, HazardStatus.OPEN, None, date(2024, 5, 1)])
    ['open', 'open', None, '2024-05-01']
    """
    try:
        table = {v: to_plain(v) for v in set(values)}  # enums, dates, text: all hashable
    except TypeError:  # lists or objects among them
        keys = [_distinct_key(v) for v in values]
        converted: dict[Any, Any] = {}
        for key, value in zip(keys, values, strict=True):
            if key not in converted:
                converted[key] = to_plain(value)
        return [converted[k] for k in keys]
    return [table[v] for v in values]


def coerce_columns(
    kind: Kind | str, columns: Mapping[str, Sequence[Any]]
) -> tuple[dict[str, list[Any]], list[CellError]]:
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
        typed[name], bad = coerce_column(spec, list(values))
        errors += [CellError(row, name, message) for row, message in bad]
    return typed, sorted(errors, key=lambda e: (e.row, e.field))


def default_values(kind: Kind | str) -> dict[str, Any]:
    """Each data field's default, as a record built from no values would hold it.

    Examples
    --------
    >>> defaults = default_values(Kind.HAZARDOUS_AREA)
    >>> defaults["classification"], defaults["status"], defaults["hazard_types"]
    (<HazardClass.SHA: 'SHA'>, <HazardStatus.OPEN: 'open'>, ())
    """
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
