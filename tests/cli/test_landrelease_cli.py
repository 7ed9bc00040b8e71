"""``minewatch release …`` through the Typer app, on the SYNTHETIC programme of benchmarks/synthetic_landrelease_store.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmarks.synthetic_landrelease_store import build_store
from typer.testing import CliRunner

import minewatch.cli

runner = CliRunner()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "synthetic.gpkg"
    build_store(path)
    minewatch.cli._register_commands()
    return str(path)


def run(*args: str):
    return runner.invoke(minewatch.cli.app, list(args), catch_exceptions=False)


def test_account_prints_a_balanced_table(store_path: str) -> None:
    result = run(
        "release",
        "account",
        "--store",
        store_path,
        "--by",
        "location",
        "--format",
        "json",
        "--area-tolerance",
        "0.05",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    for row in rows:
        parts = row["cancelled_m2"] + row["reduced_m2"] + row["cleared_m2"] + row["remaining_m2"]
        assert row["original_m2"] == pytest.approx(parts, abs=0.5)


def test_report_statement_and_pieces(store_path: str, tmp_path: Path) -> None:
    result = run(
        "release",
        "report",
        str(tmp_path / "r"),
        "--store",
        store_path,
        "--formats",
        "csv,json",
        "--area-tolerance",
        "0.05",
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r" / "land-release.json").exists()
    result = run(
        "release",
        "statement",
        str(tmp_path / "s"),
        "--store",
        store_path,
        "--formats",
        "html",
        "--area-tolerance",
        "0.05",
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "release-statements.html").exists()
    result = run(
        "release",
        "statement",
        str(tmp_path / "z"),
        "--store",
        store_path,
        "--formats",
        "html",
        "--searched-fraction",
        "0.1",
        "--detection-probability",
        "0.9",
    )  # tolerance from national configuration
    assert result.exit_code == 0, result.output
    html = (tmp_path / "z" / "release-statements.html").read_text()
    assert "zero-find bound (poisson)" in html and "30.29" in html
    result = run(
        "release",
        "account",
        "--store",
        store_path,
        "--area-tolerance",
        "0.05",
        "--pieces",
        str(tmp_path / "pieces.gpkg"),
        "--from",
        "2024-01-01",
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pieces.gpkg").exists()


def test_bad_options_are_user_errors(store_path: str) -> None:
    with pytest.raises(minewatch.errors.InvalidInput):
        run(
            "release",
            "account",
            "--store",
            store_path,
            "--by",
            "colour",
            "--area-tolerance",
            "0.05",
        )
    with pytest.raises(minewatch.errors.InvalidInput):
        run(
            "release",
            "report",
            "out",
            "--store",
            store_path,
            "--formats",
            "docx",
            "--area-tolerance",
            "0.05",
        )
