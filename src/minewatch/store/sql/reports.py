"""Reports in the ``report`` table: rows to and from :class:`~minewatch.domain.reports.Report`,
adding them, updating one only if nobody changed it since it was read (compare-and-swap), and
finding them by reference, external id, item, filter or count.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import shapely
import sqlalchemy as sa

from minewatch.domain.records import Kind
from minewatch.domain.reports import Report, ReportAction, ReportState
from minewatch.domain.schema import to_plain
from minewatch.errors import Conflict, NotFound, StaleVersion
from minewatch.store.base import ReportQuery
from minewatch.store.sql.base import SqlBase
from minewatch.store.sql.rows import _aware, _looks_like_uuid, chunks
from minewatch.store.tables import report_table


class ReportTable(SqlBase):
    """The reports of a SQL store (part of :class:`~minewatch.store.sql.SqlRepository`)."""

    # -- reports --------------------------------------------------------------------------
    def _report_row(self, r: Report) -> dict[str, Any]:
        return {
            "id": str(r.id),
            "code": r.code,
            "kind": r.kind.value,
            "item_id": str(r.item_id),
            "item_code": r.item_code,
            "action": r.action.value,
            "date_of_information": r.date_of_information,
            "state": r.state.value,
            "version": r.version,
            "organisation_code": r.organisation_code,
            "created_by": r.created_by,
            "created_at": r.created_at,
            "submitted_at": r.submitted_at,
            "decided_by": r.decided_by,
            "decided_at": r.decided_at,
            "decision_reason": r.decision_reason,
            "source": r.source,
            "external_id": r.external_id,
            "notes": list(r.notes),
            "changes": to_plain(dict(r.changes)),
            "geometry_wkb": None if r.geometry is None else shapely.to_wkb(r.geometry),
        }

    def _report_from_row(self, row: sa.Row[Any]) -> Report:
        m = row._mapping
        return Report(
            id=uuid.UUID(m["id"]),
            code=m["code"],
            kind=Kind(m["kind"]),
            item_id=uuid.UUID(m["item_id"]),
            item_code=m["item_code"],
            action=ReportAction(m["action"]),
            date_of_information=m["date_of_information"],
            changes=m["changes"] or {},
            geometry=None
            if m["geometry_wkb"] is None
            else shapely.from_wkb(bytes(m["geometry_wkb"])),
            state=ReportState(m["state"]),
            version=m["version"],
            organisation_code=m["organisation_code"],
            created_by=m["created_by"],
            created_at=_aware(m["created_at"]) or datetime.now(UTC),
            submitted_at=_aware(m["submitted_at"]),
            decided_by=m["decided_by"],
            decided_at=_aware(m["decided_at"]),
            decision_reason=m["decision_reason"],
            source=m["source"],
            external_id=m["external_id"],
            notes=tuple(m["notes"] or ()),
        )

    def add_reports(self, reports: Sequence[Report]) -> None:
        if not reports:
            return
        rows = [self._report_row(r) for r in reports]
        with self.transaction(), self._connection() as conn:
            conn.execute(sa.insert(report_table(self.dialect)), rows)

    def update_report(
        self, report: Report, expected_version: int, expected_state: ReportState
    ) -> None:
        t = report_table(self.dialect)
        row = self._report_row(report)
        stmt = (
            sa.update(t)
            .where(
                t.c.id == row.pop("id"),
                t.c.version == expected_version,
                t.c.state == expected_state.value,
            )
            .values(**row)
        )
        with self.transaction(), self._connection() as conn:
            # The version is compared in the UPDATE itself (compare-and-swap), so a writer
            # that read the same version a moment ago cannot also succeed.
            if conn.execute(stmt).rowcount == 1:
                return
        current = self.get_report(report.id)
        error = StaleVersion if current.version != expected_version else Conflict
        raise error(
            f"report {current.code} changed since you read it (now {current.state}, "
            f"version {current.version}); reload it and try again"
        )

    def _report_select(self) -> sa.Select[Any]:
        return sa.select(report_table(self.dialect))

    def get_report(self, ref: str | uuid.UUID) -> Report:
        t = report_table(self.dialect)
        clause = (
            t.c.id == str(ref)
            if isinstance(ref, uuid.UUID) or _looks_like_uuid(ref)
            else t.c.code == ref
        )
        with self._connection() as conn:
            row = conn.execute(self._report_select().where(clause)).first()
        if row is None:
            raise NotFound("no report {code}", code=ref)
        return self._report_from_row(row)

    def find_reports_by_external_id(
        self, kind: Kind, external_ids: Iterable[str]
    ) -> dict[str, Report]:
        t = report_table(self.dialect)
        found: dict[str, Report] = {}
        ids = list(dict.fromkeys(external_ids))
        with self._connection() as conn:
            for part in chunks(ids):
                stmt = self._report_select().where(
                    t.c.kind == Kind(kind).value, t.c.external_id.in_(part)
                )
                for row in conn.execute(stmt.order_by(t.c.fid)):
                    report = self._report_from_row(row)
                    found[report.external_id or ""] = report
        return found

    def list_reports(self, query: ReportQuery) -> list[Report]:
        t = report_table(self.dialect)
        stmt = self._report_select()
        if query.state is not None:
            stmt = stmt.where(t.c.state == query.state.value)
        if query.kind is not None:
            stmt = stmt.where(t.c.kind == query.kind.value)
        if query.item_id is not None:
            stmt = stmt.where(t.c.item_id == str(query.item_id))
        if query.organisation_code is not None:
            stmt = stmt.where(t.c.organisation_code == query.organisation_code)
        if query.created_by is not None:
            stmt = stmt.where(t.c.created_by == query.created_by)
        stmt = stmt.order_by(t.c.fid.desc()).offset(query.offset)
        if query.limit is not None:
            stmt = stmt.limit(query.limit)
        with self._connection() as conn:
            return [self._report_from_row(row) for row in conn.execute(stmt)]

    def reports_for_items(
        self, kind: Kind, item_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, list[Report]]:
        t = report_table(self.dialect)
        out: dict[uuid.UUID, list[Report]] = {}
        ids = [str(i) for i in dict.fromkeys(item_ids)]
        with self._connection() as conn:
            for part in chunks(ids):
                stmt = self._report_select().where(
                    t.c.kind == Kind(kind).value, t.c.item_id.in_(part)
                )
                for row in conn.execute(stmt.order_by(t.c.fid)):
                    report = self._report_from_row(row)
                    out.setdefault(report.item_id, []).append(report)
        return out

    def report_counts(self) -> dict[tuple[str, str], int]:
        r = report_table(self.dialect)
        stmt = sa.select(r.c.kind, r.c.state, sa.func.count()).group_by(r.c.kind, r.c.state)
        with self._connection() as conn:
            return {(kind, state): int(count) for kind, state, count in conn.execute(stmt)}
