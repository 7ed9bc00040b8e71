"""The login throttle: password checks are budgeted per account and per client address,
and an attempt is counted before its password is checked.

Counting first is what makes the budget hold under a burst: 40 wrong passwords and the
right one sent at once get 41 consecutive counts from the store, only the first
``max_per_account`` of them are checked, and the rest are refused unchecked. The counts
live in the store (:mod:`minewatch.store.throttle`), so every server process shares them.

* Per account: stops guessing one account's password from many addresses. Someone who
  knows a username can therefore hold that account shut for one window by guessing
  wrongly; the owner's API tokens keep working, and an administrator sees the
  ``login_failed`` entries in the audit log.
* Per client address: stops one address from trying a few passwords on many accounts.
  Behind a reverse proxy, the client address is only as good as the proxy's
  ``X-Forwarded-For`` (see ``trusted_proxies`` in the server settings).

A successful check gives its attempt back, so signing in does not use up the budget. The
first refusal of an account or address in its window is audited (``login_throttled``, with
the client address), later ones are not, so an attack cannot grow the log without bound.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from minewatch.errors import PermissionDenied
from minewatch.store.account_base import Attempts, AuditEntry
from minewatch.store.base import Repository

T = TypeVar("T")


class TooManyAttempts(PermissionDenied):
    """Refused without checking: the account or address used up its budget. Try again in
    ``retry_after`` seconds.

    >>> str(TooManyAttempts(60))
    'too many wrong passwords; try again in 60 s'
    """

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__("too many wrong passwords; try again in {seconds} s", seconds=retry_after)


@dataclass(frozen=True)
class LoginBudget:
    """How many password checks an account and a client address may have per window.

    >>> LoginBudget().per_account, LoginBudget().window_seconds
    (5, 900.0)
    """

    per_account: int = 5
    per_address: int = 30
    window_seconds: float = 900.0


class LoginGuard:
    """Runs password checks within a :class:`LoginBudget`, counted in the store.

    >>> from minewatch.store import open_store
    >>> repo = open_store(str(tmp / "s.gpkg"), create=True)
    >>> guard = LoginGuard(repo, LoginBudget(per_account=2), clock=lambda: 100.0)
    >>> def wrong() -> None:
    ...     raise PermissionDenied("wrong username or password")
    >>> for _ in range(2):
    ...     try:
    ...         guard.check("amina", "10.0.0.7", wrong)
    ...     except PermissionDenied as exc:
    ...         print(exc)
    wrong username or password
    wrong username or password
    >>> guard.check("amina", "10.0.0.8", lambda: "checked")
    Traceback (most recent call last):
    ...
    minewatch.services.login.TooManyAttempts: too many wrong passwords; try again in 900 s
    >>> repo.close()
    """

    def __init__(
        self,
        repo: Repository,
        budget: LoginBudget | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.counters = repo.login_attempts()
        self.accounts = repo.accounts()
        self.budget = budget or LoginBudget()
        self.clock = clock

    @staticmethod
    def keys(username: str, address: str) -> list[str]:
        """The counters an attempt on ``username`` from ``address`` counts against.

        >>> LoginGuard.keys(" Amina ", "10.0.0.7")
        ['account:amina', 'address:10.0.0.7']
        """
        return [f"account:{username.strip().lower()[:64]}", f"address:{address}"]

    def check(
        self,
        username: str,
        address: str,
        check: Callable[[], T],
        *,
        wrong: Callable[[Exception], bool] = lambda exc: isinstance(exc, PermissionDenied),
    ) -> T:
        """Count the attempt, then run ``check`` (which verifies the password and raises
        when it is wrong) if the budget allows; TooManyAttempts without running it if not.
        The attempt stays counted only if ``check`` raised an error that ``wrong`` says
        means a wrong password."""
        keys = self.keys(username, address)
        now = self.clock()
        window = self.budget.window_seconds
        counts = self.counters.count(keys, now=now, window=window)
        limits = (self.budget.per_account, self.budget.per_address)
        over = [c for c, limit in zip(counts, limits, strict=True) if c.attempts > limit]
        if over:
            self._log_first_refusal(username, address, counts, limits)
            ends = max(c.window_start for c in over) + window
            raise TooManyAttempts(max(1, math.ceil(ends - now)))
        try:
            result = check()
        except Exception as exc:
            if not wrong(exc):
                self.counters.uncount(keys)
            raise
        self.counters.uncount(keys)
        return result

    def _log_first_refusal(
        self, username: str, address: str, counts: list[Attempts], limits: tuple[int, int]
    ) -> None:
        """Audit the first refusal of each key in its window (``login_throttled``), so an
        administrator sees an attack without the log growing by one entry per refusal."""
        spent = [
            name
            for name, c, limit in zip(("account", "address"), counts, limits, strict=True)
            if c.attempts == limit + 1
        ]
        if spent:
            name = username.strip()[:64]
            self.accounts.append_audit(
                [AuditEntry(name, "login_throttled", f"user:{name}",
                            {"budget": spent, "address": address})]
            )  # fmt: skip
