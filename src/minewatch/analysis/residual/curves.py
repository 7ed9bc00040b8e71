"""The decay curve of one strike, by the method that fits its design: closed forms under
independence (:mod:`.closed_form`), Monte Carlo otherwise (:mod:`.monte_carlo`)."""

from __future__ import annotations

from typing import Literal

from numpy.typing import ArrayLike

from minewatch.analysis.residual.closed_form import closed_form_curve
from minewatch.analysis.residual.design import Independent, Strike
from minewatch.analysis.residual.monte_carlo import simulate
from minewatch.analysis.residual.results import DecayCurve


def decay_curve(
    strike: Strike,
    times: ArrayLike,
    level: float = 0.95,
    *,
    method: Literal["auto", "closed", "monte_carlo"] = "auto",
    draws: int = 20_000,
    seed: int | None = 0,
) -> DecayCurve:
    """Live mines over ``times`` (days since emplacement): closed forms under independence
    (``auto``), Monte Carlo otherwise or when asked.

    >>> from minewatch.analysis.residual.design import (
    ...     BetaBelief, FixedTime, KnownProbability, Mechanism, MineDesign, Strike)
    >>> d = MineDesign(Mechanism(BetaBelief(1, 99), FixedTime(2)),
    ...                Mechanism(KnownProbability(0.1), FixedTime(100)))
    >>> c = decay_curve(Strike(500, d), [1, 10, 200])
    >>> c.expected_live.round(3).tolist()
    [500.0, 5.0, 0.5]
    """
    if method == "closed" or (
        method == "auto" and isinstance(strike.design.correlation, Independent)
    ):
        return closed_form_curve(strike, times, level)
    return simulate(strike, times, draws=draws, seed=seed, level=level).curve
