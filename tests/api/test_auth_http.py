"""HTTP-level authentication: cookie flags, CSRF and origin checks, login rate limiting,
authorization headers (synthetic accounts). These do not depend on the storage backend, so
they run on the embedded GeoPackage only; tests/api/test_accounts.py covers both."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_support import PASSWORD, SQUARE, Api
from fastapi.testclient import TestClient

DRAFT = {"kind": "hazardous_area", "date_of_information": "2024-05-01", "geometry": SQUARE}


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """GeoPackage only: nothing here depends on the backend (overrides the parametrised one)."""
    return f"sqlite:///{tmp_path / 'store.gpkg'}"


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    r = client.post("/api/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return str(r.json()["csrf_token"])


def test_session_cookie_is_secure_httponly_strict(api: Api) -> None:
    client = api.app_client()
    r = client.post("/api/auth/login", json={"username": "w1", "password": PASSWORD})
    cookies = r.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("minewatch_session="))
    assert "HttpOnly" in session and "Secure" in session and "SameSite=strict" in session
    csrf = next(c for c in cookies if c.startswith("minewatch_csrf="))
    assert "HttpOnly" not in csrf  # the page's script reads it to send it back
    assert client.get("/api/auth/me").json()["username"] == "w1"


def test_cookie_writes_need_the_csrf_token_and_a_same_origin(api: Api) -> None:
    client = api.app_client()
    csrf = login(client, "w1")
    assert client.post("/api/reports", json=DRAFT).status_code == 403
    assert (
        client.post("/api/reports", json=DRAFT, headers={"X-CSRF-Token": "forged"}).status_code
        == 403
    )
    evil = {"X-CSRF-Token": csrf, "Origin": "https://evil.example"}
    assert client.post("/api/reports", json=DRAFT, headers=evil).status_code == 403
    good = {"X-CSRF-Token": csrf, "Origin": "https://testserver"}
    assert client.post("/api/reports", json=DRAFT, headers=good).status_code == 201
    # Reads need no token.
    assert client.get("/api/reports").status_code == 200


def test_login_from_another_origin_is_refused(api: Api) -> None:
    r = api.app_client().post(
        "/api/auth/login",
        json={"username": "w1", "password": PASSWORD},
        headers={"Origin": "https://evil.example"},
    )
    assert r.status_code == 403


def test_wrong_password_is_401_and_same_for_unknown_users(api: Api) -> None:
    client = api.app_client()
    bad = client.post("/api/auth/login", json={"username": "w1", "password": "nope nope nope"})
    ghost = client.post("/api/auth/login", json={"username": "ghost", "password": "nope nope"})
    assert bad.status_code == ghost.status_code == 401
    assert bad.json()["detail"] == ghost.json()["detail"]


def test_login_rate_limit_per_username_and_address(api: Api) -> None:
    api.settings = api.settings.model_copy(update={"login_max_failures": 3})
    client = api.app_client()
    wrong = {"username": "w1", "password": "wrong wrong wrong"}
    assert [client.post("/api/auth/login", json=wrong).status_code for _ in range(3)] == [401] * 3
    blocked = client.post("/api/auth/login", json={"username": "w1", "password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    # Another account from the same address is not locked out.
    assert (
        client.post("/api/auth/login", json={"username": "w2", "password": PASSWORD}).status_code
        == 200
    )


def test_bad_authorization_header_is_401(api: Api) -> None:
    client = api.app_client()
    for header in ("Bearer nonsense", "Basic dXNlcjpwdw==", "Bearer "):
        r = client.get("/api/auth/me", headers={"Authorization": header})
        assert r.status_code == 401 and "Bearer" in r.headers["www-authenticate"]
