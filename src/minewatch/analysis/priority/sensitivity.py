"""How the ranking moves when each weight of a scenario moves alone (:func:`sensitivity`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from minewatch.analysis.priority.ranking import (
    _weighted,
    _weights,
    benefit_values,
    normalise,
    rank_order,
)
from minewatch.priority_config import PriorityConfig


@dataclass(frozen=True)
class SensitivityResult:
    """How the ranking moves when each weight moves alone.

    ``perturbations``: one row per (indicator, step) with Kendall's tau against the base
    ranking, the share of the base top-k still in the top-k, and the largest rank shift.
    ``areas``: per area its base rank and the best and worst rank seen over all
    perturbations (rank range).
    """

    perturbations: pd.DataFrame
    areas: pd.DataFrame


def sensitivity(
    indicators: pd.DataFrame, config: PriorityConfig, scenario: str | None = None
) -> SensitivityResult:
    """One-at-a-time sensitivity of the ranking to each weight of a scenario."""
    chosen = config.scenario(scenario)
    names, weights = _weights(chosen)
    raw = benefit_values(indicators, names, config.indicators.distance_cap_m)
    normalised = normalise(raw, config.normalisation, config.missing)
    codes = indicators["code"].to_numpy(dtype=object)
    base = rank_order(_weighted(normalised, weights)[0], codes)
    k = min(config.sensitivity.top_k, len(base))
    base_top = set(np.flatnonzero(base <= k))
    best, worst = base.copy(), base.copy()
    rows = []
    for j, name in enumerate(names):
        for step in config.sensitivity.steps:
            moved = weights.copy()
            moved[j] *= 1.0 + step
            if moved.sum() <= 0:
                continue
            ranks = rank_order(_weighted(normalised, moved)[0], codes)
            best, worst = np.minimum(best, ranks), np.maximum(worst, ranks)
            tau = stats.kendalltau(base, ranks).statistic if len(base) > 1 else 1.0
            rows.append(
                {
                    "indicator": name,
                    "step": step,
                    "weight": moved[j],
                    "kendall_tau": float(tau),
                    "top_k_kept": len(base_top & set(np.flatnonzero(ranks <= k))) / max(k, 1),
                    "max_rank_shift": int(np.abs(ranks - base).max()) if len(base) else 0,
                }
            )
    areas = pd.DataFrame(
        {"code": codes, "base_rank": base, "best_rank": best, "worst_rank": worst}
    ).sort_values("base_rank")
    areas["rank_range"] = areas["worst_rank"] - areas["best_rank"]
    return SensitivityResult(pd.DataFrame(rows), areas.reset_index(drop=True))
