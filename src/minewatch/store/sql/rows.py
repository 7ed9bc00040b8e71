"""Small helpers for moving values between records and rows: id lists cut to the size of
one ``IN (...)`` list, polygons promoted for a MULTIPOLYGON layer, field values as columns
hold them, and datetimes and references read back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import shapely

from minewatch.domain.schema import FieldSpec, to_plain

#: How many values go into one ``IN (...)`` list.
IN_CHUNK = 900


def chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def promote_all(geoms: np.ndarray, geometry_type: str | None) -> np.ndarray:
    """Polygons in a MULTIPOLYGON layer become one-part multipolygons, vectorised."""
    if geometry_type != "MULTIPOLYGON" or not len(geoms):
        return geoms
    out = geoms.copy()
    single = np.flatnonzero(shapely.get_type_id(geoms) == 3)
    if len(single):
        out[single] = shapely.multipolygons(geoms[single], indices=np.arange(len(single)))
    return out


def _db_value(spec: FieldSpec, value: Any) -> Any:
    if value is None:
        return None
    if spec.storage == "json":
        return to_plain(value)
    if spec.name == "id" or spec.enum is not None:
        return to_plain(value)
    return value


def _aware(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; everything minewatch stores is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _looks_like_uuid(ref: str | uuid.UUID) -> bool:
    try:
        uuid.UUID(str(ref))
    except ValueError:
        return False
    return True
