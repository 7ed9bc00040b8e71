"""Accreditation checks (issue 18): an activity whose organisation holds no accreditation in
force for its method on its date is flagged — a note on its report when it is created and
again when it is submitted, which the review screen shows (:func:`accreditation_notes`,
:func:`report_notes`); quality management lists approved work the same rule flags
(:mod:`minewatch.services.accreditation`). The rules are :mod:`minewatch.domain.accreditation`'s; only
approved accreditations count.

>>> from datetime import date
>>> from minewatch.domain.access import local_admin
>>> from minewatch.services.records import Workflow
>>> from minewatch.store import open_store
>>> store = open_store(str(tmp / "acr.gpkg"), create=True)
>>> wf = Workflow(store, local_admin())
>>> org = wf.create_draft(Kind.ORGANISATION, {"name": "Synthetic Demining"},
...                       date_of_information=date(2024, 1, 1)).item_code
>>> lra = wf.create_draft(Kind.LAND_RELEASE_ACTIVITY, {
...     "activity_type": "clearance", "method": "manual", "organisation_code": org,
...     "start_date": "2024-03-01"}, date_of_information=date(2024, 3, 2))
>>> lra.notes
('warning [accreditation]: ORG-000001 holds no accreditation valid on 2024-03-01 for manual',)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from minewatch.domain.accreditation import PRODUCT_ACTIVITY, accreditation_problem
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import (
    Accreditation,
    ActivityMethod,
    ActivityType,
    Kind,
    LandReleaseActivity,
    ProductType,
)
from minewatch.domain.reports import Report
from minewatch.domain.schema import coerce_value, field_specs
from minewatch.domain.text import Message
from minewatch.errors import NotFound
from minewatch.services.records.geometries import note_text
from minewatch.store.base import Repository

#: The rule name of the notes this module writes (``warning [accreditation]: …``).
RULE = "accreditation"

#: The kinds checked: the work itself, and the land it released.
CHECKED_KINDS = (Kind.LAND_RELEASE_ACTIVITY, Kind.RELEASE_PRODUCT)


def accreditations_of(store: Repository, organisation_codes: Sequence[str]) -> list[Accreditation]:
    """The approved accreditations of these organisations.

    >>> from minewatch.store import open_store
    >>> accreditations_of(open_store(str(tmp / "none.gpkg"), create=True), ["ORG-000001"])
    []
    """
    wanted = sorted({c for c in organisation_codes if c})
    out: list[Accreditation] = []
    for start in range(0, len(wanted), 500):
        query = ItemQuery(
            Kind.ACCREDITATION, where={"organisation_code": wanted[start : start + 500]}
        )
        out += [a for a in store.iter_items(query) if isinstance(a, Accreditation)]
    return out


def _activities(store: Repository, codes: Sequence[str]) -> dict[str, LandReleaseActivity]:
    wanted = sorted({c for c in codes if c})
    if not wanted:
        return {}
    items = store.query_items(ItemQuery(Kind.LAND_RELEASE_ACTIVITY, codes=wanted))
    return {a.code or "": a for a in items if isinstance(a, LandReleaseActivity)}


def _typed(kind: Kind, name: str, value: Any) -> Any:
    try:
        return coerce_value(field_specs(kind)[name], value)
    except (ValueError, TypeError):
        return None  # a bad value is refused by the field checks, with its own message


def work_problems(
    store: Repository,
    kind: Kind,
    rows: Sequence[Mapping[str, Any]],
    dates_of_information: Sequence[date | None],
    fallback_organisations: Sequence[str | None] | None = None,
) -> list[Message | None]:
    """For each row of ``kind`` (field → value, as a report or an item holds them), why its
    organisation's accreditation does not cover it, or None. An activity is judged by its
    type, method, organisation and start date (else its Date of Information); a product by
    its activity's type and method (else the type its product type implies: cancelled by
    non-technical survey, reduced by technical survey, cleared by clearance), its
    organisation (else its activity's) and its release date. A row without an organisation
    is judged by ``fallback_organisations`` (the report's).

    Examples
    --------
    >>> from minewatch.store import open_store
    >>> store = open_store(str(tmp / "work.gpkg"), create=True)
    >>> [str(p) for p in work_problems(store, Kind.RELEASE_PRODUCT, [{"product_type": "cancelled",
    ...     "organisation_code": "ORG-000009", "release_date": "2024-05-01"}], [None])]
    ['ORG-000009 holds no accreditation valid on 2024-05-01 for non-technical survey']
    >>> work_problems(store, Kind.ORGANISATION, [{}], [None])
    [None]
    """
    if kind not in CHECKED_KINDS:
        return [None] * len(rows)
    fallback = list(fallback_organisations or [None] * len(rows))
    activities = (
        _activities(store, [str(r.get("activity_code") or "") for r in rows])
        if kind is Kind.RELEASE_PRODUCT
        else {}
    )
    judged: list[tuple[str | None, ActivityType | None, ActivityMethod | None, date | None]] = []
    known: dict[tuple[str, Any], Any] = {}  # a batch repeats a few types, methods and days

    def typed(row: Mapping[str, Any], name: str) -> Any:
        key = (name, row.get(name))
        if key not in known:
            known[key] = _typed(kind, name, key[1])
        return known[key]

    for row, doi, report_org in zip(rows, dates_of_information, fallback, strict=True):
        org = typed(row, "organisation_code")
        if kind is Kind.LAND_RELEASE_ACTIVITY:
            a_type = typed(row, "activity_type")
            method = typed(row, "method")
            day = typed(row, "start_date") or doi
        else:
            activity = activities.get(str(row.get("activity_code") or ""))
            product = typed(row, "product_type") or ProductType.CLEARED
            a_type = activity.activity_type if activity else PRODUCT_ACTIVITY[product]
            method = activity.method if activity else None
            org = org or (activity.organisation_code if activity else None)
            day = typed(row, "release_date") or doi
        judged.append((org or report_org, a_type, method, day))
    held = accreditations_of(store, [j[0] for j in judged if j[0]])
    return [accreditation_problem(org, t, m, day, held) for org, t, m, day in judged]


#: The fields :func:`work_problems` reads.
_JUDGED_BY = (
    "organisation_code",
    "activity_type",
    "method",
    "start_date",
    "activity_code",
    "product_type",
    "release_date",
)


def accreditation_notes(
    store: Repository,
    kind: Kind,
    columns: Mapping[str, Sequence[Any]],
    dates_of_information: Sequence[date | None],
    fallback_organisations: Sequence[str | None] | None = None,
) -> list[tuple[str, ...]]:
    """:func:`work_problems` for a batch given column by column, as report notes
    (``warning [accreditation]: …``; an empty tuple where there is nothing to say).

    >>> from minewatch.store import open_store
    >>> store = open_store(str(tmp / "notes.gpkg"), create=True)
    >>> accreditation_notes(store, Kind.LAND_RELEASE_ACTIVITY,
    ...     {"activity_type": ["eod_spot_task"], "organisation_code": ["ORG-000003"]},
    ...     [date(2024, 4, 1)])
    [('warning [accreditation]: ORG-000003 holds no accreditation valid on 2024-04-01 for EOD',)]
    """
    n = len(dates_of_information)
    if kind not in CHECKED_KINDS or not n:
        return [()] * n
    judged = [c for c in _JUDGED_BY if c in columns]  # not every column of every row
    rows = [{name: columns[name][i] for name in judged} for i in range(n)]
    problems = work_problems(store, kind, rows, dates_of_information, fallback_organisations)
    # A note is stored with its report: English, as the report keeps it.
    return [(note_text("warning", RULE, str(p)),) if p else () for p in problems]


def report_notes(store: Repository, report: Report) -> tuple[str, ...]:
    """A report's notes with its accreditation note made afresh: the report's values over
    its item's current ones, judged against the accreditations approved now (what the
    workflow records when the report is submitted).

    >>> from minewatch.store import open_store
    >>> store = open_store(str(tmp / "fresh.gpkg"), create=True)
    >>> report = Report(kind=Kind.LAND_RELEASE_ACTIVITY, date_of_information=date(2024, 1, 5),
    ...                 changes={"activity_type": "technical_survey", "organisation_code": "ORG-1"},
    ...                 notes=("warning [accreditation]: stale",))
    >>> report_notes(store, report)
    ('warning [accreditation]: ORG-1 holds no accreditation valid on 2024-01-05 for technical survey',)
    """
    kept = tuple(n for n in report.notes if not n.startswith(f"warning [{RULE}]"))
    if report.kind not in CHECKED_KINDS:
        return kept
    values: dict[str, Any] = {}
    if report.item_code:
        try:
            current = store.get_item(report.kind, report.item_code)
        except NotFound:  # a report creating its item: the item is not there until approved
            pass
        else:
            values = {f.name: getattr(current, f.name) for f in dataclasses.fields(current)}
    values |= dict(report.changes)
    problem = work_problems(
        store, report.kind, [values], [report.date_of_information], [report.organisation_code]
    )[0]
    return (*kept, note_text("warning", RULE, str(problem))) if problem else kept


__all__ = [
    "CHECKED_KINDS",
    "RULE",
    "accreditation_notes",
    "accreditations_of",
    "report_notes",
    "work_problems",
]
