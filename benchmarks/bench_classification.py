"""Evidence-based classification of many hazardous areas at once.

Ours: :func:`minewatch.analysis.classification.suggest_classifications`, one vectorised pass
over an evidence table (pandas group-by of ln(1 − s)). Baseline: calling the one-area
function :func:`suggest_classification` per area, with the evidence already grouped into
lists (grouping is not timed). The data are synthetic: 1–6 indicators per area, drawn at
random from the hazard-form evidence types and sources. Both must give the same answer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.harness import Result, timed
from minewatch.analysis.classification import suggest_classification, suggest_classifications
from minewatch.config import load_config
from minewatch.domain.records import Evidence, EvidenceSource, EvidenceType


def synthetic_evidence(areas: int, seed: int = 3) -> pd.DataFrame:
    """A synthetic evidence table: ``areas`` areas, 1–6 evidence items each."""
    rng = np.random.default_rng(seed)
    per_area = rng.integers(1, 7, size=areas)
    types = np.array([t.value for t in EvidenceType])
    sources = np.array([s.value for s in EvidenceSource])
    total = int(per_area.sum())
    return pd.DataFrame(
        {
            "area": np.repeat(np.arange(areas), per_area),
            "type": types[rng.integers(0, len(types), size=total)],
            "source": sources[rng.integers(0, len(sources), size=total)],
        }
    )


def run(quick: bool) -> list[Result]:
    areas = 5_000 if quick else 100_000
    cfg = load_config().classification
    table = synthetic_evidence(areas)
    grouped = [
        [
            Evidence(type=EvidenceType(t), source=EvidenceSource(s))
            for t, s in zip(g.type, g.source, strict=True)
        ]
        for _, g in table.groupby("area", sort=True)
    ]

    def ours() -> list[object]:
        return suggest_classifications(table, cfg)["hazard_class"].tolist()

    def baseline() -> list[object]:
        out = []
        for items in grouped:
            hazard = suggest_classification(items, cfg).hazard_class
            out.append(hazard.value if hazard else None)
        return out

    t_ours, fast = timed(ours, repeat=3)
    t_base, slow = timed(baseline, repeat=1)
    if fast != slow:
        raise AssertionError("vectorised and per-area classifications disagree")
    ratio = t_base / t_ours
    return [
        Result(
            "classification",
            f"suggest SHA/CHA for {areas:,} areas ({len(table):,} evidence items)",
            t_ours,
            "s",
            "one-area function per area",
            t_base,
            ratio,
            ">= 10x" if not quick else "",
            (ratio >= 10) if not quick else None,
        )
    ]
