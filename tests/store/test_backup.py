"""Backups taken while the store is in use, restored and compared table by table, on both
backends; the GeoPackage's durability setting (synthetic records and accounts)."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from shapely.geometry import Point, box
from typer.testing import CliRunner

import minewatch.cli
from minewatch.domain.access import local_admin
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.errors import InvalidInput
from minewatch.services.accounts import Accounts
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.operations import backup_store, restore_store
from minewatch.services.records import Draft
from minewatch.store import SqlRepository, open_store
from minewatch.store.accounts import AuditEntry
from minewatch.store.geopackage import sqlite_path


def filled(url: str) -> SqlRepository:
    repo = open_store(url, create=True)
    accounts = Accounts(repo)
    accounts.create_admin("ines", "a long passphrase")
    AuditedWorkflow(repo, local_admin("ines"), accounts).create_drafts(
        [Draft(Kind.ORGANISATION, {"name": f"Org {i}"}, date(2024, 1, i + 1)) for i in range(3)]
        + [
            Draft(
                Kind.HAZARDOUS_AREA, {"name": "Field"}, date(2024, 2, 1), box(30, 1, 30.01, 1.01)
            ),
            Draft(Kind.DEVICE_FIND, {}, date(2024, 2, 2), Point(30.005, 1.005)),
        ],
        state=ReportState.APPROVED,
    )
    return repo


def every_table(repo: SqlRepository) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the store, rows in a fixed order (for SQLite, GeoPackage's own tables
    and the R-tree indexes too)."""
    if repo.dialect == "sqlite":
        listing = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    else:
        listing = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
    with repo.engine.connect() as conn:
        names = list(conn.exec_driver_sql(listing).scalars())
        return {
            name: sorted(
                (tuple(map(repr, row)) for row in conn.exec_driver_sql(f'SELECT * FROM "{name}"')),
            )
            for name in names
        }


def test_backup_and_restore_give_back_every_table(store_url: str, tmp_path: Path) -> None:
    repo = filled(store_url)
    before = every_table(repo)
    assert before["audit_log"] and before["report"] and before["hazardous_area"]
    repo.close()
    backup_file = tmp_path / "backup.dump"
    taken = backup_store(store_url, backup_file)
    assert taken.audit.intact and taken.audit.entries == len(before["audit_log"])
    if store_url.startswith("postgresql"):
        # Disaster: the schema is gone. The dump brings it back, under the same name.
        with pytest.raises(InvalidInput, match="pg_restore failed"):
            restore_store(backup_file, store_url)  # the schema is still there
        later = open_store(store_url)
        Accounts(later).audit("ines", "login")  # a change after the backup ...
        later.close()
        assert restore_store(backup_file, store_url, replace=True).audit.intact
        replaced = open_store(store_url)
        assert every_table(replaced) == before  # ... is gone with the replaced schema
        replaced.close()
        engine = sa.create_engine(open_store(store_url).engine.url)
        with engine.begin() as conn:
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()
        target = store_url
    else:
        with pytest.raises(InvalidInput, match="a store exists here already"):
            restore_store(backup_file, store_url)
        later = open_store(store_url)
        Accounts(later).audit("ines", "login")
        later.close()
        assert restore_store(backup_file, store_url, replace=True).audit.intact
        replaced = open_store(store_url)
        assert every_table(replaced) == before
        replaced.close()
        target = f"sqlite:///{tmp_path / 'restored.gpkg'}"
    restored = restore_store(backup_file, target)
    assert restored.audit.intact and restored.audit.head == taken.audit.head
    copy = open_store(target)
    assert every_table(copy) == before
    copy.close()


def test_a_backup_taken_while_writers_append_is_consistent(store_url: str, tmp_path: Path) -> None:
    repo = filled(store_url)
    stop = threading.Event()

    def write() -> None:
        accounts = Accounts(repo)
        while not stop.is_set():
            accounts.store.append_audit([AuditEntry("busy", "x", str(i)) for i in range(20)])

    writer = threading.Thread(target=write)
    writer.start()
    try:
        copies = [backup_store(store_url, tmp_path / f"b{i}.dump") for i in range(3)]
    finally:
        stop.set()
        writer.join()
    assert all(c.audit.intact for c in copies)
    if repo.dialect == "sqlite":
        assert len({c.audit.entries for c in copies}) > 1  # the writer kept going
    repo.close()


def test_synchronous_full_is_a_choice_of_the_store_url(tmp_path: Path) -> None:
    path = tmp_path / "s.gpkg"

    def synchronous(url: str) -> int:
        repo = open_store(url, create=True)
        with repo.engine.connect() as conn:
            value = int(conn.exec_driver_sql("PRAGMA synchronous").scalar() or -1)
        repo.close()
        return value

    assert synchronous(str(path)) == 1  # NORMAL
    assert synchronous(f"sqlite:///{path}?synchronous=full") == 2
    assert synchronous(f"sqlite:///{path}?synchronous=EXTRA") == 3
    assert sqlite_path(f"sqlite:///{path}?synchronous=full") == path
    for bad in ("?synchronous=off", "?sync=full"):
        with pytest.raises(InvalidInput, match="synchronous"):
            open_store(f"sqlite:///{path}{bad}")


def test_backup_and_restore_commands(tmp_path: Path) -> None:
    filled(str(tmp_path / "s.gpkg")).close()
    minewatch.cli._register_commands()

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(minewatch.cli.app, list(args))
        return result.exit_code, result.output

    code, out = run("backup", "--store", str(tmp_path / "s.gpkg"), str(tmp_path / "b.gpkg"))
    assert code == 0 and "audit log intact, 6 entries" in out, out
    code, out = run("restore", str(tmp_path / "b.gpkg"), "--store", str(tmp_path / "r.gpkg"))
    assert code == 0 and "audit log intact, 6 entries" in out, out
    code, out = run("restore", str(tmp_path / "b.gpkg"), "--store", str(tmp_path / "r.gpkg"))
    assert code != 0
