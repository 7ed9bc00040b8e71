"""Records from the rows of a kind's table, as :func:`~minewatch.domain.schema.build_record`
makes them, but with each column's conversion remembered per stored value: a page of
features repeats the same statuses, dates, hazard type lists and beneficiary grids, and
converting them again cost ~60 µs per row, as much as the query (issue 20's profile).

The conversion is the domain's own (``coerce_value``), so a record is the same whether
built here or by ``build_record``; only immutable results are remembered (records and their
nested values are frozen), so no two records share anything a caller could change.

>>> from minewatch.domain.records import Kind
>>> rows = RowRecords(Kind.HAZARDOUS_AREA, ["code", "status", "hazard_types"])
>>> [r.status for r in rows.build([("HA-1", "open", '["uxo_axo"]'), ("HA-2", "open", None)])]
[<HazardStatus.OPEN: 'open'>, <HazardStatus.OPEN: 'open'>]
>>> rows.build([("HA-3", "closed", '["uxo_axo"]')])[0].hazard_types
(<HazardType.UXO_AXO: 'uxo_axo'>,)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from minewatch.domain.records import Kind, Record, record_type
from minewatch.domain.schema import FieldSpec, field_specs
from minewatch.domain.schema.coercion import FieldError, coerce_value

#: Distinct values remembered per column; past it the memory starts again (unique columns
#: such as ids and codes would otherwise grow it without bound).
MEMO_SIZE = 4096
_MUTABLE = (dict, list, set)
#: Marks a value that is left out of the record (its field's default applies).
_LEAVE_OUT = object()
_UNSEEN = object()


def _converter(name: str, spec: FieldSpec) -> Callable[[Any], Any]:
    """One column's stored value → the value ``build_record`` gives the field (or
    _LEAVE_OUT), remembered per distinct hashable value."""
    memo: dict[tuple[type, Any], Any] = {}

    def convert_new(value: Any) -> Any:
        if spec.storage == "json" and isinstance(value, str):
            value = json.loads(value)  # as the column type's result processor does
        try:
            converted = coerce_value(spec, value)
        except (ValueError, TypeError) as exc:
            raise FieldError(name, str(exc)) from None
        return converted if converted is not None or spec.optional else _LEAVE_OUT

    def convert(value: Any) -> Any:
        if value is None:
            return _LEAVE_OUT  # as the store's reads always did: a NULL takes the default
        if isinstance(value, _MUTABLE):  # a driver's decoded JSON: not hashable
            return convert_new(value)
        key = (type(value), value)  # 1 and True are equal; their conversions may not be
        found = memo.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = convert_new(value)
            if not isinstance(found, _MUTABLE):
                if len(memo) >= MEMO_SIZE:
                    memo.clear()
                memo[key] = found
        return found

    return convert


class RowRecords:
    """Builds records of one kind from rows whose columns are ``keys`` (field names; the
    geometry, if any, is passed apart as decoded shapes)."""

    def __init__(self, kind: Kind, keys: Sequence[str]) -> None:
        specs = field_specs(kind)
        self.record_type = record_type(kind)
        self.columns = [
            (i, name, _converter(name, specs[name]))
            for i, name in enumerate(keys)
            if name in specs and specs[name].storage != "geometry"
        ]

    def build(self, rows: Sequence[Sequence[Any]], geoms: Any = None) -> list[Record]:
        make = self.record_type
        out = []
        for n, row in enumerate(rows):
            values = {}
            for i, name, convert in self.columns:
                value = convert(row[i])
                if value is not _LEAVE_OUT:
                    values[name] = value
            if geoms is not None:
                values["geometry"] = geoms[n]
            out.append(make(**values))
        return out
