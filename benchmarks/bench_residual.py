"""Residual-hazard Monte Carlo: throughput, accuracy against the closed form, and scale.

* **Throughput** in mine-trials per second (one mine followed through every time of the grid
  in one draw) against a plain-Python loop over mines, measured in the same run, for the
  vectorised per-mine sampler (:func:`simulate_mines`) and for the count-level sampler
  (:func:`simulate`, exact binomial thinning of the live count: its "mine-trials" are the
  equivalent number of mine histories it samples the distribution of).
* **Accuracy**: the largest |Monte Carlo − closed form| in standard errors over the grid.
* **Scale**: 10,000 strikes × 10,000 draws (:func:`simulate_portfolio`), time and peak RSS,
  target 30 s; strikes are chunked so memory stays bounded. The default integrates each
  draw's binomial exactly (Rao–Blackwellised means, probabilities and credible intervals);
  drawing the counts as well (for predictive count intervals) is timed at a tenth of the draws.

The design is synthetic: both failure probabilities uncertain (Beta), a uniform self-destruct
window and a lognormal battery life.
"""

from __future__ import annotations

import math
import random

import numpy as np

from benchmarks.harness import Result, peak_rss_mib, timed
from minewatch.analysis.residual.closed_form import closed_form_curve
from minewatch.analysis.residual.design import (
    BetaBelief,
    LognormalTime,
    Mechanism,
    MineDesign,
    Strike,
    UniformTime,
    hours,
)
from minewatch.analysis.residual.monte_carlo import simulate, simulate_mines
from minewatch.analysis.residual.portfolio import simulate_portfolio

NAME = "residual"
DESIGN = MineDesign(
    Mechanism(BetaBelief(2, 38), UniformTime(hours(4), hours(40))),
    Mechanism(BetaBelief(1, 49), LognormalTime(100.0, 0.3)),
)
TIMES = np.array([0.5, 1.0, 2.0, 30.0, 60.0, 90.0, 120.0, 200.0])


def python_loop(mines: int, draws: int, times: list[float], seed: int = 0) -> list[list[int]]:
    """The baseline: every mine of every draw in plain Python (same model)."""
    rng = random.Random(seed)
    lo, hi = hours(4), hours(40)
    out = []
    for _ in range(draws):
        p_sd = rng.betavariate(2, 38)
        p_sda = rng.betavariate(1, 49)
        counts = [0] * len(times)
        for _ in range(mines):
            t_sd = math.inf if rng.random() < p_sd else rng.uniform(lo, hi)  # type: ignore[arg-type]
            t_sda = math.inf if rng.random() < p_sda else 100.0 * math.exp(0.3 * rng.gauss(0, 1))
            life = min(t_sd, t_sda)
            for j, t in enumerate(times):
                if life > t:
                    counts[j] += 1
        out.append(counts)
    return out


def _throughput(quick: bool) -> list[Result]:
    mines = 300
    base_draws = 20 if quick else 200
    vec_draws = 200 if quick else 4_000
    count_draws = 2_000 if quick else 100_000
    times = TIMES.tolist()
    t_base, _ = timed(lambda: python_loop(mines, base_draws, times))
    base_rate = mines * base_draws / t_base
    strike = Strike(mines, DESIGN)
    t_vec, _ = timed(lambda: simulate_mines(strike, TIMES, draws=vec_draws, seed=1))
    t_cnt, _ = timed(lambda: simulate(strike, TIMES, draws=count_draws, seed=2))
    vec_rate = mines * vec_draws / t_vec
    cnt_rate = mines * count_draws / t_cnt
    return [
        Result(
            NAME,
            "MC throughput, per-mine numpy",
            vec_rate,
            "mine-trials/s",
            "plain-Python loop",
            base_rate,
            vec_rate / base_rate,
            "≥100×",
            None if quick else vec_rate / base_rate >= 100,
        ),
        Result(
            NAME,
            "MC throughput, count-level (binomial thinning)",
            cnt_rate,
            "mine-trials/s (equivalent)",
            "plain-Python loop",
            base_rate,
            cnt_rate / base_rate,
            "≥100×",
            None if quick else cnt_rate / base_rate >= 100,
        ),
    ]


def _accuracy(quick: bool) -> list[Result]:
    draws = 5_000 if quick else 100_000
    strike = Strike(300, DESIGN)
    exact = closed_form_curve(strike, TIMES)
    mc = simulate(strike, TIMES, draws=draws, seed=3).curve
    assert mc.expected_live_se is not None and mc.prob_any_live_se is not None
    z_e = np.abs(mc.expected_live - exact.expected_live) / np.maximum(mc.expected_live_se, 1e-12)
    z_p = np.abs(mc.prob_any_live - exact.prob_any_live) / np.maximum(
        mc.prob_any_live_se, 1 / draws
    )
    worst = float(max(z_e.max(), z_p.max()))
    return [
        Result(
            NAME,
            f"MC vs closed form ({draws} draws), worst |error|/SE",
            worst,
            "SE",
            target="≤4 SE",
            met=worst <= 4,
        ),
        Result(
            NAME,
            "MC vs closed form, worst |error| in E[live]",
            float(np.abs(mc.expected_live - exact.expected_live).max()),
            "mines",
        ),
    ]


def _scale(quick: bool) -> list[Result]:
    strikes = 500 if quick else 10_000
    draws = 1_000 if quick else 10_000
    rng = np.random.default_rng(4)
    mines = rng.integers(50, 2_000, strikes)
    days = rng.uniform(0, 400, strikes)
    seconds, _ = timed(lambda: simulate_portfolio(mines, days, [DESIGN], draws=draws, seed=5))
    count_draws = draws // 10
    counted, _ = timed(
        lambda: simulate_portfolio(
            mines, days, [DESIGN], draws=count_draws, seed=6, sample_counts=True
        )
    )
    return [
        Result(
            NAME,
            f"{strikes:,} strikes × {draws:,} draws (Rao-Blackwellised)",
            seconds,
            "s",
            target="≤30 s",
            met=None if quick else seconds <= 30,
        ),
        Result(
            NAME, f"{strikes:,} strikes × {count_draws:,} draws, counts sampled too", counted, "s"
        ),
        Result(NAME, "peak RSS of the benchmark process", peak_rss_mib(), "MiB"),
    ]


def run(quick: bool) -> list[Result]:
    return _throughput(quick) + _accuracy(quick) + _scale(quick)
