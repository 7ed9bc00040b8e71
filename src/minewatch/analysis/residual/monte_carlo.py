"""Monte Carlo of one strike's live count for every correlation model: :func:`simulate` samples
the whole path over a time grid by binomial thinning; :func:`simulate_mines` samples every mine
(the literal model, kept as the check of the first)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from minewatch.analysis.residual.design import (
    Correlation,
    FloatArray,
    Independent,
    LotDefect,
    LotVariation,
    MineDesign,
    Strike,
    _times,
)
from minewatch.analysis.residual.results import DecayCurve, ThresholdTime, _interval_probs
from minewatch.errors import InvalidInput


def _lot_sizes(n: int, correlation: Correlation) -> NDArray[np.int64]:
    if isinstance(correlation, Independent) or n == 0:
        return np.array([n], dtype=np.int64)
    m = correlation.mines_per_lot
    sizes = np.full(n // m, m, dtype=np.int64)
    return np.append(sizes, n % m) if n % m else sizes


def _lot_probabilities(
    design_p: FloatArray, icc: float, n_lots: int, rng: np.random.Generator
) -> FloatArray:
    """Each lot's failure probability, Beta-distributed around the design's (draws, lots)."""
    p = np.broadcast_to(design_p[:, None], (design_p.size, n_lots))
    if icc == 0.0:
        return np.array(p)
    concentration = (1.0 - icc) / icc
    inner = (p > 0) & (p < 1)
    a = np.where(inner, p * concentration, 1.0)
    b = np.where(inner, (1 - p) * concentration, 1.0)
    return np.where(inner, rng.beta(a, b), p)


def _draw_lot_parameters(
    design: MineDesign, draws: int, n_lots: int, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Design-level and per-lot failure probabilities: (p_sd, p_sda) of shape (draws,) and
    their per-lot versions of shape (draws, lots)."""
    p_sd = design.self_destruct.failure.sample(rng, draws)
    p_sda = design.self_deactivation.failure.sample(rng, draws)
    corr = design.correlation
    if isinstance(corr, LotVariation):
        lot_sd = _lot_probabilities(p_sd, corr.icc_self_destruct, n_lots, rng)
        lot_sda = _lot_probabilities(p_sda, corr.icc_self_deactivation, n_lots, rng)
    else:
        lot_sd = np.repeat(p_sd[:, None], n_lots, axis=1)
        lot_sda = np.repeat(p_sda[:, None], n_lots, axis=1)
    if isinstance(corr, LotDefect):
        defect_rate = corr.defect.sample(rng, draws)
        defective = rng.random((draws, n_lots)) < defect_rate[:, None]
        if corr.disables in ("self_destruct", "both"):
            lot_sd = np.where(defective, 1.0, lot_sd)
        if corr.disables in ("self_deactivation", "both"):
            lot_sda = np.where(defective, 1.0, lot_sda)
    return p_sd, p_sda, lot_sd, lot_sda


@dataclass(frozen=True)
class Simulation:
    """Monte Carlo draws for one strike: ``live[d, j]`` live mines in draw d at ``times[j]``;
    ``expected_given[d, j]`` the expected count and ``prob_any_given[d, j]`` P(≥ 1 live) given
    draw d's failure probabilities (design and lots)."""

    times: FloatArray
    live: NDArray[np.int64]
    expected_given: FloatArray
    prob_any_given: FloatArray
    curve: DecayCurve

    def time_until_below(self, threshold: float) -> ThresholdTime:
        """The first simulated time at which P(at least one live mine) < ``threshold``, on the
        simulated grid (so as fine as the grid): the predictive estimate, and the credible
        interval of the same time given each draw's probabilities. ``inf`` means not within the
        grid; use the closed form (:func:`time_until_below`) for exact times under
        independence."""
        if not (0 < threshold < 1):
            raise InvalidInput("the threshold must lie in (0, 1), got {value}", value=threshold)
        order = np.argsort(self.times, kind="stable")
        grid = np.append(self.times[order], np.inf)

        def first(below: NDArray[np.bool_]) -> NDArray[np.float64]:
            hit = np.where(below.any(axis=-1), below.argmax(axis=-1), len(order))
            return np.asarray(grid[hit], dtype=float)

        point = float(first(self.curve.prob_any_live[order] < threshold))
        per_draw = first(self.prob_any_given[:, order] < threshold)
        lo, hi = _interval_probs(self.curve.level)
        lower, upper = np.quantile(per_draw, [lo, hi], method="inverted_cdf")
        return ThresholdTime(threshold, point, float(lower), float(upper), self.curve.level)


