"""The multi-user backend: PostgreSQL with PostGIS. Distance filters run in SQL on the
geography type; the bounding-box test on the GiST index makes the area drive the plan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
import sqlalchemy as sa
from geoalchemy2 import WKBElement
from shapely.geometry.base import BaseGeometry

from minewatch.store.sql import SqlRepository
from minewatch.store.tables import GEOMETRY_COLUMN, SRID


def engine_url(url: str) -> str:
    """SQLAlchemy's spelling of a PostgreSQL URL, with the psycopg 3 driver."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise ValueError(f"not a PostgreSQL URL: {url}")


class PostGISStore(SqlRepository):
    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        engine = sa.create_engine(engine_url(url), pool_pre_ping=True)
        super().__init__(url, engine)

    def _encode_geometries(self, geoms: Sequence[BaseGeometry | None]) -> list[Any]:
        arr = np.asarray(geoms, dtype=object)
        wkbs = shapely.to_wkb(arr, hex=False)
        return [None if w is None else WKBElement(w, srid=SRID) for w in wkbs]

    def _geometry_select(self, table: sa.Table) -> sa.ColumnElement[Any]:
        return sa.func.ST_AsBinary(table.c[GEOMETRY_COLUMN])

    def _decode_geometries(self, values: Sequence[Any]) -> np.ndarray:
        return shapely.from_wkb(
            np.array([None if v is None else bytes(v) for v in values], dtype=object)
        )

    def _bbox_clause(
        self, table: sa.Table, bbox: tuple[float, float, float, float]
    ) -> sa.ColumnElement[bool]:
        envelope = sa.func.ST_MakeEnvelope(*bbox, SRID)
        return table.c[GEOMETRY_COLUMN].op("&&")(envelope)

    def _near_clause(
        self, table: sa.Table, lon: float, lat: float, metres: float
    ) -> sa.ColumnElement[bool]:
        point = sa.func.ST_SetSRID(sa.func.ST_MakePoint(lon, lat), SRID)
        return sa.func.ST_DWithin(
            sa.func.geography(table.c[GEOMETRY_COLUMN]), sa.func.geography(point), metres
        )
