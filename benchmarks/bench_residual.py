"""Residual-hazard Monte Carlo: throughput, accuracy against the closed form, and scale.

* **Throughput** in mine-trials per second (one mine followed through every time of the grid
  in one draw), like for like (issue 20): the vectorised per-mine sampler
  (:func:`simulate_mines`) against a plain-Python loop over the same mines with the same
  algorithm (two uniforms per mine, each mechanism by inversion; ``random.random`` and
  ``bisect``), interleaved, its answer checked against the loop's (mean live counts within a
  few standard errors); target ≥100×. Until issue 20 both drew each mine's times (a uniform
  and a lognormal) and compared them with every time of the grid. The count-level sampler (:func:`simulate`, exact binomial thinning of the live
  count: its "mine-trials" are the equivalent number of mine histories it samples the
  distribution of) is a different algorithm, so it is compared with the per-mine sampler,
  not with the loop. ``size`` scales the draws (the scale curve).
* **Accuracy**: the largest |Monte Carlo − closed form| in standard errors over the grid.
* **Scale**: 10,000 strikes × 10,000 draws (:func:`simulate_portfolio`), time and peak RSS,
  target 30 s; strikes are chunked so memory stays bounded. The default integrates each
  draw's binomial exactly (Rao–Blackwellised means, probabilities and credible intervals);
  drawing the counts as well (for predictive count intervals) is timed at a tenth of the draws.

The design is synthetic: both failure probabilities uncertain (Beta), a uniform self-destruct
window and a lognormal battery life.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from itertools import accumulate

import numpy as np

from benchmarks.harness import Result, Timing, interleaved, peak_rss_mib, timed
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
    """The baseline: every mine of every draw in plain Python, with the sampler's algorithm
    (same model, same draws per mine): each mechanism holds at ``t`` while one uniform
    (``random.random``) is below its probability of holding, ``p + (1 − p)·G(t)``; ``bisect``
    finds how many grid times it holds for, the mine is live for the smaller count, and the
    live counts are suffix sums of how many mines stop at each time."""
    rng = random.Random(seed)
    uniform = rng.random
    grid = np.asarray(times)
    survival_sd = DESIGN.self_destruct.timing.survival(grid).tolist()
    survival_sda = DESIGN.self_deactivation.timing.survival(grid).tolist()
    out = []
    for _ in range(draws):
        p_sd = rng.betavariate(2, 38)
        p_sda = rng.betavariate(1, 49)
        # probabilities of holding fall with t; negated they rise, as bisect wants
        rising_sd = [-(p_sd + (1 - p_sd) * g) for g in survival_sd]
        rising_sda = [-(p_sda + (1 - p_sda) * g) for g in survival_sda]
        stops = [0] * (len(times) + 1)  # mines live at exactly the first k times
        for _ in range(mines):
            k = min(bisect_left(rising_sd, -uniform()), bisect_left(rising_sda, -uniform()))
            stops[k] += 1
        out.append(list(accumulate(stops[:0:-1]))[::-1])
    return out


def _same_model(loop: list[list[int]], sampled: np.ndarray) -> float:
    """The largest gap, in standard errors, between the mean live count of the loop and of the
    sampler at any time of the grid (both sample the same model: a few SE at most)."""
    a, b = np.asarray(loop, dtype=float), sampled.astype(float)
    se = np.sqrt(a.var(axis=0, ddof=1) / len(a) + b.var(axis=0, ddof=1) / len(b))
    return float((np.abs(a.mean(axis=0) - b.mean(axis=0)) / np.maximum(se, 1e-12)).max())


def _throughput(quick: bool, size: float) -> list[Result]:
    """Per mine against per mine: the vectorised sampler against the Python loop, interleaved,
    the same mines and model; then the count-level sampler against the per-mine one (a
    different algorithm for the same distribution, so it is not compared with the loop)."""
    mines = 300
    base_draws = max(int((20 if quick else 200) * size), 5)
    vec_draws = max(int((200 if quick else 4_000) * size), 20)
    count_draws = max(int((2_000 if quick else 100_000) * size), 200)
    times = TIMES.tolist()
    strike = Strike(mines, DESIGN)
    runs = interleaved(
        {
            "loop": lambda: python_loop(mines, base_draws, times),
            "per-mine": lambda: simulate_mines(strike, TIMES, draws=vec_draws, seed=1),
            "count-level": lambda: simulate(strike, TIMES, draws=count_draws, seed=2),
        }
    )
    (loop_t, loop_out), (vec_t, vec_out) = runs["loop"], runs["per-mine"]
    count_t = runs["count-level"][0]
    z = _same_model(loop_out, vec_out)
    rate = lambda t, draws: Timing(  # noqa: E731 - mine-trials per second, wall and CPU
        mines * draws / t.wall,
        mines * draws / t.wall_min,
        mines * draws / max(t.cpu, 1e-9),
        mines * draws / max(t.cpu_min, 1e-9),
        t.runs,
    )
    base_rate, vec_rate, cnt_rate = (
        rate(loop_t, base_draws),
        rate(vec_t, vec_draws),
        rate(count_t, count_draws),
    )
    judge = not quick and size >= 1.0
    return [
        Result(
            NAME,
            "MC throughput, per-mine numpy sampler (mine-trials/s; CPU: per CPU-second)",
            vec_rate.wall,
            "mine-trials/s",
            "per-mine plain-Python loop",
            base_rate.wall,
            vec_rate.wall / base_rate.wall,
            "≥100× (per mine vs per mine)",
            vec_rate.wall >= 100 * base_rate.wall if judge else None,
            cpu=vec_rate.cpu,
            baseline_cpu=base_rate.cpu,
            size=size,
            series="per-mine sampler vs per-mine loop",
        ),
        Result(
            NAME,
            "per-mine sampler vs loop: largest gap of mean live counts",
            z,
            "SE",
            target="≤5 SE (same model)",
            met=z <= 5,
        ),
        Result(
            NAME,
            "MC throughput, count-level (binomial thinning), equivalent mine-trials/s",
            cnt_rate.wall,
            "mine-trials/s",
            "per-mine numpy sampler",
            vec_rate.wall,
            cnt_rate.wall / vec_rate.wall,
            cpu=cnt_rate.cpu,
            baseline_cpu=vec_rate.cpu,
            size=size,
            series="count-level vs per-mine sampler",
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


def run(quick: bool, size: float = 1.0) -> list[Result]:
    out = _throughput(quick, size)
    if size < 1.0:  # the scale curve: throughput only
        return out
    return out + _accuracy(quick) + _scale(quick)
