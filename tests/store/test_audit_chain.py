"""The audit log cannot be rewritten through SQL (REPLACE, upserts, UPDATE, DELETE,
TRUNCATE) on either backend, and its hash chain shows any entry changed, removed or moved
by someone who could lift those guards (synthetic entries)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

import minewatch.cli
from minewatch.services.audit import verify_audit_log
from minewatch.store import SqlRepository, migrate, open_store
from minewatch.store.accounts import AccountStore, AuditEntry

T0 = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


def fill(store: SqlRepository, n: int = 5) -> AccountStore:
    accounts = AccountStore(store)
    accounts.append_audit(
        [
            AuditEntry(f"user{i}", "edit_report", f"report:RPT-{i:06d}", {"n": i, "é": [1.5]},
                       at=T0 + timedelta(minutes=i))
            for i in range(1, n + 1)
        ]
    )  # fmt: skip
    return accounts


@contextmanager
def guards_lifted(store: SqlRepository) -> Iterator[Callable[[str], None]]:
    """Run SQL as someone who can bypass the log's triggers: the owner of the SQLite file
    (who can drop them) or a PostgreSQL superuser (who can switch them off)."""
    if store.dialect == "sqlite":
        raw = sqlite3.connect(store.engine.url.database or "")
        for name in ("audit_log_no_update", "audit_log_no_delete", "audit_log_no_replace",
                     "audit_log_chain"):  # fmt: skip
            raw.execute(f"DROP TRIGGER {name}")
        yield lambda sql: raw.execute(sql) and None
        raw.commit()
        raw.close()
        return
    with store.engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        yield lambda sql: conn.exec_driver_sql(sql) and None


def problems(store: SqlRepository) -> list[str]:
    return [str(p) for p in verify_audit_log(store).problems]


def test_replace_upsert_update_delete_and_truncate_are_refused(store: SqlRepository) -> None:
    accounts = fill(store)
    last = list(accounts.chained_entries())[-1]
    # A row that satisfies the chain, aimed at entry 1: only the refusal of REPLACE stops it.
    cols = "fid, at, actor, action, target, seq, prev_hash, entry_hash"
    values = f"1, '2024-01-01 00:00:00', 'mallory', 'login', 'x', {last.seq + 1}, " \
             f"'{last.entry_hash}', '{'f' * 64}'"  # fmt: skip
    statements = [
        f"INSERT INTO audit_log ({cols}) VALUES ({values}) "
        "ON CONFLICT (fid) DO UPDATE SET actor = 'mallory'",
        "UPDATE audit_log SET actor = 'mallory' WHERE fid = 1",
        "DELETE FROM audit_log WHERE fid = 1",
    ]
    if store.dialect == "sqlite":
        statements += [
            f"REPLACE INTO audit_log ({cols}) VALUES ({values})",
            f"INSERT OR REPLACE INTO audit_log ({cols}) VALUES ({values})",
        ]
    else:
        statements += ["TRUNCATE audit_log"]
    for sql in statements:
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as c:
            c.exec_driver_sql(sql)
    entries = list(accounts.chained_entries())
    assert [e.actor for e in entries] == [f"user{i}" for i in range(1, 6)]
    assert problems(store) == []


def test_an_entry_out_of_the_chain_is_refused(store: SqlRepository) -> None:
    accounts = fill(store, 2)
    first = next(iter(accounts.chained_entries()))
    for seq, prev in ((3, first.entry_hash), (2, "0" * 64), (9, None)):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as c:
            c.execute(
                sa.insert(accounts.audit).values(
                    at=T0, actor="mallory", action="x", seq=seq, prev_hash=prev,
                    entry_hash="a" * 64,
                )
            )  # fmt: skip


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        ("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3",
         "audit entry 3 (position 3): its content or position does not match its hash "
         "(changed or moved)"),
        ("DELETE FROM audit_log WHERE seq = 2",
         "audit entry 3 (position 3): position 2 is missing before it (removed)"),
        ("UPDATE audit_log SET seq = 0 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3;"
         "UPDATE audit_log SET seq = 3 WHERE seq = 0",
         "audit entry 3 (position 2): it does not link to the entry before it "
         "(removed or reordered)"),
        ("DELETE FROM audit_log WHERE seq IN (2, 3)",
         "audit entry 4 (position 4): positions 2–3 are missing before it (removed)"),
        ("INSERT INTO audit_log (at, actor, action) VALUES ('2024-01-01 00:00:00', 'm', 'x')",
         "audit entry 6 (outside the chain): it has no place in the chain (inserted around "
         "the log's checks)"),
        ("UPDATE audit_log SET fid = fid + 100 WHERE seq = 2",
         "audit entry 3 (position 3): its id is out of order (moved)"),
    ],
)  # fmt: skip
def test_verify_names_a_changed_removed_or_moved_entry(
    store: SqlRepository, tamper: str, expected: str
) -> None:
    fill(store)
    assert problems(store) == []
    with guards_lifted(store) as run:
        for sql in tamper.split(";"):
            run(sql)
    found = problems(store)
    assert expected in found, found


def test_cli_verify_exits_non_zero_naming_the_entry(store: SqlRepository) -> None:
    accounts = fill(store, 3)
    minewatch.cli._register_commands()
    url = store.url

    def verify() -> tuple[int, str]:
        result = CliRunner().invoke(minewatch.cli.app, ["audit", "verify", "--store", url])
        return result.exit_code, result.output

    code, out = verify()
    head = list(accounts.chained_entries())[-1].entry_hash
    assert code == 0 and f"3 entries, head {head}" in out
    with guards_lifted(store) as run:
        run("UPDATE audit_log SET detail = '{\"n\": 99}' WHERE seq = 2")
    code, out = verify()
    assert code == 1
    assert "audit entry 2 (position 2): its content or position does not match" in out


def test_a_cut_tail_is_found_against_a_recorded_head(store: SqlRepository) -> None:
    accounts = fill(store, 4)
    head = list(accounts.chained_entries())[-1].entry_hash
    assert verify_audit_log(store, expect_head=head).intact
    with guards_lifted(store) as run:
        run("DELETE FROM audit_log WHERE seq = 4")
    assert verify_audit_log(store).intact  # the chain alone cannot see a cut tail
    report = verify_audit_log(store, expect_head=head)
    assert not report.intact and "is not in the chain" in str(report.problems[0])


def test_concurrent_writers_do_not_fork_the_chain(store_url: str) -> None:
    """Four writers with their own connections (as separate processes would have) append at
    once: every entry lands, in one unbroken chain."""
    open_store(store_url, create=True).close()
    stores = [open_store(store_url) for _ in range(4)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(stores))

    def write(i: int, store: SqlRepository) -> None:
        try:
            accounts = AccountStore(store)
            start.wait()
            for j in range(15):
                accounts.append_audit([AuditEntry(f"w{i}", "x", str(j)), AuditEntry("y", "z")])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i, s)) for i, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = verify_audit_log(stores[0])
    assert report.intact and report.entries == 4 * 15 * 2, report.problems
    for s in stores:
        s.close()


def test_upgrade_chains_the_entries_written_before(store_url: str) -> None:
    """Entries written under revision 0002 are chained, in the order written, by 0003."""
    from minewatch.store.geopackage import GeoPackageStore
    from minewatch.store.postgis import PostGISStore

    postgres = store_url.startswith("postgresql")
    repo = PostGISStore(store_url) if postgres else GeoPackageStore(store_url)
    migrate.upgrade(repo.engine, "0002")
    with repo.engine.begin() as conn:
        for i in range(3):
            conn.exec_driver_sql(
                "INSERT INTO audit_log (at, actor, action, target, detail) "
                f"VALUES ('2024-01-0{i + 1} 10:00:00+00', 'old{i}', 'login', NULL, "
                f"""'{{"i": {i}}}')"""
            )
    repo.migrate()
    AccountStore(repo).append_audit([AuditEntry("new", "login")])
    report = verify_audit_log(repo)
    assert report.intact and report.entries == 4, report.problems
    actors = [e.actor for e in AccountStore(repo).chained_entries()]
    assert actors == ["old0", "old1", "old2", "new"]
    repo.close()
