"""``minewatch intake pull`` from the command line, against the local replay server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minewatch.cli import main
from minewatch.domain.records import Organisation
from minewatch.store import open_store

from .conftest import ASSET, KOBO_TOKEN, Replay, kobo_accident


def _store(tmp_path: Path) -> str:
    path = tmp_path / "national.gpkg"
    repo = open_store(str(path), create=True)
    repo.next_codes("ORG", 2)
    repo.put_items([Organisation(code=f"ORG-00000{n}", name=f"Synthetic {n}") for n in (1, 2)])
    repo.close()
    return str(path)


def _exit(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as done:
        return int(done.code or 0)
    return 0


def test_pull_from_the_command_line(
    replay: Replay,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    replay.kobo[ASSET] = [kobo_accident(replay, 1, "2024-08-01T09:00:00", photo=True)]
    config = tmp_path / "national.toml"
    config.write_text(
        f'[intake.sources.kobo]\nserver = "kobo"\nurl = "{replay.base}"\nasset = "{ASSET}"\n'
        'token_env = "KOBO_TOKEN"\n',
        encoding="utf-8",
    )
    store = _store(tmp_path)
    argv = ["intake", "pull", "kobo", "--store", store, "--config", str(config)]
    argv += ["--attachments", str(tmp_path / "files")]

    monkeypatch.delenv("KOBO_TOKEN", raising=False)
    assert _exit(argv) == 2
    err = capsys.readouterr().err
    assert "environment variable KOBO_TOKEN is not set" in err and "Traceback" not in err

    monkeypatch.setenv("KOBO_TOKEN", "not-the-token")
    assert _exit(argv) == 5
    err = capsys.readouterr().err
    assert "KoboToolbox refused the credentials (401)" in err and "not-the-token" not in err

    monkeypatch.setenv("KOBO_TOKEN", KOBO_TOKEN)
    assert _exit([*argv, "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["fetched"] == 1 and len(answer["intake"]["created"]) == 2
    assert answer["files_saved"][0].startswith(str(tmp_path / "files" / "kobo"))
    assert _exit(argv) == 0
    out = capsys.readouterr().out
    assert "1 submissions fetched (since 2024-08-01T09:00:00)" in out
    assert "1 already imported" in out and "next pull starts at 2024-08-01T09:00:00" in out
    assert KOBO_TOKEN not in out + Path(store).read_bytes().decode("latin-1")
