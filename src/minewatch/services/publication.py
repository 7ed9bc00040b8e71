"""What the authority publishes: approved items of public kinds, as anyone may see them.

OGC API Features and public exports read through here, so they can only ever hand out the
store's approved current state, filtered for the public by
:mod:`minewatch.services.disclosure` (kinds holding personal data are refused outright).

>>> from datetime import date
>>> from shapely import box
>>> from minewatch.domain.access import local_admin
>>> from minewatch.domain.reports import ReportState
>>> from minewatch.services.records import Draft, Workflow
>>> from minewatch.store import open_store
>>> store = open_store(str(tmp / "demo.gpkg"), create=True)
>>> areas = [Draft(Kind.HAZARDOUS_AREA, {"status": "open"}, date(2024, 5, 1),
...                box(30 + i / 100, -1, 30.005 + i / 100, -0.995)) for i in range(3)]
>>> _ = Workflow(store, local_admin()).create_drafts(areas, state=ReportState.APPROVED)
>>> records, matched = published_page(store, ItemQuery(Kind.HAZARDOUS_AREA, limit=2))
>>> [r.code for r in records], matched
(['HA-000001', 'HA-000002'], 3)
>>> published_page(store, ItemQuery(Kind.VICTIM))
Traceback (most recent call last):
...
minewatch.errors.NotFound: victim is not published
"""

from __future__ import annotations

from minewatch.domain.access import PUBLIC
from minewatch.domain.records import Kind, Record
from minewatch.domain.schema import clean_code
from minewatch.errors import NotFound
from minewatch.services.disclosure import INTERNAL_KINDS, disclose_records, guard_query
from minewatch.store.base import ItemQuery, Repository


def published_page(store: Repository, query: ItemQuery) -> tuple[list[Record], int]:
    """One page of published items and how many match in all.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> records, matched = published_page(store, ItemQuery(Kind.ACCIDENT, limit=3))
    >>> [r.code for r in records], matched
    (['ACC-000001', 'ACC-000002', 'ACC-000003'], 10)
    """
    if query.kind in INTERNAL_KINDS:
        raise NotFound(f"{query.kind.value} is not published")
    guard_query(PUBLIC, query, None)
    records, matched = store.query_items_counted(query)
    return disclose_records(PUBLIC, records, None), matched


def published_item(store: Repository, kind: Kind, ref: str) -> Record:
    """One published item by code or id; NotFound if it is not published.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> published_item(store, Kind.HAZARDOUS_AREA, "HA-000001").status
    <HazardStatus.OPEN: 'open'>
    >>> published_item(store, Kind.VICTIM, "VIC-000001")
    Traceback (most recent call last):
    ...
    minewatch.errors.NotFound: victim is not published
    """
    if kind in INTERNAL_KINDS:
        raise NotFound(f"{kind.value} is not published")
    return disclose_records(PUBLIC, [store.get_item(kind, clean_code(ref))], None)[0]
