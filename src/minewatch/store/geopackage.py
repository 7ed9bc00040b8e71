"""The embedded default: one SQLite file laid out as a GeoPackage, which QGIS and GDAL open
directly. Geometry is GeoPackage binary with its bounding box in the R-tree; exact
predicates run in shapely (see DESIGN.md for the measurements behind this choice)."""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import numpy as np
import shapely
import sqlalchemy as sa
from shapely.geometry.base import BaseGeometry

from minewatch.domain.records import Kind, record_type
from minewatch.errors import InvalidInput
from minewatch.store import gpkg
from minewatch.store.sql import SqlRepository, promote_all
from minewatch.store.sql.prepared import ReadConnections
from minewatch.store.tables import GEOMETRY_COLUMN, JsonText

#: ``PRAGMA synchronous`` values a store URL may ask for (``?synchronous=full``).
SYNCHRONOUS = ("normal", "full", "extra")


def sqlite_path(url: str) -> Path:
    """The file a ``sqlite:///…`` URL or a bare path names (without the URL's options)."""
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///").split("?", 1)[0])
    return Path(url)


def sqlite_synchronous(url: str) -> str:
    """The durability a ``sqlite:///…?synchronous=full`` URL asks for; ``normal`` if none.

    ``normal`` (the default) with write-ahead logging never corrupts the file, but a power
    cut or OS crash may lose the last transactions committed before it; ``full`` syncs the
    log on every commit, so a committed change survives, at the cost of slower writes.

    >>> sqlite_synchronous("sqlite:///data.gpkg?synchronous=FULL")
    'full'
    """
    query = url.split("?", 1)[1] if url.startswith("sqlite:///") and "?" in url else ""
    options = dict(parse_qsl(query, keep_blank_values=True))
    unknown = set(options) - {"synchronous"}
    if unknown:
        raise InvalidInput(
            f"a GeoPackage store URL takes only ?synchronous=, not {sorted(unknown)}"
        )
    value = options.get("synchronous", "normal").lower()
    if value not in SYNCHRONOUS:
        raise InvalidInput(f"synchronous must be one of {', '.join(SYNCHRONOUS)}, not {value!r}")
    return value


#: Requests a server runs at once (Starlette's thread pool for synchronous routes).
SERVER_CONCURRENCY = 40


