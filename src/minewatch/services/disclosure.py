"""What an actor may see of records and reports, and ask about them: the one place that
knows which fields are personal data (victims' names, contacts, medical details).

Output: every output (HTTP API, OGC API Features, CLI, exports, publication) passes records
and reports through :func:`disclose_records` / :func:`disclose_reports`, and tables through
:func:`public_frame`. Actors without the personal-data grant get records with every personal
field blanked (:func:`minewatch.domain.records.personal.redact`); actors with it get them
whole, and each such read is written to the audit log. Kinds that are about people
(victims) are not public at all.

Input: a filter, sort, search or count that names a personal field would let someone
without the grant confirm a guess ("is there a victim called X?" answered by 1 match or 0),
so :func:`guard_query` refuses it unless the actor holds the grant, and audits it when they
do. No other module names personal fields (an architecture test checks this), so a new
endpoint or export cannot leak them by forgetting.

>>> from minewatch.domain.access import PUBLIC
>>> from minewatch.domain.records import Victim
>>> [v] = disclose_records(PUBLIC, [Victim(code="VIC-1", name="A. Person")], audit=None,
...                        check_kind=False)
>>> v.name is None
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from minewatch.domain.access import Actor, Role, can_view_personal_data
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import Kind, Record, record_type
from minewatch.domain.records.personal import personal_fields, redact
from minewatch.domain.reports import Report
from minewatch.errors import NotFound, PermissionDenied

if TYPE_CHECKING:  # a type only: the records' and reports' paths load no pandas
    import pandas as pd

#: Kinds about people: only signed-in staff list them, even with personal fields blanked,
#: because age, sex and place can identify a victim in a small community.
INTERNAL_KINDS = frozenset(k for k in Kind if personal_fields(record_type(k)))

#: Writes one audit entry: (actor, action, target, detail).
AuditFn = Callable[..., None]


def is_personal(kind: Kind | str, field: str) -> bool:
    """Whether ``field`` of ``kind`` holds personal data.

    >>> is_personal("victim", "name"), is_personal("victim", "age"), is_personal("hazardous_area", "name")
    (True, False, False)
    """
    return field in personal_fields(record_type(Kind(kind)))


def guard_fields(
    actor: Actor, kind: Kind | str, fields: Iterable[str], use: str, audit: AuditFn | None
) -> None:
    """Refuse a ``use`` ("filter", "sort", "search", "count") of ``kind`` that names a
    personal field unless ``actor`` holds the personal-data grant; audit it when they do.

    The refusal does not depend on the value asked for, so it confirms nothing about the
    data; it names the field, which the published schema already marks as personal.

    >>> from minewatch.domain.access import Actor, Role
    >>> reviewer = Actor("rev", Role.REVIEWER)
    >>> guard_fields(reviewer, "victim", ["sex", "age"], "filter", None)  # not personal: fine
    >>> guard_fields(reviewer, "victim", ["name"], "filter", None)
    Traceback (most recent call last):
    ...
    minewatch.errors.PermissionDenied: filtering victims on name needs the personal-data grant
    >>> seen = []
    >>> medic = Actor("medic", Role.DATA_WORKER, "ORG-1", personal_data=True)
    >>> guard_fields(medic, "victim", ["name"], "filter", lambda *a, **k: seen.append((a, k)))
    >>> seen[0][0][1:], seen[0][1]
    (('search_personal_data', 'victim'), {'fields': ['name'], 'use': 'filter'})
    """
    kind = Kind(kind)
    named = sorted({f for f in fields if is_personal(kind, f)})
    if not named:
        return
    if not can_view_personal_data(actor):
        verb = {"filter": "filtering", "sort": "sorting", "search": "searching"}.get(use, use)
        raise PermissionDenied(
            f"{verb} {kind.value}s on {', '.join(named)} needs the personal-data grant"
        )
    if audit is not None:
        audit(actor, "search_personal_data", kind.value, fields=named, use=use)


def guard_query(actor: Actor, query: ItemQuery, audit: AuditFn | None) -> None:
    """:func:`guard_fields` for every field a listing, count or export filters on.

    Examples
    --------
    >>> from minewatch.domain.access import PUBLIC
    >>> guard_query(PUBLIC, ItemQuery(Kind.HAZARDOUS_AREA, where={"status": "open"}), None)
    >>> guard_query(PUBLIC, ItemQuery(Kind.VICTIM, where={"contact": "+000-555"}), None)
    Traceback (most recent call last):
    ...
    minewatch.errors.PermissionDenied: filtering victims on contact needs the personal-data grant
    """
    guard_fields(actor, query.kind, query.where.keys(), "filter", audit)


def public_frame(kind: Kind | str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without the personal columns of ``kind``: what exports and publications
    may write, whoever asks (they leave the system, where no grant follows them).

    >>> import pandas as pd
    >>> list(public_frame("victim", pd.DataFrame({"code": ["VIC-1"], "name": ["A"], "age": [30]})))
    ['code', 'age']
    """
    hidden = personal_fields(record_type(Kind(kind)))
    return frame.drop(columns=[c for c in frame.columns if c in hidden])


