"""Every command-line test starts without a language: ``--lang`` puts MINEWATCH_LANG in the
process's environment (for the command's modules to read), which must not leak into the
tests that run after it in the same process."""

from __future__ import annotations

import pytest

from minewatch.environment import LANGUAGE_ENV


@pytest.fixture(autouse=True)
def _no_language_left_over(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LANGUAGE_ENV, raising=False)  # and restored after the test
