"""The login guard's budget over time, on both backends: windows end, legitimate attempts
are given back, and two guards (two server processes) share one count."""

from __future__ import annotations

import pytest

from minewatch.errors import InvalidInput, PermissionDenied
from minewatch.services.login import LoginBudget, LoginGuard, TooManyAttempts
from minewatch.store import SqlRepository, open_store


def wrong() -> None:
    raise PermissionDenied("wrong username or password")


def tries(guard: LoginGuard, n: int, address: str = "10.0.0.7") -> list[str]:
    out = []
    for _ in range(n):
        try:
            guard.check("amina", address, wrong)
        except TooManyAttempts as exc:
            out.append(f"429 {exc.retry_after}")
        except PermissionDenied:
            out.append("401")
    return out


def test_the_window_ends_and_the_budget_returns(store: SqlRepository) -> None:
    now = [1000.0]
    guard = LoginGuard(store, LoginBudget(per_account=2, window_seconds=60), clock=lambda: now[0])
    assert tries(guard, 3) == ["401", "401", "429 60"]
    assert tries(guard, 2) == ["429 60"] * 2
    logged = store.accounts().list_audit(action="login_throttled")
    assert [(e.actor, e.detail) for e in logged] == [
        ("amina", {"budget": ["account"], "address": "10.0.0.7"})
    ]  # the first refusal only
    now[0] += 45
    assert tries(guard, 1) == ["429 15"]
    now[0] += 15
    assert tries(guard, 2) == ["401", "401"]


def test_success_and_other_errors_give_the_attempt_back(store: SqlRepository) -> None:
    guard = LoginGuard(store, LoginBudget(per_account=2), clock=lambda: 0.0)
    for _ in range(5):
        assert guard.check("amina", "10.0.0.7", lambda: "signed in") == "signed in"

    def new_password_too_short() -> None:
        raise InvalidInput("a password needs at least 12 characters")

    for _ in range(5):
        with pytest.raises(InvalidInput):
            guard.check("amina", "10.0.0.7", new_password_too_short)
    assert tries(guard, 3) == ["401", "401", "429 900"]


def test_two_processes_share_one_budget(store_url: str) -> None:
    open_store(store_url, create=True).close()
    first, second = open_store(store_url), open_store(store_url)
    budget = LoginBudget(per_account=4)
    a, b = LoginGuard(first, budget), LoginGuard(second, budget)
    assert tries(a, 2) + tries(b, 2) == ["401"] * 4
    assert tries(a, 1)[0].startswith("429") and tries(b, 1)[0].startswith("429")
    first.close()
    second.close()
