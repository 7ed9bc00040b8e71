"""Accept-on-zero sample sizes and zero-find bounds, against hand and exact computations."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, stats

from minewatch.analysis import zero_find
from minewatch.analysis.zero_find import (
    accept_on_zero_sample_size,
    beta_posterior_contaminated_fraction,
    clean_sample_confidence,
    zero_find_binomial,
    zero_find_gamma_posterior,
    zero_find_poisson,
)
from minewatch.errors import InvalidInput


def exact_miss(units: int, dirty: int, n: int) -> Fraction:
    """C(N − D, n) / C(N, n) in exact rationals."""
    return Fraction(math.comb(units - dirty, n), math.comb(units, n))


def test_hand_computed_400_units_99_percent_clean_95_percent_confidence() -> None:
    # D* = floor(400 · 0.01) + 1 = 5; C(395,180)/C(400,180) = 0.04930 ≤ 0.05 < C(395,179)/C(400,179)
    plan = accept_on_zero_sample_size(400, 0.99, 0.95)
    assert plan.dirty_limit == 5
    assert plan.sample_size == 180
    assert exact_miss(400, 5, 180) <= Fraction(1, 20) < exact_miss(400, 5, 179)
    assert plan.miss_probability == pytest.approx(float(exact_miss(400, 5, 180)), rel=1e-9)


def test_hand_computed_small_lot() -> None:
    # N = 10, X = 80 %: D* = 3. C(7,1)/C(10,1) = 0.7, C(7,2)/C(10,2) = 21/45 = 0.467 ≤ 0.5
    assert accept_on_zero_sample_size(10, 0.8, 0.5).sample_size == 2


def test_all_clean_claim_needs_y_of_the_units() -> None:
    # X = 100 %: D* = 1 and P(miss) = (N − n)/N, so n = ⌈Y·N⌉.
    assert accept_on_zero_sample_size(200, 1.0, 0.95).sample_size == 190
    assert accept_on_zero_sample_size(200, 0.0, 0.95).sample_size == 0


@given(
    units=st.integers(min_value=1, max_value=250),
    clean=st.sampled_from(["0.5", "0.8", "0.9", "0.95", "0.99", "0.999", "1"]),
    confidence=st.sampled_from(["0.5", "0.8", "0.9", "0.95", "0.99"]),
)
def test_sample_size_is_the_exact_smallest(units: int, clean: str, confidence: str) -> None:
    plan = accept_on_zero_sample_size(units, float(clean), float(confidence))
    d_star = math.floor(units * (1 - Fraction(clean))) + 1
    assert plan.dirty_limit == d_star
    if d_star > units:
        assert plan.sample_size == 0
        return
    target = 1 - Fraction(confidence)
    assert exact_miss(units, d_star, plan.sample_size) <= target
    if plan.sample_size > 0:
        assert exact_miss(units, d_star, plan.sample_size - 1) > target


@given(
    units=st.integers(min_value=1, max_value=5000),
    clean=st.floats(min_value=0.5, max_value=1.0),
    low=st.floats(min_value=0.5, max_value=0.99),
    high=st.floats(min_value=0.5, max_value=0.99),
)
def test_more_confidence_never_needs_a_smaller_sample(units, clean, low, high) -> None:
    low, high = sorted((low, high))
    small = accept_on_zero_sample_size(units, clean, low).sample_size
    assert accept_on_zero_sample_size(units, clean, high).sample_size >= small


@given(
    units=st.integers(min_value=1, max_value=5000),
    a=st.floats(min_value=0.0, max_value=1.0),
    b=st.floats(min_value=0.0, max_value=1.0),
)
def test_a_stricter_clean_claim_never_needs_a_smaller_sample(units, a, b) -> None:
    loose, strict = sorted((a, b))
    small = accept_on_zero_sample_size(units, loose, 0.95).sample_size
    assert accept_on_zero_sample_size(units, strict, 0.95).sample_size >= small


def test_unbounded_lot_limit() -> None:
    assert zero_find.accept_on_zero_sample_size_unbounded(0.99, 0.95) == 299  # 298.07 rounded up
    assert zero_find.accept_on_zero_sample_size_unbounded(0.5, 0.75) == 2  # 0.5² = 0.25 exactly
    finite = accept_on_zero_sample_size(10**7, 0.99, 0.95).sample_size
    assert finite <= 299 and finite >= 298


@given(
    units=st.integers(min_value=100, max_value=20000),
    clean=st.sampled_from([0.9, 0.95, 0.99, 0.995]),
    confidence=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_a_finite_lot_never_needs_more_than_the_unbounded_limit(units, clean, confidence) -> None:
    finite = accept_on_zero_sample_size(units, clean, confidence).sample_size
    assert finite <= zero_find.accept_on_zero_sample_size_unbounded(clean, confidence)


def test_confidence_after_a_clean_sample_inverts_the_sample_size() -> None:
    plan = accept_on_zero_sample_size(1000, 0.995, 0.9)
    assert clean_sample_confidence(1000, plan.sample_size, 0.995) >= 0.9
    assert clean_sample_confidence(1000, plan.sample_size - 1, 0.995) < 0.9


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((0, 0.99, 0.95), "units"),
        ((100, 1.2, 0.95), "clean_fraction"),
        ((100, 0.99, 1.0), "confidence"),
    ],
)
def test_accept_on_zero_refuses_bad_input(args, field) -> None:
    with pytest.raises(InvalidInput) as err:
        accept_on_zero_sample_size(*args)
    assert err.value.where.field == field


# --- zero-find bounds -----------------------------------------------------------------------


def test_poisson_bound_by_hand() -> None:
    # q = 0.1 · 0.9 = 0.09; λu = −ln(0.05)/0.09 = 33.2859; left = 0.91 λu
    bound = zero_find_poisson(0.1, 0.9, 0.95)
    assert bound.detail["lambda_upper"] == pytest.approx(-math.log(0.05) / 0.09)
    assert bound.items_upper == pytest.approx(0.91 * 33.28591415)
    # the split: unsearched 0.9 λu, missed in the searched part 0.1 · 0.1 · λu
    assert bound.unsearched_upper == pytest.approx(0.9 * bound.detail["lambda_upper"])
    assert bound.missed_in_searched_upper == pytest.approx(0.01 * bound.detail["lambda_upper"])


def test_binomial_bound_by_hand_including_an_exact_edge() -> None:
    assert zero_find_binomial(0.1, 0.9, 0.95).items_upper == 31  # ln .05 / ln .91 = 31.76
    # q = 0.5, Y = 0.75: 0.5² = 0.25 = 1 − Y exactly, so N = 2 is still not ruled out
    assert zero_find_binomial(1.0, 0.5, 0.75).items_upper == 2
    assert zero_find_binomial(1.0, 1.0, 0.95).items_upper == 0


@given(
    f=st.floats(min_value=0.01, max_value=1.0),
    p=st.floats(min_value=0.01, max_value=0.999),
    y=st.floats(min_value=0.5, max_value=0.999),
)
def test_binomial_bound_is_the_largest_count_not_ruled_out(f, p, y) -> None:
    q = f * p
    n_upper = int(zero_find_binomial(f, p, y).items_upper)
    assert (1 - q) ** n_upper >= (1 - y) * (1 - 1e-9)
    assert (1 - q) ** (n_upper + 1) < (1 - y) * (1 + 1e-9)


@given(
    f1=st.floats(min_value=0.01, max_value=1.0),
    f2=st.floats(min_value=0.01, max_value=1.0),
    p=st.floats(min_value=0.05, max_value=1.0),
    y=st.floats(min_value=0.5, max_value=0.99),
)
def test_searching_more_never_raises_the_bounds(f1, f2, p, y) -> None:
    less, more = sorted((f1, f2))
    assert zero_find_poisson(more, p, y).items_upper <= zero_find_poisson(less, p, y).items_upper
    assert zero_find_binomial(more, p, y).items_upper <= zero_find_binomial(less, p, y).items_upper
    gamma_less = zero_find_gamma_posterior(less, p, y, 2.0, 0.1).detail["posterior_mean_left"]
    gamma_more = zero_find_gamma_posterior(more, p, y, 2.0, 0.1).detail["posterior_mean_left"]
    assert gamma_more <= gamma_less + 1e-12


def test_binomial_bound_of_a_search_too_weak_for_floating_point_ends() -> None:
    # 1 − q rounds to 1 here: the bound is the float estimate, not an endless repair loop.
    assert zero_find_binomial(1e-300, 0.5, 0.95).items_upper == pytest.approx(
        math.log(0.05) / -5e-301
    )
    with pytest.raises(InvalidInput) as caught:
        zero_find_binomial(5e-324, 1.0, 0.95)  # ln(1 − Y)/ln(1 − q) overflows
    assert caught.value.where.field == "searched_fraction"


def test_binomial_and_poisson_agree_for_a_weak_search() -> None:
    poisson = zero_find_poisson(0.01, 0.5, 0.95).detail["lambda_upper"]
    assert zero_find_binomial(0.01, 0.5, 0.95).items_upper == pytest.approx(poisson, rel=0.01)


def test_gamma_posterior_matches_numerical_integration() -> None:
    a, b, f, p, y = 2.0, 0.25, 0.3, 0.8, 0.9
    bound = zero_find_gamma_posterior(f, p, y, prior_shape=a, prior_rate=b)
    q = f * p
    assert bound.detail["posterior_mean_lambda"] == pytest.approx(a / (b + q))
    assert bound.detail["posterior_mean_left"] == pytest.approx(a * (1 - q) / (b + q))

    def prob_left(k: int) -> float:
        # ∫ Poisson(k; λ(1 − q)) · prior(λ) · e^(−λq) dλ / ∫ prior(λ) e^(−λq) dλ
        def weight(lam: float) -> float:
            return stats.gamma.pdf(lam, a, scale=1 / b) * math.exp(-lam * q)

        def joint(lam: float) -> float:
            return stats.poisson.pmf(k, lam * (1 - q)) * weight(lam)

        return integrate.quad(joint, 0, math.inf)[0] / integrate.quad(weight, 0, math.inf)[0]

    assert bound.detail["probability_none_left"] == pytest.approx(prob_left(0), rel=1e-6)
    cdf, k = 0.0, 0
    while True:
        cdf += prob_left(k)
        if cdf >= y:
            break
        k += 1
    assert bound.items_upper == k


def test_a_prior_expecting_fewer_items_gives_a_lower_bound() -> None:
    wary = zero_find_gamma_posterior(0.1, 0.9, 0.95, prior_shape=2.0, prior_rate=0.1)
    hopeful = zero_find_gamma_posterior(0.1, 0.9, 0.95, prior_shape=2.0, prior_rate=2.0)
    assert hopeful.items_upper <= wary.items_upper
    assert hopeful.detail["probability_none_left"] > wary.detail["probability_none_left"]


def test_beta_posterior_with_uniform_prior_has_a_closed_form() -> None:
    # Beta(1, n + 1): P(θ ≤ t) = 1 − (1 − t)^(n+1), so the bound is 1 − (1 − Y)^(1/(n+1))
    post = beta_posterior_contaminated_fraction(180, 0, 0.95)
    assert (post.alpha, post.beta) == (1.0, 181.0)
    assert post.upper == pytest.approx(1 - 0.05 ** (1 / 181))
    found = beta_posterior_contaminated_fraction(100, 3, 0.95, prior_alpha=0.5, prior_beta=0.5)
    assert (found.alpha, found.beta) == (3.5, 97.5)
    assert found.mean == pytest.approx(3.5 / 101)


@pytest.mark.parametrize(
    "call",
    [
        lambda: zero_find_poisson(0.0, 0.9, 0.95),
        lambda: zero_find_binomial(0.5, 1.5, 0.95),
        lambda: zero_find_gamma_posterior(0.5, 0.5, 0.95, prior_shape=0.0, prior_rate=1.0),
        lambda: beta_posterior_contaminated_fraction(10, 11, 0.95),
    ],
)
def test_zero_find_refuses_bad_input(call) -> None:
    with pytest.raises(InvalidInput):
        call()
