"""Many strikes at once (independence model): Monte Carlo summaries per strike, each at its own
assessment time, with the draws of each design's failure probabilities shared across its
strikes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from minewatch.analysis.residual.closed_form import _require_independent
from minewatch.analysis.residual.design import FloatArray, MineDesign, _times
from minewatch.analysis.residual.results import _interval_probs
from minewatch.errors import InvalidInput


@dataclass(frozen=True)
class PortfolioSummary:
    """Monte Carlo summaries for many strikes, each at its own assessment time.

    Per strike, over the draws of the unknown failure probabilities ``θ``: ``expected_live``
    (mean of ``n q(θ)``) with its credible interval ``expected_live_lower``/``upper``, and
    ``prob_any_live`` (mean of ``1 - (1 - q(θ))^n``) with ``prob_any_live_lower``/``upper``.
    The aleatory part is integrated exactly given each draw (Rao–Blackwellisation), which both
    removes its sampling noise and avoids drawing counts. ``expected_total`` holds, per draw,
    the expected live mines summed over all strikes (coherent because the strikes of one design
    share each draw's probabilities).

    With ``sample_counts``, live counts are drawn too: ``live_lower``/``upper`` is then the
    predictive interval of each strike's count and ``total_live`` the draws of the total.
    """

    expected_live: FloatArray
    expected_live_lower: FloatArray
    expected_live_upper: FloatArray
    prob_any_live: FloatArray
    prob_any_live_lower: FloatArray
    prob_any_live_upper: FloatArray
    expected_total: FloatArray
    draws: int
    level: float
    live_lower: FloatArray | None = None
    live_upper: FloatArray | None = None
    total_live: NDArray[np.int64] | None = None


def simulate_portfolio(
    mines: ArrayLike,
    days: ArrayLike,
    designs: list[MineDesign],
    design_of_strike: ArrayLike | None = None,
    *,
    draws: int = 10_000,
    seed: int | None = 0,
    level: float = 0.95,
    sample_counts: bool = False,
    chunk_elements: int = 2_000_000,
) -> PortfolioSummary:
    """Many strikes (independence model): ``mines[i]`` activated mines of
    ``designs[design_of_strike[i]]`` assessed ``days[i]`` after their emplacement.

    Memory stays bounded: strikes are processed in chunks of ``chunk_elements`` strike-draws.
    Within one draw every strike of a design takes the same failure probabilities, because the
    design's true rate is one unknown shared by all of them.
    """
    n = np.asarray(mines, dtype=np.int64)
    t = _times(days, "days")
    which = (
        np.zeros(n.size, dtype=np.int64)
        if design_of_strike is None
        else np.asarray(design_of_strike, dtype=np.int64)
    )
    if not (n.shape == t.shape == which.shape) or (n < 0).any():
        raise InvalidInput("mines, days and designs must give one value ≥ 0 per strike")
    if which.size and (which.min() < 0 or which.max() >= len(designs)):
        raise InvalidInput("design_of_strike refers to a design that is not in the list")
    for d in designs:
        _require_independent(d, "simulate_portfolio")
    probs = _interval_probs(level)
    rng = np.random.default_rng(seed)
    p_sd = np.stack([d.self_destruct.failure.sample(rng, draws) for d in designs])
    p_sda = np.stack([d.self_deactivation.failure.sample(rng, draws) for d in designs])
    names = ["mean", "e_lo", "e_hi", "any", "a_lo", "a_hi"]
    if sample_counts:
        names += ["c_lo", "c_hi"]
    out = {k: np.empty(n.size) for k in names}
    expected_total = np.zeros(draws)
    total = np.zeros(draws, dtype=np.int64) if sample_counts else None
    step = max(1, chunk_elements // draws)
    for start in range(0, n.size, step):
        part = slice(start, start + step)
        q = _portfolio_live_fraction(designs, t[part], which[part], p_sd, p_sda)
        size = n[part].astype(float)
        expected_total += size @ q
        with np.errstate(divide="ignore"):
            any_live = -np.expm1(size[:, None] * np.log1p(-np.minimum(q, 1.0)))
        out["mean"][part] = size * q.mean(axis=1)
        out["any"][part] = any_live.mean(axis=1)
        # n q and 1 - (1 - q)^n are increasing in q: one quantile of q serves both intervals
        q_lo, q_hi = np.quantile(q, probs, axis=1)
        out["e_lo"][part], out["e_hi"][part] = size * q_lo, size * q_hi
        with np.errstate(divide="ignore"):
            out["a_lo"][part] = -np.expm1(size * np.log1p(-np.minimum(q_lo, 1.0)))
            out["a_hi"][part] = -np.expm1(size * np.log1p(-np.minimum(q_hi, 1.0)))
        if total is not None:
            live = rng.binomial(n[part, None], q)
            total += live.sum(axis=0)
            out["c_lo"][part], out["c_hi"][part] = np.quantile(
                live, probs, axis=1, method="inverted_cdf"
            )
    return PortfolioSummary(
        out["mean"],
        out["e_lo"],
        out["e_hi"],
        out["any"],
        out["a_lo"],
        out["a_hi"],
        expected_total,
        draws,
        level,
        out.get("c_lo"),
        out.get("c_hi"),
        total,
    )


def _portfolio_live_fraction(
    designs: list[MineDesign],
    t: FloatArray,
    which: NDArray[np.int64],
    p_sd: FloatArray,
    p_sda: FloatArray,
) -> FloatArray:
    """q (strikes × draws) for one chunk of strikes."""
    g_sd = np.empty(t.size)
    g_sda = np.empty(t.size)
    for k, d in enumerate(designs):
        mask = which == k
        if mask.any():
            g_sd[mask] = d.self_destruct.timing.survival(t[mask])
            g_sda[mask] = d.self_deactivation.timing.survival(t[mask])
    # one design: broadcast its row of draws rather than copying it for every strike
    rows = slice(0, 1) if len(designs) == 1 else which
    s_sd = g_sd[:, None] + (1 - g_sd[:, None]) * p_sd[rows]
    s_sd *= g_sda[:, None] + (1 - g_sda[:, None]) * p_sda[rows]
    return np.asarray(s_sd)
