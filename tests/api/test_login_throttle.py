"""The login throttle under attack, on both backends: a parallel burst of wrong passwords
with the right one among them, budgets per account and per client address, and
X-Forwarded-For believed only from a configured proxy (synthetic accounts)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import httpx
import pytest
from api_support import PASSWORD, Api
from fastapi.testclient import TestClient

from minewatch.api.settings import ApiSettings
from minewatch.services.accounts import Accounts
from minewatch.store import open_store

WRONG = "wrong wrong wrong"


def client(api: Api, peer: str = "198.51.100.7") -> TestClient:
    app = api.app_client().app  # the app for the current settings
    return TestClient(app, base_url="https://testserver", client=(peer, 50000))


def attempt(c: TestClient, username: str, password: str, forwarded: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    r = c.post(
        "/api/auth/login", json={"username": username, "password": password}, headers=headers
    )
    return r.status_code


def failed_checks(api: Api, username: str) -> int:
    return len(api.accounts.store.list_audit(action="login_failed", target=f"user:{username}"))


def test_a_parallel_burst_checks_no_more_passwords_than_the_budget(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """40 wrong passwords and the right one, sent at once from 41 connections: at most five
    passwords are checked (the rest are refused unchecked), and once the budget is spent
    the right password is refused too until the window ends."""
    api.settings = api.settings.model_copy(update={"login_max_failures": 5})
    checking = Accounts.authenticate

    def slow_check(self: Accounts, username: str, password: str) -> object:
        time.sleep(1.0)  # a slow check (argon2 on a busy server): the requests overlap
        return checking(self, username, password)

    monkeypatch.setattr(Accounts, "authenticate", slow_check)
    passwords = [WRONG] * 20 + [PASSWORD] + [WRONG] * 20
    start = threading.Barrier(41)
    with ExitStack() as running:
        # Each client's event loop runs before the burst, so the requests arrive together.
        clients = [running.enter_context(client(api, f"198.51.100.{i}")) for i in range(41)]

        def send(c: TestClient, password: str) -> int:
            start.wait()
            return attempt(c, "w1", password)

        with ThreadPoolExecutor(max_workers=41) as pool:
            codes = list(pool.map(send, clients, passwords))
    counted = Counter(codes)
    assert set(counted) <= {200, 401, 429}, counted
    assert counted[200] + counted[401] <= 5 and counted[429] >= 36, counted
    assert failed_checks(api, "w1") == counted[401] <= 5
    assert attempt(client(api, "203.0.113.1"), "w1", PASSWORD) == 429


def test_the_budget_per_client_address_spans_accounts(api: Api) -> None:
    api.settings = api.settings.model_copy(update={"login_max_per_address": 3})
    c = client(api, "198.51.100.7")
    assert [attempt(c, name, WRONG) for name in ("w1", "w2", "rev")] == [401] * 3
    assert attempt(c, "admin", PASSWORD) == 429  # right, but from a spent address
    assert attempt(client(api, "198.51.100.8"), "admin", PASSWORD) == 200


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(api: Api) -> None:
    api.settings = api.settings.model_copy(
        update={"login_max_per_address": 2, "trusted_proxies": ["10.0.0.2", "10.1.0.0/16"]}
    )
    # Straight from the internet, made-up forwarded addresses change nothing: one address.
    direct = client(api, "198.51.100.7")
    codes = [attempt(direct, n, WRONG, f"203.0.113.{i}") for i, n in enumerate(("w1", "w2", "rev"))]
    assert codes == [401, 401, 429]
    # Through the proxy, each client has its own budget ...
    proxy = client(api, "10.0.0.2")
    assert attempt(proxy, "w1", WRONG, "203.0.113.5") == 401
    assert attempt(proxy, "w2", WRONG, "203.0.113.6") == 401
    # ... and a client that writes its own header still counts under the address the proxy
    # appended (the right-most one that is not a trusted proxy).
    assert attempt(proxy, "rev", WRONG, "1.2.3.4, 203.0.113.5, 10.1.2.3") == 401
    assert attempt(proxy, "admin", PASSWORD, "9.9.9.9, 203.0.113.5") == 429
    assert attempt(proxy, "admin", PASSWORD, "203.0.113.7") == 200


def test_a_bad_trusted_proxy_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="not an address or network"):
        ApiSettings(trusted_proxies=["proxy.example"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_uvicorn_workers_share_one_budget(store_url: str) -> None:
    """A real server with two worker processes on 127.0.0.1 (real argon2 checks): a burst
    of 16 wrong passwords is checked at most five times in all, not five per worker."""
    repo = open_store(store_url, create=True)
    Accounts(repo).create_admin("ines", "a long passphrase")
    repo.close()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "minewatch", "serve", store_url, "--port", str(port),
         "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/auth/me", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            pytest.fail("the server did not start")
        start = threading.Barrier(16)

        def send(_: int) -> int:
            with httpx.Client(base_url=base, timeout=60) as c:
                start.wait()
                body = {"username": "ines", "password": WRONG}
                return c.post("/api/auth/login", json=body).status_code

        with ThreadPoolExecutor(max_workers=16) as pool:
            counted = Counter(pool.map(send, range(16)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert counted[401] <= 5 and counted[429] >= 11, counted
    repo = open_store(store_url)
    checked = Accounts(repo).store.list_audit(action="login_failed")
    repo.close()
    assert len(checked) == counted[401]
