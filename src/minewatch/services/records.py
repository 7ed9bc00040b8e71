"""The report workflow: the one way data changes.

A report is created as a draft, edited, submitted, then approved or rejected. Approving it
re-folds its item from every approved report in Date-of-Information order (see
:mod:`minewatch.domain.reports`) and stores the item's new current state, in one transaction.
Every function checks the actor's rights against :mod:`minewatch.domain.access`.

>>> from minewatch.store import open_store                        # doctest: +SKIP
>>> wf = Workflow(open_store("demo.gpkg"), local_admin())          # doctest: +SKIP
>>> draft = wf.create_draft(Kind.HAZARDOUS_AREA, {"status": "open"}, polygon,
...                         date_of_information=date(2024, 5, 1))  # doctest: +SKIP
>>> wf.approve(wf.submit(draft.code).code)                          # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from minewatch.domain import access
from minewatch.domain.access import Actor
from minewatch.domain.records import Kind, Record, record_type
from minewatch.domain.reports import (
    Report,
    ReportAction,
    ReportState,
    applicable,
    fold_changes,
    utcnow,
)
from minewatch.domain.schema import FieldError, build_record, coerce_fields, to_plain
from minewatch.errors import InvalidInput, Location, NotFound, PermissionDenied
from minewatch.store.base import ItemQuery, ReportQuery, Repository

REPORT_PREFIX = "RPT"

_POLYGONAL = {"Polygon", "MultiPolygon"}
_ALLOWED_GEOMETRY = {
    "MULTIPOLYGON": _POLYGONAL,
    "POLYGON": {"Polygon"},
    "POINT": {"Point"},
}


@dataclass(frozen=True)
class Draft:
    """What a form, a file row or an API call proposes: one report's content."""

    kind: Kind
    changes: Mapping[str, Any]
    date_of_information: date
    geometry: BaseGeometry | None = None
    item_ref: str | None = None  # the code or id of an existing item, for an update
    organisation_code: str | None = None
    source: str | None = None
    external_id: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class HistoryEntry:
    """One approved report and the item's state right after it."""

    report: Report
    state: Record


def check_geometry(
    kind: Kind, geometry: BaseGeometry | None, where: Location
) -> tuple[BaseGeometry | None, tuple[str, ...]]:
    """The geometry a report may carry for ``kind``, repaired if it must be, with a note for
    each repair (never silent). InvalidInput if it is the wrong type or cannot be repaired."""
    expected = record_type(kind).geometry_type
    if geometry is None:
        return None, ()
    if expected is None:
        raise InvalidInput(f"{kind.value} records have no geometry", where)
    if geometry.is_empty:
        raise InvalidInput("the geometry is empty", where)
    notes: list[str] = []
    if expected != "POINT" and not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        repaired = shapely.make_valid(geometry)
        polygons = [p for p in shapely.get_parts(repaired) if p.geom_type in _POLYGONAL]
        if not polygons:
            raise InvalidInput(
                f"invalid geometry that cannot be repaired into an area: {reason}", where
            )
        repaired = shapely.union_all(polygons)
        notes.append(f"geometry repaired with make_valid ({reason})")
        geometry = repaired
    allowed = _ALLOWED_GEOMETRY[expected]
    if geometry.geom_type not in allowed:
        raise InvalidInput(
            f"{kind.value} needs a {' or '.join(sorted(allowed))}, got a {geometry.geom_type}",
            where,
        )
    return geometry, tuple(notes)


