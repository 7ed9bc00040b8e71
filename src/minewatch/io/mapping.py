"""Column mappings: how the columns of someone else's file become the fields of our records.

A mapping is a small TOML file (or the same as a dict) that names the record kind, the
column holding each record's external id, how to find the geometry in a CSV, and for each
record field either the source column (with an optional map of values and a default) or a
constant. See docs/geodata.md for the format.

>>> mapping = Mapping.model_validate({
...     "kind": "hazardous_area",
...     "id_column": "HAZ_ID",
...     "fields": {
...         "name": "NAME",
...         "status": {"column": "STATUS", "values": {"Open": "open", "Done": "released"}},
...         "classification": {"value": "SHA"},
...     },
... })
>>> import pandas as pd
>>> frame = pd.DataFrame({"NAME": ["Field 4", None], "STATUS": ["Open", "Nope"]})
>>> values, errors = apply_mapping(mapping, frame)
>>> values.to_dict("records")[0]
{'name': 'Field 4', 'status': 'open', 'classification': 'SHA'}
>>> errors[0].row, errors[0].field
(1, 'status')
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from collections.abc import Mapping as AnyMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from minewatch.domain.records import Kind
from minewatch.domain.schema import (
    FieldSpec,
    coerce_column,
    coerce_value,
    data_fields,
    field_specs,
    plain_column,
)
from minewatch.domain.text import Message
from minewatch.errors import InvalidInput, Location

M = TypeVar("M", bound=BaseModel)

#: Report-level values a file may also carry: the Date of Information of each row's report,
#: and the code of an existing item the row updates.
REPORT_FIELDS = ("date_of_information", "code")


def mappable_fields(kind: Kind) -> dict[str, FieldSpec]:
    """The fields a mapping may fill: the record's data fields and :data:`REPORT_FIELDS`."""
    specs = field_specs(kind)
    return {**data_fields(kind), **{name: specs[name] for name in REPORT_FIELDS}}


class FieldSource(BaseModel):
    """Where one record field comes from: a source ``column`` (its ``values`` translated
    through the map, blanks replaced by ``default``) or a constant ``value``.

    For fields that hold several values (e.g. ``hazard_types``), ``separator`` splits the
    cell and each part goes through ``values``.
    """

    model_config = ConfigDict(extra="forbid")

    column: str | None = None
    value: Any = None
    values: dict[str, Any] = Field(default_factory=dict)
    default: Any = None
    separator: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> FieldSource:
        if (self.column is None) == (self.value is None):
            raise ValueError("give either 'column' or a constant 'value'")
        return self


class GeometrySource(BaseModel):
    """For CSV files: the geometry as WKT in one column, or as x (longitude) and y
    (latitude) columns. ``crs`` is the CRS of those coordinates (WGS84 when not given)."""

    model_config = ConfigDict(extra="forbid")

    wkt: str | None = None
    x: str | None = None
    y: str | None = None
    crs: str | None = None

    @model_validator(mode="after")
    def _wkt_or_xy(self) -> GeometrySource:
        if self.wkt is None and (self.x is None or self.y is None):
            raise ValueError("give 'wkt', or both 'x' (longitude) and 'y' (latitude)")
        if self.wkt is not None and (self.x is not None or self.y is not None):
            raise ValueError("give 'wkt' or 'x'/'y', not both")
        return self