def simulate(
    strike: Strike,
    times: ArrayLike,
    *,
    draws: int = 20_000,
    seed: int | None = 0,
    level: float = 0.95,
    chunk: int = 5_000,
) -> Simulation:
    """Monte Carlo of the live count over ``times`` (days, any order), for every correlation
    model.

    Each draw takes the design's failure probabilities from their beliefs, then each lot's (lot
    models), and follows the live count of each lot through the sorted times by binomial
    thinning: ``L(t_j) ~ Binomial(L(t_{j-1}), q(t_j) / q(t_{j-1}))``. Given the probabilities the
    mines' lifetimes are independent with survival ``q``, so this samples the joint path
    exactly, at a cost per draw that does not grow with the number of mines.
    """
    if draws < 2:
        raise InvalidInput("draws must be ≥ 2")
    ts = _times(times, "times")
    order = np.argsort(ts, kind="stable")
    sorted_t = ts[order]
    rng = np.random.default_rng(seed)
    sizes = _lot_sizes(int(strike.mines), strike.design.correlation)
    parts = [
        _simulate_chunk(strike.design, sorted_t, sizes, min(chunk, draws - start), rng)
        for start in range(0, draws, chunk)
    ]
    live = np.concatenate([p[0] for p in parts])
    expected_given = np.concatenate([p[1] for p in parts])
    prob_any_given = np.concatenate([p[2] for p in parts])
    inverse = np.argsort(order)
    live, expected_given, prob_any_given = (
        live[:, inverse],
        expected_given[:, inverse],
        prob_any_given[:, inverse],
    )
    curve = _curve_from_draws(ts, int(strike.mines), live, expected_given, prob_any_given, level)
    return Simulation(ts, live, expected_given, prob_any_given, curve)


