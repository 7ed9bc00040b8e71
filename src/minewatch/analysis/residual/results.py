"""What the residual-hazard analyses return: a strike's decay curve (live mines over time with
credible intervals) and the time until P(at least one live mine) falls below a threshold."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from minewatch.analysis.residual.design import FloatArray
from minewatch.errors import InvalidInput


@dataclass(frozen=True)
class DecayCurve:
    """Live mines over time for one strike, with credible intervals.

    * ``expected_live``: posterior-predictive mean number of live mines;
      ``expected_live_lower``/``upper``: the central ``level`` credible interval of the expected
      number given the unknown failure probabilities (``n · q(t)``).
    * ``prob_any_live``: posterior-predictive P(at least one live mine);
      ``prob_any_live_lower``/``upper``: its credible interval over the unknown probabilities
      (and, in lot models, over this strike's lots).
    * ``live_count_lower``/``upper``: the predictive interval of the count itself (Monte Carlo
      only, else None).
    """

    times: FloatArray
    mines: int
    level: float
    expected_live: FloatArray
    expected_live_lower: FloatArray
    expected_live_upper: FloatArray
    prob_any_live: FloatArray
    prob_any_live_lower: FloatArray
    prob_any_live_upper: FloatArray
    method: str
    draws: int | None = None
    live_count_lower: FloatArray | None = None
    live_count_upper: FloatArray | None = None
    expected_live_se: FloatArray | None = None
    prob_any_live_se: FloatArray | None = None

    def to_frame(self) -> pd.DataFrame:
        """One row per time, the columns named as the fields (``days`` for the times)."""
        cols: dict[str, FloatArray] = {"days": self.times}
        for name in (
            "expected_live",
            "expected_live_lower",
            "expected_live_upper",
            "prob_any_live",
            "prob_any_live_lower",
            "prob_any_live_upper",
            "live_count_lower",
            "live_count_upper",
        ):
            value = getattr(self, name)
            if value is not None:
                cols[name] = value
        return pd.DataFrame(cols)


def _interval_probs(level: float) -> tuple[float, float]:
    if not (0 < level < 1):
        raise InvalidInput("the credible level must lie in (0, 1), got {value}", value=level)
    return (1 - level) / 2, (1 + level) / 2


@dataclass(frozen=True)
class ThresholdTime:
    """Days after emplacement until P(at least one live mine) < ``threshold``.

    ``days`` uses the posterior-predictive probability; ``lower``/``upper`` are the central
    ``level`` credible interval of the time at which that probability, *given* the failure
    probabilities, drops below the threshold. ``inf`` means never (the probability that both
    mechanisms of some mine failed is itself above the threshold).
    """

    threshold: float
    days: float
    lower: float
    upper: float
    level: float
