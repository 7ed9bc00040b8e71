"""The report workflow: the one way data changes.

A report is created as a draft, edited, submitted, then approved or rejected. Approving it
re-folds its item from every approved report in Date-of-Information order (see
:mod:`minewatch.domain.reports`) and stores the item's new current state, in one transaction.
Every function checks the actor's rights against :mod:`minewatch.domain.access`.

>>> from shapely import box
>>> from minewatch.domain.access import local_admin
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
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from minewatch.domain import access
from minewatch.domain.access import Actor
from minewatch.domain.consistency import date_problems
from minewatch.domain.geometry import DEFAULT_RULES, FindingSeverity, GeometryRules
from minewatch.domain.geometry import check_geometries as domain_check
from minewatch.domain.records import Kind, Record, record_type
from minewatch.domain.records.base import new_ids
from minewatch.domain.reports import (
    Report,
    ReportAction,
    ReportState,
    applicable,
    fold_changes,
    utcnow,
)
from minewatch.domain.schema import (
    FieldError,
    build_record,
    coerce_columns,
    coerce_fields,
    default_values,
    plain_column,
    text_problem,
    to_plain,
)
from minewatch.errors import InvalidInput, Location, NotFound, PermissionDenied
from minewatch.store.base import ItemQuery, NewItems, ReportQuery, Repository

REPORT_PREFIX = "RPT"


@dataclass(frozen=True)
class Draft:
    """What a form, a file row or an API call proposes: one report's content.

    Examples
    --------
    >>> from shapely import box
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> drafts = [Draft(Kind.HAZARDOUS_AREA, {"status": "open"}, date(2024, 5, 1),
    ...                 box(30, -1, 30.01, -0.99), external_id="survey-17")]
    >>> [(r.code, r.item_code, r.state) for r in wf.create_drafts(drafts)]
    [('RPT-000001', 'HA-000001', <ReportState.DRAFT: 'draft'>)]
    """

    kind: Kind
    changes: Mapping[str, Any]
    date_of_information: date
    geometry: BaseGeometry | None = None
    item_ref: str | None = None  # the code or id of an existing item, for an update
    organisation_code: str | None = None
    source: str | None = None
    external_id: str | None = None
    notes: tuple[str, ...] = ()


@dataclass
class DraftBatch:
    """Many reports that each create a new item of one kind, held column by column (an
    import or a form export). ``locations`` say where each row came from, for errors.

    Examples
    --------
    >>> from shapely import box
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> from minewatch.errors import Location
    >>> batch = DraftBatch(Kind.HAZARDOUS_AREA, {"status": ["open", "mined?"]},
    ...                    np.array([box(30, -1, 30.01, -0.99), box(31, -1, 31.01, -0.99)]),
    ...                    [date(2024, 5, 1)] * 2, [Location("areas.csv", 1), Location("areas.csv", 2)])
    >>> len(batch), len(batch.take([1]))
    (2, 1)
    >>> result = wf.create_batch(batch, keep_going=True)
    >>> result.item_codes, [str(r) for r in result.rejected]
    (['HA-000001'], ["areas.csv, row 2, field status: 'mined?' is not one of: open, suspended,
     closed, released"])
    """

    kind: Kind
    columns: dict[str, list[Any]]
    geometries: np.ndarray | None
    dates_of_information: list[date]
    locations: list[Location]
    external_ids: list[str | None] = field(default_factory=list)
    sources: list[str | None] = field(default_factory=list)
    organisation_codes: list[str | None] = field(default_factory=list)
    notes: list[tuple[str, ...]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.dates_of_information)

    def column(self, name: str) -> list[Any]:
        values: list[Any] = getattr(self, name)
        return values if values else [None if name != "notes" else () for _ in range(len(self))]

    def take(self, rows: Sequence[int]) -> DraftBatch:
        """The batch restricted to these rows."""
        pick = list(rows)
        return DraftBatch(
            self.kind,
            {k: [v[i] for i in pick] for k, v in self.columns.items()},
            None if self.geometries is None else self.geometries[pick],
            [self.dates_of_information[i] for i in pick],
            [self.locations[i] for i in pick],
            *(
                _pick(self.column(n), pick)
                for n in ("external_ids", "sources", "organisation_codes", "notes")
            ),
        )


@dataclass(frozen=True)
class Rejection:
    """A row that cannot land, and why: where (file, row, field) and the reason.

    Examples
    --------
    >>> from minewatch.errors import Location
    >>> print(Rejection(Location("areas.csv", 4, "status"), "'mined?' is not a status"))
    areas.csv, row 4, field status: 'mined?' is not a status
    """

    where: Location
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}" if str(self.where) else self.reason


@dataclass(frozen=True)
class CheckedBatch:
    """A batch after validation: typed values, geometries as repaired, notes, and the
    rejected rows with their reasons.

    Examples
    --------
    >>> from shapely import box
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> from minewatch.errors import Location
    >>> batch = DraftBatch(Kind.HAZARDOUS_AREA, {"status": ["open", "mined?"]},
    ...                    np.array([box(30, -1, 30.01, -0.99), None]), [date(2024, 5, 1)] * 2,
    ...                    [Location(row=1), Location(row=2)])
    >>> checked = wf.validate_batch(batch)   # nothing written yet
    >>> checked.typed["status"], [str(r) for r in checked.rejected]
    ([<HazardStatus.OPEN: 'open'>, None], ["row 2, field status: 'mined?' is not one of: open,
     suspended, closed, released"])
    """

    batch: DraftBatch
    state: ReportState
    typed: dict[str, list[Any]]
    geometries: np.ndarray
    notes: list[tuple[str, ...]]
    rejected_rows: dict[int, Rejection]

    @property
    def rejected(self) -> list[Rejection]:
        return list(self.rejected_rows.values())


@dataclass(frozen=True)
class BatchResult:
    """What a batch write did: the reports and items it created, the rows that landed
    (in the order of the codes) and the rows rejected.

    Examples
    --------
    >>> from shapely import box
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> from minewatch.errors import Location
    >>> batch = DraftBatch(Kind.HAZARDOUS_AREA, {"status": ["open", "closed"]},
    ...                    np.array([box(30, -1, 30.01, -0.99), box(31, -1, 31.01, -0.99)]),
    ...                    [date(2024, 5, 1)] * 2, [Location(row=1), Location(row=2)])
    >>> wf.create_batch(batch, state=ReportState.APPROVED)
    BatchResult(report_codes=['RPT-000001', 'RPT-000002'], item_codes=['HA-000001', 'HA-000002'],
     rejected=[], landed_rows=[0, 1])
    """

    report_codes: list[str]
    item_codes: list[str]
    rejected: list[Rejection]
    landed_rows: list[int]  # the batch rows that landed, in order of the codes


@dataclass(frozen=True)
class HistoryEntry:
    """One approved report and the item's state right after it.

    Examples
    --------
    >>> from shapely import box
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
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


def check_geometries(
    kind: Kind,
    geometries: np.ndarray,
    rules: GeometryRules = DEFAULT_RULES,
    boundary: BaseGeometry | None = None,
) -> tuple[np.ndarray, list[tuple[str, ...]], dict[int, str]]:
    """The geometries reports may carry for ``kind``: (geometries as repaired, notes per row,
    {row: first error}), by the geometry rules of :mod:`minewatch.domain.geometry`. Rows
    without a geometry are left alone (an update need not move its item). Repairs and
    warnings become notes on the report, never silent.

    Examples
    --------
    >>> import shapely
    >>> bowtie = shapely.from_wkt("POLYGON ((30 50, 30.01 50.01, 30.01 50, 30 50.01, 30 50))")
    >>> geoms, notes, errors = check_geometries(
    ...     Kind.HAZARDOUS_AREA, np.array([bowtie, shapely.Point(30, 50), None]))
    >>> geoms[0].geom_type, errors, geoms[2]
    ('MultiPolygon', {1: 'expected a polygon, got a Point'}, None)
    >>> notes[0]
    ('repaired [self_intersection]: invalid geometry: Self-intersection; repaired with make_valid:
     Polygon → MultiPolygon; area 0 m² → 398,692 m²',)
    """
    out = np.asarray(geometries, dtype=object).copy()
    notes: list[tuple[str, ...]] = [()] * len(out)
    errors: dict[int, str] = {}
    rows = np.flatnonzero(~shapely.is_missing(out))
    expected = record_type(kind).geometry_type
    if expected is None:
        return out, notes, {int(i): f"{kind.value} records have no geometry" for i in rows}
    with_z = rows[np.asarray(shapely.has_z(out[rows]), dtype=bool)] if len(rows) else rows
    if len(with_z):  # stored geometry is 2-D lon/lat; heights are not part of the record
        out[with_z] = shapely.force_2d(out[with_z])
        for i in with_z.tolist():
            notes[i] = ("repaired [z_dropped]: the Z (height) coordinates were dropped",)
    check = domain_check(
        out[rows],
        rows.tolist(),
        rules=rules,
        boundary=boundary,
        expected="point" if expected == "POINT" else "polygon",
    )
    out[rows] = check.geometries
    for finding in check.findings:
        row = int(finding.record)  # type: ignore[arg-type]
        if finding.severity is FindingSeverity.ERROR:
            errors.setdefault(row, finding.message)
        else:
            notes[row] = (
                *notes[row],
                f"{finding.severity.value} [{finding.rule}]: {finding.message}",
            )
    if expected == "POLYGON":  # a one-part multipolygon is a polygon; more parts are not
        for i in rows:
            geom = out[i]
            if geom is not None and geom.geom_type == "MultiPolygon":
                if len(geom.geoms) == 1:
                    out[i] = geom.geoms[0]
                else:
                    errors.setdefault(
                        int(i), f"{kind.value} needs one polygon, got {len(geom.geoms)} parts"
                    )
    return out, notes, errors


class _RolledBack(Exception):
    """Ends a dry run inside its transaction, so that every write rolls back."""


class Workflow:
    """Reports and items in one store, on behalf of one actor.

    Examples
    --------
    >>> from shapely import box
    >>> from minewatch.domain.access import local_admin
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

    def __init__(
        self,
        store: Repository,
        actor: Actor,
        *,
        rules: GeometryRules = DEFAULT_RULES,
        boundary: BaseGeometry | None = None,
    ) -> None:
        self.store = store
        self.actor = actor
        self.rules = rules
        self.boundary = boundary

    @contextmanager
    def all_or_nothing(self, *, dry_run: bool = False) -> Iterator[None]:
        """A block of changes (many reports, every batch of an import) that land together
        or not at all: an exception inside leaves nothing written. With ``dry_run`` the
        block runs to its end and then every write is rolled back, a check that writes
        nothing; so it must not be entered inside a transaction of the caller's, which
        that rollback could not undo.

        >>> from minewatch.store import open_store
        >>> store = open_store(str(tmp / "demo.gpkg"), create=True)
        >>> wf = Workflow(store, access.local_admin("amina"))
        >>> with wf.all_or_nothing(dry_run=True):
        ...     wf.create_draft(Kind.ORGANISATION, {"name": "NGO"}, None,
        ...                     date_of_information=date(2024, 5, 1)).kind.value
        'organisation'
        >>> store.list_reports(ReportQuery())
        []
        >>> store.close()
        """
        try:
            with self.store.transaction():
                yield
                if dry_run:
                    raise _RolledBack
        except _RolledBack:
            pass

    # -- drafts ---------------------------------------------------------------------------
    def _validated(
        self, draft: Draft, where: Location
    ) -> tuple[dict[str, Any], BaseGeometry | None, tuple[str, ...]]:
        try:
            changes = coerce_fields(draft.kind, draft.changes)
        except FieldError as exc:
            raise InvalidInput(str(exc), Location(where.file, where.row, exc.field)) from None
        for name in ("external_id", "source", "organisation_code"):
            if (problem := text_problem(getattr(draft, name))) is not None:
                raise InvalidInput(problem, Location(where.file, where.row, name))
        columns = {name: [value] for name, value in changes.items()}
        for late in date_problems(draft.kind, columns, [draft.date_of_information]):
            raise InvalidInput(late.message, Location(where.file, where.row, late.field))
        geometry, notes = self._check_one(
            draft.kind, draft.geometry, Location(where.file, where.row, "geometry")
        )
        return to_plain(changes), geometry, draft.notes + notes

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
            raise InvalidInput(str(exc), where) from None
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
        for late in date_problems(batch.kind, typed, batch.dates_of_information):
            rejected.setdefault(
                late.row, Rejection(_at(batch.locations[late.row], late.field), late.message)
            )
        for row, message in geometry_errors.items():
            rejected.setdefault(row, Rejection(_at(batch.locations[row], "geometry"), message))
        for name in ("external_ids", "sources", "organisation_codes"):
            for row, value in enumerate(batch.column(name)):
                if (problem := text_problem(value)) is not None:
                    where = _at(batch.locations[row], name.removesuffix("s"))
                    rejected.setdefault(row, Rejection(where, problem))
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
            raise PermissionDenied(f"{self.actor.username} may not approve reports")
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
        plain = {name: plain_column([typed[name][i] for i in rows]) for name in typed}
        changes = [
            dict(zip(plain, values, strict=True)) for values in zip(*plain.values(), strict=True)
        ]
        if not plain:
            changes = [{} for _ in rows]
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
            raise PermissionDenied(f"{self.actor.username} may not approve reports")
        self._authorise_create(draft.organisation_code)
        changes, geometry, notes = self._validated(draft, where)
        item = self.store.get_item(draft.kind, draft.item_ref or "")
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
            raise PermissionDenied(f"{self.actor.username} may not edit report {report.code}")
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
        if (problem := text_problem(reason)) is not None:
            raise InvalidInput(problem, Location(field="reason"))
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


def _pick(values: list[Any], rows: list[int]) -> list[Any]:
    return [values[i] for i in rows]


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
