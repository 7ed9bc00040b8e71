"""The report workflow, as IMSMA users know it.

Data changes only through reports. A report carries a Date of Information (DOI) and the
field values it sets for one item; it goes draft → submitted → approved or rejected, and an
approved report is immutable. An item's state is the fold of its approved reports in DOI
order, so an old report entered late never overwrites newer information, and the state
"as known on date X" is the same fold over the reports with a DOI up to X (and, for
"as recorded on date Y", approved by Y).

>>> from datetime import date
>>> a = Report(kind=Kind.HAZARDOUS_AREA, changes={"status": "open"},
...            date_of_information=date(2024, 5, 1), state=ReportState.APPROVED)
>>> b = Report(kind=Kind.HAZARDOUS_AREA, changes={"status": "released"},
...            date_of_information=date(2023, 1, 1), state=ReportState.APPROVED)
>>> fold_changes([a, b])["status"]   # b arrived later but is older information
'open'
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from minewatch.domain.records import Kind
from minewatch.domain.text import Term
from minewatch.errors import Conflict, StaleVersion

if TYPE_CHECKING:  # a type only: the CLI declares report states without loading shapely
    from shapely.geometry.base import BaseGeometry


class ReportState(StrEnum):
    """Where a report is in the workflow; :data:`TRANSITIONS` says where it may go next.

    Examples
    --------
    >>> [s.value for s in ReportState]
    ['draft', 'submitted', 'approved', 'rejected']
    >>> sorted(TRANSITIONS[ReportState.SUBMITTED])
    [<ReportState.APPROVED: 'approved'>, <ReportState.REJECTED: 'rejected'>]
    """

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class ReportAction(StrEnum):
    """Whether a report creates a new item or updates an existing one.

    Examples
    --------
    >>> from datetime import date
    >>> Report(kind=Kind.ACCIDENT, date_of_information=date(2024, 5, 1)).action
    <ReportAction.CREATE: 'create'>
    """

    CREATE = "create"
    UPDATE = "update"


#: The transitions the workflow allows. A rejected report goes back to draft for correction;
#: an approved one never changes again.
TRANSITIONS: dict[ReportState, frozenset[ReportState]] = {
    ReportState.DRAFT: frozenset({ReportState.SUBMITTED}),
    ReportState.SUBMITTED: frozenset({ReportState.APPROVED, ReportState.REJECTED}),
    ReportState.REJECTED: frozenset({ReportState.DRAFT}),
    ReportState.APPROVED: frozenset(),
}


def utcnow() -> datetime:
    """Now, in UTC, as every timestamp of the workflow is stored.

    Examples
    --------
    >>> utcnow().tzinfo
    datetime.timezone.utc
    """
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class Report:
    """One report about one item: the field values it sets, and where it is in the workflow.

    ``changes`` hold plain values (see :mod:`minewatch.domain.schema`); ``geometry``, when
    set, replaces the item's geometry. ``version`` counts the report's own edits and guards
    against two editors overwriting each other.

    Examples
    --------
    >>> from datetime import date
    >>> draft = Report(kind=Kind.HAZARDOUS_AREA, code="RPT-000001", changes={"status": "open"},
    ...                date_of_information=date(2024, 5, 1))
    >>> submitted = draft.transition(ReportState.SUBMITTED, by="amina")
    >>> submitted.state, submitted.submitted_at is not None
    (<ReportState.SUBMITTED: 'submitted'>, True)
    >>> submitted.transition(ReportState.REJECTED, by="joe")
    Traceback (most recent call last):
    ...
    minewatch.errors.Conflict: a rejection needs a reason the author can act on
    >>> submitted.transition(ReportState.APPROVED, by="joe").decided_by
    'joe'
    """

    id: uuid.UUID = field(default_factory=uuid.uuid4)
    code: str | None = None
    kind: Kind
    item_id: uuid.UUID = field(default_factory=uuid.uuid4)
    item_code: str | None = None
    action: ReportAction = ReportAction.CREATE
    date_of_information: date
    changes: Mapping[str, Any] = field(default_factory=dict)
    geometry: BaseGeometry | None = None
    state: ReportState = ReportState.DRAFT
    version: int = 1
    organisation_code: str | None = None
    created_by: str | None = None
    created_at: datetime = field(default_factory=utcnow)
    submitted_at: datetime | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None
    source: str | None = None  # e.g. "import areas.gpkg feature 12", "kobo instance uuid:…"
    external_id: str | None = None
    notes: tuple[str, ...] = ()  # repairs and warnings recorded on the way in

    def transition(
        self,
        to: ReportState,
        *,
        by: str | None,
        reason: str | None = None,
        at: datetime | None = None,
    ) -> Report:
        """This report moved to state ``to``; raises Conflict if the workflow forbids it.

        Rejection needs a reason, because the author must know what to correct.
        """
        if to not in TRANSITIONS[self.state]:
            raise Conflict(
                "report {code} is {state}; it cannot become {new}",
                code=self.code or self.id,
                state=Term.of(self.state, self.state.value),
                new=Term.of(to, to.value),
            )
        if to is ReportState.REJECTED and not (reason and reason.strip()):
            raise Conflict("a rejection needs a reason the author can act on")
        when = at or utcnow()
        if to is ReportState.SUBMITTED:
            return dataclasses.replace(self, state=to, submitted_at=when)
        if to is ReportState.DRAFT:
            return dataclasses.replace(self, state=to, version=self.version + 1)
        return dataclasses.replace(
            self, state=to, decided_by=by, decided_at=when, decision_reason=reason
        )

    def check_editable(self, expected_version: int) -> None:
        """Raise StaleVersion if someone edited this report since ``expected_version``, or
        Conflict if it is no longer a draft. A stale version is named first: whoever holds
        it must reload whatever else changed.

        >>> from datetime import date
        >>> edited_twice = Report(
        ...     kind=Kind.HAZARDOUS_AREA, code="RPT-000007", date_of_information=date(2024, 1, 1),
        ...     version=2)
        >>> edited_twice.check_editable(1)
        Traceback (most recent call last):
        minewatch.errors.StaleVersion: report RPT-000007 is at version 2, not 1: ...
        """
        if expected_version != self.version:
            raise StaleVersion(
                "report {code} is at version {version}, not {expected}: someone else changed "
                "it; reload and edit again",
                code=self.code or self.id,
                version=self.version,
                expected=expected_version,
            )
        if self.state is not ReportState.DRAFT:
            raise Conflict(
                "report {code} is {state}; only drafts can be edited",
                code=self.code or self.id,
                state=Term.of(self.state, self.state.value),
            )

    def edited(
        self, changes: Mapping[str, Any], geometry: BaseGeometry | None, expected_version: int
    ) -> Report:
        """A draft with new content; see :meth:`check_editable` for what it refuses."""
        self.check_editable(expected_version)
        return dataclasses.replace(
            self, changes=dict(changes), geometry=geometry, version=self.version + 1
        )


def fold_order(report: Report) -> tuple[date, datetime, str]:
    """Reports apply in Date-of-Information order; ties by approval time, then code.

    Examples
    --------
    >>> from datetime import date
    >>> late = Report(kind=Kind.ACCIDENT, code="RPT-000002", date_of_information=date(2023, 1, 1))
    >>> early = Report(kind=Kind.ACCIDENT, code="RPT-000001", date_of_information=date(2024, 1, 1))
    >>> [r.code for r in sorted([early, late], key=fold_order)]
    ['RPT-000002', 'RPT-000001']
    """
    return (report.date_of_information, report.decided_at or report.created_at, report.code or "")


def applicable(
    reports: Iterable[Report], *, as_of: date | None = None, known_at: datetime | None = None
) -> list[Report]:
    """The approved reports that count for a state as of ``as_of`` (DOI ≤ as_of), as recorded
    at ``known_at`` (approved by then), in fold order.

    Examples
    --------
    >>> from datetime import date
    >>> reports = [
    ...     Report(kind=Kind.ACCIDENT, code=f"RPT-00000{i}", date_of_information=date(2024, i, 1),
    ...            state=state)
    ...     for i, state in [(1, ReportState.APPROVED), (2, ReportState.DRAFT),
    ...                      (3, ReportState.APPROVED)]]
    >>> [r.code for r in applicable(reports)]
    ['RPT-000001', 'RPT-000003']
    >>> [r.code for r in applicable(reports, as_of=date(2024, 2, 15))]
    ['RPT-000001']
    """
    chosen = [
        r
        for r in reports
        if r.state is ReportState.APPROVED
        and (as_of is None or r.date_of_information <= as_of)
        and (known_at is None or (r.decided_at is not None and r.decided_at <= known_at))
    ]
    return sorted(chosen, key=fold_order)


def fold_changes(
    reports: Iterable[Report], *, as_of: date | None = None, known_at: datetime | None = None
) -> dict[str, Any]:
    """The field values of an item: later information overrides earlier, field by field.

    The returned mapping also holds ``geometry`` (the latest report that set one) and
    ``date_of_information`` (of the newest report applied). Empty if no report applies.

    Examples
    --------
    >>> from datetime import date
    >>> opened = Report(kind=Kind.HAZARDOUS_AREA, changes={"status": "open", "name": "Hill 4"},
    ...                 date_of_information=date(2023, 1, 1), state=ReportState.APPROVED)
    >>> closed = Report(kind=Kind.HAZARDOUS_AREA, changes={"status": "closed"},
    ...                 date_of_information=date(2024, 1, 1), state=ReportState.APPROVED)
    >>> fold_changes([closed, opened])
    {'status': 'closed', 'name': 'Hill 4', 'date_of_information': datetime.date(2024, 1, 1)}
    >>> fold_changes([closed, opened], as_of=date(2023, 6, 1))["status"]
    'open'
    """
    state: dict[str, Any] = {}
    for report in applicable(reports, as_of=as_of, known_at=known_at):
        state.update(report.changes)
        if report.geometry is not None:
            state["geometry"] = report.geometry
        state["date_of_information"] = report.date_of_information
        if report.item_code:
            state["code"] = report.item_code
    return state
