"""The CCM's and CCW Protocol V's date rules (domain.treaty.ccm) on SYNTHETIC inputs — no
participation data backs them yet (the depositary pages for chapters XXVI-6 and XXVI-2-d are
not among the saved pages) — and one check against a published fact."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minewatch.domain.treaty.ccm import (
    CCM_ARTICLES,
    ccm_annual_report_due,
    ccm_clearance_deadline,
    ccm_entry_into_force,
    ccm_initial_report_due,
    ccm_state_entry_into_force,
    ccm_stockpile_deadline,
    check_extension,
    protocol_v_state_entry_into_force,
)

days = st.dates(min_value=date(2008, 12, 3), max_value=date(2090, 12, 31))


def test_the_convention_entered_into_force_as_the_depositary_says() -> None:
    # UN Treaty Collection, chapter XXVI-6: "1 August 2010, in accordance with article
    # 17(1)" (treaties.un.org/doc/Publication/MTDSG/Volume II/Chapter XXVI/XXVI-6.en.xml).
    # Any 30th deposit made in February 2010 gives that date; the day within the month is not
    # stated there, so the test takes every day of that month.
    for day in range(1, 29):
        assert ccm_entry_into_force(date(2010, 2, day)) == date(2010, 8, 1)


@given(days, days)
def test_state_entry_into_force_is_day_one_six_months_on(deposit: date, threshold: date) -> None:
    eif = ccm_state_entry_into_force(deposit, threshold)
    later = max(deposit, threshold)
    assert eif.day == 1
    assert (eif.year * 12 + eif.month) - (later.year * 12 + later.month) == 6


def test_synthetic_obligations() -> None:
    eif = date(2031, 3, 1)  # synthetic
    assert ccm_stockpile_deadline(eif) == date(2039, 3, 1)  # Art. 3(2): eight years
    assert ccm_clearance_deadline(eif) == date(2041, 3, 1)  # Art. 4(1)(a): ten years
    assert ccm_clearance_deadline(eif, hostilities_ended=date(2035, 6, 30)) == date(2045, 6, 30)
    assert ccm_initial_report_due(eif) == date(2031, 8, 28)  # Art. 7(1): 180 days
    assert ccm_annual_report_due(2031) == date(2032, 4, 30)  # Art. 7(2)
    assert protocol_v_state_entry_into_force(date(2031, 8, 31), date(2006, 5, 12)) == date(
        2032, 2, 29
    )  # CCW Art. 5(4): six months, clamped to the month's end


def test_extensions_within_the_convention_only() -> None:
    check_extension("stockpile", date(2039, 3, 1), date(2043, 3, 1))
    check_extension("clearance", date(2041, 3, 1), date(2046, 3, 1))
    with pytest.raises(ValueError, match="at most 5 years"):
        check_extension("clearance", date(2041, 3, 1), date(2046, 3, 2))
    with pytest.raises(ValueError, match="at most 4 years"):
        check_extension("stockpile", date(2039, 3, 1), date(2039, 3, 1))  # not later


def test_every_rule_quotes_its_provision() -> None:
    assert {"17(1)", "17(2)", "3(2)", "3(3)", "4(1)(a)", "4(1)(b)", "4(5)", "7(1)", "7(2)"} <= set(
        CCM_ARTICLES
    )
    assert "eight years" in CCM_ARTICLES["3(2)"].text
    assert "ten years" in CCM_ARTICLES["4(1)(a)"].text
    assert "30 April" in CCM_ARTICLES["7(2)"].text