def _simulate_chunk(
    design: MineDesign,
    sorted_t: FloatArray,
    sizes: NDArray[np.int64],
    draws: int,
    rng: np.random.Generator,
) -> tuple[NDArray[np.int64], FloatArray, FloatArray]:
    _, _, lot_sd, lot_sda = _draw_lot_parameters(design, draws, sizes.size, rng)
    sd, sda = design.self_destruct, design.self_deactivation
    g_sd, g_sda = sd.timing.survival(sorted_t), sda.timing.survival(sorted_t)
    # q[d, lot, j]: a mine of this lot is live at t_j
    q = (g_sd + (1 - g_sd) * lot_sd[..., None]) * (g_sda + (1 - g_sda) * lot_sda[..., None])
    prev = np.concatenate([np.ones((*q.shape[:-1], 1)), q[..., :-1]], axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.clip(np.where(prev > 0, q / prev, 0.0), 0.0, 1.0)
    live = np.empty((draws, sizes.size, sorted_t.size), dtype=np.int64)
    current = np.broadcast_to(sizes, (draws, sizes.size))
    for j in range(sorted_t.size):
        current = rng.binomial(current, ratio[..., j])
        live[..., j] = current
    with np.errstate(divide="ignore"):
        log_none = (sizes[None, :, None] * np.log1p(-np.minimum(q, 1.0))).sum(axis=1)
    expected = (sizes[None, :, None] * q).sum(axis=1)
    return live.sum(axis=1), expected, -np.expm1(log_none)


def _curve_from_draws(
    ts: FloatArray,
    n: int,
    live: NDArray[np.int64],
    expected_given: FloatArray,
    prob_any_given: FloatArray,
    level: float,
) -> DecayCurve:
    lo, hi = _interval_probs(level)
    draws = live.shape[0]
    any_live = (live > 0).mean(axis=0)
    e_lo, e_hi = np.quantile(expected_given, [lo, hi], axis=0)
    p_lo, p_hi = np.quantile(prob_any_given, [lo, hi], axis=0)
    c_lo, c_hi = np.quantile(live, [lo, hi], axis=0, method="inverted_cdf")
    return DecayCurve(
        times=ts,
        mines=n,
        level=level,
        expected_live=live.mean(axis=0),
        expected_live_lower=e_lo,
        expected_live_upper=e_hi,
        prob_any_live=any_live,
        prob_any_live_lower=p_lo,
        prob_any_live_upper=p_hi,
        method="monte carlo",
        draws=draws,
        live_count_lower=c_lo.astype(float),
        live_count_upper=c_hi.astype(float),
        expected_live_se=live.std(axis=0, ddof=1) / np.sqrt(draws),
        prob_any_live_se=np.sqrt(any_live * (1 - any_live) / draws),
    )


def simulate_mines(
    strike: Strike, times: ArrayLike, *, draws: int, seed: int | None = 0, chunk: int = 256
) -> NDArray[np.int64]:
    """Live counts (draws × times) by sampling every mine's two mechanisms: the literal model,
    slower than :func:`simulate` (cost grows with the number of mines) and kept as its check.
    Lot models are honoured the same way (each mine takes its lot's probabilities).

    Each mechanism of each mine is drawn by inversion from one uniform ``u``: it still holds
    at ``t`` (it failed, or has not acted yet) exactly when ``u`` is below its probability of
    holding, ``p + (1 − p)·G(t)`` (failure probability ``p``, timing survival ``G``), which
    decreases with ``t``, so one ``u`` fixes the mechanism's whole path on the grid, with its
    exact law; the mine is live while both hold. The uniforms are the two 32-bit halves of
    one raw 64-bit draw of the generator (probabilities resolved to 2⁻³², exact at 0 and 1),
    half the cost of drawing them as floats; drawing the times themselves and comparing cost
    three times as much (issue 20, docs/benchmarks.md).

    >>> from minewatch.analysis.residual.design import (
    ...     KnownProbability, Mechanism, MineDesign, Strike, UniformTime)
    >>> never = Mechanism(KnownProbability(0.0), UniformTime(1.0, 3.0))
    >>> strike = Strike(50, MineDesign(never, never))
    >>> simulate_mines(strike, [0.5, 3.0], draws=2).tolist()  # all live, then none
    [[50, 0], [50, 0]]
    """
    ts = _times(times, "times")
    rng = np.random.default_rng(seed)
    n = int(strike.mines)
    design = strike.design
    sizes = _lot_sizes(n, design.correlation)
    lot_of_mine = np.repeat(np.arange(sizes.size), sizes)
    hold_sd = design.self_destruct.timing.survival(ts)
    hold_sda = design.self_deactivation.timing.survival(ts)
    out = []
    for start in range(0, draws, chunk):
        size = min(chunk, draws - start)
        _, _, lot_sd, lot_sda = _draw_lot_parameters(design, size, sizes.size, rng)
        if sizes.size == 1:  # one lot: broadcast its column instead of copying it per mine
            p_sd, p_sda = lot_sd[:, :1], lot_sda[:, :1]
        else:
            p_sd, p_sda = lot_sd[:, lot_of_mine], lot_sda[:, lot_of_mine]
        halves = rng.bit_generator.random_raw(size * n).view(np.uint32).reshape(size, 2, n)
        u_sd, u_sda = halves[:, 0], halves[:, 1]
        below_sd, sure_sd = _holding_thresholds(p_sd, hold_sd)
        below_sda, sure_sda = _holding_thresholds(p_sda, hold_sda)
        counts = np.empty((size, len(ts)), dtype=np.int64)
        live, holds = np.empty(u_sd.shape, dtype=bool), np.empty(u_sd.shape, dtype=bool)
        for j in range(len(ts)):
            _holds(u_sd, below_sd[..., j], sure_sd[..., j], out=live)
            live &= _holds(u_sda, below_sda[..., j], sure_sda[..., j], out=holds)
            counts[:, j] = np.count_nonzero(live, axis=1)
        out.append(counts)
    return np.concatenate(out)


def _holding_thresholds(
    p: FloatArray, survival: FloatArray
) -> tuple[NDArray[np.uint32], NDArray[np.bool_]]:
    """For failure probabilities ``p`` (draws × 1 or mines) and the timing's survival at each
    time: the probability of holding as a 32-bit threshold (a uniform 32-bit integer is below
    it with that probability, to 2⁻³²), and where holding is certain (2³² does not fit)."""
    q = p[..., None] + (1.0 - p[..., None]) * survival
    sure = (p[..., None] >= 1.0) | (survival >= 1.0)
    below = np.minimum(np.floor(q * 2.0**32), 2.0**32 - 1).astype(np.uint32)
    return below, sure


def _holds(
    u: NDArray[np.uint32],
    below: NDArray[np.uint32],
    sure: NDArray[np.bool_],
    out: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """Which mechanisms hold at one time (draws × mines; thresholds draws × 1 or mines), into
    ``out`` (a kept buffer: this is the sampler's inner loop)."""
    np.less(u, below, out=out)
    if sure.any():
        out |= sure
    return out
