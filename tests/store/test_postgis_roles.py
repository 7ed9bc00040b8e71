"""PostGIS roles: migrations run as the owner, the server connects as an application role
that can do its work but cannot alter tables, switch triggers off or rewrite the audit log
(synthetic accounts; the roles are created by scripts/test-services.sh and again, idempotently,
by each test)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from shapely.geometry import box
from typer.testing import CliRunner

from minewatch.domain.access import local_admin
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.services.accounts import Accounts
from minewatch.services.audit import verify_audit_log
from minewatch.services.audited import AuditedWorkflow
from minewatch.services.records import Draft
from minewatch.store import open_store
from minewatch.store.postgis import engine_url
from minewatch.store.roles import create_roles

pytestmark = pytest.mark.postgis

OWNER, APP = "minewatch_test_owner", "minewatch_test_app"


def as_role(url: str, role: str) -> str:
    """The same database and schema, connecting as ``role`` (the test server trusts local
    connections, so no password)."""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{role}@{rest.split('@', 1)[1]}"


@pytest.fixture
def urls(postgis_url: str) -> Iterator[tuple[str, str]]:
    create_roles(postgis_url, OWNER, APP)
    open_store(as_role(postgis_url, OWNER), create=True).close()
    yield as_role(postgis_url, OWNER), as_role(postgis_url, APP)


def refused(url: str, sql: str, match: str) -> None:
    engine = sa.create_engine(engine_url(url))
    try:
        with pytest.raises(sa.exc.DBAPIError, match=match), engine.begin() as conn:
            conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


def test_the_app_role_works_but_cannot_alter_or_rewrite(urls: tuple[str, str]) -> None:
    _, app_url = urls
    repo = open_store(app_url)  # the schema check reads alembic_version
    accounts = Accounts(repo)
    accounts.create_admin("ines", "a long passphrase")
    AuditedWorkflow(repo, local_admin("ines"), accounts).create_drafts(
        [
            Draft(Kind.ORGANISATION, {"name": "Org"}, date(2024, 1, 1)),
            Draft(Kind.HAZARDOUS_AREA, {"name": "Field"}, date(2024, 1, 2),
                  box(30, 1, 30.01, 1.01)),
        ],
        state=ReportState.APPROVED,
    )  # fmt: skip
    near = ItemQuery(Kind.HAZARDOUS_AREA, near=(30.005, 1.005, 500.0))
    assert len(repo.query_items(near)) == 1  # geography and spatial_ref_sys are readable
    repo.close()
    denied = "permission denied|must be owner|must be superuser"
    for sql in (
        "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
        "ALTER TABLE report ADD COLUMN x int",
        "DROP TABLE audit_log",
        "TRUNCATE audit_log",
        "UPDATE audit_log SET actor = 'mallory'",
        "DELETE FROM audit_log",
        "INSERT INTO audit_log (fid, at, actor, action) VALUES (1, now(), 'm', 'x') "
        "ON CONFLICT (fid) DO UPDATE SET actor = 'mallory'",
        "SET session_replication_role = replica",
        "CREATE TABLE sneaky (x int)",
        "ALTER FUNCTION audit_log_chain_check() OWNER TO minewatch_test_app",
    ):
        refused(app_url, sql, denied)


def test_a_store_made_by_the_superuser_is_handed_to_the_owner(postgis_url: str) -> None:
    repo = open_store(postgis_url, create=True)
    Accounts(repo).create_admin("ines", "a long passphrase")
    repo.close()
    report = create_roles(postgis_url, OWNER, APP)
    assert {"audit_log", "report", "alembic_version"} <= set(report.tables)
    app_url = as_role(postgis_url, APP)
    refused(app_url, "ALTER TABLE audit_log DISABLE TRIGGER ALL", "must be owner")
    refused(app_url, "UPDATE audit_log SET actor = 'x'", "permission denied")
    repo = open_store(app_url)
    Accounts(repo).audit("ines", "login")
    assert verify_audit_log(repo).entries == 2
    repo.close()
    # The owner can upgrade; the superuser's old grants do not reopen the log.
    open_store(as_role(postgis_url, OWNER), create=True).close()
    refused(app_url, "DELETE FROM audit_log", "permission denied")


def test_the_create_roles_command(postgis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import minewatch.cli

    minewatch.cli._register_commands()
    monkeypatch.setenv("MINEWATCH_APP_PASSWORD", "an app password for the test")

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(minewatch.cli.app, ["db", "create-roles", *args])
        return result.exit_code, result.output

    code, out = run(postgis_url, "--owner", OWNER, "--app", APP)
    assert code == 0 and f"{APP} may read and write rows, and only append" in out, out
    code, _ = run(postgis_url, "--owner", "Robert'); DROP TABLE x; --", "--app", APP)
    assert code != 0
    code, _ = run(as_role(postgis_url, APP), "--owner", OWNER, "--app", APP)
    assert code != 0  # not a superuser
