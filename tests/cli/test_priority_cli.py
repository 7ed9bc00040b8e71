"""``minewatch priority`` end to end on a SYNTHETIC seeded district."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from benchmarks.synthetic_country import CountrySpec, build
from typer.testing import CliRunner

import minewatch.cli
from minewatch.errors import InvalidInput

runner = CliRunner()


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("cli-district")
    files = build(CountrySpec.tiny(), folder)
    context = str(files.context)
    options = [
        "--areas", f"{files.areas}:hazardous_areas",
        "--population", str(files.population),
        "--roads", f"{context}:roads",
        "--settlements", f"{context}:settlements",
        "--schools", f"{context}:schools",
        "--water", f"{context}:water",
        "--agriculture", f"{context}:agriculture",
        "--accidents", f"{context}:accidents",
        "--as-of", "2025-01-01",
    ]  # fmt: skip
    minewatch.cli._register_commands()
    return folder, options


def _run(*args: str):
    return runner.invoke(minewatch.cli.app, ["priority", *args])


def test_rank_writes_every_output_and_the_others_reuse_them(district) -> None:
    folder, options = district
    out = {ext: folder / f"ranked.{ext}" for ext in ("csv", "gpkg", "png", "html")}
    result = _run("rank", *options, *(f"--{k}={v}" for k, v in out.items()), "--top", "5")
    assert result.exit_code == 0, result.output
    assert "Priorities: scenario balanced" in result.output
    ranked = pd.read_csv(out["csv"])
    assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))
    assert len(pyogrio.read_dataframe(out["gpkg"], layer="ranked")) == len(ranked)
    assert out["png"].read_bytes()[:4] == b"\x89PNG"
    assert "<script src=" not in out["html"].read_text()[:5000]  # plotly inlined: offline

    first = str(ranked["code"].iloc[0])
    explained = _run("explain", first, "--indicators", str(out["gpkg"]))
    assert explained.exit_code == 0, explained.output
    assert f"{first}: rank 1 of {len(ranked)}" in explained.output

    sens = _run("sensitivity", "--indicators", str(out["gpkg"]), "--csv", str(folder / "s.csv"))
    assert sens.exit_code == 0, sens.output
    assert "kendall_tau" in sens.output
    assert (folder / "s.csv").exists()

    grid = _run(
        "grid", "--indicators", str(out["gpkg"]), "--resolution", "6",
        "--gpkg", str(folder / "grid.gpkg"), "--png", str(folder / "grid.png"),
        "--html", str(folder / "grid.html"),
    )  # fmt: skip
    assert grid.exit_code == 0, grid.output
    cells = pyogrio.read_dataframe(folder / "grid.gpkg")
    assert cells["n_areas"].sum() >= len(ranked)


def test_same_ranking_from_scored_indicators_file(district) -> None:
    folder, options = district
    _run("rank", *options, "--gpkg", str(folder / "a.gpkg"), "--csv", str(folder / "a.csv"))
    again = _run("rank", "--indicators", str(folder / "a.gpkg"), "--csv", str(folder / "b.csv"))
    assert again.exit_code == 0, again.output
    first, second = pd.read_csv(folder / "a.csv"), pd.read_csv(folder / "b.csv")
    assert first["code"].tolist() == second["code"].tolist()


def test_user_errors_are_minewatch_errors(district) -> None:
    folder, options = district
    result = _run("rank", *options, "--scenario", "nope")
    assert isinstance(result.exception, InvalidInput)
    assert "no scenario 'nope'" in str(result.exception)
    missing = _run("rank", "--areas", str(folder / "missing.gpkg"))
    assert isinstance(missing.exception, InvalidInput)
    assert _run("rank").exception is not None
