"""The workflow's part that creates reports (:class:`ReportCreation`): one draft or many, the
column-by-column batch that imports take (validated whole before anything is written), updates
of existing items, and edits of a draft.

>>> from minewatch.domain.access import local_admin
>>> from minewatch.services.records import Workflow
>>> from minewatch.store import open_store
>>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
>>> wf.create_draft(Kind.ORGANISATION, {"name": "Synthetic NGO"},
...                 date_of_information=date(2024, 5, 1)).item_code
'ORG-000001'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from shapely.geometry.base import BaseGeometry

from minewatch.domain import access
from minewatch.domain.consistency import date_problems, future_problems
from minewatch.domain.records import Kind, record_type
from minewatch.domain.records.base import new_ids
from minewatch.domain.reports import Report, ReportAction, ReportState, utcnow
from minewatch.domain.schema import (
    FieldError,
    clean_code,
    coerce_columns,
    coerce_fields,
    default_values,
    plain_column,
    text_problem,
    to_plain,
)
from minewatch.domain.text import Message
from minewatch.errors import InvalidInput, Location, PermissionDenied
from minewatch.services.records.accreditation import (
    CHECKED_KINDS,
    accreditation_notes,
    report_notes,
)
from minewatch.services.records.drafts import (
    BatchResult,
    CheckedBatch,
    Draft,
    DraftBatch,
    Rejection,
)
from minewatch.services.records.folding import Folding
from minewatch.services.records.geometries import check_geometries
from minewatch.services.records.references import task_mismatch_rows, unknown_reference_rows
from minewatch.services.records.transitions import check_report_transition
from minewatch.store.base import NewItems

REPORT_PREFIX = "RPT"


class ReportCreation(Folding):
    """The workflow's part that creates and edits reports. Part of
    :class:`~minewatch.services.records.Workflow`.

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.records import Workflow
    >>> from minewatch.store import open_store
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> draft = wf.create_draft(Kind.ORGANISATION, {"name": "NGO"},
    ...                         date_of_information=date(2024, 5, 1))
    >>> edited = wf.edit_draft(draft.code, {"name": "Synthetic NGO"}, None, expected_version=1)
    >>> isinstance(wf, ReportCreation), edited.changes["name"], edited.version
    (True, 'Synthetic NGO', 2)
    """

    # -- drafts ---------------------------------------------------------------------------
    def _validated(
        self, draft: Draft, where: Location
    ) -> tuple[dict[str, Any], BaseGeometry | None, tuple[str, ...]]:
        try:
            changes = coerce_fields(draft.kind, draft.changes)
        except FieldError as exc:
            raise InvalidInput(
                Message.of(exc), Location(where.file, where.row, exc.field)
            ) from None
        for name in ("external_id", "source", "organisation_code"):
            if (problem := text_problem(getattr(draft, name))) is not None:
                raise InvalidInput(problem, Location(where.file, where.row, name))
        columns = {name: [value] for name, value in changes.items()}
        for late in (
            *future_problems([draft.date_of_information], latest_today()),
            *date_problems(draft.kind, columns, [draft.date_of_information]),
        ):
            raise InvalidInput(late.message, Location(where.file, where.row, late.field))
        for _, name, message in (
            *unknown_reference_rows(self.store, draft.kind, columns),
            *task_mismatch_rows(self.store, draft.kind, columns),
        ):
            raise message.invalid(Location(where.file, where.row, name))
        geometry, notes = self._check_one(
            draft.kind, draft.geometry, Location(where.file, where.row, "geometry")
        )
        plain = to_plain(changes)
        return plain, geometry, self._accreditation_noted(draft, plain, draft.notes + notes)

    def _accreditation_noted(
        self, draft: Draft, changes: dict[str, Any], notes: tuple[str, ...]
    ) -> tuple[str, ...]:
        """``notes`` with the accreditation note of work (an activity, a product) whose
        organisation holds no accreditation in force for it (services.accreditation)."""
        if draft.kind not in CHECKED_KINDS:
            return notes
        report = Report(
            kind=draft.kind,
            item_code=draft.item_ref,
            date_of_information=draft.date_of_information,
            changes=changes,
            organisation_code=draft.organisation_code or self.actor.organisation_code,
            notes=notes,
        )
        return report_notes(self.store, report)

    def _check_one(
        self, kind: Kind, geometry: BaseGeometry | None, where: Location
    ) -> tuple[BaseGeometry | None, tuple[str, ...]]:
        """One geometry through :func:`check_geometries`; InvalidInput if it cannot be accepted."""
        if geometry is None:
            return None, ()
        geoms, notes, errors = check_geometries(
            kind, np.array([geometry], dtype=object), self.rules, self.boundary
        )
        if errors:
            raise InvalidInput(errors[0], where)
        return geoms[0], notes[0]

    def _authorise_create(self, organisation_code: str | None) -> None:
        if not access.can_create_report(self.actor, organisation_code):
            if organisation_code:
                raise PermissionDenied(
                    "{user} may not report for {organisation}",
                    user=self.actor.username,
                    organisation=organisation_code,
                )
            raise PermissionDenied(
                "{user} may not report for this programme", user=self.actor.username
            )

    def create_draft(
        self,
        kind: Kind | str,
        changes: Mapping[str, Any],
        geometry: BaseGeometry | None = None,
        *,
        date_of_information: date,
        item_ref: str | None = None,
        organisation_code: str | None = None,
        source: str | None = None,
        external_id: str | None = None,
    ) -> Report:
        """A new draft report creating an item, or updating ``item_ref``."""
        draft = Draft(
            Kind(kind),
            changes,
            date_of_information,
            geometry,
            item_ref,
            organisation_code or self.actor.organisation_code,
            source,
            external_id,
        )
        return self.create_drafts([draft])[0]

    def create_drafts(
        self,
        drafts: Sequence[Draft],
        *,
        state: ReportState = ReportState.DRAFT,
        where: Sequence[Location] | None = None,
    ) -> list[Report]:
        """Many new reports in one transaction; all land or none do (InvalidInput names the
        first bad draft). ``state`` may be SUBMITTED (field forms) or APPROVED (a reviewer's
        bulk entry, which also materialises the items).

        Drafts that create items go through :meth:`create_batch`; updates one by one.
        """
        locations = (
            list(where) if where is not None else [Location(row=i + 1) for i in range(len(drafts))]
        )
        creating = [i for i, d in enumerate(drafts) if d.item_ref is None]
        updating = [i for i, d in enumerate(drafts) if d.item_ref is not None]
        codes: dict[int, str] = {}
        with self.store.transaction():
            for kind in dict.fromkeys(drafts[i].kind for i in creating):
                rows = [i for i in creating if drafts[i].kind is kind]
                result = self.create_batch(
                    _as_batch(kind, [drafts[i] for i in rows], [locations[i] for i in rows]),
                    state=state,
                )
                codes.update(zip(rows, result.report_codes, strict=True))
            for i in updating:
                codes[i] = self._create_update(drafts[i], locations[i], state).code or ""
        return [self.store.get_report(codes[i]) for i in range(len(drafts))]

    def create_batch(
        self, batch: DraftBatch, *, state: ReportState = ReportState.DRAFT, keep_going: bool = False
    ) -> BatchResult:
        """Reports creating new items, column by column: the fast path for imports.

        Every row is validated (fields and geometry) before anything is written. Without
        ``keep_going`` one bad row refuses the whole batch with InvalidInput naming it; with
        it, the good rows land and each bad one comes back as a :class:`Rejection`.
        """
        checked = self.validate_batch(batch, state=state)
        if checked.rejected and not keep_going:
            first = checked.rejected[0]
            raise InvalidInput(first.reason, first.where)
        return self.write_batch(checked)

    def validate_batch(
        self, batch: DraftBatch, *, state: ReportState = ReportState.DRAFT
    ) -> CheckedBatch:
        """Check every row of a batch (rights, fields, geometry) without writing anything."""
        self._authorise_batch(batch, state)
        try:
            typed, cell_errors = coerce_columns(batch.kind, batch.columns)
        except FieldError as exc:
            where = Location(batch.locations[0].file if batch.locations else None, field=exc.field)
            raise InvalidInput(Message.of(exc), where) from None
        geometries = (
            batch.geometries
            if batch.geometries is not None
            else np.full(len(batch), None, dtype=object)
        )
        geometries, repair_notes, geometry_errors = check_geometries(
            batch.kind, geometries, self.rules, self.boundary
        )
        rejected = {
            e.row: Rejection(_at(batch.locations[e.row], e.field), e.message)
            for e in reversed(cell_errors)
        }
        for late in (
            *future_problems(batch.dates_of_information, latest_today()),
            *date_problems(batch.kind, typed, batch.dates_of_information),
        ):
            rejected.setdefault(
                late.row, Rejection(_at(batch.locations[late.row], late.field), late.message)
            )
        for row, name, refusal in (
            *unknown_reference_rows(self.store, batch.kind, typed),
            *task_mismatch_rows(self.store, batch.kind, typed),
        ):
            rejected.setdefault(row, Rejection(_at(batch.locations[row], name), refusal))
        for row, message in geometry_errors.items():
            rejected.setdefault(row, Rejection(_at(batch.locations[row], "geometry"), message))
        if batch.kind in CHECKED_KINDS:
            reporting = [
                o or self.actor.organisation_code for o in batch.column("organisation_codes")
            ]
            flagged = accreditation_notes(
                self.store, batch.kind, typed, batch.dates_of_information, reporting
            )
            repair_notes = [(*r, *a) for r, a in zip(repair_notes, flagged, strict=True)]
        for name in ("external_ids", "sources", "organisation_codes"):
            column = batch.column(name)
            bad = _text_problems(column)
            for row, value in enumerate(column if bad else ()):
                if value in bad:
                    where = _at(batch.locations[row], name.removesuffix("s"))
                    rejected.setdefault(row, Rejection(where, bad[value]))
        return CheckedBatch(
            batch, state, typed, geometries, repair_notes, dict(sorted(rejected.items()))
        )

    def write_batch(self, checked: CheckedBatch) -> BatchResult:
        """Store the good rows of a checked batch."""
        good = [i for i in range(len(checked.batch)) if i not in checked.rejected_rows]
        new = self._new_items(
            checked.batch, checked.typed, checked.geometries, checked.notes, good, checked.state
        )
        self.store.add_new_items(new)
        return BatchResult(new.report_codes, new.item_codes, checked.rejected, good)

    def _authorise_batch(self, batch: DraftBatch, state: ReportState) -> None:
        if state is ReportState.APPROVED and not self.actor.at_least(access.Role.REVIEWER):
            raise PermissionDenied("{user} may not approve reports", user=self.actor.username)
        for organisation in set(batch.column("organisation_codes")):
            self._authorise_create(organisation or self.actor.organisation_code)

    def _new_items(
        self,
        batch: DraftBatch,
        typed: dict[str, list[Any]],
        geometries: np.ndarray,
        repair_notes: list[tuple[str, ...]],
        rows: list[int],
        state: ReportState,
    ) -> NewItems:
        n = len(rows)
        defaults = default_values(batch.kind)
        changes = {name: plain_column([typed[name][i] for i in rows]) for name in typed}
        item_values = {
            name: [
                typed[name][i] if name in typed and typed[name][i] is not None else default
                for i in rows
            ]
            for name, default in defaults.items()
        }
        notes = batch.column("notes")
        organisations = batch.column("organisation_codes")
        external_ids = batch.column("external_ids")
        sources = batch.column("sources")
        return NewItems(
            kind=batch.kind,
            item_ids=new_ids(n),
            item_codes=self.store.next_codes(record_type(batch.kind).code_prefix, n),
            report_ids=new_ids(n),
            report_codes=self.store.next_codes(REPORT_PREFIX, n),
            changes=changes,
            item_values=item_values,
            geometries=geometries[rows],
            dates_of_information=[batch.dates_of_information[i] for i in rows],
            external_ids=[external_ids[i] for i in rows],
            sources=[sources[i] for i in rows],
            notes=[list(notes[i]) + list(repair_notes[i]) for i in rows],
            organisation_codes=[organisations[i] or self.actor.organisation_code for i in rows],
            state=state,
            actor=self.actor.username,
            at=utcnow(),
        )

    def _create_update(self, draft: Draft, where: Location, state: ReportState) -> Report:
        """One report updating an existing item."""
        if state is ReportState.APPROVED and not self.actor.at_least(access.Role.REVIEWER):
            raise PermissionDenied("{user} may not approve reports", user=self.actor.username)
        self._authorise_create(draft.organisation_code)
        changes, geometry, notes = self._validated(draft, where)
        item = self.store.get_item(draft.kind, clean_code(draft.item_ref or ""))
        now = utcnow()
        decided = state is ReportState.APPROVED
        report = Report(
            code=self.store.next_codes(REPORT_PREFIX)[0],
            kind=draft.kind,
            item_id=item.id,
            item_code=item.code,
            action=ReportAction.UPDATE,
            date_of_information=draft.date_of_information,
            changes=changes,
            geometry=geometry,
            state=state,
            organisation_code=draft.organisation_code or self.actor.organisation_code,
            created_by=self.actor.username,
            created_at=now,
            submitted_at=now if state is not ReportState.DRAFT else None,
            decided_by=self.actor.username if decided else None,
            decided_at=now if decided else None,
            source=draft.source,
            external_id=draft.external_id,
            notes=notes,
        )
        check_report_transition(self.store, report)
        self.store.add_reports([report])
        if decided:
            self._refold([report])
        return report

    def edit_draft(
        self,
        ref: str,
        changes: Mapping[str, Any],
        geometry: BaseGeometry | None,
        *,
        expected_version: int,
        date_of_information: date | None = None,
    ) -> Report:
        """Replace a draft's content; Conflict if someone edited it since ``expected_version``."""
        report = self.get_report(ref)
        if not access.can_edit_report(
            self.actor, report_org=report.organisation_code, report_author=report.created_by
        ):
            raise PermissionDenied(
                "{user} may not edit report {code}", user=self.actor.username, code=report.code
            )
        report.check_editable(expected_version)  # before validating: a stale edit is moot
        draft = Draft(
            report.kind, changes, date_of_information or report.date_of_information, geometry
        )
        clean, geom, notes = self._validated(draft, Location())
        edited = report.edited(clean, geom, expected_version)
        edited = dataclasses.replace(
            edited, date_of_information=draft.date_of_information, notes=notes
        )
        self.store.update_report(edited, expected_version, ReportState.DRAFT)
        return edited


