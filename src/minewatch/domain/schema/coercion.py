"""One value at a time into its field's Python type (:func:`coerce_value`), and a report's
changes field by field (:func:`coerce_fields`), refusing what no store should hold (NaN and
infinite numbers, whole numbers beyond 32 bits, values outside the field's bounds, text with
NUL or longer than the field holds) with a :class:`FieldError` naming the field.

>>> coerce_fields("victim", {"age": "131"})
Traceback (most recent call last):
...
minewatch.domain.schema.coercion.FieldError: 131 is above the largest allowed value, 130
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import typing
import unicodedata
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

from minewatch.domain.records import Kind
from minewatch.domain.schema.specs import (
    _HINT_NAMES,
    FieldSpec,
    _unwrap_optional,
    data_fields,
    nested_field_specs,
)
from minewatch.domain.text import Message

#: The whole numbers a field can hold: PostGIS stores them as 32-bit INTEGER, and both
#: stores must accept the same values.
INTEGER_RANGE = (-(2**31), 2**31 - 1)


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
                raise ValueError(
                    Message("{value!r} is not one of: {allowed}", value=value, allowed=allowed)
                ) from None
    if dataclasses.is_dataclass(base) and isinstance(base, type):
        return _coerce_nested(base, value)
    if base is dict:
        return _coerce_object(value)
    if base is bool:
        return _coerce_bool(value)
    if base is int:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError(Message("{value!r} is not a whole number", value=value))
        try:
            number = int(str(value).strip()) if isinstance(value, str) else int(value)
        except (ValueError, OverflowError):  # "inf", "abc", float("inf")
            raise ValueError(Message("{value!r} is not a whole number", value=value)) from None
        if not INTEGER_RANGE[0] <= number <= INTEGER_RANGE[1]:
            raise ValueError(
                Message(
                    "{value!r} is out of range (at most {limit:,})",
                    value=value,
                    limit=INTEGER_RANGE[1],
                )
            )
        return number
    if base is float:
        real = float(value)
        if not math.isfinite(real):
            raise ValueError(Message("{value!r} is not a finite number", value=value))
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


def _coerce_object(value: Any) -> dict[str, Any]:
    """An object of named plain values (text, numbers, yes/no, null, or lists of them), as
    ``extra`` keeps what a source row held; dates become ISO text.

    >>> _coerce_object({"marking": "Official Signs", "surveyed": date(2019, 3, 14), "n": 2})
    {'marking': 'Official Signs', 'surveyed': '2019-03-14', 'n': 2}
    >>> _coerce_object({"photo": b"..."})
    Traceback (most recent call last):
    ...
    ValueError: photo: b'...' is not text, a number, yes/no or a date
    """
    if not isinstance(value, Mapping):
        raise ValueError(Message("expected an object of named values, got {value!r}", value=value))
    return {_text(str(k)): _plain_item(str(k), v) for k, v in value.items()}


def _plain_item(name: str, value: Any) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(
                Message("{name}: {value!r} is not a finite number", name=name, value=value)
            )
        return value
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain_item(name, v) for v in value]
    raise ValueError(
        Message("{name}: {value!r} is not text, a number, yes/no or a date", name=name, value=value)
    )


def text_problem(value: Any) -> Message | None:
    """Why ``value`` cannot be stored as text, or None: NUL is refused because PostgreSQL
    cannot keep it (and GDAL and other C readers stop at it), so both stores hold the same.

    >>> text_problem("Area 51") is None
    True
    >>> print(text_problem("A" + chr(0)))
    'A\\x00' contains a NUL character (byte 0)
    """
    if isinstance(value, str) and "\x00" in value:
        return Message("{value!r} contains a NUL character (byte 0)", value=value)
    return None


def length_problem(spec: FieldSpec, value: Any) -> Message | None:
    """Why ``value`` is too long for its field, or None (see ``specs.SHORT_TEXT_MAX``); the
    message says the lengths, not the text, which may be megabytes.

    >>> from minewatch.domain.schema import field_specs
    >>> print(length_problem(field_specs("hazardous_area")["name"], "x" * 2_000_000))
    2,000,000 characters, more than the 200 this field holds
    >>> length_problem(field_specs("hazardous_area")["name"], "Area 51") is None
    True
    """
    if spec.max_length is None or not isinstance(value, str) or len(value) <= spec.max_length:
        return None
    return Message(
        "{length:,} characters, more than the {maximum:,} this field holds",
        length=len(value),
        maximum=spec.max_length,
    )


def _short_enough(spec: FieldSpec, value: Any) -> Any:
    problem = length_problem(spec, value)
    if problem:
        raise ValueError(problem)
    return value


def _text(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def clean_code(text: str) -> str:
    """A code as typed or pasted, reduced to the code it names: NFC, without Unicode format
    characters (category Cf: right-to-left and left-to-right marks and overrides, zero-width
    space and joiners, the byte order mark — invisible, so a person cannot see why
    ``HA\u200f-000002`` names nothing) and without spaces around it. Every reference field
    and every item lookup goes through here; ASCII (nearly every code) costs one strip.

    >>> clean_code(" HA\u200f-000002\ufeff "), clean_code("\u202eLOC-1\u200b\u200d")
    ('HA-000002', 'LOC-1')
    >>> clean_code("Cafe\u0301") == "Caf\u00e9"
    True
    """
    if text.isascii():
        return text.strip()
    normal = unicodedata.normalize("NFC", text)
    return "".join(c for c in normal if unicodedata.category(c) != "Cf").strip()


def _within(minimum: float | None, maximum: float | None, value: Any) -> Any:
    """``value`` if no bound of its field excludes it."""
    if not isinstance(value, int | float):
        return value
    if minimum is not None and value < minimum:
        raise ValueError(
            Message(
                "{value!r} is below the smallest allowed value, {minimum:g}",
                value=value,
                minimum=minimum,
            )
        )
    if maximum is not None and value > maximum:
        raise ValueError(
            Message(
                "{value!r} is above the largest allowed value, {maximum:g}",
                value=value,
                maximum=maximum,
            )
        )
    return value


def _coerce_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "y", "t"}:
        return True
    if text in {"0", "false", "no", "n", "f"}:
        return False
    raise ValueError(Message("{value!r} is not yes/no", value=value))


@functools.cache
def _nested_hints(cls: type) -> dict[str, Any]:
    """A nested record's field types (cached: imports convert thousands of them)."""
    hints = typing.get_type_hints(cls, localns=_HINT_NAMES)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _coerce_nested(cls: type, value: Any) -> Any:
    if isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        names = [f.name for f in dataclasses.fields(cls)]
        raise ValueError(Message("expected an object with fields {names}", names=names))
    hints = _nested_hints(cls)
    known = set(hints)
    unknown = set(value) - known
    if unknown:
        raise ValueError(Message("unknown keys {keys}", keys=sorted(unknown)))
    kwargs = {}
    specs = nested_field_specs(cls)
    for name, raw in value.items():
        base, _ = _unwrap_optional(hints[name])
        spec = specs[name]
        try:
            kwargs[name] = (
                None
                if raw is None
                else _short_enough(
                    spec, _within(spec.minimum, spec.maximum, _coerce_scalar(base, raw))
                )
            )
        except (ValueError, TypeError) as exc:
            raise ValueError(
                Message("{name}: {problem}", name=name, problem=Message.of(exc))
            ) from None
    return cls(**kwargs)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def coerce_value(spec: FieldSpec, value: Any) -> Any:
    """``value`` converted to the field's Python type; ValueError says why it cannot be.

    Examples
    --------
    >>> from minewatch.domain.schema import field_specs
    >>> specs = field_specs(Kind.HAZARDOUS_AREA)
    >>> coerce_value(specs["hazard_types"], "ap_mines uxo_axo")
    (<HazardType.AP_MINES: 'ap_mines'>, <HazardType.UXO_AXO: 'uxo_axo'>)
    >>> coerce_value(specs["reported_area_m2"], " ") is None
    True
    >>> coerce_value(specs["status"], "mined?")
    Traceback (most recent call last):
    ...
    ValueError: 'mined?' is not one of: open, suspended, closed, released
    >>> coerce_value(specs["location_code"], " LOC-000001 "), coerce_value(specs["location_code"], "LOC\u200f-000001")
    ('LOC-000001', 'LOC-000001')
    """
    if isinstance(value, str) and spec.storage == "json" and value.strip()[:1] in ("[", "{"):
        try:
            value = json.loads(value)  # lists and objects as our exports write them
        except ValueError:
            raise ValueError(Message("{value!r} is not valid JSON", value=value)) from None
    if spec.many:
        if _is_blank(value):
            return ()
        items = value.split() if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise ValueError(Message("expected a list, got {value!r}", value=value))
        if spec.refers_to:
            items = [clean_code(v) if isinstance(v, str) else v for v in items]
        return tuple(_short_enough(spec, _coerce_scalar(spec.python_type, v)) for v in items)
    if _is_blank(value) or (spec.python_type is dict and value == {}):
        if spec.storage == "json" and spec.python_type is not dict:
            return spec.python_type()
        return None
    if spec.refers_to and isinstance(value, str):
        code = clean_code(value)  # a code typed or pasted with marks names the same item
        return _short_enough(spec, _text(code)) if code else None
    value = _coerce_scalar(spec.python_type, value)
    return _short_enough(spec, _within(spec.minimum, spec.maximum, value))


def coerce_fields(kind: Kind | str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and convert a report's changes; raises FieldError naming the first bad field.

    Examples
    --------
    >>> coerce_fields(Kind.VICTIM, {"sex": "female", "age": "34"})
    {'sex': <Sex.FEMALE: 'female'>, 'age': 34}
    >>> coerce_fields(Kind.VICTIM, {"colour": "red"})
    Traceback (most recent call last):
    ...
    minewatch.domain.schema.coercion.FieldError: victim has no field 'colour'
    """
    specs = data_fields(kind)
    out: dict[str, Any] = {}
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None:
            raise FieldError(
                name, Message("{kind} has no field {name!r}", kind=Kind(kind).value, name=name)
            )
        try:
            out[name] = coerce_value(spec, value)
        except (ValueError, TypeError) as exc:
            raise FieldError(name, Message.of(exc)) from None
    return out
