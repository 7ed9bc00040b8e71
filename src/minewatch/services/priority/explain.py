"""Reading a ranking: what each indicator measures (:func:`indicator_label`), why one area
scored what it did (:func:`explain`), how the ranking moves with each weight
(:func:`sensitivity`), and where each weighted indicator's values come from
(:func:`coverage`).

>>> indicator_label("accidents")
'Accidents within radius and period'
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from minewatch.analysis import priority as analysis
from minewatch.priority_config import DISTANCE_LAYERS
from minewatch.services.priority.request import PriorityRequest

#: Where each indicator comes from: the store's own records, or a context layer.
FROM_STORE = frozenset({"accidents", "victims", "blockages", "residual_risk", "beneficiaries"})
INDICATOR_LAYER = {"population": "population", "agricultural_share": "agriculture"} | dict(
    DISTANCE_LAYERS
)


def indicator_label(indicator: str) -> str:
    """What an indicator measures, for people (e.g. "Distance to nearest road").

    Examples
    --------
    >>> indicator_label("road_distance_m"), indicator_label("victims")
    ('Distance to nearest road', 'Victims of those accidents')
    """
    return analysis.INDICATOR_LABELS[indicator][0]


def explain(ranked: pd.DataFrame, code: str, request: PriorityRequest) -> pd.DataFrame:
    """Why one area of a ranking scored what it did: each indicator's value, normalised
    value, weight share and contribution (they add up to the score).

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.services.priority import configured, rank_store
    >>> store = demo_store(tmp)
    >>> request = PriorityRequest(config=configured(), as_of=date(2025, 1, 1))
    >>> ranked = rank_store(store, request)
    >>> why = explain(ranked, "HA-000003", request)
    >>> list(why.columns)
    ['indicator', 'label', 'value', 'unit', 'normalised', 'weight_share', 'contribution',
     'share_of_score']
    >>> round(float(why["contribution"].sum()), 6) == round(float(ranked["score"].iloc[0]), 6)
    True
    """
    return analysis.explain(ranked, code, request.config)


def sensitivity(ranked: pd.DataFrame, request: PriorityRequest) -> analysis.SensitivityResult:
    """How the ranking moves when each weight of the request's scenario moves alone.

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.services.priority import configured, rank_store
    >>> store = demo_store(tmp)
    >>> request = PriorityRequest(config=configured(), as_of=date(2025, 1, 1))
    >>> ranked = rank_store(store, request)
    >>> result = sensitivity(ranked, request)
    >>> type(result).__name__
    'SensitivityResult'
    """
    return analysis.sensitivity(ranked, request.config, request.scenario)


def coverage(ranked: pd.DataFrame, request: PriorityRequest) -> list[dict[str, Any]]:
    """For each indicator the scenario weights: its weight share, how many areas have a
    value, and where values come from (``store``, ``context`` or ``not configured``), so a
    reader sees which criteria could not count. Unknown values score as the configuration's
    ``missing`` policy says.

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.services.priority import configured, rank_store
    >>> store = demo_store(tmp)
    >>> request = PriorityRequest(config=configured(), as_of=date(2025, 1, 1))
    >>> ranked = rank_store(store, request)
    >>> [(row["indicator"], row["source"]) for row in coverage(ranked, request)]
    [('population', 'not configured'), ('settlement_distance_m', 'not configured'),
     ('road_distance_m', 'not configured'), ('school_distance_m', 'not configured'),
     ('health_distance_m', 'not configured'), ('water_distance_m', 'not configured'),
     ('agricultural_share', 'not configured'), ('accidents', 'store'), ('victims', 'store'),
     ('blockages', 'store'), ('residual_risk', 'store'), ('beneficiaries', 'store')]
    """
    weights = request.config.scenario(request.scenario).weights
    total = sum(weights.values())
    rows = []
    for name, weight in weights.items():
        if weight <= 0:
            continue
        layer = INDICATOR_LAYER.get(name)
        named = layer == "population" and request.inputs.population is not None
        named = named or (layer is not None and layer in request.inputs.layers)
        source = "store" if name in FROM_STORE else "context" if named else "not configured"
        known = int(pd.to_numeric(ranked[name], errors="coerce").notna().sum())
        rows.append(
            {
                "indicator": name,
                "label": analysis.INDICATOR_LABELS[name][0],
                "unit": analysis.INDICATOR_LABELS[name][1],
                "weight_share": weight / total,
                "source": source,
                "known": known,
                "missing": len(ranked) - known,
            }
        )
    return rows
