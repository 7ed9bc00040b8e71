"""What a reviewer needs to decide on one report, in one document (:func:`review_document`):
the report's content field by field beside the item's current approved state and the state
its approval would leave (so a late report's values that newer information overrides show as
such), the proposed and current geometries, every finding recorded when it was entered and
every repair with its areas before and after, the areas of the same kind it overlaps, the
names of the organisations and places it refers to, and every report about the same item.

Everything is read as the actor may see it: reports and records pass through
:mod:`minewatch.services.disclosure`, and a field the actor may not see is ``withheld``
rather than compared (blank on both sides would read as "unchanged").

>>> from shapely import box
>>> from minewatch.domain.access import local_admin
>>> from minewatch.services.accounts import Accounts
>>> from minewatch.services.audited import AuditedWorkflow
>>> from minewatch.store import open_store
>>> store = open_store(str(tmp / "review.gpkg"), create=True)
>>> wf = AuditedWorkflow(store, local_admin("amina"), Accounts(store))
>>> first = wf.create_draft(Kind.HAZARDOUS_AREA, {"name": "Hill 4"}, box(30, 50, 30.01, 50.01),
...                         date_of_information=date(2024, 1, 1))
>>> _ = wf.approve(wf.submit(first.code).code)
>>> update = wf.create_draft(Kind.HAZARDOUS_AREA, {"status": "closed"},
...                          date_of_information=date(2024, 6, 1), item_ref="HA-000001")
>>> doc = review_document(wf, wf.submit(update.code).code)
>>> [(f.field, f.change, f.current, f.after) for f in doc.fields if f.change != "unchanged"]
[('status', 'changed', 'open', 'closed')]
"""

from __future__ import annotations

import dataclasses
import re
import typing
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, Literal

from shapely.geometry.base import BaseGeometry

from minewatch.domain import access
from minewatch.domain.access import Actor
from minewatch.domain.geometry import find_duplicates_and_overlaps
from minewatch.domain.queries import ItemQuery, ReportQuery
from minewatch.domain.records import RECORD_TYPES, Kind, Record
from minewatch.domain.reports import Report, ReportState, utcnow
from minewatch.domain.schema import data_fields, to_plain
from minewatch.services import disclosure
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.records import fold_item
from minewatch.services.records.geometries import NoteView, read_note

Change = Literal["added", "changed", "removed", "unchanged", "withheld"]

#: How a field's value is read: one value, a list of codes, a table of rows (evidence,
#: blockages, non-conformities), people by sex and age (beneficiaries) or named values
#: (``extra``: a migrated source's columns kept as they were).
Shape = Literal["value", "list", "table", "people", "mapping"]

#: Codes of other items as the records hold them (ORG-000001, LOC-000012, HA-000003).
_CODE = re.compile(r"^([A-Z]+)-\d+$")
_PREFIXES = {t.code_prefix: t.kind for t in RECORD_TYPES.values()}


@dataclass(frozen=True)
class Column:
    """One column of a table-shaped field: its name and, when it holds codes, its enum's
    name (for labels), e.g. evidence's ``type`` column holds ``EvidenceType`` codes.

    Examples
    --------
    >>> Column("type", "EvidenceType").enum
    'EvidenceType'
    """

    field: str
    enum: str | None = None


@dataclass(frozen=True)
class FieldView:
    """One field of the item: what the report says (``reported``, when ``in_report``), the
    current approved value, the value after approval, and how approval changes it.

    ``superseded`` is true when the report sets a value that newer approved information
    overrides (a late report of older information): approving it does not change the field.
    Values are plain data (codes, ISO dates, lists, rows as dicts).

    Examples
    --------
    >>> view = FieldView("status", "HazardStatus", "value", in_report=True, reported="suspended",
    ...                  current="open", after="open", change="unchanged", superseded=True)
    >>> view.superseded, view.change
    (True, 'unchanged')
    """

    field: str
    enum: str | None
    shape: Shape
    in_report: bool
    reported: Any
    current: Any
    after: Any
    change: Change
    superseded: bool = False
    columns: tuple[Column, ...] = ()
    nested: str | None = None  # the nested value's kind for labels: evidence, sex_age…


