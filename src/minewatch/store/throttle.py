"""Attempt counters kept in the store, so that every server process (uvicorn's workers,
several machines on one PostGIS) counts against one budget.

A key (``account:amina``, ``address:10.0.0.7``) has a fixed window that starts at its
first attempt; each attempt is counted by one atomic ``INSERT … ON CONFLICT DO UPDATE …
RETURNING`` (SQLite 3.35+ and PostgreSQL), so a burst of simultaneous requests gets
consecutive counts and no two see the same one. The caller compares the count with its
budget *before* doing the expensive or risky thing (checking a password).

>>> from minewatch.store import open_store
>>> repo = open_store(str(tmp / "s.gpkg"), create=True)
>>> counters = repo.login_attempts()
>>> counters.count(["account:amina"], now=0.0, window=900.0)
[Attempts(attempts=1, window_start=0.0)]
>>> counters.count(["account:amina"], now=5.0, window=900.0)
[Attempts(attempts=2, window_start=0.0)]
>>> repo.close()
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from minewatch.store.account_base import AttemptCounting, Attempts
from minewatch.store.sql import SqlRepository
from minewatch.store.tables import account_table


class AttemptCounters(AttemptCounting):
    """Counters of attempts per key in the store at ``repo``."""

    def __init__(self, repo: SqlRepository) -> None:
        self.repo = repo
        self.table = account_table(repo.dialect, "login_throttle")

    def _insert(self) -> Any:
        module = postgresql if self.repo.dialect == "postgresql" else sqlite
        return module.insert(self.table)

    def count(self, keys: Sequence[str], *, now: float, window: float) -> list[Attempts]:
        """As :meth:`AttemptCounting.count`, in one transaction. Windows that ended are
        forgotten on the way, so the table holds only live keys."""
        t = self.table
        expired = t.c.window_start <= now - window
        results = []
        with self.repo.transaction(), self.repo._connection() as conn:
            conn.execute(sa.delete(t).where(t.c.window_start <= now - window))
            for key in keys:
                insert = self._insert().values(key=key, window_start=now, attempts=1)
                stmt = insert.on_conflict_do_update(
                    index_elements=[t.c.key],
                    set_={
                        "attempts": sa.case((expired, 1), else_=t.c.attempts + 1),
                        "window_start": sa.case((expired, now), else_=t.c.window_start),
                    },
                ).returning(t.c.attempts, t.c.window_start)
                attempts, start = conn.execute(stmt).one()
                results.append(Attempts(int(attempts), float(start)))
        return results

    def uncount(self, keys: Sequence[str]) -> None:
        t = self.table
        with self.repo.transaction(), self.repo._connection() as conn:
            conn.execute(
                sa.update(t)
                .where(t.c.key.in_(list(keys)), t.c.attempts > 0)
                .values(attempts=t.c.attempts - 1)
            )