class Workflow:
    """Reports and items in one store, on behalf of one actor."""

    def __init__(self, store: Repository, actor: Actor) -> None:
        self.store = store
        self.actor = actor

    # -- drafts ---------------------------------------------------------------------------
    def _validated(
        self, draft: Draft, where: Location
    ) -> tuple[dict[str, Any], BaseGeometry | None, tuple[str, ...]]:
        try:
            changes = coerce_fields(draft.kind, draft.changes)
        except FieldError as exc:
            raise InvalidInput(str(exc), Location(where.file, where.row, exc.field)) from None
        geometry, notes = check_geometry(
            draft.kind, draft.geometry, Location(where.file, where.row, "geometry")
        )
        return to_plain(changes), geometry, draft.notes + notes

    def _authorise_create(self, organisation_code: str | None) -> None:
        if not access.can_create_report(self.actor, organisation_code):
            raise PermissionDenied(
                f"{self.actor.username} may not report for {organisation_code or 'this programme'}"
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
        """Many new reports in one transaction (e.g. an import); all land or none do.

        ``state`` may be SUBMITTED (field forms) or APPROVED (a reviewer's bulk import, which
        also materialises the items). InvalidInput names the first bad draft.
        """
        if state is ReportState.APPROVED and not self.actor.at_least(access.Role.REVIEWER):
            raise PermissionDenied(f"{self.actor.username} may not approve reports")
        locations = (
            list(where) if where is not None else [Location(row=i + 1) for i in range(len(drafts))]
        )
        prepared = []
        for draft, loc in zip(drafts, locations, strict=True):
            self._authorise_create(draft.organisation_code)
            prepared.append((draft, *self._validated(draft, loc)))
        with self.store.transaction():
            reports = self._new_reports(prepared, state)
            self.store.add_reports(reports)
            if state is ReportState.APPROVED:
                self._refold([r for r in reports])
        return reports

    def _new_reports(
        self,
        prepared: list[tuple[Draft, dict[str, Any], BaseGeometry | None, tuple[str, ...]]],
        state: ReportState,
    ) -> list[Report]:
        report_codes = self.store.next_codes(REPORT_PREFIX, len(prepared))
        by_kind: dict[Kind, int] = {}
        for draft, *_ in prepared:
            if draft.item_ref is None:
                by_kind[draft.kind] = by_kind.get(draft.kind, 0) + 1
        item_codes = {
            k: iter(self.store.next_codes(record_type(k).code_prefix, n))
            for k, n in by_kind.items()
        }
        now = utcnow()
        reports = []
        for (draft, changes, geometry, notes), code in zip(prepared, report_codes, strict=True):
            item_code: str | None
            if draft.item_ref is None:
                item_id, item_code, action = (
                    uuid.uuid4(),
                    next(item_codes[draft.kind]),
                    ReportAction.CREATE,
                )
            else:
                item = self.store.get_item(draft.kind, draft.item_ref)
                item_id, item_code, action = item.id, item.code, ReportAction.UPDATE
            decided = state is ReportState.APPROVED
            reports.append(
                Report(
                    code=code,
                    kind=draft.kind,
                    item_id=item_id,
                    item_code=item_code,
                    action=action,
                    date_of_information=draft.date_of_information,
                    changes=changes,
                    geometry=geometry,
                    state=state,
                    organisation_code=draft.organisation_code,
                    created_by=self.actor.username,
                    created_at=now,
                    submitted_at=now if state is not ReportState.DRAFT else None,
                    decided_by=self.actor.username if decided else None,
                    decided_at=now if decided else None,
                    source=draft.source,
                    external_id=draft.external_id,
                    notes=notes,
                )
            )
        return reports

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
            raise PermissionDenied(f"{self.actor.username} may not edit report {report.code}")
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

    # -- transitions ----------------------------------------------------------------------
    def _move(self, ref: str, to: ReportState, reason: str | None = None) -> Report:
        with self.store.transaction():
            report = self.get_report(ref)
            moved = report.transition(to, by=self.actor.username, reason=reason)
            self.store.update_report(moved, report.version, report.state)
            if to is ReportState.APPROVED:
                self._refold([moved])
        return moved

    def submit(self, ref: str) -> Report:
        report = self.get_report(ref)
        if not access.can_edit_report(
            self.actor, report_org=report.organisation_code, report_author=report.created_by
        ):
            raise PermissionDenied(f"{self.actor.username} may not submit report {report.code}")
        return self._move(ref, ReportState.SUBMITTED)

    def reopen(self, ref: str) -> Report:
        """A rejected report back to draft, for its author to correct."""
        report = self.get_report(ref)
        if not access.can_edit_report(
            self.actor, report_org=report.organisation_code, report_author=report.created_by
        ):
            raise PermissionDenied(f"{self.actor.username} may not reopen report {report.code}")
        return self._move(ref, ReportState.DRAFT)

    def _authorise_decision(self, report: Report) -> None:
        if not access.can_approve(
            self.actor, report_org=report.organisation_code, report_author=report.created_by
        ):
            why = "their own report" if report.created_by == self.actor.username else "reports"
            raise PermissionDenied(
                f"{self.actor.username} may not approve or reject {why} ({report.code})"
            )

    def approve(self, ref: str) -> Report:
        self._authorise_decision(self.get_report(ref))
        return self._move(ref, ReportState.APPROVED)

    def reject(self, ref: str, reason: str) -> Report:
        self._authorise_decision(self.get_report(ref))
        return self._move(ref, ReportState.REJECTED, reason)

    # -- folding --------------------------------------------------------------------------
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

    # -- reading --------------------------------------------------------------------------
    def get_report(self, ref: str) -> Report:
        report = self.store.get_report(ref)
        if not access.can_view_report(self.actor, report_org=report.organisation_code):
            raise NotFound(f"no report {ref}")
        return report

    def list_reports(self, query: ReportQuery) -> list[Report]:
        if not self.actor.at_least(access.Role.REVIEWER):
            if self.actor.role is not access.Role.DATA_WORKER:
                return []
            query = dataclasses.replace(query, organisation_code=self.actor.organisation_code)
        return self.store.list_reports(query)

    def get_item(self, kind: Kind | str, ref: str) -> Record:
        return self.store.get_item(Kind(kind), ref)

    def list_items(self, query: ItemQuery) -> list[Record]:
        return self.store.query_items(query)

    def history(self, kind: Kind | str, ref: str) -> list[HistoryEntry]:
        """Each approved report of an item in Date-of-Information order, with the state after it."""
        item = self.store.get_item(Kind(kind), ref)
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
        item = self.store.get_item(Kind(kind), ref)
        reports = self.store.reports_for_items(Kind(kind), [item.id]).get(item.id, [])
        state = fold_item(Kind(kind), item.id, reports, as_of=as_of, known_at=known_at)
        if state is None:
            raise NotFound(f"{item.code} had no approved information on {as_of or known_at}")
        return state


def fold_item(
    kind: Kind,
    item_id: uuid.UUID,
    reports: Sequence[Report],
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> Record | None:
    """An item's state from its reports, or None if no approved report applies."""
    values = fold_changes(reports, as_of=as_of, known_at=known_at)
    if not values:
        return None
    version = len(applicable(reports, as_of=as_of, known_at=known_at))
    external = next((r.external_id for r in applicable(reports) if r.external_id), None)
    return build_record(
        kind, {**values, "id": item_id, "version": version, "external_id": external}
    )
