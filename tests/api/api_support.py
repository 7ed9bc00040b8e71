"""Helpers for the HTTP API tests: users of every role and clients signed in as each.
All data here are synthetic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from shapely import Point, box

from minewatch.api.app import create_app
from minewatch.api.settings import ApiSettings
from minewatch.domain.access import Actor, Role
from minewatch.domain.records import Kind
from minewatch.services.accounts import Accounts, actor_of
from minewatch.services.records import Workflow
from minewatch.store import SqlRepository

PASSWORD = "synthetic passphrase 1"
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[30.0, 50.0], [30.01, 50.0], [30.01, 50.01], [30.0, 50.01], [30.0, 50.0]]],
}

#: username → (role, organisation, personal-data grant)
USERS: dict[str, tuple[Role, str | None, bool]] = {
    "admin": (Role.ADMIN, None, True),
    "rev": (Role.REVIEWER, None, False),
    "rev2": (Role.REVIEWER, None, False),
    "w1": (Role.DATA_WORKER, "ORG-1", False),
    "w2": (Role.DATA_WORKER, "ORG-2", False),
    "medic": (Role.DATA_WORKER, "ORG-1", True),
    "viewer": (Role.PUBLIC, None, False),
}


@dataclass
class Api:
    store: SqlRepository
    accounts: Accounts
    settings: ApiSettings
    tokens: dict[str, str] = field(default_factory=dict)
    #: The national configuration the app is built under (None: the shipped defaults).
    national_config: Path | None = None

    _app: tuple[ApiSettings, Path | None, FastAPI] | None = None

    def app_client(self) -> TestClient:
        """A fresh client (its own cookies) of the app; the app is rebuilt only when the
        settings change, because building it costs more than most requests."""
        if self._app is None or self._app[:2] != (self.settings, self.national_config):
            app = create_app(self.store, self.settings, national_config=self.national_config)
            self._app = (self.settings, self.national_config, app)
        return TestClient(self._app[2], base_url="https://testserver")

    def client(self, username: str | None = None) -> TestClient:
        """A client authenticated with ``username``'s API token (anonymous for None)."""
        c = self.app_client()
        if username is not None:
            c.headers["Authorization"] = f"Bearer {self.tokens[username]}"
        return c

    def actor(self, username: str) -> Actor:
        return actor_of(self.accounts.get_user(username))

    def workflow(self, username: str) -> Workflow:
        return Workflow(self.store, self.actor(username))

    def draft(
        self, username: str = "w1", kind: Kind = Kind.HAZARDOUS_AREA, **changes: object
    ) -> str:
        geometry = box(30.0, 50.0, 30.01, 50.01) if kind is Kind.HAZARDOUS_AREA else None
        if kind is Kind.ACCIDENT:
            geometry = Point(30.005, 50.005)
        report = self.workflow(username).create_draft(
            kind, changes, geometry, date_of_information=date(2024, 3, 1)
        )
        return report.code or ""

    def submitted(self, username: str = "w1", **changes: object) -> str:
        code = self.draft(username, **changes)
        self.workflow(username).submit(code)
        return code

    def approved(
        self, username: str = "w1", kind: Kind = Kind.HAZARDOUS_AREA, **changes: object
    ) -> str:
        code = self.draft(username, kind, **changes)
        self.workflow(username).submit(code)
        report = self.workflow("rev2").approve(code)
        return report.item_code or ""


def run_cli(*args: str, national_config: Path | None = None) -> tuple[int, str]:
    """``minewatch ARGS`` as a user runs it (errors translated by ``main``, as the console
    script does), with ``MINEWATCH_CONFIG`` naming ``national_config`` (empty: the shipped
    defaults): the exit code and everything printed, stdout and stderr together."""
    import contextlib
    import io
    import os

    import minewatch.cli

    out, saved = io.StringIO(), os.environ.get("MINEWATCH_CONFIG")
    os.environ["MINEWATCH_CONFIG"] = str(national_config) if national_config else ""
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            minewatch.cli.main(list(args))
        code = 0
    except SystemExit as exited:
        code = exited.code if isinstance(exited.code, int) else 1
    finally:
        os.environ.pop("MINEWATCH_CONFIG")
        if saved is not None:
            os.environ["MINEWATCH_CONFIG"] = saved
    return code, out.getvalue()
