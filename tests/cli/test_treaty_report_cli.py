"""`minewatch treaty report` on the synthetic demo programme: three files, every figure in
the annex, and a clear refusal for an unknown state."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from minewatch.cli import _register_commands, app

_register_commands()
runner = CliRunner()


def test_report_writes_docx_xlsx_pdf(tmp_path: Path) -> None:
    store = tmp_path / "demo.gpkg"
    assert runner.invoke(app, ["demo", str(store)]).exit_code == 0
    result = runner.invoke(
        app,
        [
            "treaty",
            "report",
            "--state",
            "UKR",
            "--year",
            "2022",
            "-o",
            str(tmp_path / "out"),
            "--store",
            str(store),
        ],
    )
    assert result.exit_code == 0, result.output
    stem = tmp_path / "out" / "article7-apmbc-UKR-2022"
    for suffix in (".docx", ".xlsx", ".pdf"):
        assert stem.with_suffix(suffix).stat().st_size > 1000
    annex = list(load_workbook(stem.with_suffix(".xlsx"))["Annex"].iter_rows(values_only=True))
    # the demo's 2022 casualties are traced to their victim records, its areas to theirs
    assert any(row[0].startswith("J1") and row[1] == "Total" and "VIC-" in row[2] for row in annex)
    assert any(row[0].startswith("C1") and row[2].startswith("HA-") for row in annex[1:])
    assert "figures traced to records" in result.output

    refused = runner.invoke(
        app,
        [
            "treaty",
            "report",
            "--state",
            "Atlantis",
            "--year",
            "2022",
            "-o",
            str(tmp_path),
            "--store",
            str(store),
        ],
    )
    assert refused.exit_code != 0 and "Atlantis" in str(refused.exception)


def test_profile_by_suffix(tmp_path: Path) -> None:
    store = tmp_path / "demo.gpkg"
    assert runner.invoke(app, ["demo", str(store)]).exit_code == 0
    for name in ("p.html", "p.pdf", "p.json"):
        result = runner.invoke(
            app, ["treaty", "profile", "--state", "UKR", "-o", str(tmp_path / name),
                  "--store", str(store), "--on", "2026-12-07"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    assert "Country profile: Ukraine (UKR)" in (tmp_path / "p.html").read_text()
    assert (tmp_path / "p.pdf").read_bytes()[:5] == b"%PDF-"
    refused = runner.invoke(
        app, ["treaty", "profile", "--state", "UKR", "-o", str(tmp_path / "p.txt"),
              "--store", str(store)],
    )  # fmt: skip
    assert refused.exit_code != 0
