"""Bayesian updates on small synthetic field datasets, and the posterior predictive."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from minewatch.analysis.residual.closed_form import prob_no_live
from minewatch.analysis.residual.design import (
    BetaBelief,
    FixedTime,
    KnownProbability,
    Mechanism,
    MineDesign,
    Strike,
    UniformTime,
)
from minewatch.analysis.residual.update import (
    FieldFinds,
    count_pmf,
    predict_strike,
    update_from_finds,
)
from minewatch.errors import InvalidInput

PRIOR = MineDesign(
    Mechanism(BetaBelief(1, 1), UniformTime(0.1, 2.0)),
    Mechanism(BetaBelief(2, 3), FixedTime(120)),
)


def test_each_count_updates_the_parameter_it_informs() -> None:
    result = update_from_finds(PRIOR, FieldFinds(live=2, self_destructed=90, inert=8))
    assert result.design.self_destruct.failure == BetaBelief(1 + 2 + 8, 1 + 90)
    assert result.design.self_deactivation.failure == BetaBelief(2 + 2, 3 + 8)
    assert result.self_destruct_counts == (10, 90) and result.self_deactivation_counts == (2, 8)
    assert any("clearance time not given" in n for n in result.notes)


def test_single_find_updates() -> None:
    only_live = update_from_finds(PRIOR, FieldFinds(live=1, days_after_emplacement=200))
    assert only_live.design.self_destruct.failure == BetaBelief(2, 1)
    assert only_live.design.self_deactivation.failure == BetaBelief(3, 3)
    destroyed = update_from_finds(PRIOR, FieldFinds(self_destructed=1, days_after_emplacement=200))
    assert destroyed.design.self_destruct.failure == BetaBelief(1, 2)
    assert destroyed.design.self_deactivation.failure == BetaBelief(2, 3)  # says nothing of SDA
    inert = update_from_finds(PRIOR, FieldFinds(inert=1, days_after_emplacement=200))
    assert inert.design.self_destruct.failure == BetaBelief(2, 1)
    assert inert.design.self_deactivation.failure == BetaBelief(2, 4)


def test_complete_clearance_counts_the_rest_as_self_destructed() -> None:
    finds = FieldFinds.from_clearance(120, live=1, inert=4, days_after_emplacement=150)
    assert (finds.self_destructed, finds.total) == (115, 120)
    with pytest.raises(InvalidInput):
        FieldFinds.from_clearance(3, live=2, inert=2, days_after_emplacement=None)


def test_clearance_timing_decides_what_can_be_learnt() -> None:
    with pytest.raises(InvalidInput, match="pending"):
        update_from_finds(PRIOR, FieldFinds(live=1, days_after_emplacement=1.0))
    early = update_from_finds(
        PRIOR, FieldFinds(live=3, self_destructed=7, days_after_emplacement=30)
    )
    assert early.design.self_destruct.failure == BetaBelief(4, 8)
    assert early.design.self_deactivation.failure == BetaBelief(2, 3)
    assert early.self_deactivation_counts is None
    assert any("only the self-destruct" in n for n in early.notes)


def test_known_probabilities_and_missing_mechanisms() -> None:
    fixed = MineDesign(Mechanism(KnownProbability(0.1), FixedTime(1)), Mechanism.absent())
    result = update_from_finds(fixed, FieldFinds(live=5, self_destructed=5))
    assert result.design.self_destruct.failure == KnownProbability(0.1)
    assert result.self_destruct_counts is None
    with pytest.raises(InvalidInput, match="no self-deactivation"):
        update_from_finds(fixed, FieldFinds(inert=1))
    with pytest.raises(InvalidInput):
        FieldFinds(live=-1)


def test_posterior_predictive_is_beta_binomial_for_one_mechanism() -> None:
    d = MineDesign(Mechanism(BetaBelief(3, 97), FixedTime(1)), Mechanism.absent())
    outlook = predict_strike(d, 40)
    assert np.allclose(outlook.live_pmf, stats.betabinom.pmf(np.arange(41), 40, 3, 97))
    assert outlook.expected_live == pytest.approx(40 * 0.03)


def test_posterior_predictive_after_update_matches_the_model_at_long_times() -> None:
    post = update_from_finds(PRIOR, FieldFinds(live=1, self_destructed=40, inert=3)).design
    outlook = predict_strike(post, 150)
    assert outlook.live_pmf.sum() == pytest.approx(1.0)
    assert outlook.prob_any_live == pytest.approx(1 - float(prob_no_live(Strike(150, post), 1e4)))
    mean_from_pmf = float(np.arange(151) @ outlook.live_pmf)
    assert mean_from_pmf == pytest.approx(outlook.expected_live, rel=1e-9)
    assert (
        outlook.expected_self_destructed + outlook.expected_inert + outlook.expected_live
        == pytest.approx(150)
    )
    lo, hi = outlook.live_interval(0.9)
    assert 0 <= lo <= hi <= 150


def test_count_pmf_known_is_binomial() -> None:
    assert np.allclose(count_pmf(5, KnownProbability(0.2)), stats.binom.pmf(np.arange(6), 5, 0.2))


@settings(max_examples=50, deadline=None)
@given(
    live=st.integers(0, 30),
    destroyed=st.integers(0, 300),
    inert=st.integers(0, 30),
    a=st.floats(0.5, 10),
    b=st.floats(0.5, 100),
)
def test_update_adds_every_mine_to_the_beliefs_it_informs(
    live: int, destroyed: int, inert: int, a: float, b: float
) -> None:
    prior = MineDesign(
        Mechanism(BetaBelief(a, b), FixedTime(1)), Mechanism(BetaBelief(b, a), FixedTime(50))
    )
    post = update_from_finds(prior, FieldFinds(live, destroyed, inert, 100)).design
    sd, sda = post.self_destruct.failure, post.self_deactivation.failure
    assert isinstance(sd, BetaBelief) and isinstance(sda, BetaBelief)
    assert sd.a + sd.b == pytest.approx(a + b + live + destroyed + inert)
    assert sda.a + sda.b == pytest.approx(a + b + live + inert)  # self-destructed say nothing
    # the posterior mean lies between the prior mean and the observed fraction
    if live + destroyed + inert:
        observed = (live + inert) / (live + destroyed + inert)
        lo, hi = sorted((a / (a + b), observed))
        assert lo - 1e-12 <= sd.mean <= hi + 1e-12