class GeoPackageStore(SqlRepository):
    dialect = "sqlite"

    def __init__(self, url: str) -> None:
        self.path = sqlite_path(url)
        self.synchronous = sqlite_synchronous(url)
        engine = sa.create_engine(
            f"sqlite:///{self.path}",
            connect_args={"check_same_thread": False, "timeout": 30},
            # As many kept connections as the server runs requests at once (its thread pool
            # of 40): beyond pool_size a connection is closed when it is returned, and the
            # next burst opens new ones and runs _on_connect again (a profile of the OGC API
            # under 50 clients showed it); connections are opened only as they are needed.
            pool_size=SERVER_CONCURRENCY,
            max_overflow=10,
        )
        on_connect = functools.partial(_on_connect, self.synchronous)
        sa.event.listen(engine, "connect", on_connect)
        # The hot reads' own connections (store/sql/prepared.py), opened as needed and kept
        # by the store, not the pool: as many as requests read at once.
        reads = sa.create_engine(
            f"sqlite:///{self.path}",
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=sa.pool.NullPool,
        )
        sa.event.listen(reads, "connect", on_connect)
        sa.event.listen(reads, "connect", _map_into_memory)
        suffix = "" if self.synchronous == "normal" else f"?synchronous={self.synchronous}"
        super().__init__(
            f"sqlite:///{self.path}{suffix}", engine, lean_reads=ReadConnections(reads)
        )

    def close(self) -> None:
        # Fold the write-ahead log back into the file, so the .gpkg alone is complete.
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except sa.exc.OperationalError:
            pass
        super().close()

    def serialise(self, conn: sa.Connection, name: str) -> None:
        """SQLite has one writer at a time: take the write lock now (``BEGIN IMMEDIATE``)
        unless this transaction has written already. A transaction that read first and wrote
        later would fail if another process wrote in between; this one waits instead."""
        raw = conn.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        if not raw.in_transaction:
            raw.execute("BEGIN IMMEDIATE")

    def _bulk_insert(
        self,
        conn: sa.Connection,
        table: sa.Table,
        columns: dict[str, list[Any]],
        geometries: np.ndarray | None,
    ) -> None:
        """Raw ``executemany`` in the open transaction. For a feature table the R-tree insert
        trigger (a Python call per row) is lifted while rows go in, the index is filled in
        one pass from the vectorised bounds, and the trigger is put back — all inside the
        same transaction, so a failure leaves the file as it was."""
        raw = conn.connection.dbapi_connection
        assert raw is not None
        # A 128 MiB page cache for this connection: index pages stay in memory while a large
        # batch goes in (SQLite's default is 2 MiB); memory is only taken as pages are used.
        raw.execute("PRAGMA cache_size = -131072")
        names = list(columns)
        data = []
        for name, values in columns.items():
            convert = _sqlite_converter(table.c[name].type)
            data.append([convert(v) for v in values] if convert else values)
        if geometries is None:
            placeholders = ", ".join("?" * len(names))
            raw.executemany(
                f'INSERT INTO "{table.name}" ({", ".join(names)}) VALUES ({placeholders})',
                zip(*data, strict=True),
            )
            return
        geoms = promote_all(
            np.asarray(geometries, dtype=object), record_type(Kind(table.name)).geometry_type
        )
        names.append(GEOMETRY_COLUMN)
        data.append(gpkg.encode_geometries(geoms))
        insert_trigger = gpkg.rtree_trigger_sql(table.name, GEOMETRY_COLUMN, "fid")[0]
        trigger_name = f"rtree_{table.name}_{GEOMETRY_COLUMN}_insert"
        before = raw.execute(f'SELECT coalesce(max(fid), 0) FROM "{table.name}"').fetchone()[0]
        raw.execute(f'DROP TRIGGER IF EXISTS "{trigger_name}"')
        placeholders = ", ".join("?" * len(names))
        raw.executemany(
            f'INSERT INTO "{table.name}" ({", ".join(names)}) VALUES ({placeholders})',
            zip(*data, strict=True),
        )
        after = raw.execute(f'SELECT max(fid) FROM "{table.name}"').fetchone()[0]
        if after - before != len(geoms):  # fids not consecutive: let SQL find them
            raise RuntimeError(f"unexpected fid range inserting into {table.name}")
        indexed = np.flatnonzero(~shapely.is_missing(geoms) & ~shapely.is_empty(geoms))
        bounds = shapely.bounds(geoms[indexed])
        fids = (indexed + before + 1).tolist()
        raw.executemany(
            f'INSERT INTO "rtree_{table.name}_{GEOMETRY_COLUMN}" VALUES (?, ?, ?, ?, ?)',
            zip(
                fids,
                bounds[:, 0].tolist(),
                bounds[:, 2].tolist(),
                bounds[:, 1].tolist(),
                bounds[:, 3].tolist(),
                strict=True,
            ),
        )
        raw.execute(insert_trigger)

    def _encode_geometries(self, geoms: Sequence[BaseGeometry | None]) -> list[Any]:
        return gpkg.encode_geometries(np.asarray(geoms, dtype=object))

    def _geometry_select(self, table: sa.Table) -> sa.ColumnElement[Any]:
        return table.c[GEOMETRY_COLUMN]

    def _decode_geometries(self, values: Sequence[Any]) -> np.ndarray:
        return gpkg.decode_geometries(values)

    def _bbox_clause(
        self, table: sa.Table, bbox: tuple[float, float, float, float]
    ) -> sa.ColumnElement[bool]:
        minx, miny, maxx, maxy = bbox
        rtree = sa.table(
            f"rtree_{table.name}_{GEOMETRY_COLUMN}",
            sa.column("id"),
            sa.column("minx"),
            sa.column("maxx"),
            sa.column("miny"),
            sa.column("maxy"),
        )
        candidates = sa.select(rtree.c.id).where(
            rtree.c.minx <= maxx, rtree.c.maxx >= minx, rtree.c.miny <= maxy, rtree.c.maxy >= miny
        )
        return table.c.fid.in_(candidates)


def _sqlite_converter(column_type: Any) -> Callable[[Any], Any] | None:
    """How a typed value is written raw, as SQLAlchemy would have written it."""
    if isinstance(column_type, sa.DateTime):
        return _sqlite_datetime
    if isinstance(column_type, sa.Date):
        return _sqlite_date
    if isinstance(column_type, JsonText):
        return _sqlite_json
    if isinstance(column_type, sa.Boolean):
        return lambda v: None if v is None else int(v)
    return None


@functools.lru_cache(maxsize=4096)  # imports repeat the same few dates and timestamps
def _sqlite_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    naive = value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
    return naive.strftime("%Y-%m-%d %H:%M:%S.%f")


def _sqlite_json(value: Any) -> str | None:
    if value is None:
        return None
    if not value:  # most reports carry no notes: skip the encoder for [] and {}
        return "[]" if isinstance(value, list) else "{}"
    return _JSON(value)


#: One encoder for every JSON cell: ``json.dumps`` with options builds a new encoder per call,
#: which was a third of the cost of writing a migration's ``extra`` objects.
_JSON = json.JSONEncoder(ensure_ascii=False).encode


@functools.lru_cache(maxsize=4096)
def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _on_connect(synchronous: str, dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    gpkg.register_functions(dbapi_conn)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA synchronous={synchronous.upper()}")  # one of SYNCHRONOUS
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


#: How much of the file the hot reads' connections map into memory (SQLite's mmap_size).
READ_MMAP_BYTES = 1 << 30


def _map_into_memory(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    """Read pages through a memory map, shared by every connection through the OS's page
    cache, instead of a read() call per page into each connection's own small cache: a 0.2°
    box of 100,000 areas took 15–30% less CPU (its rows lie on pages all over the file)."""
    dbapi_conn.execute(f"PRAGMA mmap_size={READ_MMAP_BYTES}")
