"""ISO 2859-1 single sampling: table cells (arrows included), code letters, switching rules.

Expected values are cells of the published tables (ISO 2859-1:1999 Tables 1, 2-A, 2-B,
2-C; MIL-STD-105E / ANSI/ASQ Z1.4 Table II-C), read after following the arrows. The
reasoning for each unusual cell is in its comment.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minewatch.analysis import sampling
from minewatch.analysis.sampling import (
    AQL_VALUES,
    InspectionLevel,
    InspectionSeverity,
    LotResult,
    SamplingStandard,
    SwitchingScheme,
    SwitchingState,
    code_letter,
    plan_for_code_letter,
    single_sampling_plan,
)
from minewatch.errors import Conflict, InvalidInput

ISO, MIL = SamplingStandard.ISO_2859_1, SamplingStandard.MIL_STD_105E
N, T, R = InspectionSeverity.NORMAL, InspectionSeverity.TIGHTENED, InspectionSeverity.REDUCED

# (code letter, AQL, severity, standard) -> (letter of the plan used, n, Ac, Re)
CELLS = [
    # Table 2-A, normal
    ("J", 1.0, N, ISO, ("J", 80, 2, 3)),
    ("A", 6.5, N, ISO, ("A", 2, 0, 1)),
    ("A", 10, N, ISO, ("C", 5, 1, 2)),  # ↓ past B's ↓ to C
    ("A", 15, N, ISO, ("B", 3, 1, 2)),  # ↓
    ("A", 25, N, ISO, ("A", 2, 1, 2)),
    ("B", 6.5, N, ISO, ("A", 2, 0, 1)),  # ↑
    ("F", 1.0, N, ISO, ("E", 13, 0, 1)),  # ↑
    ("G", 1.0, N, ISO, ("H", 50, 1, 2)),  # ↓
    ("H", 2.5, N, ISO, ("H", 50, 3, 4)),
    ("K", 0.65, N, ISO, ("K", 125, 2, 3)),
    ("K", 10, N, ISO, ("K", 125, 21, 22)),
    ("L", 10, N, ISO, ("K", 125, 21, 22)),  # ↑ above the 21/22 diagonal
    ("M", 0.40, N, ISO, ("M", 315, 3, 4)),
    ("N", 0.065, N, ISO, ("P", 800, 1, 2)),  # ↓
    ("Q", 0.010, N, ISO, ("Q", 1250, 0, 1)),
    ("R", 0.010, N, ISO, ("Q", 1250, 0, 1)),  # ↑
    ("R", 0.015, N, ISO, ("P", 800, 0, 1)),  # long ↑ over Q
    ("R", 0.025, N, ISO, ("R", 2000, 1, 2)),
    ("A", 0.010, N, ISO, ("Q", 1250, 0, 1)),  # long ↓
    ("E", 250, N, ISO, ("E", 13, 44, 45)),
    ("E", 400, N, ISO, ("D", 8, 44, 45)),  # ↑
    ("C", 1000, N, ISO, ("B", 3, 44, 45)),  # ↑
    ("A", 1000, N, ISO, ("A", 2, 30, 31)),
    ("F", 100, N, ISO, ("E", 13, 21, 22)),  # ↑
    # Table 2-B, tightened
    ("J", 1.0, T, ISO, ("J", 80, 1, 2)),
    ("A", 6.5, T, ISO, ("B", 3, 0, 1)),  # ↓
    ("A", 10, T, ISO, ("A", 2, 0, 1)),
    ("B", 10, T, ISO, ("D", 8, 1, 2)),  # ↓ ↓
    ("F", 1.0, T, ISO, ("F", 20, 0, 1)),
    ("F", 1.5, T, ISO, ("H", 50, 1, 2)),  # ↓ ↓
    ("H", 10, T, ISO, ("H", 50, 8, 9)),
    ("K", 10, T, ISO, ("K", 125, 18, 19)),
    ("L", 10, T, ISO, ("K", 125, 18, 19)),  # ↑
    ("R", 0.010, T, ISO, ("R", 2000, 0, 1)),
    ("R", 0.015, T, ISO, ("Q", 1250, 0, 1)),  # ↑: nothing below R in this column
    ("Q", 0.025, T, ISO, ("S", 3150, 1, 2)),  # ↓ ↓ to the extra row S
    ("R", 0.025, T, ISO, ("S", 3150, 1, 2)),
    ("E", 150, T, ISO, ("E", 13, 27, 28)),
    ("E", 250, T, ISO, ("E", 13, 41, 42)),
    ("B", 1000, T, ISO, ("B", 3, 41, 42)),
    # Table 2-C, reduced (ISO 2859-1:1999: Re = Ac + 1)
    ("J", 1.0, R, ISO, ("J", 32, 1, 2)),
    ("A", 6.5, R, ISO, ("A", 2, 0, 1)),
    ("B", 6.5, R, ISO, ("A", 2, 0, 1)),  # ↑
    ("C", 6.5, R, ISO, ("E", 5, 1, 2)),  # ↓ ↓
    ("H", 10, R, ISO, ("H", 20, 6, 7)),
    ("J", 10, R, ISO, ("J", 32, 8, 9)),
    ("K", 10, R, ISO, ("K", 50, 10, 11)),
    ("L", 10, R, ISO, ("K", 50, 10, 11)),  # ↑
    ("Q", 0.025, R, ISO, ("N", 200, 0, 1)),  # long ↑
    ("R", 0.010, R, ISO, ("Q", 500, 0, 1)),
    ("R", 0.040, R, ISO, ("R", 800, 1, 2)),
    # MIL-STD-105E / Z1.4 Table II-C, reduced with the Ac-Re gap
    ("J", 1.0, R, MIL, ("J", 32, 1, 3)),
    ("D", 6.5, R, MIL, ("D", 3, 0, 2)),
    ("E", 6.5, R, MIL, ("E", 5, 1, 3)),
    ("L", 6.5, R, MIL, ("L", 80, 10, 13)),
    ("A", 25, R, MIL, ("A", 2, 1, 2)),
    ("B", 40, R, MIL, ("B", 2, 2, 4)),
    ("C", 650, R, MIL, ("C", 2, 21, 24)),
    ("D", 1000, R, MIL, ("B", 2, 30, 31)),  # ↑ ↑
    # the standards agree outside reduced inspection
    ("J", 1.0, N, MIL, ("J", 80, 2, 3)),
    ("Q", 0.025, T, MIL, ("S", 3150, 1, 2)),
]


@pytest.mark.parametrize(("letter", "aql", "severity", "standard", "expected"), CELLS)
def test_table_cells_follow_the_arrows(letter, aql, severity, standard, expected) -> None:
    plan = plan_for_code_letter(letter, aql, severity, standard)
    got = (plan.plan_code_letter, plan.sample_size, plan.acceptance_number, plan.rejection_number)
    assert got == expected
    assert plan.code_letter == letter


@pytest.mark.parametrize(
    ("lot", "level", "letter"),
    [
        (2, "I", "A"), (8, "III", "B"), (9, "II", "B"), (90, "S-3", "C"), (91, "S-4", "D"),
        (500, "I", "F"), (1200, "II", "J"), (1201, "II", "K"), (3200, "S-2", "D"),
        (35000, "I", "K"), (35001, "S-1", "D"), (500000, "II", "P"), (500001, "II", "Q"),
        (10**7, "S-4", "K"), (10**7, "III", "R"), (151, "S-2", "C"), (281, "S-4", "E"),
    ],
)  # fmt: skip
def test_code_letters_of_table_1(lot: int, level: str, letter: str) -> None:
    assert code_letter(lot, level) == letter


def test_sample_plan_of_the_issue_example() -> None:
    plan = single_sampling_plan(1200, "II", 1.0)
    assert (plan.code_letter, plan.sample_size, plan.acceptance_number) == ("J", 80, 2)
    tightened = single_sampling_plan(1200, "II", 1.0, "tightened")
    assert (tightened.sample_size, tightened.acceptance_number, tightened.rejection_number) == (
        80,
        1,
        2,
    )


def test_sample_larger_than_lot_means_full_inspection() -> None:
    plan = single_sampling_plan(10, "II", 0.10)  # B, ↓ to K: n = 125 > 10 units
    assert plan.full_inspection
    assert plan.sample_size == 10 and plan.table_sample_size == 125
    assert plan.acceptance_number == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"lot_size": 1, "level": "II", "aql": 1.0}, "lot_size"),
        ({"lot_size": 100, "level": "IV", "aql": 1.0}, "level"),
        ({"lot_size": 100, "level": "II", "aql": 1.1}, "aql"),
    ],
)
def test_bad_input_is_refused_with_its_field(kwargs, field) -> None:
    with pytest.raises(InvalidInput) as err:
        single_sampling_plan(**kwargs)
    assert err.value.where.field == field


def test_untranscribed_iso_reduced_cells_are_refused_not_guessed() -> None:
    with pytest.raises(InvalidInput, match="not transcribed"):
        plan_for_code_letter("A", 15, R, ISO)
    assert plan_for_code_letter("A", 15, R, MIL).rejection_number == 2


@pytest.mark.parametrize("severity", list(InspectionSeverity))
@pytest.mark.parametrize("standard", list(SamplingStandard))
def test_every_cell_resolves_to_a_sensible_plan(severity, standard) -> None:
    for letter in "ABCDEFGHJKLMNPQR":
        for aql in AQL_VALUES:
            try:
                plan = plan_for_code_letter(letter, aql, severity, standard)
            except InvalidInput:
                assert standard is ISO and severity is R and aql > 10
                continue
            assert 0 <= plan.acceptance_number < plan.rejection_number
            if standard is ISO or severity is not R:
                assert plan.rejection_number == plan.acceptance_number + 1


lots = st.integers(min_value=2, max_value=2_000_000)
aqls = st.sampled_from([a for a in AQL_VALUES if a <= 10])
levels = st.sampled_from(list(InspectionLevel))
severities = st.sampled_from(list(InspectionSeverity))


@given(lot=lots, extra=st.integers(min_value=0, max_value=10**6), level=levels, aql=aqls,
       severity=severities)  # fmt: skip
def test_a_larger_lot_never_gets_a_smaller_sample(lot, extra, level, aql, severity) -> None:
    small = single_sampling_plan(lot, level, aql, severity).table_sample_size
    large = single_sampling_plan(lot + extra, level, aql, severity).table_sample_size
    assert large >= small


@given(lot=lots, aql=aqls, severity=severities)
def test_a_higher_general_level_never_gets_a_smaller_sample(lot, aql, severity) -> None:
    sizes = [
        single_sampling_plan(lot, lv, aql, severity).table_sample_size for lv in ["I", "II", "III"]
    ]
    assert sizes == sorted(sizes)


def test_operating_characteristic_by_hand() -> None:
    from math import comb

    process = plan_for_code_letter("J", 1.0)  # n 80, Ac 2
    binomial = sum(comb(80, k) * 0.05**k * 0.95 ** (80 - k) for k in range(3))
    assert sampling.acceptance_probability(process, 0.05)[0] == pytest.approx(binomial)
    lot = single_sampling_plan(1200, "II", 1.0)  # N 1200: D = 60 nonconforming at 5 %
    hyper = sum(comb(60, k) * comb(1140, 80 - k) for k in range(3)) / comb(1200, 80)
    assert sampling.acceptance_probability(lot, 0.05)[0] == pytest.approx(hyper)
    # per hundred units: Poisson with mean 80 · 2 / 100 = 1.6
    poisson = sum(1.6**k / math.factorial(k) for k in range(3)) * math.exp(-1.6)
    assert sampling.acceptance_probability(process, 2.0, per_hundred_units=True)[0] == (
        pytest.approx(poisson)
    )


@settings(max_examples=40, deadline=None)
@given(aql=aqls, a=st.floats(0, 1), b=st.floats(0, 1))
def test_worse_quality_is_never_more_likely_accepted(aql, a, b) -> None:
    plan = single_sampling_plan(5000, "II", aql)
    better, worse = sorted((a, b))
    p_better, p_worse = sampling.acceptance_probability(plan, [better, worse])
    assert p_worse <= p_better + 1e-12


# --- switching rules ------------------------------------------------------------------------


def severities_after(scheme: SwitchingScheme, counts: list[int]) -> list[str]:
    return [d.state_after.severity.value for d in scheme.run(LotResult(c) for c in counts)]


J10 = SwitchingScheme(code_letter="J", aql=1.0)  # normal n 80 Ac 2; tightened Ac 1; reduced n 32


def test_two_of_five_lots_not_accepted_switch_to_tightened() -> None:
    assert severities_after(J10, [3, 0, 0, 0, 3])[-1] == "tightened"


def test_two_not_accepted_six_lots_apart_stay_normal() -> None:
    assert severities_after(J10, [3, 0, 0, 0, 0, 3]) == ["normal"] * 6


def test_five_accepted_on_tightened_return_to_normal() -> None:
    start = SwitchingState(severity=T)
    decisions = J10.run([LotResult(1)] * 5, start)
    assert [d.plan.acceptance_number for d in decisions] == [1] * 5
    assert decisions[-1].state_after.severity is N
    assert decisions[-2].state_after.severity is T


def test_five_not_accepted_on_tightened_discontinue() -> None:
    decisions = J10.run([LotResult(2), LotResult(0), LotResult(2), LotResult(2), LotResult(5),
                         LotResult(2)], SwitchingState(severity=T))  # fmt: skip
    assert decisions[-1].state_after.discontinued
    with pytest.raises(Conflict):
        J10.plan(decisions[-1].state_after)
    assert J10.resume().severity is T


def test_switching_score_adds_three_when_a_tighter_aql_would_also_accept() -> None:
    # Ac 2 at AQL 1.0; at 0.65 code J has Ac 1: one nonconforming unit still scores 3.
    decisions = J10.run([LotResult(1)] * 10)
    assert [d.state_after.switching_score for d in decisions[:9]] == list(range(3, 30, 3))
    assert decisions[-1].state_after.severity is R


def test_switching_score_resets_when_only_the_given_aql_accepts() -> None:
    decisions = J10.run([LotResult(0)] * 5 + [LotResult(2)])
    assert decisions[4].state_after.switching_score == 15
    assert decisions[5].accepted and decisions[5].state_after.switching_score == 0


def test_switching_score_adds_two_for_accept_on_zero_plans() -> None:
    scheme = SwitchingScheme(code_letter="J", aql=0.15)  # J at 0.15: n 80, Ac 0
    decisions = scheme.run([LotResult(0)] * 15)
    assert decisions[13].state_after.switching_score == 28
    assert decisions[14].state_after.severity is R


def test_reduced_needs_steady_production_and_approval() -> None:
    unsteady = J10.run([LotResult(0)] * 9 + [LotResult(0, production_steady=False)])
    refused = J10.run([LotResult(0)] * 9 + [LotResult(0, reduced_approved=False)])
    assert unsteady[-1].state_after.severity is N
    assert refused[-1].state_after.severity is N


def test_reduced_returns_to_normal_when_a_lot_is_not_accepted() -> None:
    decisions = J10.run([LotResult(0), LotResult(2)], SwitchingState(severity=R))
    assert decisions[0].state_after.severity is R
    assert not decisions[1].accepted and decisions[1].state_after.severity is N


def test_mil_reduced_gap_accepts_but_reinstates_normal() -> None:
    scheme = SwitchingScheme(code_letter="J", aql=1.0, standard=MIL)  # reduced: n 32, Ac 1, Re 3
    decision = scheme.step(SwitchingState(severity=R), LotResult(2))
    assert decision.accepted
    assert decision.state_after.severity is N
