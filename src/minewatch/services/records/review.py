"""The workflow's part that moves reports through review (:class:`ReportReview`): submit,
approve (which re-folds the item), reject with a reason, and reopen a rejected report.

>>> from datetime import date
>>> from minewatch.domain.access import local_admin
>>> from minewatch.services.records import Workflow
>>> from minewatch.store import open_store
>>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
>>> draft = wf.create_draft("organisation", {"name": "Synthetic NGO"},
...                         date_of_information=date(2024, 5, 1))
>>> wf.approve(wf.submit(draft.code).code).state
<ReportState.APPROVED: 'approved'>
"""

from __future__ import annotations

import dataclasses

from minewatch.domain import access
from minewatch.domain.reports import Report, ReportState
from minewatch.domain.schema import text_problem
from minewatch.errors import InvalidInput, Location, PermissionDenied
from minewatch.services.records.accreditation import report_notes
from minewatch.services.records.folding import Folding
from minewatch.services.records.transitions import check_report_transition


class ReportReview(Folding):
    """The workflow's part that moves reports between states, each move checked against the
    actor's rights. Part of :class:`~minewatch.services.records.Workflow`.

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.records import Workflow
    >>> from minewatch.store import open_store
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> draft = wf.create_draft("organisation", {"name": "Synthetic NGO"},
    ...                         date_of_information=date(2024, 5, 1))
    >>> isinstance(wf, ReportReview), wf.submit(draft.code).state
    (True, <ReportState.SUBMITTED: 'submitted'>)
    """

    # -- transitions ----------------------------------------------------------------------
    def _move(self, ref: str, to: ReportState, reason: str | None = None) -> Report:
        with self.store.transaction():
            report = self.get_report(ref)
            moved = report.transition(to, by=self.actor.username, reason=reason)
            if to is ReportState.SUBMITTED:  # judged against the accreditations of today
                moved = dataclasses.replace(moved, notes=report_notes(self.store, moved))
            self.store.update_report(moved, report.version, report.state)
            if to is ReportState.APPROVED:
                self._refold([moved])
        return moved

    def submit(self, ref: str) -> Report:
        report = self.get_report(ref)
        if not access.can_edit_report(
            self.actor, report_org=report.organisation_code, report_author=report.created_by
        ):
            raise PermissionDenied(
                "{user} may not submit report {code}", user=self.actor.username, code=report.code
            )
        return self._move(ref, ReportState.SUBMITTED)

    def reopen(self, ref: str) -> Report:
        """A rejected report back to draft, for its author to correct."""
        report = self.get_report(ref)
        if not access.can_edit_report(
            self.actor, report_org=report.organisation_code, report_author=report.created_by
        ):
            raise PermissionDenied(
                "{user} may not reopen report {code}", user=self.actor.username, code=report.code
            )
        return self._move(ref, ReportState.DRAFT)

    def _authorise_decision(self, report: Report) -> None:
        if not access.can_approve(
            self.actor, report_org=report.organisation_code, report_author=report.created_by
        ):
            own = report.created_by == self.actor.username
            raise PermissionDenied(
                "{user} may not approve or reject their own report ({code})"
                if own
                else "{user} may not approve or reject reports ({code})",
                user=self.actor.username,
                code=report.code,
            )

    def approve(self, ref: str) -> Report:
        report = self.get_report(ref)
        self._authorise_decision(report)
        check_report_transition(self.store, report)  # the task may have moved meanwhile
        return self._move(ref, ReportState.APPROVED)

    def reject(self, ref: str, reason: str) -> Report:
        if (problem := text_problem(reason)) is not None:
            raise InvalidInput(problem, Location(field="reason"))
        self._authorise_decision(self.get_report(ref))
        return self._move(ref, ReportState.REJECTED, reason)
