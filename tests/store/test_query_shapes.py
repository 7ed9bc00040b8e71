"""Item queries reuse one statement per query shape, with the values bound as parameters:
queries of the same shape with other values must get their own answers, on both backends
(synthetic data)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from shapely import box

from minewatch.domain.records import HazardousArea, HazardStatus, Kind
from minewatch.store import ItemQuery, SqlRepository


@pytest.fixture
def squares(store: SqlRepository) -> SqlRepository:
    """Seven 0.5° squares along the equator, 1° apart, alternately open and closed, dated
    one day apart."""
    store.put_items(
        [
            HazardousArea(
                code=f"HA-{i:06d}",
                version=1,
                geometry=box(i, 0, i + 0.5, 0.5),
                status=HazardStatus.OPEN if i % 2 else HazardStatus.CLOSED,
                date_of_information=date(2025, 1, i),
            )
            for i in range(1, 8)
        ]
    )
    return store


def _codes(store: SqlRepository, **query: object) -> list[str]:
    return [r.code for r in store.query_items(ItemQuery(Kind.HAZARDOUS_AREA, **query))]  # type: ignore[arg-type]


def test_same_shape_other_values_other_answers(squares: SqlRepository) -> None:
    for i in range(1, 8):  # near: each square's centre finds that square only
        assert _codes(squares, near=(i + 0.25, 0.25, 1000.0)) == [f"HA-{i:06d}"]
    assert _codes(squares, near=(50.0, 0.25, 1000.0)) == []
    assert _codes(squares, bbox=(2.6, 0, 4.2, 1)) == ["HA-000003", "HA-000004"]
    assert _codes(squares, bbox=(5.6, 0, 6.2, 1)) == ["HA-000006"]
    assert _codes(squares, where={"status": "open"}) == [
        "HA-000001",
        "HA-000003",
        "HA-000005",
        "HA-000007",
    ]
    assert _codes(squares, where={"status": ["closed"]}) == ["HA-000002", "HA-000004", "HA-000006"]
    assert _codes(squares, codes=["HA-000002"]) == ["HA-000002"]
    assert _codes(squares, codes=["HA-000005", "HA-000001", "HA-000009"]) == [
        "HA-000001",
        "HA-000005",
    ]
    assert _codes(squares, date_from=date(2025, 1, 6)) == ["HA-000006", "HA-000007"]
    assert _codes(squares, date_to=date(2025, 1, 2)) == ["HA-000001", "HA-000002"]


def test_filters_combine_and_count(squares: SqlRepository) -> None:
    query = ItemQuery(
        Kind.HAZARDOUS_AREA, where={"status": "open"}, bbox=(0, 0, 4.6, 1), limit=1, offset=1
    )
    assert [r.code for r in squares.query_items(query)] == ["HA-000003"]
    assert squares.count_items(query) == 2
    near = ItemQuery(Kind.HAZARDOUS_AREA, near=(3.75, 0.25, 30_000.0), where={"status": "closed"})
    assert [r.code for r in squares.query_items(near)] == ["HA-000004"]
    assert squares.count_items(near) == 1


def test_pages_of_one_shape(squares: SqlRepository) -> None:
    every = [f"HA-{i:06d}" for i in range(1, 8)]
    for offset, limit in ((0, None), (0, 2), (2, 3), (5, None), (6, 10), (9, None), (3, 0)):
        query = ItemQuery(Kind.HAZARDOUS_AREA, offset=offset, limit=limit)
        end = None if limit is None else offset + limit
        assert [r.code for r in squares.query_items(query)] == every[offset:end]
        records, matched = squares.query_items_counted(query)
        assert [r.code for r in records] == every[offset:end]
        assert matched == 7


def test_compiled_reads_equal_sqlalchemy_reads(squares: SqlRepository) -> None:
    """Outside a write transaction a kept statement runs as compiled SQL on a connection of
    its own (store/sql/prepared.py); inside one it runs through SQLAlchemy. Both must give the
    same records, field for field, for every filter the compiled path takes."""
    queries = [
        ItemQuery(Kind.HAZARDOUS_AREA, near=(3.25, 0.25, 1000.0)),
        ItemQuery(Kind.HAZARDOUS_AREA, bbox=(2.6, 0, 6.2, 1), limit=2, offset=1),
        ItemQuery(Kind.HAZARDOUS_AREA, date_from=date(2025, 1, 3), date_to=date(2025, 1, 6)),
        ItemQuery(Kind.HAZARDOUS_AREA, where={"status": "open"}),  # IN list: SQLAlchemy's
    ]
    for query in queries:
        lean = squares.query_items(query)
        lean_page = squares.query_items_counted(query)
        lean_count = squares.count_items(query)
        with squares.transaction():
            assert squares.query_items(query) == lean
            assert squares.query_items_counted(query) == lean_page
            assert squares.count_items(query) == lean_count
        whole = dataclasses.replace(query, limit=None, offset=0)
        assert lean and lean_count == len(squares.query_items(whole))
    assert any(p is not None for p in squares._compiled.values())  # the compiled path ran
