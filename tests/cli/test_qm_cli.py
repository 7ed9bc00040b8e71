"""The ``minewatch qm`` commands, driven through Typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minewatch.cli import _register_commands, app
from minewatch.errors import InvalidInput

_register_commands()
runner = CliRunner()


def run_json(*args: str) -> list[dict]:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_sample_plan() -> None:
    [plan] = run_json("qm", "sample-plan", "--lot-size", "1200", "--level", "II", "--aql", "1.0")
    assert (plan["code_letter"], plan["sample_size"], plan["acceptance_number"]) == ("J", 80, 2)
    [tight] = run_json("qm", "sample-plan", "--lot-size", "1200", "--aql", "1.0",
                       "--severity", "tightened")  # fmt: skip
    assert (tight["acceptance_number"], tight["rejection_number"]) == (1, 2)
    [oc] = run_json("qm", "sample-plan", "--lot-size", "1200", "--aql", "1.0", "--oc", "1,5")
    assert oc["p_accept_at_1_percent"] == pytest.approx(0.9595, abs=1e-4)
    assert oc["p_accept_at_5_percent"] == pytest.approx(0.2207, abs=1e-4)


def test_sample_plan_table_output_for_people() -> None:
    result = runner.invoke(app, ["qm", "sample-plan", "--lot-size", "1200", "--aql", "1.0"])
    assert result.exit_code == 0
    assert "acceptance_number" in result.stdout and "80" in result.stdout


def test_accept_on_zero() -> None:
    [row] = run_json("qm", "accept-on-zero", "--units", "400", "--clean", "99",
                     "--confidence", "95")  # fmt: skip
    assert row["sample_size"] == 180 and row["dirty_limit"] == 5
    assert row["unbounded_lot_sample_size"] == 299
    assert row["achieved_confidence"] >= 0.95


def test_zero_find_with_and_without_a_prior() -> None:
    rows = run_json("qm", "zero-find", "--fraction", "0.1", "--pod", "0.9", "--confidence", "95")
    assert [r["model"] for r in rows] == ["poisson", "binomial"]
    assert rows[1]["items_left_upper"] == 31
    rows = run_json("qm", "zero-find", "--fraction", "0.1", "--pod", "0.9", "--prior-shape", "1",
                    "--prior-rate", "0.5")  # fmt: skip
    assert rows[-1]["model"] == "gamma-poisson"
    assert rows[-1]["posterior_mean_left"] == pytest.approx(0.91 / 0.59)


def test_switching_sequence() -> None:
    rows = run_json("qm", "switching", "--lot-size", "1200", "--aql", "1.0",
                    "--counts", "0,3,0,4,0")  # fmt: skip
    assert [r["severity"] for r in rows] == ["normal"] * 4 + ["tightened"]
    assert rows[-1]["ac"] == 1


def test_classify_from_a_string_and_a_file(tmp_path: Path) -> None:
    evidence = '[{"type": "eo_seen", "source": "told"}, {"type": "marking", "source": "seen"}]'
    [row] = run_json("qm", "classify", "--evidence", evidence)
    assert row["suggestion"] == "CHA" and row["confidence"] == pytest.approx(0.54)
    file = tmp_path / "evidence.json"
    file.write_text('[{"type": "scrap", "source": "told"}]')
    [row] = run_json("qm", "classify", "--evidence-file", str(file), "--informants", "3",
                     "--site-visited", "--records-checked", "--survey-date", "2026-10-01")  # fmt: skip
    assert row["suggestion"] == "none"
    assert row["all_reasonable_effort"] is True and row["unmet"] == []


def test_classify_table(tmp_path: Path) -> None:
    table = tmp_path / "evidence.csv"  # synthetic
    table.write_text("area,type,source\nHA-1,eo_seen,seen\nHA-1,scrap,told\nHA-2,scrap,told\n")
    rows = run_json("qm", "classify-table", str(table))
    assert [(r["area"], r["hazard_class"]) for r in rows] == [("HA-1", "CHA"), ("HA-2", None)]
    table.write_text("area,type,source\nHA-1,ufo,seen\n")
    result = runner.invoke(app, ["qm", "classify-table", str(table)])
    assert isinstance(result.exception, InvalidInput)
    assert result.exception.where.file == str(table) and result.exception.where.row == 1


@pytest.mark.parametrize(
    "args",
    [
        ["qm", "sample-plan", "--lot-size", "1200", "--aql", "1.1"],
        ["qm", "sample-plan", "--lot-size", "1200", "--aql", "1.0", "--severity", "lax"],
        ["qm", "accept-on-zero", "--units", "400", "--clean", "99", "--confidence", "100"],
        ["qm", "classify", "--evidence", '[{"type": "ufo", "source": "seen"}]'],
        ["qm", "classify", "--evidence", "not json"],
        ["qm", "zero-find", "--fraction", "0.1", "--pod", "0.9", "--prior-shape", "1"],
    ],
)
def test_bad_input_is_an_error_not_a_traceback(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    assert isinstance(result.exception, InvalidInput | SystemExit)
