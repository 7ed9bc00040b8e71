"""`minewatch residual …` through Typer's CliRunner. Parameters are synthetic."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from shapely import box
from typer.testing import CliRunner

from minewatch.cli import _register_commands, app
from minewatch.domain.access import local_admin
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.errors import InvalidInput, NotFound
from minewatch.services.records import Draft, Workflow
from minewatch.store import open_store

_register_commands()
runner = CliRunner()
DESIGN = [
    "--sd-fail",
    "0.1",
    "--sd-time",
    "fixed:40h",
    "--sda-fail",
    "0.01",
    "--sda-time",
    "fixed:100d",
]


def run(*args: str) -> str:
    result = runner.invoke(app, ["residual", *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_run_json_gives_the_hand_worked_curve() -> None:
    rows = json.loads(run("run", "-n", "1000", *DESIGN, "--days", "1,10,120", "-f", "json"))
    assert [r["days"] for r in rows] == [1.0, 10.0, 120.0]
    assert [round(r["expected_live"], 9) for r in rows] == [1000.0, 100.0, 1.0]
    assert rows[2]["prob_any_live"] == pytest.approx(1 - 0.999**1000)


def test_run_table_with_lots_uses_monte_carlo_and_writes_a_chart(tmp_path: Path) -> None:
    chart = tmp_path / "decay.html"
    out = run(
        "run",
        "-n",
        "200",
        *DESIGN,
        "--days",
        "0:150:50",
        "--lot-size",
        "20",
        "--icc",
        "0.3",
        "--draws",
        "500",
        "--plot",
        str(chart),
    )
    assert "monte carlo" in out and chart.exists() and "plotly" in chart.read_text()[:5000].lower()


def test_run_reports_time_until_threshold() -> None:
    out = run(
        "run",
        "-n",
        "100",
        "--sd-fail",
        "0",
        "--sd-time",
        "fixed:3d",
        "--no-sda",
        "--days",
        "1,5",
        "--threshold",
        "0.01",
    )
    assert "after 3 days" in out


def test_check_design_and_rate() -> None:
    out = run("check", *DESIGN)
    assert "COMPLIANT" in out and "NOT COMPLIANT" not in out
    rows = json.loads(
        run(
            "check",
            "--sd-fail",
            "0.1",
            "--sd-time",
            "fixed:40h",
            "--sda-fail",
            "0.0100001",
            "--sda-time",
            "fixed:100d",
            "-f",
            "json",
        )
    )
    assert [r["complies"] for r in rows] == [True, False] and rows[0]["exact"] == "1/10"
    assert "EXCEEDS" in run("check", "--rate", "0.12")
    gap = json.loads(run("check", "--rate", "0.0005", "--clause", "combined", "-f", "json"))[0]
    assert gap["complies"] and gap["ratio"] == pytest.approx(0.5)


def test_update_and_predict() -> None:
    rows = json.loads(
        run(
            "update",
            "--sd-fail",
            "beta:1,1",
            "--sd-time",
            "uniform:4h,40h",
            "--sda-fail",
            "beta:1,1",
            "--sda-time",
            "fixed:120d",
            "--live",
            "2",
            "--inert",
            "8",
            "--delivered",
            "100",
            "--days-after",
            "200",
            "--predict",
            "50",
            "-f",
            "json",
        )
    )
    assert rows[0]["self_destruct_posterior"].startswith("Beta(11, 91)")
    assert rows[0]["self_deactivation_posterior"].startswith("Beta(3, 9)")
    assert 0 < rows[0]["predict_prob_any_live"] < 1


def test_devices_lists_sources(tmp_path: Path) -> None:
    out = run("devices", "-f", "csv")
    assert "PFM-1S" in out and "wikipedia.org" in out


def test_user_errors_are_minewatch_errors() -> None:
    result = runner.invoke(
        app,
        [
            "residual",
            "run",
            "-n",
            "10",
            "--sd-fail",
            "beta:0,1",
            "--sd-time",
            "fixed:1d",
            "--no-sda",
        ],
    )
    assert isinstance(result.exception, InvalidInput)
    result = runner.invoke(app, ["residual", "run", "-n", "10", "--sd-fail", "0.1"])
    assert isinstance(result.exception, InvalidInput)
    result = runner.invoke(app, ["residual", "run", "-n", "10", "--device", "PFM-1S", "--no-sda"])
    assert isinstance(result.exception, InvalidInput) and "sd_failure" in str(result.exception)


def test_params_file_and_plot(tmp_path: Path) -> None:
    params = tmp_path / "design.toml"
    params.write_text(
        'name = "synthetic"\n[self_destruct]\nfailure = "beta:2,38"\ntiming = "uniform:4h,40h"\n'
        '[self_deactivation]\nfailure = "beta:1,99"\ntiming = "weibull:3,100d"\n'
    )
    png = tmp_path / "c.png"
    assert "chart written" in run(
        "plot", "-n", "300", "-p", str(params), "-o", str(png), "--days", "0:200:10"
    )
    assert png.read_bytes()[:4] == b"\x89PNG"
    bad = tmp_path / "bad.toml"
    bad.write_text('[self_destruct]\nfailure = "beta:2,38"\n')
    result = runner.invoke(app, ["residual", "run", "-n", "3", "-p", str(bad)])
    assert isinstance(result.exception, InvalidInput) and "timing" in str(result.exception)


def test_strike_command_drafts_the_area_report(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.gpkg'}"
    repo = open_store(url, create=True)
    wf = Workflow(repo, local_admin("setup"))
    laid = datetime(2024, 3, 1, tzinfo=UTC)
    code = wf.create_drafts(
        [
            Draft(
                Kind.SCATTERABLE_STRIKE,
                {"mine_count": 500, "laid_at": laid.isoformat()},
                laid.date(),
                box(30, 50, 30.01, 50.01),
            )
        ],
        state=ReportState.APPROVED,
    )[0].item_code
    repo.close()
    out = run("strike", code or "", "--as-of", "2024-03-21", "-s", url, *DESIGN)
    assert "creates HA-" in out and "submitted" in out
    result = runner.invoke(
        app, ["residual", "strike", "STR-999", "--as-of", "2024-03-21", "-s", url, *DESIGN]
    )
    assert isinstance(result.exception, NotFound)
