"""One's own account over HTTP: the password rules, changing one's own password (current
one required, throttled, audited, sessions renewed), and the audit log's filters and paging
that the administration page uses. Both backends; synthetic accounts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api_support import PASSWORD, Api
from fastapi.testclient import TestClient
from httpx import Response

from minewatch.domain.records import Kind
from minewatch.services.accounts import MIN_PASSWORD_LENGTH
from minewatch.store.accounts import AuditEntry

NEW = "a different synthetic passphrase"


def signed_in(api: Api, username: str, password: str = PASSWORD) -> tuple[TestClient, str]:
    client = api.app_client()
    r = client.post("/api/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return client, str(r.json()["csrf_token"])


def change(client: TestClient, current: str, new: str, csrf: str | None = None) -> Response:
    headers = {"X-CSRF-Token": csrf} if csrf else {}
    return client.post(
        "/api/account/password",
        json={"current_password": current, "new_password": new},
        headers=headers,
    )


def test_password_rules_are_the_ones_the_server_applies(api: Api) -> None:
    rules = api.client().get("/api/account/password-rules").json()
    assert rules["min_length"] == MIN_PASSWORD_LENGTH
    assert any(str(MIN_PASSWORD_LENGTH) in text for text in rules["rules"])
    french = api.client().get("/api/account/password-rules?lang=fr").json()["rules"]
    assert french[0].startswith(f"au moins {MIN_PASSWORD_LENGTH} caractères")  # not English
    too_short = "x" * (rules["min_length"] - 1)
    r = api.client("admin").patch("/api/users/w1", json={"password": too_short})
    assert r.status_code == 422
    assert (
        api.client("admin").patch("/api/users/w1", json={"password": "x" * 12}).status_code == 200
    )


def test_a_browser_changes_its_password_and_stays_signed_in(api: Api) -> None:
    browser, csrf = signed_in(api, "w1")
    elsewhere, _ = signed_in(api, "w1")
    assert change(browser, PASSWORD, NEW).status_code == 403  # no CSRF token
    r = change(browser, PASSWORD, NEW, csrf)
    assert r.status_code == 200, r.text
    fresh = r.json()["csrf_token"]
    assert fresh and fresh != csrf
    assert browser.get("/api/auth/me").json()["username"] == "w1"  # a new session
    assert elsewhere.get("/api/auth/me").json()["signed_in"] is False  # others end
    assert api.client("w1").get("/api/auth/me").status_code == 200  # tokens stay valid
    old = api.app_client().post("/api/auth/login", json={"username": "w1", "password": PASSWORD})
    assert old.status_code == 401
    signed_in(api, "w1", NEW)
    logged = api.accounts.store.list_audit(actor="w1", action="change_password")
    assert [e.target for e in logged] == ["user:w1"]
    assert NEW not in str(logged[0].detail) and PASSWORD not in str(logged[0].detail)


def test_wrong_current_password_is_an_inline_error_audited_and_throttled(api: Api) -> None:
    api.settings = api.settings.model_copy(update={"login_max_failures": 2})
    client = api.client("w2")
    r = change(client, "not the password", NEW)
    assert r.status_code == 422
    assert r.json()["location"]["field"] == "current_password"
    assert api.accounts.store.list_audit(actor="w2", action="change_password_failed")
    change(client, "still not it", NEW)
    blocked = change(client, PASSWORD, NEW)
    assert blocked.status_code == 429
    signed_in(api, "w1")  # another user is not affected


def test_new_password_is_checked_against_the_rules(api: Api) -> None:
    client = api.client("rev")
    for new, message in ((PASSWORD, "current one"), ("short", "at least")):
        r = change(client, PASSWORD, new)
        assert r.status_code == 422
        body = r.json()
        assert body["location"]["field"] == "new_password" and message in body["detail"]
    assert not api.accounts.store.list_audit(actor="rev", action="change_password")


def test_the_public_cannot_change_a_password(api: Api) -> None:
    assert change(api.client(), PASSWORD, NEW).status_code == 401


def _entry(actor: str, action: str, target: str, at: datetime, **detail: object) -> AuditEntry:
    return AuditEntry(actor, action, target, dict(detail), at=at)


def test_audit_filters_by_who_what_about_and_day(api: Api) -> None:
    day = datetime(2024, 2, 10, 23, 30, tzinfo=UTC)
    api.accounts.store.append_audit(
        [
            _entry("medic", "read_personal_data", "victim", day, codes=["VIC-000042"]),
            _entry("w1", "submit_report", "report:RPT-000777", day + timedelta(hours=1)),
            _entry("w1", "edit_report", "report:RPT-000777", day - timedelta(days=3)),
        ]
    )
    admin = api.client("admin")

    def targets(**params: object) -> list[str]:
        r = admin.get("/api/audit", params=params)
        assert r.status_code == 200, r.text
        return [e["target"] for e in r.json()]

    assert targets(about="vic-000042") == ["victim"]  # a code named only in the detail
    assert targets(about="RPT-000777") == ["report:RPT-000777"] * 2
    assert targets(about="RPT-000777", since="2024-02-10", until="2024-02-10") == []
    assert targets(about="RPT-000777", since="2024-02-11") == ["report:RPT-000777"]
    assert targets(about="RPT-000777", until="2024-02-10") == ["report:RPT-000777"]
    assert targets(about="%") == []  # LIKE wildcards are literal
    assert targets(user="medic", action="read_personal_data") == ["victim"]
    assert (
        targets(about="RPT-000777", until="9999-12-31", since="0001-01-01")
        == ["report:RPT-000777"] * 2
    )
    actions = admin.get("/api/audit/actions").json()
    assert {"read_personal_data", "submit_report", "create_user"} <= set(actions)
    assert actions == sorted(actions)


def test_audit_pages_newest_first_and_records_personal_data_reads(api: Api) -> None:
    code = api.draft("medic", Kind.VICTIM, sex="female", age=30, name="Synthetic Person")
    assert api.client("medic").get(f"/api/reports/{code}").status_code == 200
    admin = api.client("admin")
    everything = admin.get("/api/audit", params={"limit": 1000}).json()
    ids = [e["id"] for e in everything]
    assert ids == sorted(ids, reverse=True)
    pages = [admin.get("/api/audit", params={"limit": 3, "offset": o}).json() for o in (0, 3)]
    assert [e["id"] for e in pages[0] + pages[1]] == ids[:6]
    read = admin.get("/api/audit", params={"action": "read_personal_data", "about": code}).json()
    assert read and read[0]["actor"] == "medic" and code in read[0]["detail"]["codes"]


def test_only_administrators_read_the_audit_actions(api: Api) -> None:
    for user, status in ((None, 401), ("viewer", 403), ("w1", 403), ("rev", 403)):
        assert api.client(user).get("/api/audit/actions").status_code == status


def test_every_signed_in_role_lists_and_revokes_its_own_tokens(api: Api) -> None:
    """A signed-in public viewer may make a token, so it may revoke it too."""
    viewer = api.client("viewer")
    made = viewer.post("/api/auth/tokens", json={"label": "synthetic", "valid_days": 7}).json()
    listed = {t["id"]: t for t in viewer.get("/api/auth/tokens").json()}
    expires = datetime.fromisoformat(listed[made["id"]]["expires_at"])
    assert timedelta(days=6) < expires - datetime.now(UTC) <= timedelta(days=7)
    assert viewer.delete(f"/api/auth/tokens/{made['id']}").status_code == 204
    assert viewer.get("/api/auth/tokens").json()[-1]["revoked_at"] is not None
    assert api.client().delete(f"/api/auth/tokens/{made['id']}").status_code == 401
    assert api.client().get("/api/auth/tokens").status_code == 401