@dataclass(frozen=True)
class ReviewDocument:
    """Everything the review screen shows about one report (see :func:`review_document`).

    ``names`` maps each code of another item the fields or the report refer to
    (organisation, location, hazardous area…) to its name, when it has one; ``overlaps``
    are the approved items of the same kind the proposed area overlaps or duplicates.

    Examples
    --------
    >>> from minewatch.domain.reports import Report
    >>> doc = ReviewDocument(Report(kind=Kind.ACCIDENT, date_of_information=date(2024, 1, 1)),
    ...                      [], None, None, [], [], [], {}, None, False)
    >>> doc.report.kind.value, doc.may_decide
    ('accident', False)
    """

    report: Report
    fields: list[FieldView]
    proposed: BaseGeometry | None
    current: BaseGeometry | None
    notes: list[NoteView]
    overlaps: list[NoteView]
    history: list[Report]
    names: dict[str, str]
    newer_information: date | None  # the newest approved DOI, when later than the report's
    may_decide: bool  # the report is submitted and the actor may approve or reject it


def _empty(value: Any) -> bool:
    """No value: nothing, blank text, an empty list, or people counted as all zero."""
    if isinstance(value, dict):
        return all(v in (0, None) for v in value.values())
    return value is None or value == "" or value == []


def _shape(spec: Any) -> Shape:
    if spec.python_type is dict:
        return "mapping"
    if dataclasses.is_dataclass(spec.python_type):
        return "table" if spec.many else "people"
    return "list" if spec.many else "value"


def _columns(spec: Any) -> tuple[Column, ...]:
    if not dataclasses.is_dataclass(spec.python_type):
        return ()
    hints = typing.get_type_hints(spec.python_type)
    out = []
    for f in dataclasses.fields(spec.python_type):
        base = hints[f.name]
        args = [a for a in typing.get_args(base) if a is not type(None)] or [base]
        enum = args[0] if isinstance(args[0], type) and issubclass(args[0], Enum) else None
        out.append(Column(f.name, enum.__name__ if enum else None))
    return tuple(out)


def _nested(spec: Any) -> str | None:
    """The nested value's kind as the vocabulary names it (SexAge → sex_age)."""
    base = spec.python_type
    if not (isinstance(base, type) and dataclasses.is_dataclass(base)):
        return None
    return re.sub(r"(?<!^)(?=[A-Z])", "_", base.__name__).lower()


def _change(current: Any, after: Any) -> Change:
    if current == after or (_empty(current) and _empty(after)):
        return "unchanged"
    if _empty(current):
        return "added"
    return "removed" if _empty(after) else "changed"


def _folds(wf: AuditedWorkflow, report: Report) -> tuple[Record | None, Record | None, list]:
    """The item before and after this report's approval, folded from the raw reports and
    then disclosed; and the raw approved reports (for the newest Date of Information)."""
    raw = wf.store.reports_for_items(report.kind, [report.item_id]).get(report.item_id, [])
    others = [r for r in raw if r.id != report.id]
    stored = wf.get_report(report.code or str(report.id))  # raw: its values fold
    as_approved = dataclasses.replace(
        stored, state=ReportState.APPROVED, decided_at=stored.decided_at or utcnow()
    )
    before = fold_item(report.kind, report.item_id, others)
    after = fold_item(report.kind, report.item_id, [*others, as_approved])
    shown = [r for r in (before, after) if r is not None]
    disclosed = iter(disclosure.disclose_records(wf.actor, shown, wf.accounts.audit))
    before = next(disclosed) if before is not None else None
    after = next(disclosed) if after is not None else None
    return before, after, [r for r in others if r.state is ReportState.APPROVED]


def _fields(
    actor: Actor, report: Report, before: Record | None, after: Record | None
) -> list[FieldView]:
    withheld = disclosure.withheld_fields(actor, report.kind)
    views = []
    for name, spec in data_fields(report.kind).items():
        current = to_plain(getattr(before, name)) if before is not None else None
        later = to_plain(getattr(after, name)) if after is not None else None
        in_report = name in report.changes
        reported = to_plain(report.changes.get(name)) if in_report else None
        hidden = name in withheld
        change = "withheld" if hidden else _change(current, later)
        superseded = in_report and not hidden and reported != later and not _empty(reported)
        views.append(
            FieldView(
                field=name,
                enum=spec.enum.__name__ if spec.enum else None,
                shape=_shape(spec),
                in_report=in_report,
                reported=reported,
                current=current,
                after=later,
                change=change,
                superseded=superseded,
                columns=_columns(spec),
                nested=_nested(spec),
            )
        )
    return views


