"""The treaty monitor service: shipped data, entry into force for every participant, counts,
statuses, the 2025 withdrawals, deadlines, re-import and policy.

Fixtures are the saved UNTC pages in ../shared/reference/untc (depositary facts, status as at
3 February 2026); data marked synthetic is made up for the test.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from minewatch.domain.treaty import (
    ConditionAssessment,
    ConsentType,
    CountDefinition,
    Instrument,
    StatusKind,
    add_months,
    first_day_of_sixth_month_after,
)
from minewatch.errors import InvalidInput, NotFound
from minewatch.io.untc import parse_status_page
from minewatch.services.treaty import TreatyMonitor
from minewatch.services.treaty_import import import_pages
from minewatch.services.treaty_rows import export, policy_diff_rows, policy_rows, status_row

UNTC = Path(__file__).parents[2] / ".." / "shared" / "reference" / "untc"
SHIPPED = resources.files("minewatch.data") / "treaties"
IN_FORCE, CONSENTED = CountDefinition.IN_FORCE, CountDefinition.CONSENTED


@pytest.fixture(scope="module")
def monitor() -> TreatyMonitor:
    return TreatyMonitor.load()


@pytest.fixture(scope="module")
def pages() -> list[Path]:
    found = [UNTC / "ottawa.html", UNTC / "ccw_p2a.html"]
    if not all(p.is_file() for p in found):
        pytest.skip("reference pages not available")
    return found


# --- shipped data ---


def test_shipped_data_is_exactly_what_the_importer_builds(
    pages: list[Path], tmp_path: Path
) -> None:
    report = import_pages(pages, tmp_path)
    assert report.participants == {"apmbc": 166, "ccw-ap2": 107}
    assert report.unmatched_names == []
    for name in (
        "instruments.csv",
        "participants_apmbc.csv",
        "participants_ccw-ap2.csv",
        "withdrawals.csv",
        "communications.csv",
        "notes.csv",
    ):
        assert (tmp_path / name).read_text() == (SHIPPED / name).read_text(), name


def test_every_shipped_row_has_a_source() -> None:
    for name in (
        "participants_apmbc.csv",
        "participants_ccw-ap2.csv",
        "withdrawals.csv",
        "communications.csv",
        "notes.csv",
        "instruments.csv",
        "effect_facts.csv",
        "art5_extensions.csv",
        "art5_completions.csv",
        "states.csv",
    ):
        rows = list(csv.DictReader((SHIPPED / name).read_text().splitlines()))
        assert rows, name
        assert all(r["source"].strip() for r in rows), name
        if "status_as_at" in rows[0]:
            assert all(r["status_as_at"] == "2026-02-03" for r in rows), name


def test_shipped_data_passes_the_sources_check() -> None:
    """`minewatch treaty sources --check` on the shipped data: every curated row (Ukraine's
    2025 acts, the armed-conflict finding, extension decisions, dates of effect, stockpile
    declarations, every US policy source) has its URL and the passage quoted."""
    from typer.testing import CliRunner

    from minewatch.cli import _register_commands, app

    _register_commands()
    result = CliRunner().invoke(app, ["treaty", "sources", "--check", "--data-dir", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    assert "every row has its source URL and quotation" in result.output


def test_sources_check_fails_on_a_row_without_url_or_quote(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from minewatch.cli import _register_commands, app

    _register_commands()
    data = _user_dir(tmp_path)
    with (data / "art5_extensions.csv").open("a") as fh:  # synthetic row, for the test only
        fh.write("Cambodia,4,2040-12-31,2035,,,,synthetic claim,,\n")
    result = CliRunner().invoke(app, ["treaty", "sources", "--check", "--data-dir", str(data)])
    assert result.exit_code == 1
    assert "art5_extensions.csv" in result.output and "source_url, quote" in result.output


# --- entry into force for every participant ---


def test_entry_into_force_for_every_apmbc_participant(
    monitor: TreatyMonitor, pages: list[Path]
) -> None:
    """Every participant of the saved page, recomputed independently from the page's own rows
    and checked against every date of effect the depositary states (the Convention's own
    entry into force, "1 March 1999, in accordance with article 17(1)")."""
    page = parse_status_page(pages[0])
    table = {r["state"]: r for r in monitor.entry_into_force_table(Instrument.APMBC)}
    assert set(table) == {r.name for r in page.participants}
    successions = {"Montenegro": date(2007, 4, 1), "South Sudan": date(2011, 7, 9)}
    for row in page.participants:
        got = table[row.name]["entry_into_force"]
        assert row.consent is not None
        if row.consent_type is ConsentType.SUCCESSION:
            assert got == successions[row.name]
            continue
        if row.consent <= date(1998, 9, 30):  # up to the month of the 40th instrument
            assert got == page.stated_entry_into_force == date(1999, 3, 1), row.name
        else:
            assert got == first_day_of_sixth_month_after(row.consent), row.name
            assert got.day == 1 and add_months(row.consent, 5) < got <= add_months(row.consent, 6)


def test_entry_into_force_for_every_ccw_participant(
    monitor: TreatyMonitor, pages: list[Path]
) -> None:
    page = parse_status_page(pages[1])
    table = {r["state"]: r for r in monitor.entry_into_force_table(Instrument.CCW_AP2)}
    assert len(table) == 107
    for row in page.participants:
        assert row.consent is not None
        got = table[row.name]["entry_into_force"]
        if row.consent <= date(1998, 6, 3):
            assert got == page.stated_entry_into_force == date(1998, 12, 3), row.name
        else:
            assert got == add_months(row.consent, 6), row.name
    assert table["United States of America"]["entry_into_force"] == date(1999, 11, 24)


def test_sourced_entry_into_force_checks(monitor: TreatyMonitor) -> None:
    table = {
        r["state"]: r["entry_into_force"] for r in monitor.entry_into_force_table(Instrument.APMBC)
    }
    assert table["Marshall Islands"] == date(2025, 9, 1)
    assert table["Tonga"] == date(2025, 12, 1)
    assert table["Sri Lanka"] == date(2018, 6, 1)
    assert table["Latvia"] == date(2006, 1, 1)
    assert table["Benin"] == date(1999, 3, 1)
    assert table["Ethiopia"] == date(2005, 6, 1)
    assert table["Burkina Faso"] == date(1999, 3, 1)


# --- the 2025 withdrawals ---


WITHDRAWALS_2025 = {
    "Estonia": (date(2025, 6, 27), date(2025, 12, 27), "C.N.360.2025.TREATIES-XXVI-5"),
    "Latvia": (date(2025, 6, 27), date(2025, 12, 27), "C.N.361.2025.TREATIES-XXVI-5"),
    "Lithuania": (date(2025, 6, 27), date(2025, 12, 27), "C.N.362.2025.TREATIES-XXVI-5"),
    "Finland": (date(2025, 7, 10), date(2026, 1, 10), "C.N.372.2025.TREATIES-XXVI-5"),
    "Poland": (date(2025, 8, 20), date(2026, 2, 20), "C.N.421.2025.TREATIES-XXVI-5"),
}


@pytest.mark.parametrize("state", sorted(WITHDRAWALS_2025))
def test_2025_withdrawals(monitor: TreatyMonitor, state: str) -> None:
    received, effective, cn = WITHDRAWALS_2025[state]
    row = next(r for r in monitor.entry_into_force_table(Instrument.APMBC) if r["state"] == state)
    assert (
        row["withdrawal_received"],
        row["withdrawal_effective"],
        row["withdrawal_notification"],
    ) == (received, effective, cn)
    before = monitor.status(state, Instrument.APMBC, date(2025, 1, 1))
    assert before.kind is StatusKind.BOUND
    assert monitor.status(state, Instrument.APMBC, received).kind is StatusKind.WITHDRAWAL_PENDING
    day_before = date.fromordinal(effective.toordinal() - 1)
    assert monitor.status(state, Instrument.APMBC, day_before).kind is StatusKind.WITHDRAWAL_PENDING
    after = monitor.status(state, Instrument.APMBC, effective)
    assert after.kind is StatusKind.WITHDRAWN and after.withdrawal_effective == effective
    # still bound by CCW Amended Protocol II
    assert monitor.status(state, Instrument.CCW_AP2, effective).kind is StatusKind.BOUND


def test_computed_withdrawal_dates_equal_the_depositarys() -> None:
    rows = list(csv.DictReader((SHIPPED / "withdrawals.csv").read_text().splitlines()))
    assert len(rows) == 5
    assert all(r["computed_effective"] == r["stated_effective"] for r in rows)


def test_poland_condition_is_reported_not_guessed(monitor: TreatyMonitor) -> None:
    poland = monitor.status("Poland", Instrument.APMBC, date(2026, 3, 1))
    assert poland.kind is StatusKind.WITHDRAWN
    assert poland.condition is ConditionAssessment.NOT_ASSESSED
    assert "armed-conflict condition not assessed" in poland.label
    strict = monitor.status("Poland", Instrument.APMBC, date(2026, 3, 1), strict_conditions=True)
    assert strict.kind is StatusKind.WITHDRAWAL_PENDING
    estonia = monitor.status("Estonia", Instrument.APMBC, date(2026, 3, 1), strict_conditions=True)
    assert estonia.kind is StatusKind.WITHDRAWN  # the depositary states it took effect


def _user_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    with resources.as_file(SHIPPED) as src:
        shutil.copytree(src, target)
    return target


def test_sourced_armed_conflict_input_postpones_withdrawal(tmp_path: Path) -> None:
    data = _user_dir(tmp_path)
    with (data / "armed_conflict.csv").open("a") as fh:  # synthetic finding, for the test only
        fh.write("Poland,true,2026-01-01,,synthetic test conflict,synthetic source\n")
    m = TreatyMonitor.load(data)
    assert (
        m.status("Poland", Instrument.APMBC, date(2026, 6, 1)).kind is StatusKind.WITHDRAWAL_PENDING
    )
    (data / "armed_conflict.csv").write_text(
        "state,engaged,since,until,description,source\n"
        "Poland,true,2026-01-01,2026-05-01,synthetic test conflict,synthetic source\n"
    )
    m = TreatyMonitor.load(data)
    assert (
        m.status("Poland", Instrument.APMBC, date(2026, 4, 30)).kind
        is StatusKind.WITHDRAWAL_PENDING
    )
    assert m.status("Poland", Instrument.APMBC, date(2026, 5, 1)).kind is StatusKind.WITHDRAWN


def test_row_without_source_is_rejected(tmp_path: Path) -> None:
    data = _user_dir(tmp_path)
    with (data / "armed_conflict.csv").open("a") as fh:
        fh.write("Poland,true,2026-01-01,,no source given,\n")
    with pytest.raises(InvalidInput, match="source"):
        TreatyMonitor.load(data)


# --- counts ---


@pytest.mark.parametrize(
    ("day", "in_force", "consented"),
    [
        (date(2026, 2, 3), 162, 162),  # the page's own "Parties : 162"
        (date(2025, 6, 24), 164, 165),  # Marshall Islands deposited, not yet in force
        (date(2025, 7, 1), 164, 166),  # Tonga deposited 25 Jun 2025
        (date(2025, 9, 1), 165, 166),
        (date(2025, 12, 1), 166, 166),
        (date(2025, 12, 27), 163, 163),  # Estonia, Latvia, Lithuania out
        (date(2026, 1, 10), 162, 162),  # Finland out
        (date(2026, 2, 20), 161, 161),  # Poland out (condition not assessed)
    ],
)
def test_apmbc_counts(monitor: TreatyMonitor, day: date, in_force: int, consented: int) -> None:
    assert int(monitor.count(Instrument.APMBC, [day], IN_FORCE)[0]) == in_force
    assert int(monitor.count(Instrument.APMBC, [day], CONSENTED)[0]) == consented


def test_counts_at_entry_into_force(monitor: TreatyMonitor, pages: list[Path]) -> None:
    page = parse_status_page(pages[0])
    deposited_by = lambda d: sum(1 for r in page.participants if r.consent and r.consent <= d)  # noqa: E731
    assert int(monitor.count(Instrument.APMBC, [date(1999, 2, 28)], IN_FORCE)[0]) == 0
    assert int(monitor.count(Instrument.APMBC, [date(1999, 3, 1)], IN_FORCE)[0]) == deposited_by(
        date(1998, 9, 30)
    )
    assert int(monitor.count(Instrument.APMBC, [date(1999, 3, 1)], CONSENTED)[0]) == deposited_by(
        date(1999, 3, 1)
    )
    assert int(monitor.count(Instrument.CCW_AP2, [date(2026, 2, 3)], IN_FORCE)[0]) == 107


# --- statuses and comparison ---


def test_statuses(monitor: TreatyMonitor) -> None:
    on = date(2026, 3, 1)
    assert monitor.status("USA", Instrument.APMBC, on).kind is StatusKind.NOT_BOUND
    assert monitor.status("united states", Instrument.CCW_AP2, on).kind is StatusKind.BOUND
    assert (
        monitor.status("Marshall Islands", Instrument.APMBC, date(2020, 1, 1)).kind
        is StatusKind.SIGNED
    )
    tonga = monitor.status("Tonga", Instrument.APMBC, date(2025, 7, 1))
    assert tonga.kind is StatusKind.CONSENTED
    ukraine = monitor.status("Ukraine", Instrument.APMBC, on)
    assert ukraine.kind is StatusKind.BOUND and ukraine.communication_on_record
    assert not monitor.status(
        "Ukraine", Instrument.APMBC, date(2016, 3, 29)
    ).communication_on_record
    austria = monitor.status("Austria", Instrument.APMBC, date(1998, 12, 1))
    assert austria.kind is StatusKind.CONSENTED and "provisionally" in austria.label
    # Montenegro: the Landmine Monitor's date (1 April 2007), not the unsourced 3 June 2006
    assert monitor.status("Montenegro", Instrument.APMBC, date(2007, 4, 1)).kind is StatusKind.BOUND
    assert monitor.status("Montenegro", Instrument.APMBC, date(2007, 3, 1)).kind is (
        StatusKind.CONSENTED
    )
    with pytest.raises(NotFound, match="Narnia"):
        monitor.status("Narnia", Instrument.APMBC, on)


def test_ukraine_2025_acts_and_their_legal_character(monitor: TreatyMonitor) -> None:
    """The decree (29 June), the Rada's law (15 July) and the notification to the depositary
    (18 July 2025), each sourced; still bound, the suspension described as the States
    Parties described it."""
    before = monitor.status("Ukraine", Instrument.APMBC, date(2025, 6, 28))
    assert before.label == "bound; communication on record"
    today = monitor.status("Ukraine", Instrument.APMBC, date(2026, 12, 7))
    assert today.kind is StatusKind.BOUND and today.projected
    kinds = [(c.received, c.kind) for c in today.communications if c.received.year == 2025]
    assert kinds == [
        (date(2025, 6, 29), "national decision"),
        (date(2025, 7, 15), "national law"),
        (date(2025, 7, 18), "suspension"),
    ]
    assert "suspension declared 2025-07-18: not provided for by the Convention" in today.label
    suspension = today.communications[-1]
    assert suspension.source_url.startswith("https://www.hrw.org/")
    assert "npaid.org" in suspension.legal_character_source
    assert not monitor.status("Ukraine", Instrument.APMBC, date(2025, 7, 17)).label.count(
        "suspension declared"
    )


def test_compare(monitor: TreatyMonitor) -> None:
    rows = {r["state"]: r for r in monitor.compare(date(2026, 3, 1))}
    assert rows["United States of America"]["bound_by"] == "ccw-ap2"
    assert rows["Poland"]["bound_by"] == "ccw-ap2"
    assert rows["Tonga"]["bound_by"] == "apmbc"
    assert "Canada" not in rows  # bound by both
    assert "Egypt" not in rows  # bound by neither


# --- deadlines ---


def test_deadlines(monitor: TreatyMonitor) -> None:
    found = monitor.deadlines(date(2026, 1, 1), 365)
    kinds = {(d.state, d.kind): d for d in found}
    assert kinds[("Marshall Islands", "initial transparency report due")].due == date(2026, 2, 28)
    assert kinds[("Poland", "withdrawal takes effect")].due == date(2026, 2, 20)
    assert ("Estonia", "annual transparency report due") not in kinds  # withdrawn by then
    tonga = monitor.deadlines(date(2026, 1, 1), 3650, "Tonga")
    kinds_tonga = [(d.kind, d.due) for d in tonga]
    # no declared stockpile: no Art. 4 deadline; no annual report before the initial one
    assert not any(k == "stockpile destruction deadline" for k, _ in kinds_tonga)
    assert ("initial transparency report due", date(2026, 5, 30)) in kinds_tonga
    assert ("annual transparency report due", date(2026, 4, 30)) not in kinds_tonga
    assert all(d.state == "Tonga" for d in tonga)
    serbia = monitor.deadlines(date(2004, 1, 1), 3650, "Serbia")  # declared stockpiles
    assert {d.kind: d.due for d in serbia}["stockpile destruction deadline"] == date(2008, 3, 1)


def test_clearance_deadline_only_for_states_that_reported_mined_areas(
    monitor: TreatyMonitor,
) -> None:
    def clearance(state: str, on: date) -> list[tuple[str, date]]:
        return [
            (d.kind, d.due)
            for d in monitor.deadlines(on, 3650 * 3, state)
            if d.kind.startswith("mine clearance deadline")
        ]

    # Sri Lanka: mined areas reported (its national mine action centre names the deadline)
    assert monitor.clearance_applies("Sri Lanka")
    assert clearance("Sri Lanka", date(2026, 1, 1)) == [
        ("mine clearance deadline", date(2028, 6, 1))
    ]
    # Canada and Tonga never reported mined areas: no Art. 5 deadline, though bound
    for state in ("Canada", "Tonga"):
        assert not monitor.clearance_applies(state)
        assert clearance(state, date(1999, 1, 1) if state == "Canada" else date(2026, 1, 1)) == []
        assert monitor.clearance_deadline_on(state, date(2026, 1, 1)) is None
    # an extension or a completion is itself evidence of mined areas
    assert monitor.clearance_applies("Sudan") and monitor.clearance_applies("Denmark")


def test_a_sourced_report_of_mined_areas_brings_the_clearance_deadline(tmp_path: Path) -> None:
    data = _user_dir(tmp_path)
    assert TreatyMonitor.load(data).clearance_deadline_on("Tonga", date(2026, 1, 1)) is None
    with (data / "art5_mined_areas.csv").open("a", encoding="utf-8") as fh:
        fh.write('Tonga,true,,"synthetic: not a fact",https://example.org/synthetic,"synthetic"\n')
    tonga = TreatyMonitor.load(data).clearance_deadline_on("Tonga", date(2026, 1, 1))
    assert tonga == (date(2035, 12, 1), None)  # entry into force 1 Dec 2025 + 10 years
    with (data / "art5_mined_areas.csv").open("a", encoding="utf-8") as fh:
        fh.write("Fiji,maybe,,,,\n")
    with pytest.raises(InvalidInput) as raised:
        TreatyMonitor.load(data)
    assert "art5_mined_areas.csv" in str(raised.value)


def test_a_passed_clearance_deadline_is_marked_as_possibly_stale(monitor: TreatyMonitor) -> None:
    why = monitor.explain("Angola", Instrument.APMBC, date(2026, 12, 7))
    (clearance,) = [o for o in why["obligations"] if o["kind"] == "mine clearance deadline"]
    assert clearance["due"] == date(2025, 12, 31)
    assert "may be stale" in clearance["basis"]
    why = monitor.explain("Cambodia", Instrument.APMBC, date(2026, 12, 7))
    (clearance,) = [o for o in why["obligations"] if o["kind"] == "mine clearance deadline"]
    assert clearance["due"] == date(2030, 12, 31) and "may be stale" not in clearance["basis"]


def test_extension_decisions_of_2019_to_2024_from_sourced_data(monitor: TreatyMonitor) -> None:
    def due(state: str, on: date) -> date:
        found = monitor.clearance_deadline_on(state, on)
        assert found is not None
        return found[0]

    assert due("Ethiopia", date(2020, 1, 1)) == date(2025, 12, 31)  # Fourth Review Conference
    assert due("Sudan", date(2023, 1, 1)) == date(2027, 4, 1)  # November 2022
    assert due("Eritrea", date(2024, 1, 1)) == date(2024, 12, 31)  # 21MSP, interim
    assert due("Guinea-Bissau", date(2025, 1, 1)) == date(2027, 12, 31)  # Fifth Review Conf.
    assert due("Yemen", date(2023, 1, 1)) == date(2028, 3, 1)
    assert due("Niger", date(2014, 1, 1)) == date(2015, 12, 31)  # 13MSP


def test_clearance_extension_from_sourced_data(monitor: TreatyMonitor) -> None:
    # The 18MSP (November 2020) extended the DRC's deadline of 1 January 2021 to 1 July 2022.
    drc = monitor.deadlines(date(2020, 12, 31), 600, "DRC")
    clearance = [d for d in drc if d.kind == "mine clearance deadline"]
    assert clearance and clearance[0].due == date(2022, 7, 1)
    assert "18MSP" in clearance[0].basis and "reliefweb.int" in clearance[0].basis
    ukraine = monitor.deadlines(date(2021, 1, 1), 1200, "Ukraine")
    assert [d.due for d in ukraine if d.kind == "mine clearance deadline"] == [date(2023, 12, 1)]
    cambodia = monitor.deadlines(date(2026, 12, 7), 3650, "Cambodia")
    clearance = [d for d in cambodia if d.kind == "mine clearance deadline"]
    assert clearance[0].due == date(2030, 12, 31) and "22MSP" in clearance[0].basis
    ukraine = monitor.deadlines(date(2026, 12, 7), 3650, "Ukraine")
    assert [d.due for d in ukraine if d.kind == "mine clearance deadline"] == [date(2033, 12, 1)]
    before = monitor.deadlines(date(2025, 6, 1), 3650, "Cambodia")  # before the 22MSP
    assert [d.due for d in before if d.kind == "mine clearance deadline"] != [date(2030, 12, 31)]


def test_declared_completion_shows_the_deadline_as_fulfilled(monitor: TreatyMonitor) -> None:
    # Chile and the UK announced completion at the 18MSP (ISU press release, 20 November 2020):
    # their passed deadlines are fulfilled, not overdue.
    for state in ("Chile", "GBR"):
        done = monitor.clearance_completion_on(state, date(2026, 12, 7))
        assert done is not None and done.declared_on == date(2020, 11, 20), state
        assert "reliefweb.int" in done.source
        assert monitor.clearance_completion_on(state, date(2020, 11, 19)) is None
    # the UK's deadline in force until then: 1 March 2024 (extension requested March 2018)
    assert monitor.clearance_deadline_on("GBR", date(2020, 11, 19)) is not None
    uk = monitor.deadlines(date(2020, 11, 10), 1500, "GBR")
    assert [d.due for d in uk if d.kind == "mine clearance deadline"] == [date(2024, 3, 1)]
    mozambique = monitor.deadlines(date(2014, 1, 1), 3650, "Mozambique")
    assert [d.kind for d in mozambique if "clearance" in d.kind] == ["mine clearance deadline"]
    # Mozambique's 14MSP declaration (1 December 2015): fulfilled from then on
    assert monitor.clearance_completion_on("Mozambique", date(2015, 12, 1)) is not None
    # a state without a declaration on record stays open
    assert monitor.clearance_completion_on("Zimbabwe", date(2026, 12, 7)) is None


def test_fulfilled_deadline_in_the_upcoming_window_is_labelled(tmp_path: Path) -> None:
    data = _user_dir(tmp_path)  # a synthetic completion, for the test only
    with (data / "art5_completions.csv").open("a") as fh:
        fh.write("Thailand,2026-06-01,synthetic meeting,synthetic source,https://example.org,q\n")
    thailand = TreatyMonitor.load(data).deadlines(date(2026, 12, 7), 365, "Thailand")
    clearance = [d for d in thailand if "clearance" in d.kind]
    assert [d.kind for d in clearance] == ["mine clearance deadline (fulfilled)"]
    assert "completion declared 2026-06-01" in clearance[0].basis


# --- export and re-import ---


def test_export_csv_and_json(monitor: TreatyMonitor) -> None:
    rows = [
        status_row(s, monitor.names) for s in monitor.statuses(Instrument.APMBC, date(2026, 3, 1))
    ]
    data = json.loads(export(rows, "json"))
    assert len(data) == 166 and {"state", "status", "label", "iso3"} <= set(data[0])
    parsed = list(csv.DictReader(export(rows, "csv").splitlines()))
    assert sum(1 for r in parsed if r["status"] == "withdrawn") == 5
    with pytest.raises(InvalidInput):
        export(rows, "xml")


def test_reimport_newer_page_into_user_directory(
    pages: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A synthetic 'newer' page: Poland's withdrawal confirmed and the status date moved on."""
    html = pages[0].read_text(encoding="utf-8")
    newer = html.replace("03-02-2026", "01-03-2026").replace(
        "The withdrawal will take effect for Poland on 20 February 2026 in accordance with article "
        "20 (3) of the Convention, subject to the condition set forth in the said paragraph.",
        "The withdrawal took effect for Poland on 20 February 2026 in accordance with article "
        "20 (3) of the Convention.",
    )
    assert newer.count("27 Dec\t 2012") == 1  # Poland's ratification, now shown in brackets
    newer = newer.replace("27 Dec\t 2012", "[27 Dec\t 2012]")
    newer = re.sub(r"Parties :\s*162", "Parties : 161", newer)
    saved = tmp_path / "ottawa-newer.html"
    saved.write_text(newer, encoding="utf-8")
    out = tmp_path / "data"
    report = import_pages([saved], out)
    assert report.status_as_at == {"apmbc": "2026-03-01"}
    assert (out / "participants_ccw-ap2.csv").is_file() and (out / "us_policy.toml").is_file()
    m = TreatyMonitor.load(out)
    poland = m.status("Poland", Instrument.APMBC, date(2026, 3, 1), strict_conditions=True)
    assert poland.kind is StatusKind.WITHDRAWN and poland.condition is ConditionAssessment.CONFIRMED
    assert len(m.instruments[Instrument.CCW_AP2].timelines) == 107


