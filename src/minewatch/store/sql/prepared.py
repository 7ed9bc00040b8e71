"""Reads without SQLAlchemy's per-execution work: a select compiled once to its SQL text, run
on a DB-API connection kept for reads, its rows converted by the column types' own
processors.

Why: a radius search on the embedded store runs in SQLite in ~0.05 ms, while SQLAlchemy's
execution path around it (pool checkout and return, execution context, result set-up) cost
~0.35 ms of CPU per query, and as much again on PostGIS (profiled, docs/benchmarks.md). The
statement is still written with SQLAlchemy (one definition of every query), compiled for the
connection's dialect once per query shape; bind and result processors are those SQLAlchemy
would apply, so rows come back exactly as through it.

>>> import sqlalchemy as sa
>>> engine = sa.create_engine("sqlite://")
>>> t = sa.table("t", sa.column("d", sa.Date()), sa.column("n", sa.Integer()))
>>> stmt = sa.select(t.c.d, t.c.n).where(t.c.n > sa.bindparam("low", type_=sa.Integer()))
>>> select = PreparedSelect.compile(stmt, engine.dialect)
>>> raw = engine.raw_connection().dbapi_connection
>>> _ = raw.execute("CREATE TABLE t (d DATE, n INTEGER)")
>>> _ = raw.execute("INSERT INTO t VALUES ('2024-05-01', 3), ('2024-05-02', 1)")
>>> select.keys, select.run(raw, {"low": 2})
(['d', 'n'], [(datetime.date(2024, 5, 1), 3)])
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

Processor = Callable[[Any], Any]


@dataclass
class PreparedSelect:
    """A select as SQL text for one dialect, with what turns values into parameters and
    rows into Python values."""

    sql: str
    #: Parameter names in placeholder order (qmark dialects: SQLite), or None (named).
    order: tuple[str, ...] | None
    #: Every parameter's value when not given (literals SQLAlchemy made parameters of).
    defaults: dict[str, Any]
    binds: tuple[tuple[str, Processor], ...]
    keys: list[str]
    #: The selected columns' types, whose result processors convert the rows (None: none).
    types: tuple[sa.types.TypeEngine[Any] | None, ...]
    #: PostgreSQL: prepare the statement on the server (psycopg's ``prepare=True``).
    server_prepared: bool
    dialect: sa.Dialect
    #: (column, processor) for the columns that need one; known at the first run, since
    #: a processor may depend on the type the driver reports (PostgreSQL's numerics).
    results: tuple[tuple[int, Processor], ...] | None = None

    @classmethod
    def compile(
        cls, stmt: sa.Select[Any], dialect: sa.Dialect, raw: tuple[type, ...] = ()
    ) -> PreparedSelect | None:
        """``stmt`` compiled for ``dialect``; None for a statement whose text depends on its
        values (an ``IN`` list of bound values), which stays on SQLAlchemy's path. Columns
        of the types in ``raw`` come back as the driver gives them (their result processors
        are left out)."""
        compiled = stmt.compile(dialect=dialect)
        if compiled.has_out_parameters or "POSTCOMPILE" in compiled.string:
            return None
        binds = []
        for name, bind in compiled.binds.items():
            if name not in compiled.bind_names.values():
                continue  # an anonymous bind's key; the name in the text is kept beside it
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                binds.append((name, process))
        return cls(
            sql=compiled.string,
            order=tuple(compiled.positiontup) if compiled.positional else None,  # type: ignore[arg-type]
            defaults={
                name: bind.effective_value
                for bind, name in compiled.bind_names.items()
                if not bind.required
            },
            binds=tuple(binds),
            keys=[c.key for c in stmt.selected_columns],  # type: ignore[misc]
            types=tuple(
                None if isinstance(type_, raw) else type_
                for type_ in (c.type.dialect_impl(dialect) for c in stmt.selected_columns)
            ),
            server_prepared=dialect.name == "postgresql",
            dialect=dialect,
        )

    def run(self, dbapi_connection: Any, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """The rows for ``params``, converted as SQLAlchemy converts them."""
        values = {**self.defaults, **params}
        for name, process in self.binds:
            values[name] = process(values[name])
        args: Any = values if self.order is None else [values[n] for n in self.order]
        if self.server_prepared:
            cursor = dbapi_connection.execute(self.sql, args, prepare=True)
        else:
            cursor = dbapi_connection.execute(self.sql, args)
        rows = cursor.fetchall()
        if self.results is None:
            self.results = self._result_processors(cursor.description)
        if not self.results:
            return [tuple(r) for r in rows]
        out = []
        for row in rows:
            values_ = list(row)
            for i, process in self.results:
                values_[i] = process(values_[i])
            out.append(tuple(values_))
        return out

    def _result_processors(self, description: Any) -> tuple[tuple[int, Processor], ...]:
        found = []
        for i, (type_, column) in enumerate(zip(self.types, description, strict=True)):
            if type_ is None:
                continue
            process = type_.result_processor(self.dialect, column[1])
            if process is not None:
                found.append((i, process))
        return tuple(found)


class ReadConnections:
    """DB-API connections kept for reads: a read takes one from a stack (no pool events, no
    reset on return) and puts it back. ``engine`` should not pool (``NullPool``): these
    connections are held here, not by its pool, so they never starve its other users.

    A connection idle longer than ``idle_check`` seconds is first checked with ``ping``,
    which raises if the server dropped it (a restart, an idle timeout); such a connection,
    or one whose read fails, is closed rather than put back, and the next read opens a new
    one.
    """

    def __init__(
        self,
        engine: sa.Engine,
        ping: Callable[[Any], None] | None = None,
        idle_check: float = float("inf"),
    ) -> None:
        self.engine = engine
        self._ping = ping
        self._idle_check = idle_check
        self._idle: list[tuple[Any, float]] = []
        self._lock = threading.Lock()
        self._open: list[Any] = []

    @contextmanager
    def connection(self) -> Iterator[Any]:
        proxied = self._take()
        try:
            yield proxied.dbapi_connection
        except BaseException:
            self._discard(proxied)
            raise
        self._idle.append((proxied, time.monotonic()))  # list.append is atomic

    def _take(self) -> Any:
        while True:
            try:
                proxied, last_used = self._idle.pop()
            except IndexError:
                proxied = self.engine.raw_connection()
                with self._lock:
                    self._open.append(proxied)
                return proxied
            if self._ping is None or time.monotonic() - last_used < self._idle_check:
                return proxied
            try:
                self._ping(proxied.dbapi_connection)
            except Exception:  # dropped by the server: open another
                self._discard(proxied)
                continue
            return proxied

    def _discard(self, proxied: Any) -> None:
        with self._lock:
            if proxied in self._open:
                self._open.remove(proxied)
        with contextlib.suppress(Exception):  # a broken connection may fail to close too
            proxied.invalidate()

    def close(self) -> None:
        with self._lock:
            kept, self._open = self._open, []
        self._idle.clear()
        for proxied in kept:
            with contextlib.suppress(Exception):
                proxied.close()
