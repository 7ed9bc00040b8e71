"""Accounts on both backends: sessions, tokens, users, passwords and first-run behaviour
(synthetic accounts)."""

from __future__ import annotations

import pytest
from api_support import PASSWORD, SQUARE, Api
from fastapi.testclient import TestClient

from minewatch.api.app import create_app
from minewatch.errors import InvalidInput, PermissionDenied
from minewatch.services.accounts import Accounts
from minewatch.store import SqlRepository

DRAFT = {"kind": "hazardous_area", "date_of_information": "2024-05-01", "geometry": SQUARE}


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    r = client.post("/api/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return str(r.json()["csrf_token"])


def test_logout_ends_the_session(api: Api) -> None:
    client = api.app_client()
    csrf = login(client, "w1")
    cookie = client.cookies.get("minewatch_session")
    assert client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    replay = api.app_client()
    replay.cookies.set("minewatch_session", cookie or "", domain="testserver")
    assert replay.get("/api/auth/me").json()["signed_in"] is False


def test_tokens_are_hashed_at_rest_and_revocable(api: Api) -> None:
    client = api.client("w1")
    made = client.post("/api/auth/tokens", json={"label": "qgis"}).json()
    secret = made["token"]
    stored = [t.token_hash for t in api.accounts.store.list_tokens("w1")]
    assert secret not in stored and all(len(h) == 64 for h in stored)
    other = api.app_client()
    other.headers["Authorization"] = f"Bearer {secret}"
    assert other.get("/api/auth/me").json()["username"] == "w1"
    listed = client.get("/api/auth/tokens").json()
    assert "token" not in listed[0] and {t["label"] for t in listed} == {"tests", "qgis"}
    assert client.delete(f"/api/auth/tokens/{made['id']}").status_code == 204
    assert other.get("/api/auth/me").status_code == 401
    assert api.client("w2").delete(f"/api/auth/tokens/{made['id']}").status_code == 404
    # Found by schemathesis: an id beyond the database's integers was a server error.
    assert client.delete(f"/api/auth/tokens/{2**80}").status_code == 422


def test_disabled_user_loses_tokens_and_sessions(api: Api) -> None:
    client = api.app_client()
    login(client, "w1")
    api.client("admin").patch("/api/users/w1", json={"active": False})
    assert client.get("/api/auth/me").json()["signed_in"] is False
    assert api.client("w1").get("/api/auth/me").status_code == 401


def test_only_administrators_change_users_even_their_own_password(api: Api) -> None:
    """Users change their own password with their current one (tests/api/test_account.py)."""
    w1 = api.client("w1")
    refused = w1.patch("/api/users/w1", json={"password": "a new long passphrase"})
    assert refused.status_code == 403 and "give your current one" in refused.json()["detail"]
    assert w1.patch("/api/users/w1", json={"role": "admin"}).status_code == 403
    assert w1.patch("/api/users/w2", json={"password": "a new long passphrase"}).status_code == 403
    admin = api.client("admin")
    assert admin.patch("/api/users/w1", json={"password": "short"}).status_code == 422
    assert admin.patch("/api/users/w1", json={"password": "reset by admin 1"}).status_code == 200
    login(api.app_client(), "w1", "reset by admin 1")


def test_the_last_admin_cannot_be_demoted(api: Api) -> None:
    r = api.client("admin").patch("/api/users/admin", json={"role": "reviewer"})
    assert r.status_code == 403 and "last active administrator" in r.json()["detail"]


def test_no_logins_until_an_admin_exists(store: SqlRepository) -> None:
    client = TestClient(create_app(store), base_url="https://testserver")
    r = client.post("/api/auth/login", json={"username": "x", "password": "whatever123456"})
    assert r.status_code == 503 and "minewatch user create-admin" in r.json()["detail"]
    assert client.get("/api/auth/me").json()["logins_open"] is False
    Accounts(store).create_admin("first", "a long first passphrase")
    assert login(client, "first", "a long first passphrase")


def test_passwords_are_argon2_and_policy_is_enforced(store: SqlRepository) -> None:
    accounts = Accounts(store)
    with pytest.raises(InvalidInput):
        accounts.create_admin("root", "short")
    with pytest.raises(InvalidInput):
        accounts.create_admin("public", "a long enough passphrase")
    accounts.create_admin("root", "a long enough passphrase")
    user = accounts.get_user("root")
    assert user.password_hash.startswith("$argon2id$")
    with pytest.raises(PermissionDenied):
        accounts.authenticate("root", "a long enough passphrasE")
    assert accounts.authenticate("root", "a long enough passphrase").username == "root"
