"""The report workflow with every change written to the audit log in the same transaction,
and every read passed through :mod:`minewatch.services.disclosure`.

The HTTP API acts through this class, so no endpoint can change data without leaving a line
in the log, nor hand out personal data without the grant.

>>> from shapely import box
>>> from minewatch.domain.access import local_admin
>>> from minewatch.store import open_store
>>> store = open_store(str(tmp / "demo.gpkg"), create=True)
>>> wf = AuditedWorkflow(store, local_admin("amina"), Accounts(store))
>>> draft = wf.create_draft(Kind.HAZARDOUS_AREA, {"status": "open"}, box(30, -1, 30.01, -0.99),
...                         date_of_information=date(2024, 5, 1))
>>> wf.submit(draft.code).state
<ReportState.SUBMITTED: 'submitted'>
>>> [(e.actor, e.action, e.target) for e in wf.accounts.store.list_audit()]
[('amina', 'submit_report', 'report:RPT-000001'), ('amina', 'create_report', 'report:RPT-000001')]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from shapely.geometry.base import BaseGeometry

if TYPE_CHECKING:
    import geopandas as gpd

from minewatch.domain.access import Actor
from minewatch.domain.records import Kind, Record
from minewatch.domain.reports import Report, ReportState
from minewatch.errors import Location
from minewatch.services import disclosure
from minewatch.services.accounts import Accounts
from minewatch.services.records import (
    BatchResult,
    CheckedBatch,
    Draft,
    HistoryEntry,
    Workflow,
)
from minewatch.store.base import ItemQuery, ReportQuery, Repository


class AuditedWorkflow(Workflow):
    """:class:`Workflow` that audits changes and discloses only what the actor may see.

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.accounts import Accounts
    >>> from minewatch.services.demo import load_demo
    >>> from minewatch.store import open_store
    >>> store = open_store(str(tmp / "demo.gpkg"), create=True)
    >>> load_demo(AuditedWorkflow(store, local_admin(), Accounts(store)), areas=5)
    >>> from minewatch.domain.access import PUBLIC
    >>> public = AuditedWorkflow(store, PUBLIC, Accounts(store))
    >>> public.get_item(Kind.VICTIM, "VIC-000001")
    Traceback (most recent call last):
    ...
    minewatch.errors.NotFound: no collection victim
    >>> staff = AuditedWorkflow(store, local_admin("amina"), Accounts(store))
    >>> staff.get_item(Kind.VICTIM, "VIC-000001").code
    'VIC-000001'
    >>> [(e.actor, e.action, e.target) for e in staff.accounts.store.list_audit(actor="amina")]
    [('amina', 'read_personal_data', 'victim')]
    """

    def __init__(self, store: Repository, actor: Actor, accounts: Accounts, **rules: Any) -> None:
        """``rules``: the geometry rules and national boundary, as :class:`Workflow` takes them."""
        super().__init__(store, actor, **rules)
        self.accounts = accounts

    def _log(self, action: str, report: Report, **detail: Any) -> None:
        self.accounts.audit(
            self.actor,
            action,
            f"report:{report.code}",
            kind=report.kind.value,
            item=report.item_code,
            version=report.version,
            **detail,
        )

    # -- changes --------------------------------------------------------------------------
    # Every path that writes reports ends in write_batch (new items, column by column) or
    # _create_update (one report about an existing item): auditing there covers them all.
    def write_batch(self, checked: CheckedBatch) -> BatchResult:
        with self.store.transaction():
            result = super().write_batch(checked)
            self.accounts.audit_many(
                self.actor,
                "create_report",
                [f"report:{code}" for code in result.report_codes],
                kind=checked.batch.kind.value,
                state=checked.state.value,
            )
        return result

    def _create_update(self, draft: Draft, where: Location, state: ReportState) -> Report:
        with self.store.transaction():
            report = super()._create_update(draft, where, state)
            self._log("create_report", report, state=report.state.value)
        return report

    def create_drafts(
        self,
        drafts: Sequence[Draft],
        *,
        state: ReportState = ReportState.DRAFT,
        where: Sequence[Location] | None = None,
    ) -> list[Report]:
        return self._shown(super().create_drafts(drafts, state=state, where=where))

    def edit_draft(
        self,
        ref: str,
        changes: Mapping[str, Any],
        geometry: BaseGeometry | None,
        *,
        expected_version: int,
        date_of_information: date | None = None,
    ) -> Report:
        with self.store.transaction():
            stored = super().get_report(ref)
            merged = disclosure.keep_hidden_values(self.actor, stored, changes)
            report = super().edit_draft(
                ref,
                merged,
                geometry,
                expected_version=expected_version,
                date_of_information=date_of_information,
            )
            self._log("edit_report", report)
        return self._shown([report])[0]

    def _move(self, ref: str, to: ReportState, reason: str | None = None) -> Report:
        with self.store.transaction():
            report = super()._move(ref, to, reason)
            action = {
                ReportState.SUBMITTED: "submit_report",
                ReportState.APPROVED: "approve_report",
                ReportState.REJECTED: "reject_report",
                ReportState.DRAFT: "reopen_report",
            }[to]
            self._log(action, report, reason=reason) if reason else self._log(action, report)
        return self._shown([report])[0]

    # -- reads ----------------------------------------------------------------------------
    def _shown(self, reports: Sequence[Report]) -> list[Report]:
        return disclosure.disclose_reports(self.actor, reports, self.accounts.audit)

    def read_report(self, ref: str) -> Report:
        """A report as the actor may see it (use this for output; ``get_report`` is the raw
        one the workflow checks against)."""
        return self._shown([self.get_report(ref)])[0]

    def list_reports(self, query: ReportQuery) -> list[Report]:
        return self._shown(super().list_reports(query))

    def _records(self, records: Sequence[Record]) -> list[Record]:
        return disclosure.disclose_records(self.actor, records, self.accounts.audit)

    def get_item(self, kind: Kind | str, ref: str) -> Record:
        disclosure.check_kind_visible(self.actor, Kind(kind))
        return self._records([super().get_item(kind, ref)])[0]

    def _guarded(self, query: ItemQuery) -> None:
        """The kind must be visible to the actor, and the query may name personal fields
        only with the grant (a count answers a guess as surely as a list)."""
        disclosure.check_kind_visible(self.actor, Kind(query.kind))
        disclosure.guard_query(self.actor, query, self.accounts.audit)

    def list_items(self, query: ItemQuery) -> list[Record]:
        self._guarded(query)
        return self._records(super().list_items(query))

    def list_items_counted(self, query: ItemQuery) -> tuple[list[Record], int]:
        """A page of items as the actor may see them, and how many match in all."""
        self._guarded(query)
        records, matched = self.store.query_items_counted(query)
        return self._records(records), matched

    def count_items(self, query: ItemQuery) -> int:
        """How many items match, under the same guard as a listing."""
        self._guarded(query)
        return self.store.count_items(query)

    def items_frame(self, query: ItemQuery) -> gpd.GeoDataFrame:
        """The matching items as a GeoDataFrame, for export files and checks over many
        items: never with personal columns, whoever asks, since a file leaves the system
        and no grant follows it."""
        self._guarded(query)
        return disclosure.public_frame(query.kind, self.store.items_frame(query))

    def visible_changes(self, kind: Kind | str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """A report's changes as the actor may see them (see :mod:`.disclosure`)."""
        return disclosure.visible_changes(self.actor, kind, changes)

    def history(self, kind: Kind | str, ref: str) -> list[HistoryEntry]:
        disclosure.check_kind_visible(self.actor, Kind(kind))
        entries = super().history(kind, ref)
        states = self._records([e.state for e in entries]) if entries else []
        reports = self._shown([e.report for e in entries])
        return [HistoryEntry(r, s) for r, s in zip(reports, states, strict=True)]

    def state_as_of(
        self,
        kind: Kind | str,
        ref: str,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> Record:
        disclosure.check_kind_visible(self.actor, Kind(kind))
        state = super().state_as_of(kind, ref, as_of=as_of, known_at=known_at)
        return self._records([state])[0]
