"""Closed forms under independence: expected live mines, the probability that none (or any)
is live, the distribution of the live fraction over the beliefs, the closed-form decay curve
and the time until P(at least one live mine) falls below a threshold. The formulas are listed
in :mod:`minewatch.analysis.residual`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, special, stats

from minewatch.analysis.residual.design import (
    Belief,
    BetaBelief,
    Correlation,
    FloatArray,
    Independent,
    KnownProbability,
    LognormalTime,
    LotDefect,
    MineDesign,
    Strike,
    WeibullTime,
    _shape_like,
    _times,
)
from minewatch.analysis.residual.results import DecayCurve, ThresholdTime, _interval_probs
from minewatch.errors import InvalidInput

#: Gauss–Jacobi nodes for averaging over an uncertain failure probability.
QUADRATURE_NODES = 128
#: Midpoint nodes for the distribution of the live fraction when both probabilities are
#: uncertain (the credible intervals); 4096 gives level errors below 2.5e-4.
CDF_NODES = 4096


def _defect_mean(design: MineDesign) -> float:
    return design.correlation.defect.mean if isinstance(design.correlation, LotDefect) else 0.0


def mean_live_fraction(design: MineDesign, t: ArrayLike) -> FloatArray | float:
    """The expected fraction of activated mines live at ``t`` days, averaged over the beliefs:
    ``E[S_sd(t)] · E[S_sda(t)]`` under independence and lot variation; with lot defects of
    probability ``π`` disabling mechanism(s), the defective fraction's survival replaces the
    disabled factor(s): e.g. for both, ``π + (1 - π) E[S_sd] E[S_sda]``.

    >>> from minewatch.analysis.residual.design import (
    ...     FixedTime, KnownProbability, Mechanism, MineDesign)
    >>> d = MineDesign(Mechanism(KnownProbability(0.1), FixedTime(1)),
    ...                Mechanism(KnownProbability(0.5), FixedTime(2)))
    >>> mean_live_fraction(d, [0.5, 1.5, 2.5]).tolist()
    [1.0, 0.1, 0.05]
    """
    times = _times(t)
    sd = design.self_destruct.not_acted(times, design.self_destruct.failure.mean)
    sda = design.self_deactivation.not_acted(times, design.self_deactivation.failure.mean)
    _, live = lot_defect_survival(design.correlation, sd, sda)
    return _shape_like(t, np.asarray(live, dtype=float))


def lot_defect_survival(correlation: Correlation, s_sd: Any, s_sda: Any) -> tuple[Any, Any]:
    """``(mean S_sd, mean live fraction)`` once lot defects are mixed in (unchanged for other
    models): a defective lot's disabled mechanism never acts (``S = 1``). Works on floats,
    arrays and exact fractions alike, so the treaty check and the curves share one formula."""
    if not isinstance(correlation, LotDefect):
        return s_sd, s_sd * s_sda
    mean = correlation.defect.mean
    pi: Any = Fraction(repr(mean)) if isinstance(s_sd, Fraction) else mean  # exact stays exact
    if correlation.disables == "both":
        return pi + (1 - pi) * s_sd, pi + (1 - pi) * s_sd * s_sda
    if correlation.disables == "self_destruct":
        s_sd = pi + (1 - pi) * s_sd
        return s_sd, s_sd * s_sda
    return s_sd, s_sd * (pi + (1 - pi) * s_sda)


def expected_live(strike: Strike, t: ArrayLike) -> FloatArray | float:
    """Expected number of live mines ``t`` days after emplacement (exact for every correlation
    model: lots change the spread, not the mean).

    >>> from minewatch.analysis.residual.design import (
    ...     BetaBelief, FixedTime, Mechanism, MineDesign, Strike)
    >>> d = MineDesign(Mechanism(BetaBelief(1, 9), FixedTime(1)), Mechanism.absent())
    >>> float(expected_live(Strike(200, d), 3))    # 200 × E[p] = 200 × 0.1
    20.0
    """
    return _shape_like(t, strike.mines * np.atleast_1d(mean_live_fraction(strike.design, t)))


def _log_count_pmf(n: int, belief: Belief) -> FloatArray:
    """log P(K = k), k = 0..n, for the number of mines (of n) whose mechanism failed."""
    k = np.arange(n + 1)
    if isinstance(belief, KnownProbability):
        with np.errstate(divide="ignore"):
            return np.asarray(stats.binom.logpmf(k, n, belief.p), dtype=float)
    return np.asarray(stats.betabinom.logpmf(k, n, belief.a, belief.b), dtype=float)


def _log_none_live_given(
    n: int, log_pmf_failed: FloatArray, pending: FloatArray, other: FloatArray
) -> FloatArray:
    """log P(no live mine) when K mines (log pmf given) have a failed first mechanism, each
    working first mechanism is still pending with probability ``pending`` and the other
    mechanism has not acted with probability ``other`` (arrays broadcast over leading axes)."""
    k = np.arange(n + 1, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        dead_failed = np.log1p(-np.minimum(other, 1.0))[..., None]
        dead_working = np.log1p(-np.minimum(pending * other, 1.0))[..., None]
        failed_part = np.where(k == 0, 0.0, k * dead_failed)  # 0 · log 0 counts as 0
        working_part = np.where(k == n, 0.0, (n - k) * dead_working)
        terms = log_pmf_failed + failed_part + working_part
    return np.asarray(special.logsumexp(terms, axis=-1), dtype=float)


def _require_independent(design: MineDesign, what: str) -> None:
    if not isinstance(design.correlation, Independent):
        raise InvalidInput(
            f"{what} has a closed form only under independence; "
            f"use simulate() for {design.correlation.describe()}"
        )


def prob_no_live(strike: Strike, t: ArrayLike) -> FloatArray | float:
    """Posterior-predictive probability that *no* mine of the strike is live at ``t`` days,
    ``E[(1 - q(t))^n]`` over the beliefs (independence only; see the module notes).

    >>> from minewatch.analysis.residual.design import (
    ...     BetaBelief, FixedTime, Mechanism, MineDesign, Strike)
    >>> d = MineDesign(Mechanism(BetaBelief(2, 98), FixedTime(1)), Mechanism.absent())
    >>> round(float(prob_no_live(Strike(50, d), 5)), 10)  # Beta-binomial B(2, 148)/B(2, 98)
    0.4399600943
    """
    design = strike.design
    _require_independent(design, "P(no live mine)")
    times = _times(t)
    n = int(strike.mines)
    sd, sda = design.self_destruct, design.self_deactivation
    if n == 0:
        return _shape_like(t, np.ones_like(times))
    g_sd, g_sda = sd.timing.survival(times), sda.timing.survival(times)
    if sd.failure.is_known and sda.failure.is_known:
        q = sd.not_acted(times, sd.failure.mean) * sda.not_acted(times, sda.failure.mean)
        with np.errstate(divide="ignore"):
            out = np.exp(n * np.log1p(-np.minimum(q, 1.0)))
        return _shape_like(t, out)
    # Sum exactly over the mechanism with an uncertain p; average over the other's p.
    first, second = (sd, sda) if not sd.failure.is_known else (sda, sd)
    g_first = g_sd if first is sd else g_sda
    log_pmf = _log_count_pmf(n, first.failure)
    if second.failure.is_known:
        other = second.not_acted(times, second.failure.mean)
        out = np.exp(_log_none_live_given(n, log_pmf, g_first, other))
        return _shape_like(t, out)
    assert isinstance(second.failure, BetaBelief)
    nodes, weights = _beta_quadrature(second.failure)
    out = np.empty_like(times)
    step = max(1, 4_000_000 // (nodes.size * (n + 1)))  # bound memory: chunks of times
    for start in range(0, times.size, step):
        part = slice(start, start + step)
        other = second.not_acted(times[part, None], nodes[None, :])  # (times, nodes)
        per_node = np.exp(_log_none_live_given(n, log_pmf, g_first[part, None], other))
        out[part] = per_node @ weights
    return _shape_like(t, out)


def prob_any_live(strike: Strike, t: ArrayLike) -> FloatArray | float:
    """Posterior-predictive probability that at least one mine is live at ``t`` days."""
    return _shape_like(t, 1.0 - np.atleast_1d(prob_no_live(strike, t)))


def _beta_quadrature(belief: BetaBelief) -> tuple[FloatArray, FloatArray]:
    """Gauss–Jacobi nodes and weights for averaging a function of p over Beta(a, b)."""
    x, w = special.roots_jacobi(QUADRATURE_NODES, belief.b - 1.0, belief.a - 1.0)
    return (x + 1.0) / 2.0, w / w.sum()


# -- the distribution of the live fraction q(t) over the beliefs (credible intervals) ---------


def live_fraction_cdf(design: MineDesign, t: float, x: ArrayLike) -> FloatArray:
    """``P(q(t) ≤ x)`` over the beliefs, where ``q(t) = S_sd(t) S_sda(t)`` is the probability that
    one mine is live at ``t`` given the failure probabilities (the design's live fraction).

    Exact when at most one probability is uncertain; otherwise averaged over 4096 quantile
    midpoints of the SDA belief.
    """
    xs = np.asarray(x, dtype=float)
    sd, sda = design.self_destruct, design.self_deactivation
    g_sd = float(sd.timing.survival(np.array([t]))[0])
    g_sda = float(sda.timing.survival(np.array([t]))[0])
    if sda.failure.is_known or g_sda == 1.0:
        other = np.array([g_sda + (1 - g_sda) * sda.failure.mean])
        return _cdf_linear(sd.failure, g_sd, other, xs).mean(axis=-1)
    if sd.failure.is_known or g_sd == 1.0:
        other = np.array([g_sd + (1 - g_sd) * sd.failure.mean])
        return _cdf_linear(sda.failure, g_sda, other, xs).mean(axis=-1)
    other = g_sda + (1 - g_sda) * _midpoint_quantiles(sda.failure)
    return _cdf_linear(sd.failure, g_sd, other, xs).mean(axis=-1)


@functools.lru_cache(maxsize=64)
def _midpoint_quantiles(belief: BetaBelief) -> FloatArray:
    u = (np.arange(CDF_NODES) + 0.5) / CDF_NODES
    return belief.ppf(u)


def _cdf_linear(belief: Belief, g: float, factor: FloatArray, x: FloatArray) -> FloatArray:
    """P(factor · (g + (1 - g) p) ≤ x) for p ~ belief, for each factor (last axis)."""
    x = x[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(factor > 0, x / factor, np.inf)  # the S value at which q = x
    if g >= 1.0:
        return (s >= 1.0).astype(float)
    p = (s - g) / (1.0 - g)
    out = np.where(p >= 1.0, 1.0, belief.cdf(np.clip(p, 0.0, 1.0)))
    return np.where(p < 0.0, 0.0, out)


def live_fraction_quantiles(design: MineDesign, t: ArrayLike, probs: ArrayLike) -> FloatArray:
    """Quantiles of the live fraction ``q(t)`` (rows: times, columns: ``probs``).

    Exact (through the Beta quantile function) when at most one failure probability is
    uncertain at ``t``; otherwise the root of :func:`live_fraction_cdf` (Brent, to 1e-13).
    """
    times = _times(t)
    ps = np.atleast_1d(np.asarray(probs, dtype=float))
    sd, sda = design.self_destruct, design.self_deactivation
    g_sd, g_sda = sd.timing.survival(times), sda.timing.survival(times)
    s_sd_mean = sd.not_acted(times, sd.failure.mean)
    s_sda_mean = sda.not_acted(times, sda.failure.mean)
    out = np.empty((times.size, ps.size))
    for i, ti in enumerate(times):
        sd_fixed = sd.failure.is_known or g_sd[i] == 1.0
        sda_fixed = sda.failure.is_known or g_sda[i] == 1.0
        if sda_fixed:  # q = c · S_sd(p_sd), increasing in p_sd: map its quantiles
            out[i] = s_sda_mean[i] * (g_sd[i] + (1 - g_sd[i]) * sd.failure.ppf(ps))
        elif sd_fixed:
            out[i] = s_sd_mean[i] * (g_sda[i] + (1 - g_sda[i]) * sda.failure.ppf(ps))
        else:
            out[i] = [_root_of_cdf(design, float(ti), float(p)) for p in ps]
    return out


def _root_of_cdf(design: MineDesign, t: float, prob: float) -> float:
    def gap(x: float) -> float:
        return float(live_fraction_cdf(design, t, np.array([x]))[0]) - prob

    if gap(0.0) >= 0:
        return 0.0
    if gap(1.0) <= 0:
        return 1.0
    return float(optimize.brentq(gap, 0.0, 1.0, xtol=1e-15, rtol=1e-13))


def closed_form_curve(strike: Strike, times: ArrayLike, level: float = 0.95) -> DecayCurve:
    """The decay curve from the closed forms (independence only)."""
    _require_independent(strike.design, "the closed-form decay curve")
    ts = _times(times, "times")
    lo, hi = _interval_probs(level)
    q = live_fraction_quantiles(strike.design, ts, [lo, hi])
    n = strike.mines
    with np.errstate(divide="ignore"):
        any_lo = -np.expm1(n * np.log1p(-np.minimum(q[:, 0], 1.0)))
        any_hi = -np.expm1(n * np.log1p(-np.minimum(q[:, 1], 1.0)))
    return DecayCurve(
        times=ts,
        mines=n,
        level=level,
        expected_live=np.atleast_1d(expected_live(strike, ts)),
        expected_live_lower=n * q[:, 0],
        expected_live_upper=n * q[:, 1],
        prob_any_live=np.atleast_1d(prob_any_live(strike, ts)),
        prob_any_live_lower=any_lo,
        prob_any_live_upper=any_hi,
        method="closed form",
    )


# ---------------------------------------------------------------------------------------------
# Time until P(at least one live mine) falls below a threshold
# ---------------------------------------------------------------------------------------------


def _first_below(
    f: Callable[[FloatArray], FloatArray], target: float, breakpoints: tuple[float, ...]
) -> float:
    """The smallest t ≥ 0 with f(t) < target, for f non-increasing (right-continuous)."""
    if float(f(np.array([0.0]))[0]) < target:
        return 0.0
    hi = 1.0
    while float(f(np.array([hi]))[0]) >= target:
        hi *= 2.0
        if hi > 1e7:
            return math.inf
    lo = 0.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if float(f(np.array([mid]))[0]) < target:
            hi = mid
        else:
            lo = mid
        if hi - lo <= 1e-12 * max(1.0, hi):
            break
    for b in sorted(breakpoints):  # snap to a timer's exact instant when that is the answer
        if lo <= b <= hi and float(f(np.array([b]))[0]) < target:
            return float(b)
    return hi


def time_until_below(strike: Strike, threshold: float, level: float = 0.95) -> ThresholdTime:
    """Days until P(at least one live mine) falls below ``threshold`` (independence only).

    >>> from minewatch.analysis.residual.design import (
    ...     FixedTime, KnownProbability, Mechanism, MineDesign, Strike)
    >>> d = MineDesign(Mechanism(KnownProbability(0.0), FixedTime(3)), Mechanism.absent())
    >>> time_until_below(Strike(100, d), 0.01).days     # every mine self-destructs on day 3
    3.0
    """
    if not (0 < threshold < 1):
        raise InvalidInput("the threshold must lie in (0, 1), got {value}", value=threshold)
    _require_independent(strike.design, "the time to a threshold")
    design = strike.design
    sd, sda = design.self_destruct, design.self_deactivation
    breaks = sd.timing.breakpoints + sda.timing.breakpoints

    def never(f: Callable[[FloatArray], FloatArray]) -> bool:
        return float(f(np.array([_far(design)]))[0]) >= threshold

    def point_f(t: FloatArray) -> FloatArray:
        return np.atleast_1d(prob_any_live(strike, t))

    point = math.inf if never(point_f) else _first_below(point_f, threshold, breaks)
    lo_p, hi_p = _interval_probs(level)
    n = int(strike.mines)
    # P(any live | p) < threshold  ⇔  q(t; p) < q*, with q* = 1 - (1 - threshold)^(1/n)
    q_star = -math.expm1(math.log1p(-threshold) / n) if n else 1.0

    def bound(prob: float) -> float:
        # The prob-quantile of the threshold time T*: P(T* ≤ t) = P(q(t) < q*), increasing in t.
        def not_yet(t: FloatArray) -> FloatArray:
            return np.array([-_cdf_strict(design, float(t[0]), q_star)])

        target = -prob + 1e-12  # not_yet(t) < target  ⇔  P(T* ≤ t) ≥ prob
        if float(not_yet(np.array([_far(design)]))[0]) >= target:
            return math.inf
        return _first_below(not_yet, target, breaks)

    return ThresholdTime(threshold, point, bound(lo_p), bound(hi_p), level)


def _cdf_strict(design: MineDesign, t: float, x: float) -> float:
    """P(q(t) < x): the left limit of the CDF, so that a fixed timer counts at its instant."""
    return float(live_fraction_cdf(design, t, np.array([np.nextafter(x, 0.0)]))[0])


def _far(design: MineDesign) -> float:
    """A time by which every working mechanism has (for practical purposes) acted."""
    ends = []
    for mech in (design.self_destruct, design.self_deactivation):
        timing = mech.timing
        if isinstance(timing, LognormalTime):
            ends.append(timing.median * math.exp(10 * timing.sigma))
        elif isinstance(timing, WeibullTime):
            ends.append(timing.scale * 60.0 ** (1 / timing.shape))
        else:
            ends.append(timing.end)
    return max(ends) + 1.0
