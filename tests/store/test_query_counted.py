"""Repository.query_items_counted: a page and the total in one statement, on both backends
(synthetic data)."""

from __future__ import annotations

from shapely import box

from minewatch.domain.records import HazardousArea, Kind
from minewatch.store import ItemQuery, SqlRepository


def test_page_and_total_agree_with_separate_queries(store: SqlRepository) -> None:
    store.put_items(
        [
            HazardousArea(code=f"HA-{i:06d}", version=1, geometry=box(i, 0, i + 0.5, 0.5))
            for i in range(1, 8)
        ]
    )
    for query in (
        ItemQuery(Kind.HAZARDOUS_AREA, limit=3),
        ItemQuery(Kind.HAZARDOUS_AREA, limit=3, offset=6),
        ItemQuery(Kind.HAZARDOUS_AREA, limit=3, offset=50),
        ItemQuery(Kind.HAZARDOUS_AREA, bbox=(2.2, 0, 4.2, 1), limit=1),
        ItemQuery(Kind.HAZARDOUS_AREA, bbox=(100, 0, 101, 1), limit=5),
        ItemQuery(Kind.HAZARDOUS_AREA, near=(3.25, 0.25, 1000.0), limit=5),
    ):
        records, matched = store.query_items_counted(query)
        assert [r.code for r in records] == [r.code for r in store.query_items(query)]
        assert matched == store.count_items(query), query
        assert all(r.geometry is not None for r in records)
