"""Updating a treaty data directory from newer saved pages and sourced additions, and the
report of what changed (minewatch treaty update)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minewatch.cli import _register_commands, app
from minewatch.domain.treaty import Instrument, StatusKind
from minewatch.errors import InvalidInput
from minewatch.io.treaty_data import data_source
from minewatch.services.treaty import TreatyMonitor
from minewatch.services.treaty_update import update_data

UNTC = Path(__file__).parents[2] / ".." / "shared" / "reference" / "untc"


@pytest.fixture
def older(tmp_path: Path) -> Path:
    """The shipped data as an older copy would have been: without Tonga's accession and with
    the page's status date a month earlier (a synthetic past, for the test only)."""
    target = shutil.copytree(str(data_source()), tmp_path / "data")
    path = target / "participants_apmbc.csv"
    path.write_text("".join(r for r in path.read_text().splitlines(True) if ",Tonga," not in r))
    instruments = target / "instruments.csv"
    instruments.write_text(instruments.read_text().replace("2026-02-03", "2026-01-03"))
    return target


def test_update_from_a_newer_page_reports_what_changed(older: Path) -> None:
    if not (UNTC / "ottawa.html").is_file():
        pytest.skip("reference pages not available")
    report = update_data(older, [UNTC / "ottawa.html"])
    assert report.written
    assert report.status_as_at == {"apmbc": ("2026-01-03", "2026-02-03")}
    changes = {(c["file"], c["key"], c["change"]) for c in report.changes}
    assert ("participants_apmbc.csv", "apmbc / Tonga", "added") in changes
    tonga = TreatyMonitor.load(older).status("Tonga", Instrument.APMBC, date(2026, 1, 1))
    assert tonga.kind is StatusKind.BOUND


def test_unsourced_addition_is_refused_and_nothing_written(older: Path, tmp_path: Path) -> None:
    before = {p.name: p.read_bytes() for p in older.iterdir()}
    addition = tmp_path / "art5_extensions.csv"
    header = (older / "art5_extensions.csv").read_text().splitlines()[0]
    addition.write_text(header + "\nCambodia,4,2040-12-31,2035,,,,a synthetic claim,,\n")
    with pytest.raises(InvalidInput, match="without a source URL or quotation"):
        update_data(older, additions=[addition])
    assert {p.name: p.read_bytes() for p in older.iterdir()} == before


def test_addition_with_wrong_columns_is_refused(older: Path, tmp_path: Path) -> None:
    addition = tmp_path / "stockpiles.csv"
    addition.write_text("state,held\nSynthetica,true\n")
    with pytest.raises(InvalidInput, match=r"needs the columns of stockpiles\.csv"):
        update_data(older, additions=[addition])


def test_update_command_dry_run(older: Path, tmp_path: Path) -> None:
    _register_commands()
    addition = tmp_path / "stockpiles.csv"
    header = (older / "stockpiles.csv").read_text().splitlines()[0]
    addition.write_text(
        header + "\napmbc,Canada,true,synthetic source,https://example.org/s,synthetic quote\n"
    )
    before = (older / "stockpiles.csv").read_text()
    result = CliRunner().invoke(
        app,
        ["treaty", "update", "--data-dir", str(older), "--add", str(addition), "--dry-run"],
    )
    assert result.exit_code == 0, result.output
    assert "apmbc / Canada" in result.output and "would write (dry run)" in result.output
    assert (older / "stockpiles.csv").read_text() == before


def test_a_page_for_one_instrument_keeps_the_others_rows(older: Path) -> None:
    """Updating from the CCW page alone keeps the directory's own APMBC withdrawals and
    communications (here without Poland's withdrawal, a synthetic past), not the shipped ones."""
    if not (UNTC / "ccw_p2a.html").is_file():
        pytest.skip("reference pages not available")
    path = older / "withdrawals.csv"
    path.write_text("".join(r for r in path.read_text().splitlines(True) if ",Poland," not in r))
    report = update_data(older, [UNTC / "ccw_p2a.html"])
    assert not [c for c in report.changes if c["file"] == "withdrawals.csv"]
    assert ",Poland," not in (older / "withdrawals.csv").read_text()
