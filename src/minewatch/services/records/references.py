"""Codes that must name an existing item: every record field declared ``reference(kind)``
(an area's ``organisation_code`` and ``location_code``, a find's ``hazardous_area_code``, a
release product's ``activity_code``, a victim's ``accident_code`` …) and a user's organisation.

What counts as existing: an item of the referred kind in the store, or, for records, one
whose creating report is still in the workflow (draft or submitted), so that a data worker
who enters a new operator and then its first hazardous area need not wait for a reviewer; a
rejected report names nothing. Reports written earlier in the same transaction count
(``create_drafts`` writes a call's kinds in the order they first appear).
A user's organisation must be an item: access rights hang on it.

>>> from datetime import date
>>> from minewatch.domain.access import local_admin
>>> from minewatch.services.records import Workflow
>>> from minewatch.store import open_store
>>> store = open_store(str(tmp / "refs.gpkg"), create=True)
>>> wf = Workflow(store, local_admin())
>>> org = wf.create_draft(Kind.ORGANISATION, {"name": "Synthetic NGO"},
...                       date_of_information=date(2024, 5, 1)).item_code
>>> unknown_organisations(store, [org, "ORG-404", None])
['ORG-404']
>>> unknown_organisations(store, [org], pending=False)   # a draft is not yet an item
['ORG-000001']
>>> unknown_codes(store, "hazardous_area", ["HA-000001"])
['HA-000001']
>>> unknown_organisations(store, [" ORG\u200f-000001\ufeff"])   # invisible marks name it too
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import Kind, TaskOrder, TaskStatus
from minewatch.domain.schema import clean_code, data_fields
from minewatch.domain.text import Message, Term
from minewatch.store.base import Repository

#: Why a reference field's code is refused (the kind by its label in the reader's language).
_NO_SUCH = "no {kind} has the code {code!r}"


def reference_fields(kind: Kind | str) -> dict[str, Kind]:
    """The fields of ``kind`` that hold another item's code, and the kind they name.

    >>> sorted(reference_fields("device_find"))
    ['activity_code', 'hazardous_area_code']
    >>> reference_fields("victim")
    {'accident_code': <Kind.ACCIDENT: 'accident'>}
    """
    return {n: Kind(s.refers_to) for n, s in data_fields(kind).items() if s.refers_to}


def organisation_fields(kind: Kind | str) -> list[str]:
    """The fields of ``kind`` that hold an organisation's code.

    >>> organisation_fields("hazardous_area"), organisation_fields("victim")
    (['organisation_code'], [])
    """
    return [n for n, k in reference_fields(kind).items() if k is Kind.ORGANISATION]


def unknown_codes(
    store: Repository, kind: Kind | str, codes: Iterable[str | None], *, pending: bool = True
) -> list[str]:
    """The codes among ``codes`` (blanks ignored) that name no item of ``kind``, sorted.

    With ``pending``, an item whose creating report is a draft or submitted counts.

    >>> from minewatch.store import open_store
    >>> unknown_codes(open_store(str(tmp / "none.gpkg"), create=True), "location", ["LOC-1", ""])
    ['LOC-1']
    """
    kind = Kind(kind)
    wanted = {clean_code(str(c)) for c in codes if c is not None} - {""}
    if not wanted:
        return []
    return sorted(wanted - store.existing_codes(kind, sorted(wanted), pending=pending))


def unknown_organisations(
    store: Repository, codes: Iterable[str | None], *, pending: bool = True
) -> list[str]:
    """The codes among ``codes`` (blanks ignored) that name no organisation, sorted.

    >>> from minewatch.store import open_store
    >>> unknown_organisations(open_store(str(tmp / "none.gpkg"), create=True), ["ORG-1", ""])
    ['ORG-1']
    """
    return unknown_codes(store, Kind.ORGANISATION, codes, pending=pending)


def unknown_reference_rows(
    store: Repository, kind: Kind | str, columns: Mapping[str, Sequence[Any]]
) -> list[tuple[int, str, Message]]:
    """(row, field, message) for each row whose reference fields name an item that does not
    exist, sorted (rows count from 0).

    >>> from minewatch.store import open_store
    >>> store = open_store(str(tmp / "rows.gpkg"), create=True)
    >>> [(row, name, str(why)) for row, name, why in unknown_reference_rows(
    ...     store, "hazardous_area", {"organisation_code": [None, "ORG-9"]})]
    [(1, 'organisation_code', "no organisation has the code 'ORG-9'")]
    >>> [(row, name, str(why)) for row, name, why in unknown_reference_rows(
    ...     store, "task_order", {"hazardous_area_codes": [("HA-8", "HA-9")]})]
    [(0, 'hazardous_area_codes', "no hazardous area has the code 'HA-8'"), (0, 'hazardous_area_codes', "no hazardous area has the code 'HA-9'")]
    """
    out = []
    specs = data_fields(kind)
    for name, referred in reference_fields(kind).items():
        values = columns.get(name)
        if values is None:
            continue
        # A field of several codes (a task order's areas) holds a tuple per row.
        per_row = [list(v or ()) if specs[name].many else [v] for v in values]
        unknown = set(unknown_codes(store, referred, [c for codes in per_row for c in codes]))
        what = Term.of(referred)
        for row, codes in enumerate(per_row):
            for value in codes:
                text = clean_code(str(value)) if value is not None else ""
                if text in unknown:
                    out.append((row, name, Message(_NO_SUCH, kind=what, code=text)))
    return sorted(out, key=lambda found: found[:2])


def task_mismatch_rows(
    store: Repository, kind: Kind | str, columns: Mapping[str, Sequence[Any]]
) -> list[tuple[int, str, Message]]:
    """(row, field, message) for each activity that names a task order it cannot fulfil: the
    task was cancelled, or the activity's hazardous area is not one of the task's areas (a
    task still awaiting approval is not checked yet; rows count from 0).

    >>> from minewatch.store import open_store
    >>> store = open_store(str(tmp / "tasks.gpkg"), create=True)
    >>> store.put_items([TaskOrder(code="TSK-000001", hazardous_area_codes=("HA-000001",)),
    ...     TaskOrder(code="TSK-000002", hazardous_area_codes=("HA-000002",),
    ...               status=TaskStatus.CANCELLED)])
    >>> [(row, name, str(why)) for row, name, why in task_mismatch_rows(store,
    ...     "land_release_activity", {
    ...     "task_order_code": ["TSK-000001", "TSK-000001", "TSK-000002", None],
    ...     "hazardous_area_code": ["HA-000001", "HA-000009", "HA-000002", "HA-000009"]})]
    [(1, 'hazardous_area_code', 'task order TSK-000001 is for HA-000001, not HA-000009'), (2, 'task_order_code', 'task order TSK-000002 was cancelled')]
    """
    tasks_named = columns.get("task_order_code")
    if Kind(kind) is not Kind.LAND_RELEASE_ACTIVITY or tasks_named is None:
        return []
    areas = columns.get("hazardous_area_code") or [None] * len(tasks_named)
    wanted = sorted({clean_code(str(c)) for c in tasks_named if c} - {""})
    if not wanted:
        return []
    tasks = {
        t.code: t
        for t in store.query_items(ItemQuery(Kind.TASK_ORDER, codes=wanted))
        if isinstance(t, TaskOrder)
    }
    out = []
    for row, (code, area) in enumerate(zip(tasks_named, areas, strict=True)):
        task = tasks.get(clean_code(str(code))) if code else None
        if task is None:
            continue  # none named, or still in the workflow (unknown codes are refused above)
        if task.status is TaskStatus.CANCELLED:
            cancelled = Message("task order {code} was cancelled", code=task.code)
            out.append((row, "task_order_code", cancelled))
        elif area and task.hazardous_area_codes and area not in task.hazardous_area_codes:
            elsewhere = Message(
                "task order {code} is for {areas}, not {area}",
                code=task.code,
                areas=", ".join(task.hazardous_area_codes),
                area=area,
            )
            out.append((row, "hazardous_area_code", elsewhere))
    return out
