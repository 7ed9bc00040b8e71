"""The UNTC status-page reader, on the real saved pages (../shared/reference/untc) and on
mangled copies of them, which must fail loudly."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from minewatch.domain.treaty import ConsentType, Instrument
from minewatch.errors import InvalidInput
from minewatch.io.untc import parse_status_page

UNTC = Path(__file__).parents[2] / ".." / "shared" / "reference" / "untc"


@pytest.fixture(scope="module")
def ottawa_html() -> str:
    path = UNTC / "ottawa.html"
    if not path.is_file():
        pytest.skip(f"reference page not available: {path}")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ccw_html() -> str:
    path = UNTC / "ccw_p2a.html"
    if not path.is_file():
        pytest.skip(f"reference page not available: {path}")
    return path.read_text(encoding="utf-8")


def test_ottawa_page(ottawa_html: str) -> None:
    page = parse_status_page("ottawa.html", ottawa_html)
    assert page.instrument is Instrument.APMBC and page.chapter == "XXVI-5"
    assert page.status_as_at == date(2026, 2, 3)
    assert page.stated_entry_into_force == date(1999, 3, 1)
    assert (page.stated_parties, page.stated_signatories) == (162, 132)
    assert len(page.participants) == 166
    rows = {r.name: r for r in page.participants}
    assert "Ukraine" in rows and rows["Ukraine"].footnotes == (10, 11)
    assert "Netherlands (Kingdom of the)" in rows
    assert rows["Japan"].consent_type is ConsentType.ACCEPTANCE
    assert rows["Slovakia"].consent_type is ConsentType.APPROVAL
    assert rows["Afghanistan"].consent_type is ConsentType.ACCESSION
    assert rows["Montenegro"].consent_type is ConsentType.SUCCESSION
    assert rows["Canada"].consent_type is ConsentType.RATIFICATION
    assert rows["Finland"].consent == date(2012, 1, 9) and rows["Finland"].consent_bracketed
    assert rows["Lithuania"].signature_bracketed and rows["Lithuania"].consent_bracketed
    assert not rows["Poland"].consent_bracketed
    assert page.provisional_application == {
        "Austria",
        "Mauritius",
        "South Africa",
        "Sweden",
        "Switzerland",
    }


def test_ottawa_withdrawal_notes(ottawa_html: str) -> None:
    page = parse_status_page("ottawa.html", ottawa_html)
    rows = {r.name: r for r in page.participants}
    withdrawals = {
        name: next(n for n in page.notes_for(rows[name]) if n.kind == "withdrawal")
        for name in ("Estonia", "Finland", "Latvia", "Lithuania", "Poland")
    }
    expected = {
        "Estonia": ("C.N.360.2025.TREATIES-XXVI-5", date(2025, 6, 27), date(2025, 12, 27), True),
        "Finland": ("C.N.372.2025.TREATIES-XXVI-5", date(2025, 7, 10), date(2026, 1, 10), True),
        "Latvia": ("C.N.361.2025.TREATIES-XXVI-5", date(2025, 6, 27), date(2025, 12, 27), True),
        "Lithuania": ("C.N.362.2025.TREATIES-XXVI-5", date(2025, 6, 27), date(2025, 12, 27), True),
        "Poland": ("C.N.421.2025.TREATIES-XXVI-5", date(2025, 8, 20), date(2026, 2, 20), False),
    }
    for name, (cn, received, effective, took) in expected.items():
        note = withdrawals[name]
        assert (note.notification, note.received, note.effective, note.took_effect) == (
            cn,
            received,
            effective,
            took,
        ), name
    assert withdrawals["Poland"].condition.startswith("subject to the condition")
    assert withdrawals["Poland"].notification_date == date(2025, 8, 26)
    ukraine = [n for n in page.notes_for(rows["Ukraine"]) if n.kind == "communication"]
    assert [n.notification for n in ukraine] == [
        "C.N.121.2016.TREATIES-XXVI-5",
        "C.N.285.2018.TREATIES-XXVI-5",
    ]


def test_ccw_page(ccw_html: str) -> None:
    page = parse_status_page("ccw_p2a.html", ccw_html)
    assert page.instrument is Instrument.CCW_AP2 and page.chapter == "XXVI-2-b"
    assert page.stated_entry_into_force == date(1998, 12, 3)
    assert len(page.participants) == page.stated_parties == 107
    rows = {r.name: r for r in page.participants}
    assert rows["United States of America"].consent == date(1999, 5, 24)
    assert all(r.consent_type is ConsentType.CONSENT for r in page.participants)
    assert all(r.signature is None for r in page.participants)


# --- mangled pages ---


def _fails(html: str, pattern: str | None) -> InvalidInput:
    with pytest.raises(InvalidInput, match=pattern) as info:
        parse_status_page("mangled.html", html)
    assert info.value.where.file == "mangled.html"
    return info.value


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.7, 0.8, 0.9])
def test_truncated_page_fails(ottawa_html: str, fraction: float) -> None:
    _fails(ottawa_html[: int(len(ottawa_html) * fraction)], None)


def test_page_cut_inside_the_last_end_note_fails(ottawa_html: str) -> None:
    # The last end note (United Kingdom, 12) is lost: its footnote then points nowhere.
    _fails(ottawa_html[: ottawa_html.rindex("divNotesAll")], "footnote 12 has no end note")


def test_page_without_participants_table_fails(ottawa_html: str) -> None:
    _fails(ottawa_html.replace("tblgrid", "somethingelse"), "no participants table")


def test_unexpected_columns_fail(ottawa_html: str) -> None:
    _fails(ottawa_html.replace("Signature", "Notes", 1), "unexpected columns")


def test_unparsable_date_names_the_row(ottawa_html: str) -> None:
    error = _fails(ottawa_html.replace("14 Jan\t 1999", "14 Jnu\t 1999", 1), "unreadable date")
    assert "Australia" in str(error.where.row)


def test_zero_rows_fail(ottawa_html: str) -> None:
    header_end = ottawa_html.index("</tr>", ottawa_html.index("tblgrid")) + len("</tr>")
    table_end = ottawa_html.index("</table>", header_end)
    _fails(ottawa_html[:header_end] + ottawa_html[table_end:], "no participants")


def test_missing_row_fails_against_the_stated_count(ottawa_html: str) -> None:
    start = ottawa_html.index("<td>Tonga")
    row_start = ottawa_html.rindex("<tr", 0, start)
    row_end = ottawa_html.index("</tr>", start) + len("</tr>")
    _fails(
        ottawa_html[:row_start] + ottawa_html[row_end:], "states 162 parties but its table has 161"
    )


def test_bracketed_state_without_withdrawal_note_fails(ottawa_html: str) -> None:
    mangled = ottawa_html.replace("notification of withdrawal (See depositary notification", "x", 1)
    _fails(mangled, "in brackets")


def test_unreadable_withdrawal_note_fails(ottawa_html: str) -> None:
    mangled = re.sub(
        r"The withdrawal took effect for Estonia on", "It may have ended on", ottawa_html
    )
    _fails(mangled, "withdrawal note not in the expected form")


def test_unknown_treaty_fails(ottawa_html: str) -> None:
    _fails(ottawa_html.replace("XXVI-5", "XXVI-9"), "cannot tell which treaty")


def test_missing_status_date_fails(ottawa_html: str) -> None:
    _fails(ottawa_html.replace("STATUS AS AT", "STATUS"), "STATUS AS AT")


def test_unreadable_file_fails(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot read"):
        parse_status_page(tmp_path / "missing.html")
