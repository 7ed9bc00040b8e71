"""Quality-management calculators and evidence-based classification, as plain answers.

The CLI (``minewatch qm``) and the HTTP API (``/api/qm``) both call these functions, so a
sampling plan, an accept-on-zero sample size, a zero-find bound or a classification reads
the same everywhere. Probabilities here are fractions (0.95), never percentages: the CLI
converts its percentage options before calling. Each answer carries the formula it used,
so a page or a report can state it beside the figure.

>>> sampling_plan_answer(sampling_plan(1200, "II", 1.0))["sample_size"]
80
>>> accept_on_zero_answer(400, 0.99, 0.95)["sample_size"]
180
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import date
from enum import Enum
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from minewatch.analysis import classification, sampling, zero_find

# The analysis types a caller passes to these functions; the CLI and the API take them from
# here, the one door to the analyses.
from minewatch.analysis.classification import SurveyEffort as SurveyEffort
from minewatch.analysis.sampling import InspectionLevel as InspectionLevel
from minewatch.analysis.sampling import InspectionSeverity as InspectionSeverity
from minewatch.analysis.sampling import SamplingPlan as SamplingPlan
from minewatch.analysis.sampling import SamplingStandard as SamplingStandard
from minewatch.config import NationalConfig, load_config
from minewatch.domain.records import Evidence, EvidenceSource, EvidenceType, Kind
from minewatch.domain.text import Message
from minewatch.errors import InvalidInput, Location
from minewatch.store.base import Repository

E = TypeVar("E", bound=Enum)

#: What each calculator computes, stated for people (docs/quality-management.md derives them).
FORMULAS: dict[str, str] = {
    "sampling_plan": "ISO 2859-1: code letter from lot size and inspection level (Table 1); "
    "n, Ac and Re from Table 2-A/2-B/2-C for the AQL, arrows followed; the lot is accepted "
    "when the sample holds at most Ac nonconforming units. P(accept) at quality p is the "
    "hypergeometric P(d ≤ Ac) for a lot of N units (binomial without a lot size).",
    "accept_on_zero": "Smallest n with P(0 dirty in a sample of n | D* dirty of N) = "
    "C(N−D*, n)/C(N, n) ≤ 1 − Y, where D* = ⌊(1 − X)·N⌋ + 1 is the fewest dirty units that "
    "break the claim 'at least X of the N units are clean'.",
    "zero_find": "q = f·p. Poisson: λ_u = −ln(1 − Y)/q, expected items left ≤ λ_u·(1 − q). "
    "Binomial: items left ≤ N_u = ⌊ln(1 − Y)/ln(1 − q)⌋, the largest N with (1 − q)^N ≥ 1 − Y. "
    "Gamma prior (a, b): posterior λ ~ Gamma(a, b + q), items left ~ NegBin(a, (b + q)/(b + 1)).",
    "classification": "Each distinct (type, source) has strength w_type × f_source; "
    "strengths combine as S = 1 − ∏(1 − sᵢ). CHA if direct-evidence S ≥ cha_threshold, SHA "
    "if S ≥ sha_threshold, otherwise no hazardous area.",
}


def choice(enum: type[E], value: str | E, field: str) -> E:
    """``value`` as a member of ``enum``; InvalidInput naming ``field`` and the choices.

    Examples
    --------
    >>> choice(InspectionSeverity, "tightened", "severity")
    <InspectionSeverity.TIGHTENED: 'tightened'>
    >>> choice(InspectionSeverity, "lenient", "severity")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field severity: severity must be one of normal, tightened,
     reduced, not 'lenient'
    """
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(str(v.value) for v in enum)
        raise InvalidInput(
            f"{field} must be one of {allowed}, not {value!r}", Location(field=field)
        ) from None


def sampling_plan(
    lot_size: int,
    level: str,
    aql: float,
    severity: str = "normal",
    standard: str = "iso2859-1",
) -> sampling.SamplingPlan:
    """The single sampling plan, with severity and standard checked by name.

    Examples
    --------
    >>> plan_label(sampling_plan(1200, "II", 1.0))
    'normal: n=80, Ac=2, Re=3'
    >>> plan_label(sampling_plan(1200, "II", 1.0, severity="tightened"))
    'tightened: n=80, Ac=1, Re=2'
    """
    return sampling.single_sampling_plan(
        lot_size,
        level,
        aql,
        choice(sampling.InspectionSeverity, severity, "severity"),
        choice(sampling.SamplingStandard, standard, "standard"),
    )


def severity_plans(
    lot_size: int, level: str, aql: float, standard: str = "iso2859-1"
) -> list[sampling.SamplingPlan]:
    """The normal, tightened and reduced plans for one lot (an OC chart compares them).

    Examples
    --------
    >>> [plan_label(p) for p in severity_plans(1200, "II", 1.0)]
    ['normal: n=80, Ac=2, Re=3', 'tightened: n=80, Ac=1, Re=2', 'reduced: n=32, Ac=1, Re=2']
    """
    std = choice(sampling.SamplingStandard, standard, "standard")
    return [
        sampling.single_sampling_plan(lot_size, level, aql, severity, std)
        for severity in sampling.InspectionSeverity
    ]


def switching_answer(
    lot_size: int,
    aql: float,
    counts: Sequence[int],
    level: str = "II",
    standard: str = "iso2859-1",
) -> list[dict[str, Any]]:
    """The switching rules (ISO 2859-1:1999 clause 9) run over successive lots with these
    nonconforming counts: one row per lot with the plan used, the decision and what comes
    next; once inspection is discontinued, the remaining lots are not inspected.

    Examples
    --------
    >>> rows = switching_answer(1200, 1.0, [3, 0, 4])
    >>> [(r["lot"], r["severity"], r["accepted"], r["next"]) for r in rows]
    [(1, 'normal', False, 'normal'), (2, 'normal', True, 'normal'), (3, 'normal', False,
     'tightened')]
    """
    scheme = sampling.SwitchingScheme(
        code_letter=sampling.code_letter(lot_size, level),
        aql=aql,
        standard=choice(sampling.SamplingStandard, standard, "standard"),
        lot_size=lot_size,
    )
    rows: list[dict[str, Any]] = []
    state = sampling.SwitchingState()
    for number, count in enumerate(counts, start=1):
        if state.discontinued:
            rows.append(
                {"lot": number, "severity": "discontinued", "reason": Message("not inspected")}
            )
            continue
        d = scheme.step(state, sampling.LotResult(count))
        rows.append({
            "lot": number,
            "severity": d.state_before.severity.value,
            "n": d.plan.sample_size,
            "ac": d.plan.acceptance_number,
            "re": d.plan.rejection_number,
            "found": d.nonconforming,
            "accepted": d.accepted,
            "next": "discontinued" if d.state_after.discontinued else d.state_after.severity.value,
            "reason": d.reason,
        })  # fmt: skip
        state = d.state_after
    return rows


def sampling_plan_answer(plan: sampling.SamplingPlan) -> dict[str, Any]:
    """The plan's figures as one flat row (code letter, n, Ac, Re …).

    Examples
    --------
    >>> answer = sampling_plan_answer(sampling_plan(1200, "II", 1.0))
    >>> {k: answer[k] for k in ("code_letter", "sample_size", "acceptance_number",
    ...                         "rejection_number")}
    {'code_letter': 'J', 'sample_size': 80, 'acceptance_number': 2, 'rejection_number': 3}
    """
    return {
        "lot_size": plan.lot_size,
        "aql": plan.aql,
        "severity": plan.severity.value,
        "standard": plan.standard.value,
        "code_letter": plan.code_letter,
        "plan_code_letter": plan.plan_code_letter,
        "sample_size": plan.sample_size,
        "table_sample_size": plan.table_sample_size,
        "acceptance_number": plan.acceptance_number,
        "rejection_number": plan.rejection_number,
        "full_inspection": plan.full_inspection,
    }


def acceptance_at(plan: sampling.SamplingPlan, percents: Sequence[float]) -> list[float]:
    """P(accept) for lots with these percentages of nonconforming units.

    Examples
    --------
    >>> [round(p, 3) for p in acceptance_at(sampling_plan(1200, "II", 1.0), [0, 1, 5])]
    [1.0, 0.959, 0.221]
    """
    accepted = sampling.acceptance_probability(plan, [q / 100 for q in percents])
    return [float(p) for p in accepted]


def plan_label(plan: sampling.SamplingPlan) -> str:
    """E.g. ``normal: n=80, Ac=2, Re=3``.

    Examples
    --------
    >>> plan_label(sampling_plan(500, "II", 2.5))
    'normal: n=50, Ac=3, Re=4'
    """
    return (
        f"{plan.severity.value}: n={plan.sample_size}, Ac={plan.acceptance_number}, "
        f"Re={plan.rejection_number}"
    )


def oc_curves(
    plans: Sequence[sampling.SamplingPlan], max_percent: float | None = None
) -> pd.DataFrame:
    """P(accept) against percent nonconforming for each plan.

    The result has one row per point, with columns ``plan``, ``percent_nonconforming`` and
    ``p_accept``. The x range runs to ``max_percent``. By default that is where the strictest
    plan's acceptance falls below 1 %, capped at 100.

    Examples
    --------
    >>> curves = oc_curves(severity_plans(1200, "II", 1.0), max_percent=10)
    >>> at_5 = curves[curves["percent_nonconforming"] == 5.0]
    >>> dict(zip(at_5["plan"], at_5["p_accept"].round(3)))
    {'normal: n=80, Ac=2, Re=3': 0.221, 'tightened: n=80, Ac=1, Re=2': 0.079, 'reduced: n=32, Ac=1,
     Re=2': 0.517}
    """
    if not plans:
        return pd.DataFrame(columns=["plan", "percent_nonconforming", "p_accept"])
    top = max_percent or _default_range(plans)
    percents = np.linspace(0.0, top, 201)
    lot_sizes = {p.lot_size for p in plans}
    if len(lot_sizes) == 1 and (lot := lot_sizes.pop()) is not None:
        # A lot holds a whole number of nonconforming units: plot at those exact qualities.
        percents = np.unique(np.rint(percents / 100.0 * lot)) / lot * 100.0
    frames = [
        pd.DataFrame(
            {
                "plan": plan_label(plan),
                "percent_nonconforming": percents,
                "p_accept": sampling.acceptance_probability(plan, percents / 100.0),
            }
        )
        for plan in plans
    ]
    return pd.concat(frames, ignore_index=True)


def _default_range(plans: Sequence[sampling.SamplingPlan]) -> float:
    grid = np.linspace(0.0, 1.0, 1001)
    reach = [grid[np.argmax(sampling.acceptance_probability(p, grid) < 0.01)] for p in plans]
    return float(min(100.0, max(1.0, 100.0 * max(reach))))


def oc_curve(
    plan: sampling.SamplingPlan, max_percent: float | None = None
) -> list[dict[str, float]]:
    """The plan's operating characteristic as points (percent nonconforming, P(accept)),
    over the range :func:`oc_curves` chooses.

    Examples
    --------
    >>> points = oc_curve(sampling_plan(1200, "II", 1.0), max_percent=10)
    >>> points[0], len(points)
    ({'percent_nonconforming': 0.0, 'p_accept': 1.0}, 121)
    """
    curve = oc_curves([plan], max_percent)
    return [
        {"percent_nonconforming": float(x), "p_accept": float(p)}
        for x, p in zip(curve["percent_nonconforming"], curve["p_accept"], strict=True)
    ]


def accept_on_zero_answer(units: int, clean_fraction: float, confidence: float) -> dict[str, Any]:
    """The accept-on-zero plan for N units, "X clean with confidence Y", as a flat row
    (plus the sample size an unbounded lot would need, for comparison).

    Examples
    --------
    >>> answer = accept_on_zero_answer(400, 0.99, 0.95)
    >>> answer["sample_size"], answer["unbounded_lot_sample_size"], round(answer["achieved_confidence"], 4)
    (180, 299, 0.9507)
    """
    plan = zero_find.accept_on_zero_sample_size(units, clean_fraction, confidence)
    row: dict[str, Any] = asdict(plan) | {"achieved_confidence": plan.achieved_confidence}
    if 0 < plan.clean_fraction < 1:
        row["unbounded_lot_sample_size"] = zero_find.accept_on_zero_sample_size_unbounded(
            plan.clean_fraction, plan.confidence
        )
    return row


def zero_find_answer(
    fraction: float,
    pod: float,
    confidence: float,
    prior_shape: float | None = None,
    prior_rate: float | None = None,
) -> list[dict[str, Any]]:
    """Poisson and binomial bounds, and the Gamma posterior when a prior is given; one row
    per model with the split between the unsearched and the searched part.

    Examples
    --------
    >>> rows = zero_find_answer(fraction=0.1, pod=0.9, confidence=0.95)
    >>> [(r["model"], round(r["items_left_upper"], 2)) for r in rows]
    [('poisson', 30.29), ('binomial', 31.0)]
    >>> zero_find_answer(0.1, 0.9, 0.95, prior_shape=1.0)
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field prior_rate: give both the prior shape and rate, or neither
    """
    if (prior_shape is None) != (prior_rate is None):
        field = "prior_rate" if prior_rate is None else "prior_shape"
        raise InvalidInput("give both the prior shape and rate, or neither", Location(field=field))
    bounds = [
        zero_find.zero_find_poisson(fraction, pod, confidence),
        zero_find.zero_find_binomial(fraction, pod, confidence),
    ]
    if prior_shape is not None and prior_rate is not None:
        bounds.append(
            zero_find.zero_find_gamma_posterior(fraction, pod, confidence, prior_shape, prior_rate)
        )
    return [
        {
            "model": b.model,
            "detection_per_item": b.detection_per_item,
            "items_left_upper": b.items_upper,
            "unsearched_upper": b.unsearched_upper,
            "missed_in_searched_upper": b.missed_in_searched_upper,
            **b.detail,
        }
        for b in bounds
    ]


def parse_evidence(raw: Any, source: str) -> list[Evidence]:
    """A decoded JSON evidence list (``[{"type": …, "source": …, "note": …}]``) as
    :class:`Evidence`; errors name ``source``, the item number and the field.

    Examples
    --------
    >>> parse_evidence([{"type": "marking", "source": "seen"}], "evidence.json")
    [Evidence(type=<EvidenceType.MARKING: 'marking'>, source=<EvidenceSource.SEEN: 'seen'>,
     note=None)]
    >>> parse_evidence([{"type": "rumour", "source": "told"}], "evidence.json")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: evidence.json, row 1, field type: type must be one of eo_seen,
     marking, scrap, craters, accident, damaged_infrastructure, military_positions, land_not_used,
     animal_casualty, strike_record
    """
    if not isinstance(raw, list):
        raise InvalidInput("the evidence must be a JSON list", Location(file=source))
    return [_evidence(item, number, source) for number, item in enumerate(raw, start=1)]


def _evidence(item: Any, number: int, source: str) -> Evidence:
    if not isinstance(item, dict):
        raise InvalidInput(
            "each evidence item must be an object", Location(file=source, row=number)
        )
    for field, enum in (("type", EvidenceType), ("source", EvidenceSource)):
        if item.get(field) not in {v.value for v in enum}:
            allowed = ", ".join(v.value for v in enum)
            raise InvalidInput(
                f"{field} must be one of {allowed}", Location(file=source, row=number, field=field)
            )
    return Evidence(
        type=EvidenceType(item["type"]),
        source=EvidenceSource(item["source"]),
        note=item.get("note"),
    )


def classification_settings(config: NationalConfig | None = None) -> dict[str, Any]:
    """The national evidence matrix: each evidence type's weight, each source's factor, the
    types that count as direct evidence, and the SHA/CHA thresholds (a form shows them).

    Examples
    --------
    >>> settings = classification_settings()
    >>> settings["sha_threshold"], settings["cha_threshold"], settings["direct_evidence"]
    (0.3, 0.5, ['accident', 'animal_casualty', 'eo_seen'])
    """
    cfg = (config or load_config()).classification
    return {
        "type_weights": {t.value: cfg.type_weights[t] for t in EvidenceType},
        "source_factors": {s.value: cfg.source_factors[s] for s in EvidenceSource},
        "direct_evidence": sorted(t.value for t in cfg.direct_evidence),
        "sha_threshold": cfg.sha_threshold,
        "cha_threshold": cfg.cha_threshold,
        "require_direct_evidence_for_cha": cfg.require_direct_evidence_for_cha,
    }


def classify(
    evidence: Sequence[Evidence],
    config: NationalConfig | None = None,
    effort: classification.SurveyEffort | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """SHA, CHA or none with its confidence, the evidence matrix behind it, and (given the
    survey effort) whether the national "all reasonable effort" criteria are met.

    Examples
    --------
    >>> evidence = parse_evidence([{"type": "eo_seen", "source": "seen"},
    ...                            {"type": "accident", "source": "records"}], "survey")
    >>> answer = classify(evidence)
    >>> answer["suggestion"], answer["confidence"], [m["strength"] for m in answer["matrix"]]
    ('CHA', 0.972, [0.9, 0.72])
    """
    cfg = config or load_config()
    suggestion = classification.suggest_classification(evidence, cfg.classification)
    result: dict[str, Any] = {
        "suggestion": suggestion.hazard_class.value if suggestion.hazard_class else "none",
        "confidence": round(suggestion.confidence, 4),
        "evidence_strength": round(suggestion.evidence_strength, 4),
        "direct_strength": round(suggestion.direct_strength, 4),
        "rationale": suggestion.rationale,
        "sha_threshold": cfg.classification.sha_threshold,
        "cha_threshold": cfg.classification.cha_threshold,
        "matrix": [
            {"type": c.type.value, "source": c.source.value, "strength": round(c.strength, 4),
             "direct": c.direct, "mentions": c.mentions}
            for c in suggestion.contributions
        ],
    }  # fmt: skip
    if effort is not None:
        assessment = classification.assess_all_reasonable_effort(
            effort, suggestion, cfg.all_reasonable_effort, today or date.today()
        )
        result["all_reasonable_effort"] = assessment.met
        result["unmet"] = list(assessment.unmet)
    return result


def classify_table(
    table: pd.DataFrame, source: str, config: NationalConfig | None = None
) -> list[dict[str, Any]]:
    """The suggestion for every area of an evidence table (columns ``area``, ``type``,
    ``source``; one row per indicator), one row per area; errors name ``source``.

    Examples
    --------
    >>> table = pd.DataFrame({"area": ["A", "A", "B"], "type": ["eo_seen", "marking", "scrap"],
    ...                       "source": ["seen", "seen", "told"]})
    >>> [(row["area"], row["hazard_class"]) for row in classify_table(table, "evidence.csv")]
    [('A', 'CHA'), ('B', None)]
    """
    missing = {"area", "type", "source"} - set(table.columns)
    if missing:
        raise InvalidInput(f"missing column(s) {', '.join(sorted(missing))}", Location(file=source))
    try:
        result = classification.suggest_classifications(
            table, (config or load_config()).classification
        )
    except InvalidInput as exc:
        raise InvalidInput(exc.message, replace(exc.where, file=source)) from None
    return [
        {"area": area, **{str(k): round(v, 4) if isinstance(v, float) else v for k, v in r.items()}}
        for area, r in zip(result.index, result.to_dict("records"), strict=True)
    ]


def classify_area(
    store: Repository, code: str, config: NationalConfig | None = None
) -> dict[str, Any]:
    """The suggestion for an approved hazardous area from its recorded evidence, beside the
    class it was recorded with (NotFound if there is no such area).

    Examples
    --------
    >>> from shapely import box
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.domain.reports import ReportState
    >>> from minewatch.services.records import Draft, Workflow
    >>> from minewatch.store import open_store
    >>> store = open_store(str(tmp / "demo.gpkg"), create=True)
    >>> area = Draft(Kind.HAZARDOUS_AREA, {"evidence": [{"type": "eo_seen", "source": "seen"}]},
    ...              date(2024, 5, 1), box(30, -1, 30.01, -0.99))
    >>> _ = Workflow(store, local_admin()).create_drafts([area], state=ReportState.APPROVED)
    >>> answer = classify_area(store, "HA-000001")
    >>> answer["recorded_classification"], answer["suggestion"]
    ('SHA', 'CHA')
    """
    area = store.get_item(Kind.HAZARDOUS_AREA, code)
    evidence = getattr(area, "evidence", ())
    recorded = getattr(area, "classification", None)
    return {
        "hazardous_area_code": area.code,
        "recorded_classification": getattr(recorded, "value", recorded),
        "evidence": [{"type": e.type.value, "source": e.source.value} for e in evidence],
        **classify(evidence, config),
    }
