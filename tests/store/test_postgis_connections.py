"""The PostGIS backend's connections: reads cost one round trip (no ping, no BEGIN/ROLLBACK
per query), and a pooled connection the server dropped while it sat idle is replaced
rather than failing the next request; the same for the connections kept for the compiled
hot reads (store/sql/prepared.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from shapely import box

from minewatch.domain.records import HazardousArea, Kind
from minewatch.store import ItemQuery, open_store
from minewatch.store import postgis as postgis_module


def _one_area(url: str) -> postgis_module.PostGISStore:
    store = open_store(url, create=True)
    assert isinstance(store, postgis_module.PostGISStore)
    store.put_items([HazardousArea(code="HA-000001", version=1, geometry=box(0, 0, 1, 1))])
    return store


def test_reads_run_outside_any_transaction(postgis_url: str) -> None:
    store = _one_area(postgis_url)
    try:
        with store.read_engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
            raw = conn.connection.dbapi_connection
            assert raw is not None
            assert raw.autocommit
            assert raw.info.transaction_status.name == "IDLE"  # no transaction left open
        assert [r.code for r in store.query_items(ItemQuery(Kind.HAZARDOUS_AREA))] == ["HA-000001"]
        with store.transaction(), store._connection() as conn:  # writes still transact
            raw = conn.connection.dbapi_connection
            assert raw is not None
            assert not raw.autocommit
            assert conn.in_transaction()
    finally:
        store.close()


def test_a_connection_dropped_while_idle_is_replaced(
    postgis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _one_area(postgis_url)
    try:
        store.query_items(ItemQuery(Kind.HAZARDOUS_AREA))  # one connection in the read pool
        with store.read_engine.connect() as conn:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        with sa.create_engine(postgis_module.engine_url(postgis_url)).begin() as admin:
            admin.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        monkeypatch.setattr(postgis_module, "IDLE_CHECK_SECONDS", 0.0)  # it has sat idle
        records = store.query_items(ItemQuery(Kind.HAZARDOUS_AREA))
        assert [r.code for r in records] == ["HA-000001"]
        with store.read_engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() != pid
    finally:
        store.close()


def _lean_pid(store: postgis_module.PostGISStore) -> int:
    assert store._lean_reads is not None
    with store._lean_reads.connection() as raw:
        assert raw.autocommit
        pid = int(raw.execute("SELECT pg_backend_pid()").fetchone()[0])
        assert raw.info.transaction_status.name == "IDLE"
    return pid


def test_a_kept_read_connection_dropped_while_idle_is_replaced(
    postgis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgis_module, "IDLE_CHECK_SECONDS", 0.0)  # every one has sat idle
    store = _one_area(postgis_url)
    try:
        query = ItemQuery(Kind.HAZARDOUS_AREA, bbox=(0.0, 0.0, 2.0, 2.0))
        assert [r.code for r in store.query_items(query)] == ["HA-000001"]
        pid = _lean_pid(store)  # the one connection the query used, back on the stack
        with sa.create_engine(postgis_module.engine_url(postgis_url)).begin() as admin:
            admin.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        assert [r.code for r in store.query_items(query)] == ["HA-000001"]
        assert _lean_pid(store) != pid
    finally:
        store.close()
