"""The bulk write path (imports, migrations) on both stores: a batch large enough that the
GeoPackage rebuilds its secondary indexes after the insert leaves the same schema and the same
answers as small batches, reports keep each row's values and source row, and a failure while
the indexes are down leaves nothing written and every index in place."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import shapely
import sqlalchemy as sa

from minewatch.domain.access import local_admin
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.errors import Location
from minewatch.services.records import DraftBatch, Workflow
from minewatch.store import ItemQuery, SqlRepository
from minewatch.store import geopackage as geopackage_module
from minewatch.store.geopackage import REBUILD_MIN_ROWS, GeoPackageStore


def _finds(n: int, first: int = 0) -> DraftBatch:
    rows = range(first, first + n)
    return DraftBatch(
        Kind.DEVICE_FIND,
        {
            "category": ["ap_mine" if i % 3 else "uxo" for i in rows],
            "depth_cm": [float(i % 40) if i % 5 else None for i in rows],
            "condition": ["live"] * n,
        },
        shapely.points(30 + np.arange(first, first + n) * 1e-4, np.full(n, 50.0)),
        [date(2024, 5, 1)] * n,
        [Location("finds.gpkg", i + 1) for i in rows],
        external_ids=[f"finds:{(i * 7919) % 100_003}" for i in rows],  # not in file order
        sources=["finds.gpkg"] * n,
    )


def _indexes(store: SqlRepository) -> dict[str, list[tuple[str, tuple[str, ...], bool]]]:
    inspector = sa.inspect(store.engine)
    return {
        table: sorted(
            (i["name"] or "", tuple(str(c) for c in i["column_names"]), bool(i["unique"]))
            for i in inspector.get_indexes(table)
        )
        for table in ("report", Kind.DEVICE_FIND.value)
    }


def test_large_batches_keep_indexes_values_and_source_rows(store: SqlRepository) -> None:
    workflow = Workflow(store, local_admin())
    indexes = _indexes(store)
    n = REBUILD_MIN_ROWS + 200
    first = workflow.create_batch(_finds(n), state=ReportState.APPROVED)
    second = workflow.create_batch(_finds(300, first=n), state=ReportState.APPROVED)
    assert _indexes(store) == indexes
    assert store.count_items(ItemQuery(Kind.DEVICE_FIND)) == n + 300
    report = store.get_report(first.report_codes[4])
    assert report.changes == {"category": "ap_mine", "depth_cm": 4.0, "condition": "live"}
    assert (report.source, report.external_id) == ("finds.gpkg", "finds:31676")
    blank = store.get_report(second.report_codes[0])
    assert blank.changes["depth_cm"] is None and blank.changes["category"] == "uxo"
    found = store.find_reports_by_external_id(Kind.DEVICE_FIND, ["finds:31676", "finds:0"])
    assert found["finds:31676"].code == first.report_codes[4]
    near = store.query_items(ItemQuery(Kind.DEVICE_FIND, bbox=(30.0999, 49.9, 30.10005, 50.1)))
    assert [item.code for item in near] == [first.item_codes[999], first.item_codes[1000]]


def test_a_failure_with_the_indexes_down_writes_nothing(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = GeoPackageStore(f"sqlite:///{tmp_path}/failing.gpkg")
    store.migrate()
    workflow = Workflow(store, local_admin())
    indexes = _indexes(store)

    def broken(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(geopackage_module.gpkg, "encode_geometries", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        workflow.create_batch(_finds(REBUILD_MIN_ROWS), state=ReportState.APPROVED)
    assert _indexes(store) == indexes
    assert store.count_items(ItemQuery(Kind.DEVICE_FIND)) == 0
    assert store.report_counts() == {}
    store.close()
