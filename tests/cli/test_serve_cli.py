"""``minewatch user`` commands: first administrator without a default password, users and
tokens (synthetic accounts)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from typer.testing import CliRunner

import minewatch.cli
from minewatch.domain.records import Organisation
from minewatch.services import accounts as accounts_module
from minewatch.services.accounts import Accounts
from minewatch.store import open_store


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        accounts_module, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> tuple[int, str]:
    minewatch.cli._register_commands()
    result = CliRunner().invoke(minewatch.cli.app, list(args), input=stdin, env=env)
    return result.exit_code, result.output


def test_create_admin_add_user_and_token(tmp_path: Path) -> None:
    path = str(tmp_path / "s.gpkg")
    with open_store(path, create=True) as store:
        store.put_items([Organisation(code="ORG-1", name="Synthetic organisation")])
    code, out = run(
        "user", "create-admin", path, "ines", "--password-stdin", stdin="a long passphrase\n"
    )
    assert code == 0 and "administrator ines created" in out
    code, _ = run(
        "user", "add", path, "amina", "--role", "data_worker", "--organisation", "ORG-1",
        env={"MINEWATCH_ADMIN_PASSWORD": "another long passphrase"},
    )  # fmt: skip
    assert code == 0
    code, out = run("user", "token", path, "amina", "--label", "qgis")
    token = out.strip().splitlines()[-1]
    assert code == 0 and token.startswith("mw_")
    with open_store(path) as store:
        accounts = Accounts(store)
        assert accounts.authenticate("ines", "a long passphrase").role.value == "admin"
        actor = accounts.actor_for_token(token)
        assert actor is not None and actor.organisation_code == "ORG-1"


def test_prompted_password_must_match_and_be_long(tmp_path: Path) -> None:
    path = str(tmp_path / "s.gpkg")
    open_store(path, create=True).close()
    code, _ = run("user", "create-admin", path, "ines", stdin="short\nshort\n")
    assert code != 0
    code, _ = run(
        "user", "create-admin", path, "ines", stdin="a long passphrase\na long passphrase\n"
    )
    assert code == 0


def test_serve_help_has_an_example() -> None:
    code, out = run("serve", "--help")
    assert code == 0 and "minewatch serve -s demo.gpkg" in out


def test_user_commands_take_the_store_as_every_command_does(tmp_path: Path) -> None:
    """`-s/--store` or MINEWATCH_STORE, like every other command; the old form
    `user create-admin STORE NAME` still works."""
    path = str(tmp_path / "s.gpkg")
    open_store(path, create=True).close()
    password = {"MINEWATCH_ADMIN_PASSWORD": "a long passphrase"}
    assert run("user", "create-admin", "ines", "-s", path, env=password)[0] == 0
    assert run("user", "create-admin", "omar", env={**password, "MINEWATCH_STORE": path})[0] == 0
    assert run("user", "create-admin", path, "lea", env=password)[0] == 0
    code, out = run("user", "token", "lea", "--store", path)
    assert code == 0 and out.strip().startswith("mw_")
    with open_store(path) as store:
        accounts = Accounts(store)
        for name in ("ines", "omar", "lea"):
            assert accounts.authenticate(name, "a long passphrase").role.value == "admin"


def test_serve_takes_the_store_as_argument_or_option(tmp_path: Path, monkeypatch) -> None:
    import uvicorn

    path = str(tmp_path / "s.gpkg")
    open_store(path, create=True).close()
    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: served.append(app))
    monkeypatch.delenv("MINEWATCH_STORE", raising=False)
    assert run("serve", "-s", path)[0] == 0
    assert run("serve", path)[0] == 0
    assert run("serve", path, env={"MINEWATCH_STORE": str(tmp_path / "other.gpkg")})[0] == 0
    assert len(served) == 3
    code, _ = run("serve", path, "--store", str(tmp_path / "other.gpkg"))
    assert code != 0 and len(served) == 3


def test_serve_uses_the_national_configuration_given(tmp_path: Path, monkeypatch, capsys) -> None:
    import uvicorn

    path = str(tmp_path / "s.gpkg")
    open_store(path, create=True).close()
    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: served.append(app))
    monkeypatch.setenv("MINEWATCH_CONFIG", "")  # restored after the test
    national = tmp_path / "national.toml"
    national.write_text('[priority]\ndefault_scenario = "livelihoods"\n')
    code, out = run("serve", path, "--national-config", str(national))
    assert code == 0 and len(served) == 1, out
    # The served app was built from that file by the composition root, not the environment.
    assert served[0].state.ctx.configuration.priority.default_scenario == "livelihoods"  # type: ignore[attr-defined]
    assert os.environ.get("MINEWATCH_CONFIG") == ""  # one worker: nothing passed by the env
    bad = tmp_path / "bad.toml"
    bad.write_text("[priority]\nnormalisation = 3\n")
    with pytest.raises(SystemExit) as exited:
        minewatch.cli.main(["serve", path, "--national-config", str(bad)])
    assert exited.value.code != 0 and len(served) == 1
    assert "normalisation" in capsys.readouterr().err


@pytest.mark.parametrize(("asked", "started"), [(0, 3), (1, 1), (2, 2)])
def test_serve_workers_zero_starts_one_per_core(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, asked: int, started: int
) -> None:
    import uvicorn

    path = str(tmp_path / "s.gpkg")
    open_store(path, create=True).close()
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    # serve sets these for its worker processes: monkeypatch puts them back as they were
    for name in ("MINEWATCH_STORE", "MINEWATCH_CONFIG", "MINEWATCH_SERVER_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    code, out = run("serve", path, "--workers", str(asked))
    assert code == 0, out
    (options,) = calls
    assert options.get("workers", 1) == started


def test_serve_refuses_negative_workers(tmp_path: Path) -> None:
    code, _ = run("serve", str(tmp_path / "s.gpkg"), "--workers", "-1")
    assert code != 0


def test_user_usage_lines_show_only_what_to_type() -> None:
    """The old ``user create-admin STORE NAME`` form is accepted through a hidden argument,
    which typer would print in the usage line as ``[legacy]``."""
    for command in ("create-admin", "add", "token"):
        code, out = run("user", command, "--help")
        usage = next(line for line in out.splitlines() if "Usage:" in line)
        assert code == 0 and "username" in usage.lower(), usage
        assert "legacy" not in out, f"user {command} --help shows the hidden argument"


def test_a_piped_password_is_read_without_a_warning_or_an_echo(tmp_path: Path) -> None:
    """``printf 'pw\\npw\\n' | minewatch user create-admin …``: stdin is not a terminal, so
    the lines are read as the prompt would have read them, with one line saying what to
    use in scripts, and no GetPassWarning."""
    import warnings

    path = str(tmp_path / "s.gpkg")
    open_store(path, create=True).close()
    secret = "a long passphrase"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a GetPassWarning would fail the command
        code, out = run("user", "create-admin", "ines", "-s", path, stdin=f"{secret}\n{secret}\n")
    assert code == 0 and "administrator ines created" in out, out
    assert "--password-stdin" in out and "MINEWATCH_ADMIN_PASSWORD" in out
    assert secret not in out
    for stdin, said in ((f"{secret}\nother words\n", "differ"), ("", "no password")):
        result = CliRunner().invoke(
            minewatch.cli.app, ["user", "create-admin", "omar", "-s", path], input=stdin
        )
        assert result.exit_code != 0 and said in str(result.exception)
        assert secret not in result.output + str(result.exception)
    with open_store(path) as store:
        assert Accounts(store).authenticate("ines", secret).role.value == "admin"
