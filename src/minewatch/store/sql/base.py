"""What every part of :class:`~minewatch.store.sql.SqlRepository` stands on
(:class:`SqlBase`): the engine, connections and write transactions, the schema's lifecycle,
and the geometry hooks each backend fills.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import sqlalchemy as sa
from shapely.geometry.base import BaseGeometry

from minewatch.errors import InvalidInput
from minewatch.store import migrate
from minewatch.store.base import Repository
from minewatch.store.sql.prepared import PreparedSelect, ReadConnections
from minewatch.store.sql.records import RowRecords
from minewatch.store.tables import JsonText


class SqlBase(Repository):
    """The engine and connections of a SQL store; the parts of
    :class:`~minewatch.store.sql.SqlRepository` build on it."""

    dialect: str
    #: Whether :meth:`_near_clause` tests distances exactly in SQL (else they are tested in
    #: Python on the candidates in the box around the point).
    distance_in_sql = False

    def __init__(
        self,
        url: str,
        engine: sa.Engine,
        read_engine: sa.Engine | None = None,
        lean_reads: ReadConnections | None = None,
    ) -> None:
        self.url = url
        self.engine = engine
        #: Reads outside a write transaction go through this one (the same engine for SQLite;
        #: for PostGIS a pool of its own in autocommit, which spares the BEGIN and ROLLBACK
        #: round trips of each read).
        self.read_engine = read_engine or engine
        self._local = threading.local()
        self._write_lock = threading.RLock()
        #: Item selects by query shape (see ItemTables._filtered); building one costs more than
        #: running it.
        self._statements: dict[tuple[Any, ...], sa.Select[Any]] = {}
        #: The hot reads (kept statements, outside a write transaction) run as compiled SQL
        #: on these connections, without SQLAlchemy's execution path (store/sql/prepared.py).
        self._lean_reads = lean_reads
        self._compiled: dict[int, PreparedSelect | None] = {}
        self._row_records: dict[tuple[Any, ...], RowRecords] = {}

    # -- lifecycle ------------------------------------------------------------------------
    def migrate(self) -> None:
        """Create or upgrade the schema to the newest revision."""
        migrate.upgrade(self.engine)

    def check_schema(self) -> None:
        """InvalidInput unless the database is a minewatch store at the current revision."""
        with self.engine.connect() as conn:
            current = migrate.current_revision(conn)
        head = migrate.head_revision()
        if current is None:
            raise InvalidInput(
                f"{self.url} is not a minewatch store yet: run `minewatch init` first"
            )
        if current != head:
            raise InvalidInput(
                f"{self.url} is at schema revision {current}, this minewatch needs {head}: "
                "run `minewatch init` to upgrade it"
            )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if getattr(self._local, "conn", None) is not None:
            yield
            return
        with self._write_lock, self.engine.begin() as conn:
            self._local.conn = conn
            try:
                yield
            finally:
                self._local.conn = None

    @contextmanager
    def _connection(self) -> Iterator[sa.Connection]:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
        else:
            with self.read_engine.connect() as fresh:
                yield fresh

    def _run_kept(
        self, stmt: sa.Select[Any], params: dict[str, Any]
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """The column names and rows of ``stmt``, one of the statements kept in
        ``self._statements`` (so alive, and its id its own, for the store's life): as compiled
        SQL on a kept connection when outside a write transaction, else through SQLAlchemy.
        JSON columns may come back as text (the compiled path leaves their decoding to
        :class:`~minewatch.store.sql.records.RowRecords`, which remembers it per value)."""
        if self._lean_reads is not None and getattr(self._local, "conn", None) is None:
            key = id(stmt)
            try:
                prepared = self._compiled[key]
            except KeyError:
                prepared = PreparedSelect.compile(stmt, self.engine.dialect, raw=(JsonText,))
                self._compiled[key] = prepared
            if prepared is not None:
                with self._lean_reads.connection() as raw:
                    return prepared.keys, prepared.run(raw, params)
        with self._connection() as conn:
            result = conn.execute(stmt, params)
            return list(result.keys()), [tuple(r) for r in result]

    def close(self) -> None:
        if self._lean_reads is not None:
            self._lean_reads.close()
        self.engine.dispose()

    def serialise(self, conn: sa.Connection, name: str) -> None:
        """Hold, until ``conn``'s transaction ends, the right to append to ``name`` (a table
        whose next row depends on its last, such as the audit chain), so that writers in
        other processes wait rather than fork it or fail. Each backend says how."""
        raise NotImplementedError

    # -- geometry hooks -------------------------------------------------------------------
    def _encode_geometries(self, geoms: Sequence[BaseGeometry | None]) -> list[Any]:
        raise NotImplementedError

    def _geometry_select(self, table: sa.Table) -> sa.ColumnElement[Any]:
        raise NotImplementedError

    def _decode_geometries(self, values: Sequence[Any]) -> np.ndarray:
        raise NotImplementedError

    def _bbox_clause(
        self, table: sa.Table, bbox: tuple[float, float, float, float]
    ) -> sa.ColumnElement[bool]:
        raise NotImplementedError

    def _near_clause(
        self, table: sa.Table, lon: float, lat: float, metres: float
    ) -> sa.ColumnElement[bool] | None:
        """An exact SQL distance filter, or None if the distance is checked in Python."""
        return None
