"""Treaty rules as functions of dates.

Real dates are the depositary's (UN Treaty Collection, status as at 3 February 2026) or the
checks listed in the project's treaty reference; other data below are synthetic and say so.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minewatch.domain.treaty import (
    ARTICLES,
    ArmedConflictFact,
    ClearanceCompletion,
    ClearanceExtension,
    Communication,
    ConditionAssessment,
    ConsentType,
    CountDefinition,
    Instrument,
    Participation,
    StatusKind,
    Withdrawal,
    add_months,
    annual_report_due,
    apmbc_state_entry_into_force,
    build_timeline,
    ccw_state_entry_into_force,
    clearance_completion,
    clearance_deadline,
    count_parties,
    first_day_of_sixth_month_after,
    initial_report_due,
    instrument_entry_into_force,
    original_clearance_deadline,
    state_entry_into_force,
    status_on,
    stockpile_deadline,
    threshold_from_entry_into_force,
    withdrawal_effect,
)

APMBC_40TH = date(1998, 9, 16)  # Burkina Faso, the 40th instrument (UNTC)
APMBC_THRESHOLD = threshold_from_entry_into_force(Instrument.APMBC, date(1999, 3, 1))
CCW_THRESHOLD = threshold_from_entry_into_force(Instrument.CCW_AP2, date(1998, 12, 3))


@pytest.mark.parametrize(
    ("deposit", "expected"),
    [
        (date(2005, 7, 1), date(2006, 1, 1)),  # Latvia: deposit on the 1st still maps to month + 6
        (date(1998, 9, 25), date(1999, 3, 1)),  # Benin: after the 40th, same month
        (date(1997, 12, 3), date(1999, 3, 1)),  # Canada: before the 40th, Art. 17(1)
        (date(2025, 3, 12), date(2025, 9, 1)),  # Marshall Islands (ICBL, 13 Mar 2025)
        (date(2025, 6, 25), date(2025, 12, 1)),  # Tonga (ICBL)
        (date(2017, 12, 13), date(2018, 6, 1)),  # Sri Lanka (APMBC ISU)
        (date(2004, 12, 17), date(2005, 6, 1)),  # Ethiopia
        (date(1998, 10, 8), date(1999, 4, 1)),  # Guinea: first month after the cohort
    ],
)
def test_apmbc_entry_into_force_matches_sourced_dates(deposit: date, expected: date) -> None:
    assert apmbc_state_entry_into_force(deposit, APMBC_THRESHOLD) == expected
    assert apmbc_state_entry_into_force(deposit, APMBC_40TH) == expected


@pytest.mark.parametrize(
    ("deposit", "deadline"),
    [
        (date(2003, 9, 3), date(2008, 3, 1)),  # Belarus
        (date(2003, 9, 25), date(2008, 3, 1)),  # Greece, Türkiye
        (date(2005, 12, 27), date(2010, 6, 1)),  # Ukraine
        (date(2003, 10, 13), date(2008, 4, 1)),  # Sudan
        (date(2007, 8, 15), date(2012, 2, 1)),  # Iraq
    ],
)
def test_stockpile_deadlines_match_sourced_checks(deposit: date, deadline: date) -> None:
    eif = apmbc_state_entry_into_force(deposit, APMBC_THRESHOLD)
    assert stockpile_deadline(eif) == deadline


def test_reports_and_clearance() -> None:
    assert initial_report_due(date(2005, 6, 1)) == date(2005, 11, 28)  # Ethiopia (HRW/LM 2008)
    assert annual_report_due(2026) == date(2026, 4, 30)
    assert original_clearance_deadline(date(1999, 3, 1)) == date(2009, 3, 1)
    ext = ClearanceExtension("Synthetic", date(2021, 1, 1), 2014, "synthetic source")
    assert clearance_deadline(date(2002, 11, 1), [ext], date(2014, 6, 1)) == (
        date(2012, 11, 1),
        None,
    )
    assert clearance_deadline(date(2002, 11, 1), [ext], date(2015, 1, 1)) == (date(2021, 1, 1), ext)


def test_completion_fulfils_the_clearance_deadline_until_a_later_extension() -> None:
    done = ClearanceCompletion("Synthetic", date(2015, 12, 1), "14MSP", "synthetic source")
    assert clearance_completion([done], date(2015, 11, 30)) is None  # not yet declared
    assert clearance_completion([done], date(2026, 12, 7)) == done
    earlier = ClearanceExtension("Synthetic", date(2014, 3, 1), 2010, "synthetic source")
    assert clearance_completion([done], date(2026, 12, 7), [earlier]) == done
    # new mined areas found: an extension decided after the declaration reopens the obligation
    later = ClearanceExtension("Synthetic", date(2026, 12, 31), 2021, "synthetic source")
    assert clearance_completion([done], date(2021, 6, 1), [later]) == done
    assert clearance_completion([done], date(2022, 1, 1), [later]) is None


def test_instrument_entry_into_force_from_the_40th_instrument() -> None:
    # synthetic: 39 deposits in 1998-01, the 40th on 16 Sep 1998
    deposits = [(date(1998, 1, 5), ConsentType.RATIFICATION)] * 39 + [
        (APMBC_40TH, ConsentType.ACCESSION),
        (date(1997, 1, 1), ConsentType.SUCCESSION),  # successions do not count
    ]
    eif = instrument_entry_into_force(Instrument.APMBC, deposits)
    assert eif.threshold_deposit == APMBC_40TH
    assert eif.date == date(1999, 3, 1)
    assert "40th instrument" in eif.article.text
    with pytest.raises(ValueError):
        instrument_entry_into_force(Instrument.APMBC, deposits[:10])


def test_ccw_amended_protocol_ii_entry_into_force() -> None:
    assert date(1998, 6, 3) == CCW_THRESHOLD
    assert ccw_state_entry_into_force(date(1999, 5, 24), CCW_THRESHOLD) == date(1999, 11, 24)  # US
    assert ccw_state_entry_into_force(date(1997, 3, 27), CCW_THRESHOLD) == date(1998, 12, 3)
    assert ccw_state_entry_into_force(date(1998, 6, 3), CCW_THRESHOLD) == date(1998, 12, 3)
    # after the 20th but before the Protocol's own date: six months after its own consent
    assert ccw_state_entry_into_force(date(1998, 7, 23), CCW_THRESHOLD) == date(1999, 1, 23)
    assert ccw_state_entry_into_force(date(1999, 3, 31), CCW_THRESHOLD) == date(1999, 9, 30)


def test_succession_has_no_rule_only_a_fact() -> None:
    args = (Instrument.APMBC, date(2006, 10, 23), ConsentType.SUCCESSION, APMBC_THRESHOLD)
    assert state_entry_into_force(*args) is None
    assert state_entry_into_force(*args, effect_fact=date(2006, 6, 3)) == date(2006, 6, 3)


@pytest.mark.parametrize(
    ("received", "effective"),
    [
        (date(2025, 6, 27), date(2025, 12, 27)),  # Estonia, Latvia, Lithuania (UNTC notes 1, 3, 4)
        (date(2025, 7, 10), date(2026, 1, 10)),  # Finland (note 2)
        (date(2025, 8, 20), date(2026, 2, 20)),  # Poland (note 8)
    ],
)
def test_withdrawal_six_months_after_receipt(received: date, effective: date) -> None:
    effect = withdrawal_effect(Instrument.APMBC, received)
    assert effect.effective == effect.expiry == effective
    assert effect.condition is ConditionAssessment.NOT_ASSESSED
    assert effect.article.ref == "20(3)"


def test_armed_conflict_input_postpones_withdrawal() -> None:
    received = date(2025, 8, 20)
    ongoing = ArmedConflictFact("Synthetic", True, date(2026, 1, 1), None, "synthetic")
    ended = ArmedConflictFact("Synthetic", True, date(2026, 1, 1), date(2026, 5, 1), "synthetic")
    peace = ArmedConflictFact("Synthetic", False, date(2025, 1, 1), date(2026, 12, 31), "synthetic")
    before = ArmedConflictFact("Synthetic", True, date(2024, 1, 1), date(2025, 1, 1), "synthetic")
    assert withdrawal_effect(Instrument.APMBC, received, [ongoing]).effective is None
    assert withdrawal_effect(Instrument.APMBC, received, [ended]).effective == date(2026, 5, 1)
    not_engaged = withdrawal_effect(Instrument.APMBC, received, [peace])
    assert not_engaged.condition is ConditionAssessment.NOT_ENGAGED
    assert not_engaged.effective == date(2026, 2, 20)
    assert withdrawal_effect(Instrument.APMBC, received, [before]).condition is (
        ConditionAssessment.NOT_ASSESSED
    )


def test_ccw_denunciation_takes_one_year() -> None:
    effect = withdrawal_effect(Instrument.CCW_AP2, date(2025, 3, 1))
    assert effect.effective == date(2026, 3, 1)
    assert "armed conflict or occupation" in effect.article.text


def test_every_rule_quotes_its_article() -> None:
    for key, art in ARTICLES.items():
        assert art.text and art.source and key.endswith(art.ref)


def _synthetic(withdrawal: Withdrawal | None = None, **kw: object) -> Participation:
    values: dict[str, object] = {
        "instrument": Instrument.APMBC,
        "state": "Synthetica",
        "signature": date(1997, 12, 3),
        "consent": date(2003, 5, 12),
        "consent_type": ConsentType.RATIFICATION,
        "source": "synthetic",
        "status_as_at": date(2026, 2, 3),
        "withdrawal": withdrawal,
    }
    values.update(kw)
    return Participation(**values)  # type: ignore[arg-type]


def test_status_walks_through_every_stage() -> None:
    w = Withdrawal(date(2025, 6, 27), "C.N.0.2025", None, date(2025, 12, 27), "", "synthetic")
    comm = Communication(date(2016, 3, 30), "C.N.1.2016", "synthetic note", "synthetic")
    t = build_timeline(_synthetic(w, communications=(comm,)), APMBC_THRESHOLD)
    assert t.entry_into_force == date(2003, 11, 1)
    expected = {
        date(1997, 12, 2): StatusKind.NOT_BOUND,
        date(1997, 12, 3): StatusKind.SIGNED,
        date(2003, 5, 12): StatusKind.CONSENTED,
        date(2003, 11, 1): StatusKind.BOUND,
        date(2025, 6, 27): StatusKind.WITHDRAWAL_PENDING,
        date(2025, 12, 26): StatusKind.WITHDRAWAL_PENDING,
        date(2025, 12, 27): StatusKind.WITHDRAWN,
    }
    for day, kind in expected.items():
        assert status_on(t, day).kind is kind, day
    assert not status_on(t, date(2016, 3, 29)).communication_on_record
    assert "communication on record" in status_on(t, date(2016, 3, 30)).label
    strict = status_on(t, date(2026, 1, 1), unassessed_condition_pending=True)
    assert strict.kind is StatusKind.WITHDRAWAL_PENDING


def test_depositary_confirmation_outranks_the_strict_reading() -> None:
    w = Withdrawal(date(2025, 6, 27), "C.N.0.2025", None, date(2025, 12, 27), "", "synthetic", True)
    t = build_timeline(_synthetic(w), APMBC_THRESHOLD)
    assert t.withdrawal is not None and t.withdrawal.condition is ConditionAssessment.CONFIRMED
    assert status_on(t, date(2026, 1, 1), unassessed_condition_pending=True).kind is (
        StatusKind.WITHDRAWN
    )


days = st.dates(min_value=date(1997, 1, 1), max_value=date(2040, 12, 31))


@given(days)
def test_add_six_months_is_same_day_or_month_end(day: date) -> None:
    later = add_months(day, 6)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == 6
    assert later.day == day.day or (later.day < day.day and (later + timedelta(days=1)).day == 1)


@given(days)
def test_apmbc_entry_into_force_is_a_first_of_month_within_six_months(deposit: date) -> None:
    eif = apmbc_state_entry_into_force(deposit, APMBC_THRESHOLD)
    assert eif.day == 1 and eif >= date(1999, 3, 1)
    if deposit > APMBC_THRESHOLD:
        assert first_day_of_sixth_month_after(deposit) == eif
        assert add_months(deposit, 5) < eif <= add_months(deposit, 6)


@given(days, days)
def test_entry_into_force_is_monotone(a: date, b: date) -> None:
    lo, hi = sorted((a, b))
    for threshold, rule in (
        (APMBC_THRESHOLD, apmbc_state_entry_into_force),
        (CCW_THRESHOLD, ccw_state_entry_into_force),
    ):
        assert rule(lo, threshold) <= rule(hi, threshold)


@given(
    st.lists(
        st.tuples(days, st.one_of(st.none(), st.integers(min_value=200, max_value=9000))),
        max_size=30,
    ),
    st.lists(days, min_size=1, max_size=20),
)
def test_vectorised_counts_equal_status_by_status(
    members: list[tuple[date, int | None]], queries: list[date]
) -> None:
    """Synthetic participants: the vectorised count equals counting statuses one by one."""
    timelines = []
    for n, (consent, withdraw_after) in enumerate(members):
        w = None
        if withdraw_after is not None:
            received = consent + timedelta(days=withdraw_after)
            w = Withdrawal(received, "C.N.x", None, None, "", "synthetic")
        p = _synthetic(w, state=f"S{n}", consent=consent, signature=None)
        timelines.append(build_timeline(p, APMBC_THRESHOLD))
    for definition, kinds in (
        (CountDefinition.IN_FORCE, {StatusKind.BOUND, StatusKind.WITHDRAWAL_PENDING}),
        (
            CountDefinition.CONSENTED,
            {StatusKind.BOUND, StatusKind.WITHDRAWAL_PENDING, StatusKind.CONSENTED},
        ),
    ):
        counts = count_parties(timelines, queries, definition)
        for q, c in zip(queries, counts, strict=True):
            by_status = sum(1 for t in timelines if status_on(t, q).kind in kinds)
            if definition is CountDefinition.IN_FORCE:
                # a withdrawal notified before entry into force is pending but not in force
                by_status = sum(
                    1
                    for t in timelines
                    if t.entry_into_force is not None
                    and t.entry_into_force <= q
                    and status_on(t, q).kind in kinds
                )
            assert c == by_status
