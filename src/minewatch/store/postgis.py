"""The multi-user backend: PostgreSQL with PostGIS. Distance filters run in SQL on the
geography type; the bounding-box test on the GiST index makes the area drive the plan."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import psycopg
import shapely
import sqlalchemy as sa
from geoalchemy2 import WKBElement
from shapely.geometry.base import BaseGeometry
from sqlalchemy.dialects.postgresql import JSONB

from minewatch.domain.records import Kind, record_type
from minewatch.errors import InvalidInput
from minewatch.store.sql import SqlRepository, promote_all
from minewatch.store.tables import GEOMETRY_COLUMN, SRID, JsonText


def engine_url(url: str) -> str:
    """SQLAlchemy's spelling of a PostgreSQL URL, with the psycopg 3 driver."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise ValueError(f"not a PostgreSQL URL: {url}")


def _nul_is_invalid_input(context: sa.engine.ExceptionContext) -> None:
    """PostgreSQL cannot keep text with NUL, which SQLite keeps: a NUL that got past the
    checks in front of the store (the domain refuses it in record fields) is the sender's
    error, InvalidInput, not a server error. psycopg finds it before the query is sent."""
    original = context.original_exception
    if isinstance(original, psycopg.DataError) and "NUL (0x00)" in str(original):
        raise InvalidInput("text with a NUL character (byte 0) cannot be stored") from None


class PostGISStore(SqlRepository):
    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        engine = sa.create_engine(engine_url(url), pool_pre_ping=True)
        sa.event.listen(engine, "handle_error", _nul_is_invalid_input)
        super().__init__(url, engine)

    def serialise(self, conn: sa.Connection, name: str) -> None:
        """A transaction-scoped advisory lock keyed on the table: the application's role may
        not ``LOCK`` a table it cannot update (the audit log), but it may take this."""
        conn.execute(
            sa.text("SELECT pg_advisory_xact_lock(CAST(CAST(:t AS regclass) AS oid)::bigint)"),
            {"t": name},
        )

    def _bulk_insert(
        self,
        conn: sa.Connection,
        table: sa.Table,
        columns: dict[str, list[Any]],
        geometries: np.ndarray | None,
    ) -> None:
        """COPY in the open transaction: the loading path PostgreSQL is built for."""
        raw = conn.connection.dbapi_connection
        assert raw is not None
        names = list(columns)
        data: list[list[Any]] = []
        for name, values in columns.items():
            is_json = isinstance(table.c[name].type, JSONB | JsonText) or name in (
                "changes",
                "notes",
            )
            data.append(
                [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
                if is_json
                else values
            )
        if geometries is not None:
            geoms = promote_all(
                np.asarray(geometries, dtype=object), record_type(Kind(table.name)).geometry_type
            )
            names.append(GEOMETRY_COLUMN)
            data.append(
                shapely.to_wkb(shapely.set_srid(geoms, SRID), hex=True, include_srid=True).tolist()
            )
        connection = cast(psycopg.Connection[Any], raw)
        statement = f'COPY "{table.name}" ({", ".join(names)}) FROM STDIN'
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in zip(*data, strict=True):
                copy.write_row(row)

    def _encode_geometries(self, geoms: Sequence[BaseGeometry | None]) -> list[Any]:
        """EWKB (with the SRID): GeoAlchemy2 passes it through as it is, while plain WKB it
        rewrites as WKT, which rounded coordinates in their last bits (0.013000000000000001
        came back as 0.013) so that PostGIS and the GeoPackage held different polygons."""
        arr = shapely.set_srid(np.asarray(geoms, dtype=object), SRID)
        wkbs = shapely.to_wkb(arr, hex=False, include_srid=True)
        return [None if w is None else WKBElement(w, srid=SRID, extended=True) for w in wkbs]

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
