"""In-process limit on failed logins, per username and client address.

Counting per (username, address) stops one client guessing one account's password without
letting an attacker lock everyone out from elsewhere. The table is bounded: the oldest keys
are dropped first when it grows past ``max_keys``.

>>> t = LoginThrottle(max_failures=2, window_seconds=60, clock=lambda: 0.0)
>>> t.failed(("amina", "10.0.0.1")); t.failed(("amina", "10.0.0.1"))
>>> t.retry_after(("amina", "10.0.0.1"))
60
>>> t.retry_after(("amina", "10.0.0.2")) is None
True
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

Key = tuple[str, str]


class LoginThrottle:
    def __init__(
        self,
        max_failures: int,
        window_seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self.clock = clock
        self.max_keys = max_keys
        self._failures: OrderedDict[Key, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, key: Key, now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def retry_after(self, key: Key) -> int | None:
        """Seconds until ``key`` may try again, or None if it may try now."""
        with self._lock:
            now = self.clock()
            times = self._recent(key, now)
            if len(times) < self.max_failures:
                return None
            return max(1, math.ceil(times[0] + self.window - now))

    def failed(self, key: Key) -> None:
        with self._lock:
            now = self.clock()
            times = self._recent(key, now)
            times.append(now)
            self._failures[key] = times
            self._failures.move_to_end(key)
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)

    def succeeded(self, key: Key) -> None:
        with self._lock:
            self._failures.pop(key, None)
