"""The embedded default: one SQLite file laid out as a GeoPackage, which QGIS and GDAL open
directly. Geometry is GeoPackage binary with its bounding box in the R-tree; exact
predicates run in shapely (see DESIGN.md for the measurements behind this choice)."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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
from minewatch.store.tables import GEOMETRY_COLUMN

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


#: Fewest rows of a batch for which a table's secondary indexes are rebuilt rather than
#: updated (below it the schema change costs more than it saves).
REBUILD_MIN_ROWS = 1_000

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
        one pass from the vectorised bounds, and the trigger is put back; a batch as large
        as two thirds of its table goes in before the table's secondary indexes, rebuilt
        after it (:func:`_indexes_rebuilt_after`). All inside the same transaction, so a
        failure leaves the file as it was."""
        raw = conn.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        # Python's sqlite3 opens a transaction only before a row is written, so without this
        # a DROP before the first insert would be committed at once, whatever follows.
        self.serialise(conn, table.name)
        # A 128 MiB page cache for this connection: index pages stay in memory while a large
        # batch goes in (SQLite's default is 2 MiB); memory is only taken as pages are used.
        raw.execute("PRAGMA cache_size = -131072")
        names = list(columns)
        data = []
        for name, values in columns.items():
            convert = _sqlite_converter(table.c[name].type)
            data.append([convert(v) for v in values] if convert else values)
        rows = len(data[0])
        before = raw.execute(f'SELECT coalesce(max(fid), 0) FROM "{table.name}"').fetchone()[0]
        with _indexes_rebuilt_after(
            raw, table.name, rebuild=rows >= REBUILD_MIN_ROWS and 3 * rows >= 2 * before
        ):
            if geometries is None:
                _insert(raw, table.name, names, data)
            else:
                self._insert_features(raw, table.name, names, data, geometries, before)

    def _insert_features(
        self,
        raw: sqlite3.Connection,
        table: str,
        names: list[str],
        data: list[list[Any]],
        geometries: np.ndarray,
        before: int,
    ) -> None:
        geoms = promote_all(
            np.asarray(geometries, dtype=object), record_type(Kind(table)).geometry_type
        )
        insert_trigger = gpkg.rtree_trigger_sql(table, GEOMETRY_COLUMN, "fid")[0]
        raw.execute(f'DROP TRIGGER IF EXISTS "rtree_{table}_{GEOMETRY_COLUMN}_insert"')
        _insert(raw, table, [*names, GEOMETRY_COLUMN], [*data, gpkg.encode_geometries(geoms)])
        after = raw.execute(f'SELECT max(fid) FROM "{table}"').fetchone()[0]
        if after - before != len(geoms):  # fids not consecutive: let SQL find them
            raise RuntimeError(f"unexpected fid range inserting into {table}")
        indexed = np.flatnonzero(~shapely.is_missing(geoms) & ~shapely.is_empty(geoms))
        bounds = shapely.bounds(geoms[indexed])
        fids = (indexed + before + 1).tolist()
        raw.executemany(
            f'INSERT INTO "rtree_{table}_{GEOMETRY_COLUMN}" VALUES (?, ?, ?, ?, ?)',
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


def _insert(raw: sqlite3.Connection, table: str, names: list[str], data: list[list[Any]]) -> None:
    placeholders = ", ".join("?" * len(names))
    raw.executemany(
        f'INSERT INTO "{table}" ({", ".join(names)}) VALUES ({placeholders})',
        zip(*data, strict=True),
    )


@contextmanager
def _indexes_rebuilt_after(raw: sqlite3.Connection, table: str, *, rebuild: bool) -> Iterator[None]:
    """With ``rebuild``, the table's secondary indexes (those SQL created, not the ones that
    keep ``id`` and ``code`` unique) are dropped for the block and created again from their
    own SQL at its end, in the caller's transaction: an error rolls both back. Building an
    index from sorted rows costs less than inserting into it row by row (measured on 275,000
    reports: 1.2 s against 3.0 s of CPU for the three of the report table, whose external ids
    come in file order), but it reads the whole table, so it pays only for a batch that is
    large against the table (two thirds of it or more: the caller's rule)."""
    if not rebuild:
        yield
        return
    indexes = raw.execute(
        "SELECT name, sql FROM sqlite_master "
        "WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    for name, _ in indexes:
        raw.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        raw.execute(sql)


def _sqlite_converter(column_type: Any) -> Callable[[Any], Any] | None:
    """How a typed value is written raw, as SQLAlchemy would have written it."""
    if isinstance(column_type, sa.DateTime):
        return _sqlite_datetime
    if isinstance(column_type, sa.Date):
        return _sqlite_date
    if isinstance(column_type, sa.Boolean):
        return lambda v: None if v is None else int(v)
    return None


@functools.lru_cache(maxsize=4096)  # imports repeat the same few dates and timestamps
def _sqlite_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    naive = value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
    return naive.strftime("%Y-%m-%d %H:%M:%S.%f")


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
