"""Whole columns at once, for imports: :func:`coerce_column` (numbers in one vectorised pass,
other values converted once per distinct value), :func:`coerce_columns` for a batch with each
bad cell a :class:`CellError`, and :func:`plain_column` back to plain data.

>>> coerce_columns("victim", {"sex": ["female", "?"]})[1]
[CellError(row=1, field='sex', message="'?' is not one of: female, male, unknown")]
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from minewatch.domain.records import Kind
from minewatch.domain.schema.coercion import (
    INTEGER_RANGE,
    FieldError,
    _is_blank,
    clean_code,
    coerce_value,
    length_problem,
    text_problem,
)
from minewatch.domain.schema.plain import to_plain
from minewatch.domain.schema.specs import FieldSpec, Storage, data_fields
from minewatch.domain.text import Message


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
        return ("\x00json", _KEY(to_plain(value)))
    return value


#: One encoder for every key (``json.dumps`` with options builds one per call).
_KEY = json.JSONEncoder(sort_keys=True, default=str).encode


def _bad_number(value: Any, storage: Storage) -> Message:
    if storage == "integer":
        return Message("{value!r} is not a whole number", value=value)
    return Message("{value!r} is not a number", value=value)


def _coerce_numbers(
    spec: FieldSpec, cells: npt.NDArray[np.object_]
) -> tuple[list[Any], list[tuple[int, Message]]]:
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
            bad.append((int(i), Message.of(exc)))
    return out.tolist(), sorted(bad)


def coerce_column(
    spec: FieldSpec, values: Sequence[Any] | npt.NDArray[np.object_]
) -> tuple[list[Any], list[tuple[int, Message]]]:
    """One column converted to typed values (bad cells None), with (row, message) for each
    bad cell.

    Numbers go through pandas in one pass; every other value through :func:`coerce_value`
    once per distinct value, so a million rows with a few distinct statuses cost a few calls
    and the rules stay those of :func:`coerce_value` (blank text is missing, as there).

    >>> from minewatch.domain.schema import field_specs
    >>> coerce_column(field_specs("victim")["age"], [7, " ", "x", 2.5, None])
    ([7, None, None, None, None], [(2, "'x' is not a whole number"), (3, '2.5 is not a whole number')])
    """
    import pandas as pd  # only importers coerce columns: the CLI's start stays light

    # Through pandas, not ``np.array``: a column of lists must stay a column of lists.
    cells = pd.Series(list(values), dtype=object).to_numpy()
    if spec.storage in ("integer", "real") and not spec.many:
        return _coerce_numbers(spec, cells)
    if spec.python_type is str and not spec.many:  # free text: only NUL and length can be bad
        missing = pd.isna(cells)
        texts = [None if m or _is_blank(v) else str(v) for v, m in zip(cells, missing, strict=True)]
        if spec.refers_to:  # a code with spaces or invisible marks names the same item
            cleaned = {t: clean_code(t) for t in set(texts) if t is not None}
            texts = [None if t is None else cleaned[t] or None for t in texts]
        bad = [
            (i, p)
            for i, t in enumerate(texts)
            if (p := text_problem(t) or length_problem(spec, t)) is not None
        ]
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
    messages: list[Message | None] = [None] * (len(uniques) + 1)
    for k, value in enumerate([*uniques, None]):
        try:
            results[k] = coerce_value(spec, value)
        except (ValueError, TypeError) as exc:
            dated = spec.storage in ("date", "datetime")
            messages[k] = (
                Message("{value!r} is not a date (YYYY-MM-DD)", value=value)
                if dated
                else Message.of(exc)
            )
    failed = np.array([m is not None for m in messages])[codes]
    bad = [(int(i), m) for i in np.flatnonzero(failed) if (m := messages[codes[i]]) is not None]
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
    except TypeError:  # lists or objects among them: a key costs as much as converting
        return [to_plain(v) for v in values]
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
            raise FieldError(
                name, Message("{kind} has no field {name!r}", kind=Kind(kind).value, name=name)
            )
        typed[name], bad = coerce_column(spec, list(values))
        errors += [CellError(row, name, message) for row, message in bad]
    return typed, sorted(errors, key=lambda e: (e.row, e.field))