def _codes(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if _CODE.match(value) else []
    if isinstance(value, list | tuple):
        return [c for v in value for c in _codes(v)]
    if isinstance(value, dict):
        return [c for v in value.values() for c in _codes(v)]
    return []


def _names(wf: AuditedWorkflow, report: Report, fields: list[FieldView]) -> dict[str, str]:
    """The names of the public items the report and its fields refer to (organisations,
    locations, areas, activities); kinds about people are never looked up."""
    wanted = {report.organisation_code, *(c for f in fields for c in _codes(f.reported))}
    wanted |= {c for f in fields for v in (f.current, f.after) for c in _codes(v)}
    by_kind: dict[Kind, list[str]] = {}
    for code in sorted(c for c in wanted if c):
        match = _CODE.match(code)
        kind = _PREFIXES.get(match.group(1)) if match else None
        if kind is not None and kind in disclosure.publishable_kinds():
            by_kind.setdefault(kind, []).append(code)
    names: dict[str, str] = {}
    for kind, codes in by_kind.items():
        for record in wf.list_items(ItemQuery(kind, codes=codes)):
            name = getattr(record, "name", None)
            if record.code and name:
                names[record.code] = str(name)
    return names


def _overlaps(wf: AuditedWorkflow, report: Report, proposed: BaseGeometry | None) -> list[NoteView]:
    """Approved items of the report's kind that the proposed geometry duplicates or
    overlaps (its own item excepted), by the domain's duplicate and overlap rules."""
    if proposed is None or proposed.is_empty:
        return []
    x0, y0, x1, y1 = proposed.bounds
    others = [
        r
        for r in wf.list_items(ItemQuery(report.kind, bbox=(x0, y0, x1, y1), limit=500))
        if r.id != report.item_id and getattr(r, "geometry", None) is not None
    ]
    if not others:
        return []
    found = find_duplicates_and_overlaps(
        [proposed],
        [report.code or "report"],
        rules=wf.rules,
        against=[getattr(r, "geometry", None) for r in others],
        against_refs=[r.code or "" for r in others],
    )
    return [
        NoteView(
            f.severity.value, str(f.rule), f.message, related=str(f.related), measure=f.measure
        )
        for f in found
    ]


def review_document(wf: AuditedWorkflow, ref: str) -> ReviewDocument:
    """Everything needed to decide on report ``ref``, as ``wf``'s actor may see it.

    Examples
    --------
    >>> import shapely
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.services.accounts import Accounts
    >>> from minewatch.store import open_store
    >>> store = open_store(str(tmp / "review.gpkg"), create=True)
    >>> wf = AuditedWorkflow(store, local_admin("amina"), Accounts(store))
    >>> org = wf.create_draft(Kind.ORGANISATION, {"name": "Synthetic NGO"},
    ...                       date_of_information=date(2024, 1, 1))
    >>> _ = wf.approve(wf.submit(org.code).code)
    >>> bowtie = shapely.from_wkt("POLYGON ((30 50, 30.01 50.01, 30.01 50, 30 50.01, 30 50))")
    >>> area = wf.create_draft(Kind.HAZARDOUS_AREA, {"organisation_code": "ORG-000001"},
    ...                        bowtie, date_of_information=date(2024, 2, 1))
    >>> doc = review_document(wf, wf.submit(area.code).code)
    >>> doc.names, doc.proposed.geom_type, doc.current
    ({'ORG-000001': 'Synthetic NGO'}, 'MultiPolygon', None)
    >>> [(n.rule, n.area_before_m2, n.area_after_m2) for n in doc.notes]
    [('self_intersection', 0.0, 398692.0)]
    >>> [(f.field, f.after) for f in doc.fields if f.change == "added"]   # defaults too
    [('classification', 'SHA'), ('status', 'open'), ('organisation_code', 'ORG-000001')]
    >>> [r.code for r in doc.history], doc.may_decide   # an administrator may decide their own
    (['RPT-000002'], True)
    """
    report = wf.read_report(ref)
    before, after, approved = _folds(wf, report)
    fields = _fields(wf.actor, report, before, after)
    proposed = report.geometry
    current = getattr(before, "geometry", None) if before is not None else None
    history = wf.list_reports(ReportQuery(item_id=report.item_id, limit=200))
    history.sort(key=lambda r: (r.date_of_information, r.created_at))
    newest = max((r.date_of_information for r in approved), default=None)
    return ReviewDocument(
        report=report,
        fields=fields,
        proposed=proposed,
        current=current,
        notes=[read_note(n) for n in report.notes],
        overlaps=_overlaps(wf, report, proposed),
        history=history,
        names=_names(wf, report, fields),
        newer_information=newest if newest and newest > report.date_of_information else None,
        may_decide=report.state is ReportState.SUBMITTED
        and access.can_approve(
            wf.actor, report_org=report.organisation_code, report_author=report.created_by
        ),
    )