class Mapping(BaseModel):
    """How one source layer maps onto one kind of record."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind
    layer: str | None = None
    id_column: str | None = None
    assumed_crs: str | None = None
    allow_missing_geometry: bool = False
    geometry: GeometrySource | None = None
    fields: dict[str, FieldSource] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        # ``name = "NAME"`` is short for ``name = {column = "NAME"}``
        if isinstance(data, dict) and isinstance(data.get("fields"), dict):
            data = {
                **data,
                "fields": {
                    k: {"column": v} if isinstance(v, str) else v for k, v in data["fields"].items()
                },
            }
        return data

    @model_validator(mode="after")
    def _known_fields(self) -> Mapping:
        known = mappable_fields(self.kind)
        unknown = sorted(set(self.fields) - set(known))
        if unknown:
            raise ValueError(
                f"{self.kind.value} has no field(s) {', '.join(unknown)}; known: {', '.join(known)}"
            )
        for name, source in self.fields.items():
            if source.value is not None:
                try:
                    coerce_value(known[name], source.value)
                except (ValueError, TypeError) as exc:
                    raise ValueError(f"fields.{name}: constant value: {exc}") from None
        return self

    @property
    def source_columns(self) -> list[str]:
        """Every source column the mapping reads (fields, id and CSV geometry)."""
        columns = [s.column for s in self.fields.values() if s.column is not None]
        if self.id_column:
            columns.append(self.id_column)
        if self.geometry is not None:
            columns.extend(c for c in (self.geometry.wkt, self.geometry.x, self.geometry.y) if c)
        return list(dict.fromkeys(columns))


def load_mapping(source: str | Path | AnyMapping[str, Any]) -> Mapping:
    """A mapping from a TOML file or a dict; InvalidInput says what is wrong with it."""
    return load_toml_model(source, Mapping, "mapping")


def load_toml_model(source: str | Path | AnyMapping[str, Any], model: type[M], what: str) -> M:
    """``model`` validated from a TOML file or a dict; InvalidInput names the file and says
    what is wrong (``what`` names the kind of mapping in the message, e.g. "migration mapping")."""
    where = Location(file=str(source)) if isinstance(source, str | Path) else Location()
    try:
        if isinstance(source, str | Path):
            data: AnyMapping[str, Any] = tomllib.loads(Path(source).read_text(encoding="utf-8"))
        else:
            data = source
        return model.model_validate(dict(data))
    except FileNotFoundError:
        raise InvalidInput("mapping file not found", where) from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput("not valid TOML: {problem}", where, problem=exc) from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'mapping'}: {e['msg']}" for e in exc.errors()
        )
        raise InvalidInput(
            "invalid {what}: {problems}", where, what=what, problems=problems
        ) from None


@dataclass(frozen=True)
class CellError:
    """A cell that does not fit its field: ``row`` is the 0-based row in the frame."""

    row: int
    field: str
    column: str | None
    message: str


def check_columns(mapping: Mapping, available: list[str], file: str | None = None) -> None:
    """InvalidInput if the mapping names a column the source does not have."""
    missing = [c for c in mapping.source_columns if c not in available]
    if missing:
        raise InvalidInput(
            "column(s) {missing} not in the file; it has: {available}",
            Location(file=file, field=missing[0]),
            missing=", ".join(missing),
            available=", ".join(available),
        )


def _blank_to_none(series: pd.Series) -> pd.Series:
    """Object series with NaN, None and whitespace-only strings as None, strings trimmed."""
    out = series.astype(object)
    blank = out.isna()
    if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
        # Not ``.str``: GDAL hands date and datetime columns over as Python objects too.
        stripped = out.map(_trimmed_texts(out[~blank]))
        out = out.where(stripped.isna(), stripped)
        blank |= (stripped == "").fillna(False).astype(bool)
    out[blank] = None
    return out


def _trimmed_texts(values: pd.Series) -> Callable[[Any], Any] | dict[Any, str]:
    """What ``Series.map`` turns each cell into: its text trimmed, NaN for anything else.
    Each distinct text is trimmed once (a million finds hold a few categories); cells that
    cannot be looked up (lists) go through a function instead."""
    try:
        distinct = pd.unique(values)
    except TypeError:  # unhashable cells
        return lambda v: v.strip() if isinstance(v, str) else np.nan
    return {v: v.strip() for v in distinct if isinstance(v, str)}


def _as_list(cell: Any, separator: str | None) -> Any:
    """A multi-valued cell as a list: GDAL string lists, JSON arrays (as our exports write
    them) and separated text; other text is left for the schema to split on spaces."""
    if isinstance(cell, np.ndarray | list | tuple):
        return [str(v).strip() for v in cell]
    if isinstance(cell, str) and cell.startswith("["):
        try:
            parsed = json.loads(cell)
        except ValueError:
            parsed = None
        if isinstance(parsed, list):
            return [v if isinstance(v, dict) else str(v).strip() for v in parsed]
    if isinstance(cell, str) and separator is not None:
        return [part.strip() for part in cell.split(separator) if part.strip()]
    return cell


def _translate(series: pd.Series, source: FieldSource, many: bool) -> pd.Series:
    """Cells through the value map (matched as text, exactly, then ignoring case); for
    multi-valued fields, each item of the cell."""
    values = source.values
    if many:
        return series.map(
            lambda cell: (
                [_lookup(values, v) for v in listed]
                if isinstance(listed := _as_list(cell, source.separator), list)
                else _lookup(values, listed)
            ),
            na_action="ignore",
        )
    if not values:
        return series
    uniques = pd.unique(series.dropna())
    table = {u: _lookup(values, u) for u in uniques}
    return series.map(table, na_action="ignore")


def _lookup(values: dict[str, Any], cell: Any) -> Any:
    if not values:
        return cell
    text = str(cell).strip()
    if text in values:
        return values[text]
    folded = {k.casefold(): v for k, v in values.items()}
    return folded.get(text.casefold(), cell)


def _coerce(spec: FieldSpec, series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Plain, validated values for one field, and the error text per row (None if fine),
    by the schema's own column conversion (:func:`minewatch.domain.schema.coerce_column`)."""
    typed, bad = coerce_column(spec, series.to_numpy(dtype=object))
    errors = np.full(len(series), None, dtype=object)
    for row, message in bad:
        errors[row] = message
    return (
        pd.Series(plain_column(typed), index=series.index, dtype=object),
        pd.Series(errors, index=series.index, dtype=object),
    )


def apply_mapping(mapping: Mapping, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[CellError]]:
    """The record fields for every row of ``frame`` (plain values as reports hold them, None
    for blanks) and every cell that does not fit its field.

    Work is per column, and per distinct value for text, so a million rows map in seconds.
    """
    specs = mappable_fields(mapping.kind)
    columns: dict[str, pd.Series] = {}
    problems: list[CellError] = []
    for name, source in mapping.fields.items():
        spec = specs[name]
        if source.column is None:
            raw = pd.Series([source.value] * len(frame), index=frame.index, dtype=object)
        else:
            raw = _translate(_blank_to_none(frame[source.column]), source, spec.many)
        if source.default is not None:
            raw = raw.astype(object).where(raw.notna(), source.default)
        values, errors = _coerce(spec, raw)
        columns[name] = values
        for row in np.flatnonzero(errors.notna().to_numpy()):
            # The error already names the field; name the source column too when it differs
            # ("field quantity: column qty: …"), and say so when a constant was at fault.
            problem = errors.iloc[row]
            if source.column is None:
                problem = Message("constant value: {problem}", problem=problem)
            elif source.column != name:
                problem = Message(
                    "column {column}: {problem}", column=source.column, problem=problem
                )
            problems.append(CellError(int(row), name, source.column, problem))
    return pd.DataFrame(columns, index=frame.index), problems
