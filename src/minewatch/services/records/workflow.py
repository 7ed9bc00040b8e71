"""The report workflow as one class, :class:`Workflow`: its parts create reports
(:mod:`.creating`), review them (:mod:`.review`) and fold items from them (:mod:`.folding`),
on what they share (:mod:`.base`).

>>> from minewatch.domain.access import local_admin
>>> from minewatch.store import open_store
>>> Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin()).actor.username
'local'
"""

from __future__ import annotations

from minewatch.services.records.creating import ReportCreation
from minewatch.services.records.review import ReportReview


class Workflow(ReportCreation, ReportReview):
    """Reports and items in one store, on behalf of one actor.

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.domain.records import Kind
    >>> from minewatch.store import open_store
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> draft = wf.create_draft(Kind.ACCIDENT, {"accident_date": "2024-08-01"},
    ...                         date_of_information=date(2024, 8, 2))
    >>> rejected = wf.reject(wf.submit(draft.code).code, "no location: add the GPS point")
    >>> rejected.state, rejected.decision_reason
    (<ReportState.REJECTED: 'rejected'>, 'no location: add the GPS point')
    >>> wf.reopen(draft.code).state, wf.get_report(draft.code).version
    (<ReportState.DRAFT: 'draft'>, 2)
    """
