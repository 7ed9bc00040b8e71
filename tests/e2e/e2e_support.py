"""Helpers for the browser tests (shared by conftest.py and the tests): where screenshots
go, the synthetic users' password and how Chromium is found and started."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
PASSWORD = "synthetic e2e passphrase"
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


def screenshot(page: Any, name: str, full_page: bool = False) -> Path:
    """Keeps a picture of the page in test-artifacts/ (gitignored; CI keeps it)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
