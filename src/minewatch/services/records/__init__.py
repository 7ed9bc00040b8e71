"""The report workflow: the one way data changes.

A report is created as a draft, edited, submitted, then approved or rejected. Approving it
re-folds its item from every approved report in Date-of-Information order (see
:mod:`minewatch.domain.reports`) and stores the item's new current state, in one transaction.
Every function checks the actor's rights against :mod:`minewatch.domain.access`.

>>> from datetime import date
>>> from shapely import box
>>> from minewatch.domain.access import local_admin
>>> from minewatch.domain.records import Kind
>>> from minewatch.store import open_store
>>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
>>> draft = wf.create_draft(Kind.HAZARDOUS_AREA, {"status": "open"}, box(30, -1, 30.01, -0.99),
...                         date_of_information=date(2024, 5, 1))
>>> draft.code, draft.state
('RPT-000001', <ReportState.DRAFT: 'draft'>)
>>> approved = wf.approve(wf.submit(draft.code).code)
>>> approved.state, approved.item_code
(<ReportState.APPROVED: 'approved'>, 'HA-000001')
>>> wf.get_item(Kind.HAZARDOUS_AREA, "HA-000001").status
<HazardStatus.OPEN: 'open'>

The package re-exports what its callers use: :class:`Workflow` (:mod:`.workflow`, made of
:mod:`.base`, :mod:`.folding`, :mod:`.creating` and :mod:`.review`), the draft and batch types
(:mod:`.drafts`), :func:`check_geometries` (:mod:`.geometries`) and :func:`fold_item`.
"""

from minewatch.services.records.creating import REPORT_PREFIX
from minewatch.services.records.drafts import (
    BatchResult,
    CheckedBatch,
    Draft,
    DraftBatch,
    Rejection,
)
from minewatch.services.records.folding import HistoryEntry, fold_item
from minewatch.services.records.geometries import check_geometries
from minewatch.services.records.workflow import Workflow

__all__ = [
    "REPORT_PREFIX",
    "BatchResult",
    "CheckedBatch",
    "Draft",
    "DraftBatch",
    "HistoryEntry",
    "Rejection",
    "Workflow",
    "check_geometries",
    "fold_item",
]
