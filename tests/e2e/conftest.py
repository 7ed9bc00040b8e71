"""Browser-test fixtures (the tests import nothing from here: with pytest's importlib
import mode a test module cannot import its neighbours): the real server (uvicorn on a free loopback port) over a fresh
GeoPackage store with an administrator, a data worker and a reviewer, and Debian's Chromium
driven by Playwright from PyPI (never a downloaded browser).

All data here are synthetic. In CI (``CI`` set) a missing Chromium or Playwright fails the
run instead of skipping it, because the issue requires the browser flow to run there.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from shapely import Point, box

from minewatch.api.app import create_app
from minewatch.api.settings import ApiSettings
from minewatch.domain.access import Role, local_admin
from minewatch.domain.records import Kind, Organisation
from minewatch.services import accounts as accounts_module
from minewatch.services.accounts import Accounts, actor_of
from minewatch.services.demo import load_demo
from minewatch.services.records import Workflow
from minewatch.store import open_store

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
PASSWORD = "synthetic e2e passphrase"
DEMO_PASSWORD = "synthetic demo e2e passphrase"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Server:
    url: str
    store_url: str


def unavailable(reason: str) -> None:
    """Skip locally, but fail in CI, where the issue requires the browser flow to run."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(reason)


def chromium_path() -> str:
    path = os.environ.get("MINEWATCH_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        unavailable(f"no Chromium at {path} (./run test installs Debian's chromium)")
    return path


def _screenshot(page: Any, name: str, full_page: bool = False) -> Path:
    """Keeps a picture of the page in test-artifacts/ (gitignored; CI keeps it)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(store_url: str) -> None:
    """A small synthetic programme: one old hazardous area, a release product, a find, an
    accident with one victim, each approved, dated in 2020-2021."""
    store = open_store(store_url)
    wf = Workflow(store, local_admin("seed"))

    def approved(kind: Kind, changes: dict[str, Any], geometry: Any, day: date) -> str:
        report = wf.create_draft(kind, changes, geometry, date_of_information=day)
        wf.submit(report.code or "")
        return wf.approve(report.code or "").item_code or ""

    old = box(30.50, 50.40, 30.51, 50.41)
    approved(
        Kind.HAZARDOUS_AREA,
        {
            "name": "Synthetic old field",
            "status": "open",
            "classification": "SHA",
            "hazard_types": ["av_mines"],
        },
        old,
        date(2020, 5, 1),
    )
    approved(
        Kind.RELEASE_PRODUCT,
        {"product_type": "cleared", "release_date": "2021-06-01"},
        box(30.52, 50.40, 30.525, 50.405),
        date(2021, 6, 1),
    )
    approved(
        Kind.DEVICE_FIND,
        {"category": "ap_mine", "model": "PMN-2"},
        Point(30.505, 50.405),
        date(2021, 6, 1),
    )
    accident = approved(
        Kind.ACCIDENT, {"accident_date": "2021-03-02"}, Point(30.53, 50.41), date(2021, 3, 2)
    )
    approved(
        Kind.VICTIM,
        {
            "accident_code": accident,
            "victim_type": "civilian",
            "sex": "female",
            "age": 12,
            "outcome": "injured",
        },
        None,
        date(2021, 3, 2),
    )
    store.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    import uvicorn

    # Cheap argon2 only while the users are made (restored at once, so no later test sees
    # it); their first login rehashes with the real parameters, as the service does.
    saved_hasher = accounts_module._hasher
    accounts_module._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    store_url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.gpkg'}"
    repo = open_store(store_url, create=True)
    # The worker's organisation exists: accounts refuse an unknown one.
    repo.put_items([Organisation(code="ORG-DEMO", name="Synthetic Demo Operator", acronym="SDO")])
    accounts = Accounts(repo)
    accounts.create_admin("admin", PASSWORD)
    admin = actor_of(accounts.get_user("admin"))
    accounts.create_user(admin, "worker", PASSWORD, Role.DATA_WORKER, "ORG-DEMO")
    accounts.create_user(admin, "reviewer", PASSWORD, Role.REVIEWER)
    accounts_module._hasher = saved_hasher
    repo.close()
    _seed(store_url)

    port = _free_port()
    app = create_app(store_url, ApiSettings())
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield Server(f"http://127.0.0.1:{port}", store_url)
    uv.should_exit = True
    thread.join(timeout=10)


def _serve(store_url: str) -> Iterator[str]:
    """The API and web pages over ``store_url`` on a free loopback port, until the caller
    is done (uvicorn in a thread)."""
    import uvicorn

    port = _free_port()
    app = create_app(store_url, ApiSettings())
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over ``minewatch demo``'s SYNTHETIC programme (the pages at their fullest),
    built once for the session, with an administrator "officer" (``demo_password``)."""
    store_url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.gpkg'}"
    store = open_store(store_url, create=True)
    load_demo(Workflow(store, local_admin()))
    saved = accounts_module._hasher
    accounts_module._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    Accounts(store).create_admin("officer", DEMO_PASSWORD)
    accounts_module._hasher = saved
    store.close()
    yield from _serve(store_url)


@pytest.fixture
def demo_password() -> str:
    """The demo server's administrator's password."""
    return DEMO_PASSWORD


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def context(browser: Any, server: Server) -> Iterator[Any]:
    """One browser context for the session, so that the pages' scripts are fetched and
    compiled once (the map library is a megabyte); each test starts with no cookies."""
    ctx = browser.new_context(base_url=server.url, viewport={"width": 1100, "height": 760})
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    """A fresh page, signed out; JavaScript errors in it fail the test."""
    context.clear_cookies()
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    pg.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture
def screenshot() -> Any:
    """``screenshot(page, name)`` keeps a picture of the page in test-artifacts/."""
    return _screenshot


@pytest.fixture
def password() -> str:
    """Every synthetic user's password."""
    return PASSWORD


def _sign_in(page: Any, username: str, password: str, then: str) -> None:
    """Signs in on the login page, which then sends the browser on to ``then``."""
    page.goto(f"/login.html?next={then}")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_url(f"**{then}")
    page.wait_for_selector("#whoami")


@pytest.fixture
def sign_in() -> Any:
    """``sign_in(page, username, password, then)`` signs in and waits on page ``then``."""
    return _sign_in
