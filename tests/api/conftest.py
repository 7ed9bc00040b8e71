"""Fixtures for the HTTP API tests: an app over the ``store`` fixture (both backends), users
of every role, and clients signed in as each. All data here are synthetic."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from minewatch.api.settings import ApiSettings
from minewatch.domain.access import Role
from minewatch.domain.records import Organisation
from minewatch.services import accounts as accounts_module
from minewatch.services.accounts import Accounts
from minewatch.store import SqlRepository


def _load_support() -> None:
    """Register tests/api/api_support.py as ``api_support``: test modules are imported with
    importlib, so a helper beside them is not importable by name otherwise."""
    if "api_support" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "api_support", Path(__file__).resolve().parent / "api_support.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["api_support"] = module
        spec.loader.exec_module(module)


_load_support()

from api_support import PASSWORD, USERS, Api  # noqa: E402


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: the tests exercise the logic, not the work factor."""
    monkeypatch.setattr(
        accounts_module, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture
def api(store: SqlRepository, synthetic_organisations: tuple[str, ...]) -> Iterator[Api]:
    accounts = Accounts(store)
    env = Api(store, accounts, ApiSettings())
    with store.transaction():  # one connection for the whole set-up
        _add_users(env)
    yield env


def _add_users(env: Api) -> None:
    accounts = env.accounts
    # Users belong to organisations that exist (the accounts refuse unknown ones).
    orgs = sorted({org for _, org, _ in USERS.values() if org})
    env.store.put_items([Organisation(code=o, name=f"Synthetic organisation {o}") for o in orgs])
    for name, (role, org, personal) in USERS.items():
        if role is Role.ADMIN:
            accounts.create_admin(name, PASSWORD)
        else:
            accounts.create_user(env.actor("admin"), name, PASSWORD, role, org, personal)
        env.tokens[name] = accounts.issue_token(env.actor(name), "tests")[1]
