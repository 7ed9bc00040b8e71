"""Scores and ranks: indicators turned into benefits, normalised and weighted by a scenario
(:func:`score`), the Landmine-Impact-Survey-style band (:func:`lis_score`), and why one area
scored what it did (:func:`explain`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from minewatch.analysis.priority.indicators import INDICATOR_LABELS
from minewatch.analysis.priority.projection import Floats
from minewatch.analysis.priority.records import _numeric_column
from minewatch.errors import NotFound
from minewatch.priority_config import (
    DISTANCE_LAYERS,
    SCORED_INDICATORS,
    LisSettings,
    PriorityConfig,
    Scenario,
)


def benefit_values(indicators: pd.DataFrame, names: list[str], cap_m: float) -> Floats:
    """Indicator values turned so that more always means a higher priority: distances become
    proximity ``1 - min(d, cap) / cap`` (NaN, i.e. nothing within the cap, becomes 0)."""
    columns = []
    for name in names:
        values = pd.to_numeric(indicators[name], errors="coerce").to_numpy(dtype=np.float64)
        if name in DISTANCE_LAYERS:
            values = np.nan_to_num(1.0 - np.minimum(values, cap_m) / cap_m, nan=0.0)
        columns.append(values)
    return np.column_stack(columns) if columns else np.empty((len(indicators), 0))


def normalise(values: Floats, method: str, missing: str) -> Floats:
    """Each column on a 0..1 scale (``minmax`` or ``rank``); NaN then filled by ``missing``.

    >>> normalise(np.array([[1.0], [3.0], [np.nan], [2.0]]), "minmax", "lowest").ravel()
    array([0. , 1. , 0. , 0.5])
    >>> normalise(np.array([[10.0], [30.0], [20.0]]), "rank", "lowest").ravel()
    array([0. , 1. , 0.5])
    """
    out = np.zeros_like(values, dtype=np.float64)
    for j in range(values.shape[1]):
        column = values[:, j]
        known = ~np.isnan(column)
        if not known.any():
            continue
        if method == "rank":
            ranks = stats.rankdata(column[known], method="average")
            span = max(known.sum() - 1, 1)
            scaled = (ranks - 1.0) / span
        else:
            low, high = column[known].min(), column[known].max()
            scaled = (column[known] - low) / (high - low) if high > low else 0.0 * column[known]
        out[known, j] = scaled
        out[~known, j] = np.median(scaled) if missing == "median" else 0.0
    return out


def rank_order(scores: Floats, codes: NDArray[np.object_] | pd.Series) -> NDArray[np.int64]:
    """Ranks 1..n by descending score, ties broken by code so every run agrees.

    >>> rank_order(np.array([0.5, 0.9, 0.5]), np.array(["b", "c", "a"], dtype=object)).tolist()
    [3, 1, 2]
    """
    order = np.lexsort((np.asarray(codes, dtype=str), -np.round(scores, 12)))
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[order] = np.arange(1, len(scores) + 1)
    return ranks


def _weights(scenario: Scenario) -> tuple[list[str], Floats]:
    names = [n for n in SCORED_INDICATORS if scenario.weights.get(n, 0.0) > 0]
    return names, np.array([scenario.weights[n] for n in names], dtype=np.float64)


def _weighted(normalised: Floats, weights: Floats) -> tuple[Floats, Floats]:
    contributions = 100.0 * normalised * (weights / weights.sum())
    return contributions.sum(axis=1), contributions


def score(
    indicators: pd.DataFrame, config: PriorityConfig, scenario: str | None = None
) -> pd.DataFrame:
    """Score and rank every area under one scenario, with the LIS-style band.

    ``score`` (0..100) is ``100 * sum_i w_i * n_i / sum_i w_i`` with ``n_i`` the normalised
    indicator; ``contribution_<indicator>`` columns hold each term, so they add up to the
    score. ``rank`` 1 is the highest priority.
    """
    chosen = config.scenario(scenario)
    names, weights = _weights(chosen)
    raw = benefit_values(indicators, names, config.indicators.distance_cap_m)
    normalised = normalise(raw, config.normalisation, config.missing)
    total, contributions = _weighted(normalised, weights)
    out = indicators.copy()
    out["scenario"] = scenario or config.default_scenario
    out["score"] = np.round(total, 9)
    for j, name in enumerate(names):
        out[f"normalised_{name}"] = normalised[:, j]
        out[f"contribution_{name}"] = contributions[:, j]
    out["rank"] = rank_order(total, out["code"].to_numpy(dtype=object))
    points, band = lis_score(indicators, config.lis)
    out["lis_points"], out["lis_band"] = points, band
    return out.sort_values("rank")


def lis_score(indicators: pd.DataFrame, lis: LisSettings) -> tuple[Floats, NDArray[np.object_]]:
    """Landmine-Impact-Survey-style points and their band (low / medium / high).

    Points = the highest configured points among the area's hazard types + the points of
    each distinct blocked resource + points per victim within the accident radius/period.
    """
    n = len(indicators)
    hazard = _points_for_list(indicators.get("hazard_types"), lis.points_per_hazard_type, n)
    blocked = _points_for_list(
        indicators.get("blockage_types"), lis.points_per_blockage_type, n, total=True
    )
    victims = np.nan_to_num(_numeric_column(indicators, "victims"))
    points = hazard + blocked + lis.points_per_recent_victim * victims
    bands = np.where(
        points >= lis.bands.high_from,
        "high",
        np.where(points >= lis.bands.medium_from, "medium", "low"),
    ).astype(object)
    return points, bands


def _points_for_list(
    column: pd.Series | None, table: Mapping[Any, float], n: int, *, total: bool = False
) -> Floats:
    """Points of each ";"-joined list: the highest of its items' points, or with ``total``
    their sum (an item not in ``table`` scores 0). Worked out once per distinct list, since
    a country repeats a few combinations of hazard and blockage types."""
    if column is None or not table:
        return np.zeros(n)
    lookup = {str(getattr(k, "value", k)): float(v) for k, v in table.items()}
    combine = sum if total else max
    codes, texts = pd.factorize(column.fillna("").astype(str).to_numpy(dtype=object))
    per_text = np.array(
        [combine(lookup.get(item, 0.0) for item in text.split(";")) for text in texts],
        dtype=np.float64,
    )
    return per_text[codes] if len(texts) else np.zeros(n)


def explain(scored: pd.DataFrame, code: str, config: PriorityConfig) -> pd.DataFrame:
    """Why one area scored what it did: each indicator's value, normalised value, weight
    share and contribution (points out of 100; they add up to the score).

    ``scored`` is the output of :func:`score` (its ``scenario`` column names the weights).
    """
    match = scored[scored["code"].astype(str) == str(code)]
    if match.empty:
        raise NotFound(f"no hazardous area {code} in the ranking")
    row = match.iloc[0]
    names, weights = _weights(config.scenario(str(row["scenario"])))
    total = float(row["score"])
    records = [
        {
            "indicator": name,
            "label": INDICATOR_LABELS[name][0],
            "value": row[name],
            "unit": INDICATOR_LABELS[name][1],
            "normalised": float(row[f"normalised_{name}"]),
            "weight_share": float(weight / weights.sum()),
            "contribution": float(row[f"contribution_{name}"]),
            "share_of_score": float(row[f"contribution_{name}"]) / total if total else 0.0,
        }
        for name, weight in zip(names, weights, strict=True)
    ]
    return pd.DataFrame(records).sort_values("contribution", ascending=False, ignore_index=True)