def test_reimport_refuses_a_bad_page_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body>nothing</body></html>")
    with pytest.raises(InvalidInput):
        import_pages([bad], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_missing_data_directory(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        TreatyMonitor.load(tmp_path / "nope")


# --- policy ---


def test_us_policy_as_of_and_diff(monitor: TreatyMonitor) -> None:
    record = monitor.policy()
    assert [v.id for v in record.versions] == [
        "us-2014-06",
        "us-2014-09",
        "us-2020-01",
        "us-2022-06",
        "us-2024-11",
        "us-2025-12",
    ]
    assert record.as_of(date(2014, 1, 1)) is None
    assert record.as_of(date(2019, 12, 31)).id == "us-2014-09"  # type: ignore[union-attr]
    sept_2014 = {r["dimension"]: r for r in policy_rows(record, "us-2014-09")}
    assert sept_2014["production"]["stated_in"] == "us-2014-06"  # carried over by an amendment
    assert sept_2014["use_geographic_scope"]["value"] == "No use outside the Korean Peninsula"
    nov_2024 = {r["dimension"]: r for r in policy_rows(record, "us-2024-11")}
    assert "Ukraine" in nov_2024["transfer"]["value"]
    assert nov_2024["stockpile_destruction"]["stated_in"] == "us-2022-06"
    dec_2025 = {r["dimension"]: r for r in policy_rows(record, "us-2025-12")}
    assert dec_2025["transfer"]["status"] == "unconfirmed" and dec_2025["transfer"]["value"] == ""
    assert dec_2025["use_authority"]["status"] == "secondary"
    assert record.version("us-2025-12").unverified_claims
    changes = {
        r["dimension"]: r["change"] for r in policy_diff_rows(record, "us-2022-06", "us-2025-12")
    }
    assert changes["use_geographic_scope"] == "changed"
    assert changes["production"] == "no longer confirmed"
    assert changes["use_authority"] == "now stated"
    every = [p for v in record.versions for p in v.provisions.values()]
    assert all(p.sources for p in every if p.value)


def test_user_recorded_communication(tmp_path: Path) -> None:
    data = _user_dir(tmp_path)
    with (data / "communications_extra.csv").open("a") as fh:  # synthetic row, for the test only
        fh.write("apmbc,Canada,CAN,2025-07-01,none,,suspension,synthetic,,synthetic source,,\n")
    m = TreatyMonitor.load(data)
    status = m.status("Canada", Instrument.APMBC, date(2025, 8, 1))
    assert status.kind is StatusKind.BOUND
    assert status.label == "bound; communication on record (suspension)"
    assert [c.received for c in status.communications][-1] == date(2025, 7, 1)
    with (data / "communications_extra.csv").open("a") as fh:
        fh.write("apmbc,Narnia,,2025-07-01,none,,suspension,synthetic,,synthetic source,,\n")
    with pytest.raises(InvalidInput, match="not participants"):
        TreatyMonitor.load(data)


def test_amended_protocol_ii_parties_outside_the_convention(monitor: TreatyMonitor) -> None:
    """The reference lists the AP II parties that are not APMBC parties; after the 2025
    withdrawals the four states whose withdrawal had taken effect join them."""
    rows = monitor.compare(date(2026, 2, 3))
    ccw_only = {r["state"] for r in rows if r["bound_by"] == "ccw-ap2"}
    assert ccw_only == {
        "China", "Georgia", "India", "Israel", "Lebanon", "Morocco", "Pakistan",
        "Republic of Korea", "Russian Federation", "United States of America",
        "Estonia", "Finland", "Latvia", "Lithuania",
    }  # fmt: skip


def test_us_policy_record_as_the_texts_state_it(monitor: TreatyMonitor) -> None:
    """2022: development, production and acquisition banned with no geographic qualifier,
    only use tied to the Korean Peninsula; 2020: only non-persistent mines may be employed,
    developed, produced or acquired; every source named has its URL and quotation; an answer
    after the December 2025 memo's 90 days says it may be out of date."""
    record = monitor.policy("us")
    assert record.uncited() == []
    y2022 = {r["dimension"]: r for r in policy_rows(record, "us-2022-06")}
    for dimension in ("production", "acquisition"):
        assert "no geographic qualifier" in y2022[dimension]["value"]
        assert "Korean" not in y2022[dimension]["value"]
    assert "Korean Peninsula" in y2022["use_geographic_scope"]["value"]
    y2020 = {r["dimension"]: r for r in policy_rows(record, "us-2020-01")}
    assert all(y2020[d]["status"] == "verified" for d in ("production", "acquisition"))
    assert "non-persistent" in y2020["production"]["value"]
    assert "30 days" in y2020["persistence"]["value"]
    assert record.staleness(date(2026, 1, 1)) == ""
    stale = record.staleness(date(2026, 12, 8))
    assert "the record is as at 2026-12-07" in stale and "due by 2026-03-02" in stale
