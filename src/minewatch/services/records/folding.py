"""An item's state folded from its approved reports: :func:`fold_item`, and the workflow's
part that uses it (:class:`Folding`): the current state stored after each approval, each step
of an item's history (:class:`HistoryEntry`), and its state as known on a date.

>>> import uuid
>>> from minewatch.domain.reports import ReportState
>>> item = uuid.uuid4()
>>> report = Report(kind=Kind.ORGANISATION, item_id=item, changes={"name": "Synthetic NGO"},
...                 date_of_information=date(2024, 1, 1), state=ReportState.APPROVED)
>>> fold_item(Kind.ORGANISATION, item, [report]).name
'Synthetic NGO'
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from minewatch.domain.records import Kind, Record
from minewatch.domain.reports import Report, ReportAction, applicable, fold_changes
from minewatch.domain.schema import build_record, clean_code
from minewatch.errors import NotFound
from minewatch.services.records.base import WorkflowBase


@dataclass(frozen=True)
class HistoryEntry:
    """One approved report and the item's state right after it.

    Examples
    --------
    >>> from shapely import box
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> from minewatch.services.records import Workflow
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> first = wf.create_draft(Kind.HAZARDOUS_AREA, {"status": "open"}, box(30, -1, 30.01, -0.99),
    ...                         date_of_information=date(2023, 5, 1))
    >>> _ = wf.approve(wf.submit(first.code).code)
    >>> update = wf.create_draft(Kind.HAZARDOUS_AREA, {"status": "closed"},
    ...                          date_of_information=date(2024, 5, 1), item_ref="HA-000001")
    >>> _ = wf.approve(wf.submit(update.code).code)
    >>> [(e.report.code, e.state.status.value) for e in wf.history(Kind.HAZARDOUS_AREA, "HA-000001")]
    [('RPT-000001', 'open'), ('RPT-000002', 'closed')]
    >>> wf.state_as_of(Kind.HAZARDOUS_AREA, "HA-000001", as_of=date(2023, 12, 31)).status
    <HazardStatus.OPEN: 'open'>
    """

    report: Report
    state: Record


class Folding(WorkflowBase):
    """The workflow's part that folds items from their reports: their current state, stored
    when a report about them is approved, each step of their history, and their state on a
    date. Part of :class:`~minewatch.services.records.Workflow`.

    Examples
    --------
    >>> from shapely import box
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.records import Workflow
    >>> from minewatch.store import open_store
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> draft = wf.create_draft(Kind.HAZARDOUS_AREA, {"status": "open"}, box(30, -1, 30.01, -0.99),
    ...                         date_of_information=date(2024, 5, 1))
    >>> _ = wf.approve(wf.submit(draft.code).code)
    >>> isinstance(wf, Folding), len(wf.history(Kind.HAZARDOUS_AREA, "HA-000001"))
    (True, 1)
    """

    # -- the current state ----------------------------------------------------------------
    def _refold(self, reports: Sequence[Report]) -> None:
        """Recompute and store the current state of the items these reports touch."""
        by_kind: dict[Kind, list[uuid.UUID]] = {}
        for r in reports:
            by_kind.setdefault(r.kind, []).append(r.item_id)
        for kind, ids in by_kind.items():
            new_only = {
                r.item_id: r for r in reports if r.kind is kind and r.action is ReportAction.CREATE
            }
            if len(new_only) == len(set(ids)):
                histories = {
                    i: [r] for i, r in new_only.items()
                }  # brand-new items: nothing to fetch
            else:
                histories = self.store.reports_for_items(kind, ids)
            records = [
                r for r in (fold_item(kind, item_id, h) for item_id, h in histories.items()) if r
            ]
            self.store.put_items(records)

    # -- history and as-of ----------------------------------------------------------------
    def history(self, kind: Kind | str, ref: str) -> list[HistoryEntry]:
        """Each approved report of an item in Date-of-Information order, with the state after it."""
        item = self.store.get_item(Kind(kind), clean_code(ref))
        reports = applicable(self.store.reports_for_items(Kind(kind), [item.id]).get(item.id, []))
        entries = []
        for i, report in enumerate(reports, start=1):
            state = fold_item(Kind(kind), item.id, reports[:i])
            if state is not None:
                entries.append(HistoryEntry(report, state))
        return entries

    def state_as_of(
        self,
        kind: Kind | str,
        ref: str,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> Record:
        """The item as its reports described it on ``as_of``, as recorded by ``known_at``."""
        item = self.store.get_item(Kind(kind), clean_code(ref))
        reports = self.store.reports_for_items(Kind(kind), [item.id]).get(item.id, [])
        state = fold_item(Kind(kind), item.id, reports, as_of=as_of, known_at=known_at)
        if state is None:
            raise NotFound(
                "{code} had no approved information on {day}", code=item.code, day=as_of or known_at
            )
        return state


def fold_item(
    kind: Kind,
    item_id: uuid.UUID,
    reports: Sequence[Report],
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> Record | None:
    """An item's state from its reports, or None if no approved report applies.

    Examples
    --------
    >>> import uuid
    >>> from minewatch.domain.reports import ReportState
    >>> item = uuid.uuid4()
    >>> reports = [Report(kind=Kind.HAZARDOUS_AREA, item_id=item, changes={"status": status},
    ...                   date_of_information=date(year, 1, 1), state=ReportState.APPROVED)
    ...            for status, year in [("open", 2020), ("closed", 2024)]]
    >>> fold_item(Kind.HAZARDOUS_AREA, item, reports).status, fold_item(Kind.HAZARDOUS_AREA, item,
    ...     reports, as_of=date(2021, 1, 1)).status
    (<HazardStatus.CLOSED: 'closed'>, <HazardStatus.OPEN: 'open'>)
    >>> fold_item(Kind.HAZARDOUS_AREA, item, reports, as_of=date(2019, 1, 1)) is None
    True
    """
    values = fold_changes(reports, as_of=as_of, known_at=known_at)
    if not values:
        return None
    version = len(applicable(reports, as_of=as_of, known_at=known_at))
    external = next((r.external_id for r in applicable(reports) if r.external_id), None)
    return build_record(
        kind, {**values, "id": item_id, "version": version, "external_id": external}
    )
