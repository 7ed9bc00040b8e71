"""The multi-user backend: PostgreSQL with PostGIS. Distance filters run in SQL on the
geography type; the bounding-box test on the GiST index makes the area drive the plan."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import psycopg
import shapely
import sqlalchemy as sa
from geoalchemy2 import WKBElement
from shapely.geometry.base import BaseGeometry

from minewatch.domain.records import Kind, record_type
from minewatch.errors import InvalidInput
from minewatch.store.sql import SqlRepository, promote_all
from minewatch.store.sql.prepared import ReadConnections
from minewatch.store.tables import GEOMETRY_COLUMN, SRID


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


#: A pooled connection idle longer than this is checked (``SELECT 1``) before it is used.
IDLE_CHECK_SECONDS = 30.0


def _stamp_checkin(dbapi_connection: Any, record: Any) -> None:
    record.info["checked_in"] = time.monotonic()


def _ping(dbapi_connection: Any) -> None:
    """One round trip: raises if the server dropped the connection."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    if not dbapi_connection.autocommit:
        dbapi_connection.rollback()


def _check_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """Ping a connection that has sat idle in the pool, and make the pool replace it if the
    server dropped it (a restart, an idle timeout). SQLAlchemy's ``pool_pre_ping`` pings on
    every checkout: a round trip per query, as long as a small radius search itself. A
    connection used within the last seconds is alive; a dead one found at use is invalidated
    all the same, and the next checkout gets a fresh one."""
    idle = time.monotonic() - record.info.get("checked_in", time.monotonic())
    if idle < IDLE_CHECK_SECONDS:
        return
    try:
        _ping(dbapi_connection)
    except psycopg.Error as exc:
        raise sa.exc.DisconnectionError(str(exc)) from exc


def _json_as_text(dbapi_connection: Any, _record: Any) -> None:
    """JSON columns as their text, decoded once per distinct value by the store's record
    builder (store/sql/records.py) rather than by psycopg on every row."""
    from psycopg.types.string import TextLoader

    for name in ("json", "jsonb"):
        dbapi_connection.adapters.register_loader(name, TextLoader)


def _engine(url: str, **options: Any) -> sa.Engine:
    engine = sa.create_engine(engine_url(url), **options)
    sa.event.listen(engine, "handle_error", _nul_is_invalid_input)
    sa.event.listen(engine.pool, "checkin", _stamp_checkin)
    sa.event.listen(engine.pool, "checkout", _check_if_idle)
    return engine


class PostGISStore(SqlRepository):
    dialect = "postgresql"
    distance_in_sql = True

    def __init__(self, url: str) -> None:
        engine = _engine(url)
        # Reads outside a write transaction get a pool of their own whose connections stay in
        # autocommit: under READ COMMITTED each statement sees its own snapshot either way,
        # and a read then costs one round trip, not BEGIN, the query and ROLLBACK (toggling
        # autocommit per checkout on the shared pool cost as much again).
        # Ten kept connections per process, not SQLAlchemy's five: a connection beyond
        # pool_size is closed when returned, and under a burst of requests each new one
        # costs a PostgreSQL backend process.
        reads = _engine(
            url,
            isolation_level="AUTOCOMMIT",
            pool_reset_on_return=None,
            pool_size=10,
            max_overflow=30,
        )
        # The hot reads' own connections (store/sql/prepared.py: compiled SQL, prepared on
        # the server), autocommit too, kept by the store rather than a pool.
        lean = _engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        sa.event.listen(lean, "connect", _json_as_text)
        super().__init__(
            url, engine, reads, lean_reads=ReadConnections(lean, _ping, IDLE_CHECK_SECONDS)
        )

    def close(self) -> None:
        self.read_engine.dispose()
        super().close()

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
        data: list[list[Any]] = list(columns.values())
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
