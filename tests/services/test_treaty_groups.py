"""Groupings of states (NATO, EU, OSCE) as dated, sourced memberships, usable wherever a
state is: "who in NATO is bound by what today" in one step."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from minewatch.domain.treaty import Instrument
from minewatch.errors import InvalidInput, NotFound
from minewatch.io.treaty_data import data_source
from minewatch.services.treaty import TreatyMonitor
from minewatch.services.treaty_groups import (
    group_status_rows,
    group_summary_rows,
    members_on,
)


@pytest.fixture(scope="module")
def monitor() -> TreatyMonitor:
    return TreatyMonitor.shipped()


def _names(monitor: TreatyMonitor, group: str, day: date) -> set[str]:
    return {m.state for m, _ in members_on(monitor, group, day)}


def test_nato_membership_follows_accession_dates(monitor: TreatyMonitor) -> None:
    assert len(_names(monitor, "NATO", date(2026, 12, 7))) == 32
    assert "Finland" not in _names(monitor, "NATO", date(2023, 4, 3))
    assert "Finland" in _names(monitor, "NATO", date(2023, 4, 4))
    assert "Sweden" not in _names(monitor, "NATO", date(2024, 3, 6))
    assert "Sweden" in _names(monitor, "NATO", date(2024, 3, 7))
    assert len(_names(monitor, "NATO", date(1950, 1, 1))) == 12
    # a year-dated accession is uncertain inside its year
    uncertain = {m.state for m, sure in members_on(monitor, "NATO", date(1952, 6, 1)) if not sure}
    assert uncertain == {"Greece", "Türkiye"}


def test_eu_and_the_united_kingdom(monitor: TreatyMonitor) -> None:
    uk = "United Kingdom of Great Britain and Northern Ireland"
    assert uk in _names(monitor, "EU", date(2020, 1, 30))
    assert uk not in _names(monitor, "EU", date(2020, 2, 1))
    assert len(_names(monitor, "EU", date(2026, 12, 7))) == 27
    assert "Croatia" not in _names(monitor, "EU", date(2013, 6, 30))


def test_who_in_nato_is_bound_by_what(monitor: TreatyMonitor) -> None:
    day = date(2026, 12, 7)
    summary = {r["status"]: r for r in group_summary_rows(monitor, "nato", [Instrument.APMBC], day)}
    assert summary["withdrawn"]["members"] == "Estonia; Finland; Latvia; Lithuania; Poland"
    assert summary["not bound"]["members"] == "United States of America"
    assert summary["bound"]["states"] == 26
    rows = group_status_rows(monitor, "NATO", [Instrument.CCW_AP2], day)
    assert len(rows) == 32 and all(r["status"] == "bound" for r in rows)
    assert all(r["membership_source"] and "http" in r["membership_source"] for r in rows)


def test_unknown_group_and_bad_rows(monitor: TreatyMonitor, tmp_path: Path) -> None:
    import shutil

    with pytest.raises(NotFound, match="known: EU, NATO, OSCE"):
        members_on(monitor, "Warsaw Pact", date(2026, 1, 1))
    data = shutil.copytree(str(data_source()), tmp_path / "data")
    with (data / "groups.csv").open("a") as fh:  # synthetic row, for the test only
        fh.write("NATO,XXX,Atlantis,1949,,,synthetic,https://example.org,synthetic\n")
    with pytest.raises(InvalidInput, match=r"groups\.csv.*iso3"):
        TreatyMonitor.load(data)
