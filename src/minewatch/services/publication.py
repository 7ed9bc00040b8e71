"""What the authority publishes: approved items of public kinds, as anyone may see them.

OGC API Features and public exports read through here, so they can only ever hand out the
store's approved current state, filtered for the public by
:mod:`minewatch.services.disclosure` (kinds holding personal data are refused outright).

>>> records, matched = published_page(store, ItemQuery(Kind.HAZARDOUS_AREA, limit=10))  # doctest: +SKIP
"""

from __future__ import annotations

from minewatch.domain.access import PUBLIC
from minewatch.domain.records import Kind, Record
from minewatch.errors import NotFound
from minewatch.services.disclosure import INTERNAL_KINDS, disclose_records
from minewatch.store.base import ItemQuery, Repository


def published_page(store: Repository, query: ItemQuery) -> tuple[list[Record], int]:
    """One page of published items and how many match in all.

    A first page that is not full holds every match, so counting is skipped then."""
    if query.kind in INTERNAL_KINDS:
        raise NotFound(f"{query.kind.value} is not published")
    records = disclose_records(PUBLIC, store.query_items(query), None)
    if query.offset == 0 and (query.limit is None or len(records) < query.limit):
        return records, len(records)
    return records, store.count_items(query)


def published_item(store: Repository, kind: Kind, ref: str) -> Record:
    """One published item by code or id; NotFound if it is not published."""
    if kind in INTERNAL_KINDS:
        raise NotFound(f"{kind.value} is not published")
    return disclose_records(PUBLIC, [store.get_item(kind, ref)], None)[0]
