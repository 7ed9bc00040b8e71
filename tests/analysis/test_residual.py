"""The residual-hazard model against hand-worked cases, exact formulas and its own Monte Carlo.

All designs here are synthetic: parameters chosen to exercise the formulas, not any real mine.
Monte Carlo tolerances come from the standard error (4 SE, fixed seeds).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, special, stats

from minewatch.analysis.residual.closed_form import (
    closed_form_curve,
    expected_live,
    live_fraction_cdf,
    live_fraction_quantiles,
    prob_any_live,
    prob_no_live,
    time_until_below,
)
from minewatch.analysis.residual.curves import decay_curve
from minewatch.analysis.residual.design import (
    BetaBelief,
    FixedTime,
    KnownProbability,
    LognormalTime,
    LotDefect,
    LotVariation,
    Mechanism,
    MineDesign,
    Strike,
    UniformTime,
    WeibullTime,
    hours,
)
from minewatch.analysis.residual.monte_carlo import simulate, simulate_mines
from minewatch.analysis.residual.portfolio import simulate_portfolio
from minewatch.errors import InvalidInput


def design(
    p_sd: float | BetaBelief,
    sd_timing: object,
    p_sda: float | BetaBelief | None = None,
    sda_timing: object = None,
    correlation: object = None,
) -> MineDesign:
    def belief(p: float | BetaBelief) -> KnownProbability | BetaBelief:
        return p if isinstance(p, BetaBelief) else KnownProbability(p)

    sd = Mechanism(belief(p_sd), sd_timing)  # type: ignore[arg-type]
    sda = Mechanism.absent() if p_sda is None else Mechanism(belief(p_sda), sda_timing)  # type: ignore[arg-type]
    if correlation is None:
        return MineDesign(sd, sda)
    return MineDesign(sd, sda, correlation)  # type: ignore[arg-type]


# -- hand-worked cases ---------------------------------------------------------------------------


def test_known_probabilities_with_timers_worked_by_hand() -> None:
    # 1000 mines; SD at 40 h fails with 10%; SDA at 120 d fails with 1%.
    strike = Strike(1000, design(0.1, FixedTime(hours(40)), 0.01, FixedTime(120)))
    t = np.array([1.0, hours(40), 10.0, 119.9, 120.0, 500.0])
    assert np.allclose(expected_live(strike, t), [1000, 100, 100, 100, 1, 1])
    assert np.allclose(
        prob_any_live(strike, t),
        [1, 1 - 0.9**1000, 1 - 0.9**1000, 1 - 0.9**1000, 1 - 0.999**1000, 1 - 0.999**1000],
    )


def test_mine_acting_exactly_at_t_is_not_live_at_t() -> None:
    strike = Strike(10, design(0.0, FixedTime(2.0)))
    assert float(expected_live(strike, 2.0)) == 0.0
    assert float(expected_live(strike, np.nextafter(2.0, 0))) == 10.0


def test_beta_binomial_closed_form_for_one_uncertain_probability() -> None:
    n, a, b = 250, 3.0, 60.0
    strike = Strike(n, design(BetaBelief(a, b), FixedTime(1.0)))
    assert float(prob_no_live(strike, 5)) == pytest.approx(stats.betabinom.pmf(0, n, a, b), 1e-12)
    assert float(prob_no_live(strike, 5)) == pytest.approx(
        math.exp(special.betaln(a, b + n) - special.betaln(a, b)), 1e-12
    )
    assert float(expected_live(strike, 5)) == pytest.approx(n * a / (a + b))


def test_pending_timing_with_one_uncertain_probability_matches_direct_integral() -> None:
    n = 40
    d = design(BetaBelief(2, 18), UniformTime(0.0, 4.0), 0.2, FixedTime(3.0))
    t = 1.0  # SD: 3/4 of working mechanisms pending; SDA not yet acted (S = 1)

    def integrand(p: float) -> float:
        q = (0.75 + 0.25 * p) * 1.0
        return (1 - q) ** n * stats.beta.pdf(p, 2, 18)

    expected, _ = integrate.quad(integrand, 0, 1, epsabs=1e-14)
    assert float(prob_no_live(Strike(n, d), t)) == pytest.approx(expected, rel=1e-8, abs=1e-15)
    t = 3.5  # SDA acted (S_sda = 0.2), SD: 1/8 pending
    expected, _ = integrate.quad(
        lambda p: (1 - (0.125 + 0.875 * p) * 0.2) ** n * stats.beta.pdf(p, 2, 18), 0, 1
    )
    assert float(prob_no_live(Strike(n, d), t)) == pytest.approx(expected, rel=1e-8)


def test_both_uncertain_matches_exact_sum_and_double_integral() -> None:
    n, (a1, b1), (a2, b2) = 300, (2.0, 48.0), (1.0, 9.0)
    d = design(BetaBelief(a1, b1), FixedTime(2.0), BetaBelief(a2, b2), WeibullTime(2.0, 50.0))
    k = np.arange(n + 1)
    exact_late = np.sum(
        stats.betabinom.pmf(k, n, a1, b1)
        * np.exp(special.betaln(a2, b2 + k) - special.betaln(a2, b2))
    )
    assert float(prob_no_live(Strike(n, d), 5000.0)) == pytest.approx(exact_late, rel=1e-10)
    small = Strike(12, d)
    g = math.exp(-((40.0 / 50.0) ** 2))
    value, _ = integrate.dblquad(
        lambda p2, p1: (
            (1 - p1 * (g + (1 - g) * p2)) ** 12
            * stats.beta.pdf(p1, a1, b1)
            * stats.beta.pdf(p2, a2, b2)
        ),
        0,
        1,
        0,
        1,
        epsabs=1e-13,
    )
    assert float(prob_no_live(small, 40.0)) == pytest.approx(value, rel=1e-8)


def test_expected_live_is_product_of_mean_survivals() -> None:
    d = design(BetaBelief(1, 4), UniformTime(1, 3), BetaBelief(1, 1), FixedTime(10))
    # t = 2: E[S_sd] = 0.5 + 0.5 * 0.2 = 0.6; SDA pending (S = 1)
    # t = 20: E[S_sd] = 0.2, E[S_sda] = 0.5
    assert np.allclose(expected_live(Strike(100, d), [2.0, 20.0]), [60.0, 10.0])


def test_exact_credible_interval_with_one_uncertain_probability() -> None:
    d = design(BetaBelief(2, 38), FixedTime(1.0), 0.05, FixedTime(100))
    curve = closed_form_curve(Strike(500, d), [10.0, 200.0], level=0.9)
    lo, hi = stats.beta.ppf([0.05, 0.95], 2, 38)
    assert np.allclose(curve.expected_live_lower, [500 * lo, 500 * lo * 0.05])
    assert np.allclose(curve.expected_live_upper, [500 * hi, 500 * hi * 0.05])
    assert curve.prob_any_live_upper[0] == pytest.approx(1 - (1 - hi) ** 500)


def test_time_until_below_for_timers_and_ranges_worked_by_hand() -> None:
    assert time_until_below(Strike(100, design(0.0, FixedTime(3.0))), 0.01).days == 3.0
    # p = 0, uniform 0..10 days: P(any live) = 1 - (1 - G)^n with G = (10 - t)/10
    n, eps = 20, 0.05
    q_star = 1 - (1 - eps) ** (1 / n)
    found = time_until_below(Strike(n, design(0.0, UniformTime(0, 10))), eps)
    assert found.days == pytest.approx(10 - 10 * q_star, rel=1e-9)
    # SD fails often but the SDA is sure at 120 days: the time is the SDA timer.
    assert (
        time_until_below(Strike(50, design(0.2, FixedTime(1), 0.0, FixedTime(120))), 0.01).days
        == 120.0
    )
    # Both can fail for certain-ish: never.
    never = time_until_below(Strike(50, design(0.2, FixedTime(1), 0.1, FixedTime(120))), 0.01)
    assert never.days == math.inf and never.upper == math.inf


def test_time_until_below_interval_brackets_point_and_matches_quantiles() -> None:
    d = design(BetaBelief(1, 199), FixedTime(1.0), 0.0, WeibullTime(3.0, 100.0))
    found = time_until_below(Strike(200, d), 0.01, level=0.9)
    assert found.lower <= found.days <= found.upper < math.inf
    # At the upper bound, P(any live | p at its 95th percentile) equals the threshold.
    p95 = stats.beta.ppf(0.95, 1, 199)
    g = math.exp(-((found.upper / 100.0) ** 3))
    assert 1 - (1 - p95 * g) ** 200 == pytest.approx(0.01, rel=1e-6)


# -- Monte Carlo against the closed forms --------------------------------------------------------

TIMES = np.array([0.5, 1.0, 2.0, 30.0, 90.0, 120.0, 200.0])
BOTH_UNCERTAIN = design(
    BetaBelief(2, 38), UniformTime(hours(4), hours(40)), BetaBelief(1, 49), LognormalTime(100, 0.3)
)


def test_count_level_monte_carlo_agrees_with_closed_form_within_sampling_error() -> None:
    strike = Strike(300, BOTH_UNCERTAIN)
    exact = closed_form_curve(strike, TIMES)
    mc = simulate(strike, TIMES, draws=20_000, seed=11).curve
    assert mc.expected_live_se is not None and mc.prob_any_live_se is not None
    tol_e = 4 * np.maximum(mc.expected_live_se, 1e-9)
    tol_p = 4 * np.maximum(mc.prob_any_live_se, 1 / 20_000)
    assert np.all(np.abs(mc.expected_live - exact.expected_live) <= tol_e)
    assert np.all(np.abs(mc.prob_any_live - exact.prob_any_live) <= tol_p)


def test_per_mine_monte_carlo_agrees_with_closed_form() -> None:
    strike = Strike(80, BOTH_UNCERTAIN)
    draws = 4_000
    live = simulate_mines(strike, TIMES, draws=draws, seed=5)
    exact = closed_form_curve(strike, TIMES)
    se = live.std(axis=0, ddof=1) / math.sqrt(draws)
    assert np.all(np.abs(live.mean(axis=0) - exact.expected_live) <= 4 * np.maximum(se, 1e-9))
    any_live = (live > 0).mean(axis=0)
    se_p = np.sqrt(np.maximum(any_live * (1 - any_live), 1 / draws) / draws)
    assert np.all(np.abs(any_live - exact.prob_any_live) <= 4 * se_p)


def test_monte_carlo_credible_interval_matches_closed_form_quantiles() -> None:
    strike = Strike(300, BOTH_UNCERTAIN)
    sim = simulate(strike, [30.0, 150.0], draws=40_000, seed=3, level=0.9)
    q = live_fraction_quantiles(BOTH_UNCERTAIN, [30.0, 150.0], [0.05, 0.95])
    # Quantile sampling error: sd ≈ sqrt(p(1-p)/N) / density; compare on the probability scale.
    for j in range(2):
        for col, level in ((0, 0.05), (1, 0.95)):
            frac = (sim.expected_given[:, j] <= 300 * q[j, col]).mean()
            assert abs(frac - level) <= 4 * math.sqrt(level * (1 - level) / 40_000)


def test_lot_models_keep_the_mean_and_change_the_spread() -> None:
    base = BOTH_UNCERTAIN
    lots = MineDesign(base.self_destruct, base.self_deactivation, LotVariation(50, 0.5, 0.5))
    times = np.array([2.0, 120.0])
    ind = simulate(Strike(300, base), times, draws=20_000, seed=1).curve
    lot = simulate(Strike(300, lots), times, draws=20_000, seed=2).curve
    assert lot.expected_live_se is not None
    assert np.all(
        np.abs(lot.expected_live - expected_live(Strike(300, lots), times))
        <= 4 * lot.expected_live_se
    )
    # Failures clustered in lots: fewer strikes with any live mine for the same mean.
    assert np.all(lot.prob_any_live < ind.prob_any_live)
    assert lot.live_count_upper is not None and ind.live_count_upper is not None
    assert lot.live_count_upper[0] > ind.live_count_upper[0]


def test_lot_defect_mean_and_certain_defect() -> None:
    base = BOTH_UNCERTAIN
    defect = MineDesign(
        base.self_destruct, base.self_deactivation, LotDefect(25, BetaBelief(1, 19), "both")
    )
    sim = simulate(Strike(200, defect), [1000.0], draws=20_000, seed=4).curve
    assert sim.expected_live_se is not None
    mean = float(expected_live(Strike(200, defect), 1000.0))
    assert mean == pytest.approx(200 * (0.05 + 0.95 * (2 / 40) * (1 / 50)))
    assert abs(sim.expected_live[0] - mean) <= 4 * sim.expected_live_se[0]
    certain = MineDesign(
        base.self_destruct, base.self_deactivation, LotDefect(25, KnownProbability(1.0), "both")
    )
    assert np.all(simulate(Strike(60, certain), [1000.0], draws=50).live == 60)


def test_decay_curve_uses_closed_form_under_independence_and_monte_carlo_otherwise() -> None:
    assert decay_curve(Strike(10, BOTH_UNCERTAIN), [1.0]).method == "closed form"
    lots = MineDesign(
        BOTH_UNCERTAIN.self_destruct, BOTH_UNCERTAIN.self_deactivation, LotVariation(5, 0.2)
    )
    curve = decay_curve(Strike(10, lots), [1.0, 2.0], draws=500)
    assert curve.method == "monte carlo" and next(iter(curve.to_frame().columns)) == "days"
    with pytest.raises(InvalidInput, match="independence"):
        prob_no_live(Strike(10, lots), 1.0)


def test_simulation_keeps_the_callers_time_order() -> None:
    sim = simulate(Strike(100, BOTH_UNCERTAIN), [200.0, 0.5, 30.0], draws=200, seed=0)
    assert np.all(sim.live[:, 1] >= sim.live[:, 2]) and np.all(sim.live[:, 2] >= sim.live[:, 0])


# -- invariants and validation -------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    a=st.floats(0.2, 20),
    b=st.floats(0.2, 200),
    p2=st.floats(0, 1),
    n=st.integers(0, 400),
    low=st.floats(0, 10),
    width=st.floats(0.1, 100),
)
def test_curves_are_monotone_and_bounded(
    a: float, b: float, p2: float, n: int, low: float, width: float
) -> None:
    d = design(BetaBelief(a, b), UniformTime(low, low + width), p2, WeibullTime(2, 60))
    t = np.linspace(0, 400, 41)
    e = np.asarray(expected_live(Strike(n, d), t))
    p = np.asarray(prob_any_live(Strike(n, d), t))
    assert np.all(np.diff(e) <= 1e-9) and np.all((e >= 0) & (e <= n + 1e-9))
    assert np.all(np.diff(p) <= 1e-9) and np.all((p >= -1e-12) & (p <= 1 + 1e-12))


def test_bad_inputs_are_refused_with_a_reason() -> None:
    with pytest.raises(InvalidInput):
        BetaBelief(0, 1)
    with pytest.raises(InvalidInput):
        KnownProbability(1.2)
    with pytest.raises(InvalidInput):
        UniformTime(5, 1)
    with pytest.raises(InvalidInput):
        Strike(-1, BOTH_UNCERTAIN)
    with pytest.raises(InvalidInput, match="days since emplacement"):
        expected_live(Strike(1, BOTH_UNCERTAIN), -1.0)
    with pytest.raises(InvalidInput):
        time_until_below(Strike(1, BOTH_UNCERTAIN), 1.5)


def test_portfolio_agrees_with_single_strike_closed_forms() -> None:
    other = design(0.02, FixedTime(1.0), BetaBelief(1, 9), FixedTime(60.0))
    designs = [BOTH_UNCERTAIN, BOTH_UNCERTAIN, other, other]
    mines = np.array([300, 50, 1000, 0])
    days = np.array([30.0, 1.0, 90.0, 5.0])
    which = np.array([0, 0, 1, 1])
    draws = 20_000
    summary = simulate_portfolio(
        mines,
        days,
        [BOTH_UNCERTAIN, other],
        which,
        draws=draws,
        seed=9,
        chunk_elements=30_000,
        sample_counts=True,
        level=0.9,
    )
    for i, d in enumerate(designs):
        strike = Strike(int(mines[i]), d)
        exact = closed_form_curve(strike, [days[i]], level=0.9)
        # Rao-Blackwellised means: only the parameter draws vary; 4 SE of n·q over draws
        p = float(exact.prob_any_live[0])
        assert abs(summary.prob_any_live[i] - p) <= 4 * math.sqrt(max(p * (1 - p), 1e-6) / draws)
        e = float(exact.expected_live[0])
        assert abs(summary.expected_live[i] - e) <= 4 * mines[i] * 0.1 / math.sqrt(draws) + 1e-12
        # credible interval: each MC quantile sits at its level of the exact distribution of q
        if mines[i] and days[i] > 2:
            for value, level in (
                (summary.expected_live_lower[i], 0.05),
                (summary.expected_live_upper[i], 0.95),
            ):
                at = float(live_fraction_cdf(d, float(days[i]), np.array([value / mines[i]]))[0])
                assert abs(at - level) <= 4 * math.sqrt(level * (1 - level) / draws)
        assert summary.expected_live_lower[i] <= summary.expected_live_upper[i]
    assert summary.total_live is not None and summary.live_lower is not None
    se_total = summary.total_live.std() / math.sqrt(draws)
    assert abs(summary.total_live.mean() - summary.expected_total.mean()) <= 4 * se_total
    assert np.all(summary.live_lower <= summary.live_upper)  # type: ignore[operator]
    with pytest.raises(InvalidInput):
        simulate_portfolio([1, 2], [1.0], [BOTH_UNCERTAIN])


def test_simulated_threshold_time_on_the_grid() -> None:
    d = design(0.0, UniformTime(0, 10), BetaBelief(1, 1), FixedTime(50))
    grid = np.arange(0.0, 12.0, 0.5)
    found = simulate(Strike(20, d), grid, draws=2_000, seed=1).time_until_below(0.05)
    exact = time_until_below(Strike(20, d), 0.05).days  # 10 - 10 q*, just under 10 days
    assert found.days == 10.0 and exact < found.days <= exact + 0.5
    assert found.lower == found.upper == 10.0  # p_sd = 0: no parameter uncertainty left
    sure = design(BetaBelief(1, 1), FixedTime(1), 1.0, FixedTime(1))  # SD may fail, no SDA
    never = simulate(Strike(20, sure), [0.5, 2.0], draws=500).time_until_below(0.05)
    assert never.days == math.inf and never.upper == math.inf