def latest_today() -> date:
    """The latest date now current anywhere on Earth (UTC+14): the last day a Date of
    Information may give, so that no team is refused its own today.

    >>> 0 <= (latest_today() - datetime.now(UTC).date()).days <= 1
    True
    """
    return (datetime.now(UTC) + timedelta(hours=14)).date()


def _text_problems(column: Sequence[Any]) -> dict[Any, str]:
    """The values of ``column`` that cannot be stored as text, with the reason. Each distinct
    value once, and none at all when no text holds a NUL (one search of them joined): a file's
    rows share their source and organisation, and every external id is looked at.

    >>> _text_problems(["a", None, "a"])
    {}
    >>> print(*_text_problems(["a", None, "b" + chr(0)]).values())
    'b\\x00' contains a NUL character (byte 0)
    """
    distinct = set(column)
    if "\x00" not in "".join([v for v in distinct if isinstance(v, str)]):
        return {}
    return {v: p for v in distinct if (p := text_problem(v)) is not None}


def _at(where: Location, field_name: str) -> Location:
    return Location(where.file, where.row, field_name)


def _as_batch(kind: Kind, drafts: Sequence[Draft], locations: list[Location]) -> DraftBatch:
    names = list(dict.fromkeys(name for d in drafts for name in d.changes))
    return DraftBatch(
        kind,
        {name: [d.changes.get(name) for d in drafts] for name in names},
        np.array([d.geometry for d in drafts], dtype=object),
        [d.date_of_information for d in drafts],
        locations,
        [d.external_id for d in drafts],
        [d.source for d in drafts],
        [d.organisation_code for d in drafts],
        [d.notes for d in drafts],
    )