def check_public_columns(kind: Kind | str, columns: Iterable[str]) -> None:
    """Raise if a publication's ``columns`` of ``kind`` include personal data (a guard for
    the table definitions of :mod:`minewatch.io.hxl`, checked before anything is written).

    >>> check_public_columns("victim", ["code", "age"])
    >>> check_public_columns("victim", ["code", "name"])
    Traceback (most recent call last):
    ...
    ValueError: personal fields may never be published: ['name']
    """
    leaked = sorted(set(columns) & personal_fields(record_type(Kind(kind))))
    if leaked:
        raise ValueError(f"personal fields may never be published: {leaked}")


def visible_changes(actor: Actor, kind: Kind | str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """A report's changes as ``actor`` may see them: personal values dropped without the
    grant (the history of an item shows what each report changed).

    >>> from minewatch.domain.access import Actor, Role
    >>> visible_changes(Actor("rev", Role.REVIEWER), "victim", {"name": "A", "age": 30})
    {'age': 30}
    """
    if can_view_personal_data(actor):
        return dict(changes)
    hidden = personal_fields(record_type(Kind(kind)))
    return {k: v for k, v in changes.items() if k not in hidden}


def check_kind_visible(actor: Actor, kind: Kind) -> None:
    """NotFound (not "forbidden", which would confirm the data exists) for internal kinds.

    Examples
    --------
    >>> from minewatch.domain.access import PUBLIC, Actor
    >>> check_kind_visible(PUBLIC, Kind.HAZARDOUS_AREA)
    >>> check_kind_visible(Actor("rev", Role.REVIEWER), Kind.VICTIM)
    >>> check_kind_visible(PUBLIC, Kind.VICTIM)
    Traceback (most recent call last):
    ...
    minewatch.errors.NotFound: no collection victim
    """
    if kind in INTERNAL_KINDS and actor.role is Role.PUBLIC:
        raise NotFound(f"no collection {kind.value}")


def publishable_kinds() -> list[Kind]:
    """Kinds that may appear in public outputs (OGC API Features, public exports).

    Examples
    --------
    >>> Kind.VICTIM in publishable_kinds(), Kind.HAZARDOUS_AREA in publishable_kinds()
    (False, True)
    """
    return [k for k in Kind if k not in INTERNAL_KINDS]


def disclose_records(
    actor: Actor,
    records: Sequence[Record],
    audit: AuditFn | None,
    *,
    check_kind: bool = True,
) -> list[Record]:
    """The records as ``actor`` may see them; reads of personal data are audited.

    Examples
    --------
    >>> from minewatch.domain.access import Actor
    >>> from minewatch.domain.records import Victim
    >>> victims = [Victim(code="VIC-000001", name="Synthetic Name", age=40)]
    >>> reviewer = Actor("rev", Role.REVIEWER)
    >>> [(v.name, v.age) for v in disclose_records(reviewer, victims, audit=None)]
    [(None, 40)]
    >>> audited = []
    >>> medic = Actor("medic", Role.DATA_WORKER, "ORG-1", personal_data=True)
    >>> def audit(actor, action, target, **detail):
    ...     audited.append((action, target, detail))
    >>> [v.name for v in disclose_records(medic, victims, audit)]
    ['Synthetic Name']
    >>> audited
    [('read_personal_data', 'victim', {'codes': ['VIC-000001']})]
    """
    if not records:
        return []
    kind = records[0].kind
    if check_kind:
        check_kind_visible(actor, kind)
    hidden = personal_fields(type(records[0]))
    if not hidden:
        return list(records)
    if not can_view_personal_data(actor):
        return [redact(r) for r in records]
    shown = [r.code for r in records if any(getattr(r, f) is not None for f in hidden)]
    if shown and audit is not None:
        audit(actor, "read_personal_data", f"{kind.value}", codes=shown)
    return list(records)


def _personal_keys(report: Report) -> frozenset[str]:
    return personal_fields(record_type(report.kind))


def disclose_reports(
    actor: Actor, reports: Sequence[Report], audit: AuditFn | None
) -> list[Report]:
    """Reports as ``actor`` may see them: personal values in their changes blanked unless
    granted; reads of those values are audited.

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.domain.access import Actor
    >>> report = Report(kind=Kind.VICTIM, code="RPT-000009", date_of_information=date(2024, 8, 1),
    ...                 changes={"name": "Synthetic Name", "sex": "female"})
    >>> [r.changes for r in disclose_reports(Actor("rev", Role.REVIEWER), [report], audit=None)]
    [{'name': None, 'sex': 'female'}]
    """
    out: list[Report] = []
    shown: list[str] = []
    allowed = can_view_personal_data(actor)
    for report in reports:
        present = [k for k in _personal_keys(report) if report.changes.get(k) is not None]
        if not present:
            out.append(report)
        elif allowed:
            shown.append(report.code or str(report.id))
            out.append(report)
        else:
            changes = {**report.changes, **dict.fromkeys(present)}
            out.append(dataclasses.replace(report, changes=changes))
    if shown and audit is not None:
        audit(actor, "read_personal_data", "report", codes=shown)
    return out


def keep_hidden_values(actor: Actor, stored: Report, changes: Mapping[str, Any]) -> dict[str, Any]:
    """An edit's new changes with the personal values the editor could not see carried over,
    so that saving a form with blanked fields never erases what it did not show.

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.domain.access import Actor
    >>> stored = Report(kind=Kind.VICTIM, date_of_information=date(2024, 8, 1),
    ...                 changes={"name": "Synthetic Name", "age": 40})
    >>> keep_hidden_values(Actor("rev", Role.REVIEWER), stored, {"name": None, "age": 41})
    {'age': 41, 'name': 'Synthetic Name'}
    """
    if can_view_personal_data(actor):
        return dict(changes)
    kept = {k: stored.changes[k] for k in _personal_keys(stored) if k in stored.changes}
    return {**{k: v for k, v in changes.items() if k not in kept}, **kept}


def withheld_fields(actor: Actor, kind: Kind | str) -> frozenset[str]:
    """The fields of ``kind`` blanked for ``actor``: shown as withheld, never compared
    (a blank on both sides would read as "unchanged", whatever the values are).

    Examples
    --------
    >>> from minewatch.domain.access import Actor
    >>> sorted(withheld_fields(Actor("rev", Role.REVIEWER), "victim"))
    ['contact', 'extra', 'medical_details', 'name']
    >>> withheld_fields(Actor("medic", Role.REVIEWER, personal_data=True), "victim")
    frozenset()
    >>> withheld_fields(Actor("rev", Role.REVIEWER), "hazardous_area")
    frozenset()
    """
    if can_view_personal_data(actor):
        return frozenset()
    return frozenset(personal_fields(record_type(Kind(kind))))
