"""The audit log: every change is logged in the same transaction, and the database itself
refuses to update or delete entries, on both backends (synthetic data)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from api_support import Api

from minewatch.domain.records import Kind


def test_every_change_is_logged(api: Api) -> None:
    code = api.submitted("w1")
    api.client("rev").post(f"/api/reports/{code}/reject", json={"reason": "needs a map"})
    actions = [
        (e.actor, e.action, e.target)
        for e in api.accounts.store.list_audit(target=f"report:{code}")
    ]
    assert actions == [
        ("rev", "reject_report", f"report:{code}")
    ]  # the rest went through the raw service
    entries = api.client("admin").get("/api/audit", params={"action": "reject_report"}).json()
    assert entries[0]["detail"]["reason"] == "needs a map"
    made = api.client("w1").post(
        "/api/reports",
        json={
            "kind": "organisation",
            "date_of_information": "2024-01-01",
            "changes": {"name": "X"},
        },
    )
    assert made.status_code == 201, made.text
    logged = api.accounts.store.list_audit(target=f"report:{made.json()['code']}")
    assert [e.action for e in logged] == ["create_report"]
    # A batch (the import path) leaves one line per report it creates.
    from minewatch.services.audited import AuditedWorkflow
    from minewatch.services.records import Draft

    batch = AuditedWorkflow(api.store, api.actor("w1"), api.accounts).create_drafts(
        [Draft(Kind.ORGANISATION, {"name": f"Org {i}"}, date(2024, 1, 1)) for i in range(3)]
    )
    for report in batch:
        assert [
            e.action for e in api.accounts.store.list_audit(target=f"report:{report.code}")
        ] == ["create_report"]
    users = api.client("admin").get("/api/audit", params={"action": "create_user"}).json()
    assert {u["target"] for u in users} >= {"user:w1", "user:rev"}


def test_audit_log_refuses_update_and_delete_in_the_database(api: Api) -> None:
    api.accounts.audit("tester", "synthetic_action", "x")
    table = api.accounts.store.audit
    for statement in (sa.update(table).values(actor="someone else"), sa.delete(table)):
        with (
            pytest.raises(sa.exc.DBAPIError, match="append-only"),
            api.store.engine.begin() as conn,
        ):
            conn.execute(statement)
    assert api.accounts.store.list_audit(action="synthetic_action")[0].actor == "tester"
    if api.store.dialect == "postgresql":
        with (
            pytest.raises(sa.exc.DBAPIError, match="append-only"),
            api.store.engine.begin() as conn,
        ):
            conn.exec_driver_sql("TRUNCATE audit_log")
