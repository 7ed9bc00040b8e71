"""Where each pull from a field-data server stopped, kept in the store.

A *source* is one KoboToolbox project or ODK Central form named in the national
configuration. For each, the store keeps the server's own timestamp of the newest submission
or edit the last pull saw (``watermark``: the next pull asks for what came or changed since,
so clocks on either side do not matter), who pulled and when, and for each submission landed
the version it landed (``meta/instanceID``, which changes with every edit on the server).
Writes join the caller's transaction, so the state moves with the reports it describes or
not at all.

>>> from datetime import UTC, datetime
>>> from minewatch.store import open_store
>>> repo = open_store(str(tmp / "s.gpkg"), create=True)
>>> pulls = repo.pull_states()
>>> pulls.get("central-accidents") is None
True
>>> state = PullState("central-accidents", "odk", "https://central.example.org/v1/projects/3"
...                   "/forms/minewatch_accident", "2024-08-02T10:00:00.000Z",
...                   datetime(2024, 8, 3, tzinfo=UTC), "amina", 2)
>>> pulls.record(state, {"uuid:0001": "uuid:0001", "uuid:0002": "uuid:00b2"})
>>> pulls.get("central-accidents").watermark
'2024-08-02T10:00:00.000Z'
>>> pulls.landed("central-accidents", ["uuid:0002", "uuid:0003"])
{'uuid:0002': 'uuid:00b2'}
>>> repo.close()
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from minewatch.store.tables import account_table

if TYPE_CHECKING:
    from minewatch.store.sql import SqlRepository


@dataclass(frozen=True)
class PullState:
    """The last pull of one source: the server's newest timestamp it saw (None: it saw no
    submission), when and by whom it ran, and how many submissions it landed in total."""

    source: str
    server: str
    address: str
    watermark: str | None
    pulled_at: datetime
    pulled_by: str
    submissions: int


class PullStates:
    """The pull state of every source, in the store at ``repo``."""

    def __init__(self, repo: SqlRepository) -> None:
        self.repo = repo
        self.pulls = account_table(repo.dialect, "intake_pull")
        self.versions = account_table(repo.dialect, "intake_pull_version")

    def _insert(self, table: sa.Table) -> Any:
        module = postgresql if self.repo.dialect == "postgresql" else sqlite
        return module.insert(table)

    def get(self, source: str) -> PullState | None:
        t = self.pulls
        with self.repo._connection() as conn:
            row = conn.execute(sa.select(t).where(t.c.source == source)).mappings().first()
        return None if row is None else PullState(**row)

    def all(self) -> list[PullState]:
        t = self.pulls
        with self.repo._connection() as conn:
            rows = conn.execute(sa.select(t).order_by(t.c.source)).mappings().all()
        return [PullState(**row) for row in rows]

    def landed(self, source: str, instance_ids: Iterable[str]) -> dict[str, str]:
        """instance ID → the version landed, for those of ``instance_ids`` pulled before."""
        t = self.versions
        ids = list(dict.fromkeys(instance_ids))
        found: dict[str, str] = {}
        with self.repo._connection() as conn:
            for start in range(0, len(ids), 500):
                stmt = sa.select(t.c.instance_id, t.c.version).where(
                    t.c.source == source, t.c.instance_id.in_(ids[start : start + 500])
                )
                found.update({i: v for i, v in conn.execute(stmt)})
        return found

    def record(self, state: PullState, versions: Mapping[str, str] | None = None) -> None:
        """Save ``state`` and the versions landed, in the caller's transaction if any."""
        row = {
            "source": state.source,
            "server": state.server,
            "address": state.address,
            "watermark": state.watermark,
            "pulled_at": state.pulled_at,
            "pulled_by": state.pulled_by,
            "submissions": state.submissions,
        }
        with self.repo.transaction(), self.repo._connection() as conn:
            stmt = self._insert(self.pulls).values(**row)
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[self.pulls.c.source],
                    set_={k: v for k, v in row.items() if k != "source"},
                )
            )
            self._versions(conn, state.source, versions or {})

    def record_versions(self, source: str, versions: Mapping[str, str]) -> None:
        """Save the version landed of each submission, in the caller's transaction if any."""
        with self.repo.transaction(), self.repo._connection() as conn:
            self._versions(conn, source, versions)

    def _versions(self, conn: sa.Connection, source: str, versions: Mapping[str, str]) -> None:
        v = self.versions
        for instance_id, version in versions.items():
            stmt = self._insert(v).values(source=source, instance_id=instance_id, version=version)
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[v.c.source, v.c.instance_id], set_={"version": version}
                )
            )
