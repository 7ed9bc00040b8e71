"""Later Data Entry Forms of one item: IMSMA NG keeps every form reconciled to an item, so an
export may name an item in several forms, each with its own Date of Information. With
``repeated_key = "later_report"`` (proposed for maXML sources whose keys repeat) the first
row of a key creates the item and each later one lands as an approved report updating it:
its own date, the fields it gives (a blank changes nothing), its own ``extra``, its own
external id (``TABLE:KEY#2`` …) so a re-run skips it. Elsewhere a repeated key is a mistake
and is rejected.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np

from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.domain.text import Message
from minewatch.errors import Location
from minewatch.services.records import Draft, DraftBatch, Rejection, Workflow


def occurrences(keys: Sequence[str | None], dois: Sequence[date] | None = None) -> dict[int, int]:
    """Rows whose key an earlier row has — earlier by Date of Information, then by place in
    the file: row → which occurrence of the key it is (2, 3 …).

    Examples
    --------
    >>> occurrences(["A", "B", "A", None, "A"])
    {2: 2, 4: 3}
    >>> occurrences(["A", "A"], [date(2018, 6, 1), date(2014, 3, 14)])  # the earliest creates
    {0: 2}
    """
    seen: Counter[str] = Counter()
    out = {}
    order = sorted(range(len(keys)), key=lambda i: (dois[i], i) if dois else (date.min, i))
    for i in order:
        key = keys[i]
        if key is None:
            continue
        seen[key] += 1
        if seen[key] > 1:
            out[i] = seen[key]
    return out


def _given(value: Any) -> bool:
    if value is None or (isinstance(value, float) and value != value):
        return False
    return not (isinstance(value, list | dict | tuple) and not value)


def check_later(
    workflow: Workflow,
    kind: Kind,
    rows: list[int],
    columns: Mapping[str, list[Any]],
    geometries: np.ndarray,
    dois: list[date],
    locations: list[Location],
    external_ids: list[str | None],
    sources: list[str | None],
    rejected: dict[int, Rejection],
) -> list[int]:
    """Validate later forms as any row is validated; the rows that passed (the others are
    added to ``rejected``).

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> workflow = Workflow(open_store(str(tmp / "later.gpkg"), create=True), local_admin())
    >>> forms = ({"status": ["open", "mined?"]}, np.full(2, None, dtype=object),
    ...          [date(2014, 3, 14)] * 2, [Location(row=1), Location(row=2)],
    ...          ["Hazard:A#2", "Hazard:A#3"], [None, None])
    >>> rejected = {}
    >>> check_later(workflow, Kind.HAZARDOUS_AREA, [0, 1], *forms, rejected), list(rejected)
    ([0], [1])
    """
    if not rows:
        return []
    batch = DraftBatch(
        kind, dict(columns), geometries, dois, locations, external_ids, sources
    ).take(rows)
    checked = workflow.validate_batch(batch, state=ReportState.APPROVED)
    for row, rejection in checked.rejected_rows.items():
        rejected[rows[row]] = rejection
    return [i for n, i in enumerate(rows) if n not in checked.rejected_rows]


def land_later(
    workflow: Workflow,
    kind: Kind,
    rows: list[int],
    keys: list[str | None],
    item_codes: Mapping[str, str],
    columns: Mapping[str, list[Any]],
    geometries: np.ndarray,
    dois: list[date],
    locations: list[Location],
    external_ids: list[str | None],
    sources: list[str | None],
    rejected: dict[int, Rejection],
) -> int:
    """Land each checked later form as an approved report updating its item (``item_codes``:
    key → the code of the item its first form created); how many landed.

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> workflow = Workflow(open_store(str(tmp / "later2.gpkg"), create=True), local_admin())
    >>> first = workflow.create_drafts([Draft(Kind.HAZARDOUS_AREA, {"status": "open"},
    ...     date(2014, 3, 14))], state=ReportState.APPROVED)[0]
    >>> forms = ({"status": ["closed"]}, np.full(1, None, dtype=object), [date(2018, 6, 1)],
    ...          [Location(row=2)], ["Hazard:A#2"], [None])
    >>> land_later(workflow, Kind.HAZARDOUS_AREA, [0], ["A"], {"A": first.item_code}, *forms, {})
    1
    >>> workflow.store.get_item("hazardous_area", first.item_code).status.value
    'closed'
    """
    drafts, where = [], []
    for i in sorted(rows, key=lambda r: (dois[r], r)):
        code = item_codes.get(keys[i] or "")
        if code is None:
            rejected[i] = Rejection(
                locations[i],
                Message(
                    "the first row of key {key!r} did not land, so this later one cannot",
                    key=keys[i],
                ),
            )
            continue
        changes = {c: v[i] for c, v in columns.items() if _given(v[i])}
        drafts.append(
            Draft(kind, changes, dois[i], geometries[i], code, None, sources[i], external_ids[i])
        )
        where.append(locations[i])
    if drafts:
        workflow.create_drafts(drafts, state=ReportState.APPROVED, where=where)
    return len(drafts)
