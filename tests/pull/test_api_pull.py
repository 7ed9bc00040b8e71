"""The intake page's pull, over HTTP, against the local replay server: the sources listed with
where their last pull stopped and whether their credentials can be read, never the token;
a dry run writes nothing; a pull lands drafts; a viewer may neither list nor pull."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from minewatch.api.app import create_app
from minewatch.api.settings import ApiSettings
from minewatch.domain.access import Role
from minewatch.domain.records import Organisation
from minewatch.services.accounts import Accounts, actor_of
from minewatch.store import ReportQuery, open_store

from .conftest import ASSET, KOBO_TOKEN, Replay, kobo_accident

PASSWORD = "synthetic passphrase 1"


def _client(app: object, token: str) -> TestClient:
    client = TestClient(app, base_url="https://testserver")  # type: ignore[arg-type]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def test_the_intake_page_lists_and_pulls_configured_sources(
    replay: Replay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replay.kobo[ASSET] = [kobo_accident(replay, 1, "2024-08-01T09:00:00", photo=True)]
    config = tmp_path / "national.toml"
    config.write_text(
        f'[intake.sources.kobo]\nserver = "kobo"\nurl = "{replay.base}"\nasset = "{ASSET}"\n'
        'token_env = "KOBO_TOKEN"\n',
        encoding="utf-8",
    )
    store = open_store(str(tmp_path / "national.gpkg"), create=True)
    store.next_codes("ORG", 2)
    store.put_items([Organisation(code=f"ORG-00000{n}", name=f"Synthetic {n}") for n in (1, 2)])
    accounts = Accounts(store)
    accounts.create_admin("admin", PASSWORD)
    admin = actor_of(accounts.get_user("admin"))
    accounts.create_user(
        admin, "w1", PASSWORD, Role.DATA_WORKER, "ORG-000002", False
    )  # the submissions'

    accounts.create_user(admin, "viewer", PASSWORD, Role.PUBLIC, None, False)
    tokens = {
        n: accounts.issue_token(actor_of(accounts.get_user(n)), "tests")[1]
        for n in ("w1", "viewer")
    }
    settings = ApiSettings(attachments_dir=tmp_path / "files")
    app = create_app(store, settings, national_config=config)
    worker, viewer = _client(app, tokens["w1"]), _client(app, tokens["viewer"])

    monkeypatch.delenv("KOBO_TOKEN", raising=False)
    listed = worker.get("/api/intake/sources")
    assert listed.status_code == 200, listed.text
    [source] = listed.json()["sources"]
    assert (source["name"], source["server"], source["what"]) == ("kobo", "kobo", ASSET)
    assert source["ready"] is False and source["last_pull"] is None

    monkeypatch.setenv("KOBO_TOKEN", KOBO_TOKEN)
    assert worker.get("/api/intake/sources").json()["sources"][0]["ready"] is True
    dry = worker.post("/api/intake/sources/kobo/pull", data={"dry_run": "true"})
    assert dry.status_code == 200, dry.text
    assert dry.json()["fetched"] == 1 and not dry.json()["intake"]["committed"]
    assert store.list_reports(ReportQuery()) == []
    assert worker.get("/api/intake/sources").json()["sources"][0]["last_pull"] is None

    pulled = worker.post("/api/intake/sources/kobo/pull")
    assert pulled.status_code == 200, pulled.text
    answer = pulled.json()
    assert answer["intake"]["committed"] and len(answer["intake"]["created"]) == 2
    assert len(answer["files_saved"]) == 1 and KOBO_TOKEN not in pulled.text
    last = worker.get("/api/intake/sources").json()["sources"][0]["last_pull"]
    assert last["by"] == "w1" and last["submissions"] == 1
    assert last["watermark"] == "2024-08-01T09:00:00"

    assert worker.post("/api/intake/sources/nowhere/pull").status_code == 404
    assert viewer.get("/api/intake/sources").status_code == 403
    assert viewer.post("/api/intake/sources/kobo/pull").status_code == 403
    monkeypatch.setenv("KOBO_TOKEN", "not-the-token")
    refused = worker.post("/api/intake/sources/kobo/pull")
    assert refused.status_code == 403 and "not-the-token" not in refused.text
