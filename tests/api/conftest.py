"""Fixtures for the HTTP API tests: an app over the ``store`` fixture (both backends), users
of every role, and clients signed in as each. All data here are synthetic."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_support import PASSWORD, USERS, Api
from argon2 import PasswordHasher

from minewatch.api.settings import ApiSettings
from minewatch.domain.access import Role
from minewatch.services import accounts as accounts_module
from minewatch.services.accounts import Accounts
from minewatch.store import SqlRepository


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: the tests exercise the logic, not the work factor."""
    monkeypatch.setattr(
        accounts_module, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture
def api(store: SqlRepository) -> Iterator[Api]:
    accounts = Accounts(store)
    env = Api(store, accounts, ApiSettings())
    with store.transaction():  # one connection for the whole set-up
        _add_users(env)
    yield env


def _add_users(env: Api) -> None:
    accounts = env.accounts
    for name, (role, org, personal) in USERS.items():
        if role is Role.ADMIN:
            accounts.create_admin(name, PASSWORD)
        else:
            accounts.create_user(env.actor("admin"), name, PASSWORD, role, org, personal)
        env.tokens[name] = accounts.issue_token(env.actor(name), "tests")[1]
