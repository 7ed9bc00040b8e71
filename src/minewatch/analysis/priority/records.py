"""Indicators read from the hazard records themselves: blocked resources, beneficiaries,
hazard types and residual hazard (list- and mapping-valued fields, or their JSON text)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from minewatch.analysis.priority.projection import _T, Floats
from minewatch.errors import InvalidInput, Location


def _record_values(values: Iterable[Any], field: str, derive: Callable[[Any], _T]) -> list[_T]:
    """``derive`` of each value of a record field (a list or mapping), JSON text parsed first.

    Why a cache keyed by text: the store and GeoPackage exports hold these fields as JSON
    text, and blockages and hazard types repeat a few combinations across a country, so
    each distinct text is parsed and derived once (parsing every row took a tenth of a
    batch's time).
    """
    if isinstance(values, pd.Series):  # Arrow-backed text is slow to iterate item by item
        values = values.to_numpy(dtype=object)
    cache: dict[str, _T] = {}
    out: list[_T] = []
    for position, value in enumerate(values):
        try:
            if not isinstance(value, str):
                out.append(derive(value))
            elif value in cache:
                out.append(cache[value])
            else:
                out.append(cache.setdefault(value, derive(_parsed_json(value, field))))
        except InvalidInput as exc:
            raise InvalidInput(exc.message, Location(row=position + 1, field=field)) from None
    return out


def _parsed_json(text: str, field: str) -> Any:
    """The value of a JSON text (None for blank text); bad JSON names the field and text."""
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{field} holds text that is not JSON ({exc.msg} at character {exc.pos + 1}): "
            f"{text[:80]!r}",
            Location(field=field),
        ) from None


def _items(value: Any, field: str) -> list[Any]:
    """The items of a list-valued field; missing is an empty list."""
    if isinstance(value, list | tuple):
        return list(value)
    if _missing(value):
        return []
    if isinstance(value, str | Mapping) or not np.iterable(value):
        raise InvalidInput(f"{field} should be a list, not {value!r:.80}", Location(field=field))
    return list(value)


def blockage_summary(blockages: pd.Series) -> tuple[Floats, pd.Series]:
    """The number of distinct blocked-resource types per area and their names joined by ";".

    Items are ``{"type": ..., "note": ...}`` mappings (or JSON text of a list of them).

    >>> count, kinds = blockage_summary(pd.Series([[{"type": "road"}, {"type": "water"},
    ...     {"type": "road"}], []]))
    >>> count.tolist(), kinds.tolist()
    ([2.0, 0.0], ['road;water', ''])
    """
    owners, kinds = _blocked_kinds(blockages)
    codes, names = pd.factorize(np.array(kinds, dtype=object), sort=True)
    if len(names) > 62:
        raise ValueError("more than 62 distinct blockage types")
    masks = np.zeros(len(blockages), dtype=np.int64)
    np.bitwise_or.at(masks, np.array(owners, dtype=np.int64), np.int64(1) << codes)
    unique, inverse = np.unique(masks, return_inverse=True)
    bits = (unique[:, None] >> np.arange(len(names))) & 1
    labels = np.array([";".join(names[row.astype(bool)]) for row in bits], dtype=object)
    count = bits.sum(axis=1)[inverse].astype(np.float64)
    return count, pd.Series(labels[inverse], index=pd.RangeIndex(len(blockages)))


def _blocked_kinds(blockages: pd.Series) -> tuple[list[int], list[str]]:
    """Each blocked-resource item as (position of its area, its type as text), missing types
    left out.

    A plain loop: one pass over a few items per area, where exploding them into a pandas
    Series and mapping over it cost five times as much.
    """
    owners: list[int] = []
    kinds: list[str] = []
    for position, types in enumerate(_record_values(blockages, "blockages", _blocked_types)):
        owners.extend([position] * len(types))
        kinds.extend(types)
    return owners, kinds


def _blocked_types(value: Any) -> list[str]:
    """The types of one area's blocked-resource items (mappings with a ``type``, or the
    type itself), missing ones left out."""
    types = []
    for item in _items(value, "blockages"):
        kind = item.get("type") if isinstance(item, Mapping) else item
        if isinstance(kind, str) or not _missing(kind):
            types.append(str(kind))
    return types


def _missing(value: Any) -> bool:
    """None, NaN, NaT or pd.NA (what ``dropna`` drops); a list or mapping is not missing."""
    return value is None or (np.ndim(value) == 0 and bool(pd.isna(value)))


def _people(value: Any) -> float:
    if not isinstance(value, Mapping):
        return np.nan
    counts = [value.get(k) for k in ("girls", "boys", "women", "men")]
    known = [float(c) for c in counts if c is not None]
    return float(sum(known)) if known else np.nan


def beneficiaries_total(beneficiaries: pd.Series) -> Floats:
    """Total people in a ``SexAge`` column (mappings or JSON text); NaN where not recorded.

    >>> beneficiaries_total(pd.Series([{"girls": 1, "men": 2}, '{"women": 4}', None])).tolist()
    [3.0, 4.0, nan]
    """
    return np.array(_record_values(beneficiaries, "beneficiaries", _people), dtype=np.float64)


def _joined_hazards(value: Any) -> str:
    return ";".join(str(kind) for kind in _items(value, "hazard_types"))


def _numeric_column(areas: pd.DataFrame, name: str) -> Floats:
    if name not in areas:
        return np.full(len(areas), np.nan)
    return pd.to_numeric(areas[name], errors="coerce").to_numpy(dtype=np.float64)


def _record_indicators(areas: pd.DataFrame) -> dict[str, Any]:
    """The indicators read from the hazard records themselves (blockages, residual hazard,
    beneficiaries, hazard types); a bad value is reported with its area's code."""
    try:
        count, names = blockage_summary(
            areas["blockages"] if "blockages" in areas else pd.Series([[]] * len(areas))
        )
        beneficiaries = (
            beneficiaries_total(areas["beneficiaries"]) if "beneficiaries" in areas else np.nan
        )
        hazards = (
            np.array(
                _record_values(areas["hazard_types"], "hazard_types", _joined_hazards),
                dtype=object,
            )
            if "hazard_types" in areas
            else ""
        )
    except InvalidInput as exc:
        row = exc.where.row
        if not isinstance(row, int) or "code" not in areas:
            raise
        code = areas["code"].iloc[row - 1]
        raise InvalidInput(f"area {code}: {exc.message}", Location(field=exc.where.field)) from None
    return {
        "blockages": count,
        "blockage_types": names.to_numpy(),
        "residual_risk": _numeric_column(areas, "residual_risk"),
        "beneficiaries": beneficiaries,
        "hazard_types": hazards,
    }
