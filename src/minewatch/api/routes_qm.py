"""Quality-management calculators and evidence-based classification over HTTP.

The calculators are pure functions of their inputs, open to every caller including the
public; each answer states its formula. Probabilities are fractions (``confidence=0.95``),
the AQL a percentage as in ISO 2859-1. Everything is computed by
:mod:`minewatch.services.qm`, the same functions ``minewatch qm`` calls. Classification
weights and thresholds come from the national configuration named by ``MINEWATCH_CONFIG``
(the shipped defaults when unset), as for the CLI.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from minewatch.api.deps import National, Workflow
from minewatch.api.errors import problems
from minewatch.domain.records import Evidence, EvidenceSource, EvidenceType, Kind
from minewatch.services import disclosure
from minewatch.services import qm as service
from minewatch.services.qm import (
    InspectionLevel,
    InspectionSeverity,
    SamplingStandard,
    SurveyEffort,
)

router = APIRouter(prefix="/api/qm", tags=["quality management"])


Fraction = Annotated[float, Query(gt=0, lt=1)]


@router.get("/sampling-plan", summary="ISO 2859-1 single sampling plan and its OC curve")
def sampling_plan(
    lot_size: Annotated[int, Query(ge=2, le=1_000_000_000, description="units in the lot")],
    aql: Annotated[float, Query(gt=0, le=1000, description="AQL in percent, e.g. 1.0")],
    level: InspectionLevel = InspectionLevel.II,
    severity: InspectionSeverity = InspectionSeverity.NORMAL,
    standard: SamplingStandard = SamplingStandard.ISO_2859_1,
    max_percent: Annotated[
        float | None, Query(gt=0, le=100, description="right end of the OC curve, %")
    ] = None,
) -> dict[str, Any]:
    """Code letter, sample size n, acceptance number Ac and rejection number Re, and the
    probability of accepting lots of each quality (the operating characteristic)."""
    plan = service.sampling_plan(lot_size, level, aql, severity, standard)
    return {
        "plan": service.sampling_plan_answer(plan),
        "oc_curve": service.oc_curve(plan, max_percent),
        "formula": service.FORMULAS["sampling_plan"],
    }


@router.get("/accept-on-zero", summary="Accept-on-zero sample size (hypergeometric)")
def accept_on_zero(
    units: Annotated[int, Query(ge=1, le=10_000_000, description="N, search units in the lot")],
    clean_fraction: Annotated[
        float, Query(gt=0, le=1, description="X, fraction that must be clean")
    ],
    confidence: Fraction = 0.95,
) -> dict[str, Any]:
    """The smallest n of N units to inspect so that, if all n are clean, there is confidence
    Y that at least X of the N units are clean."""
    return {
        **service.accept_on_zero_answer(units, clean_fraction, confidence),
        "formula": service.FORMULAS["accept_on_zero"],
    }


@router.get("/zero-find", summary="Upper bounds on the items left after finding nothing")
def zero_find(
    searched_fraction: Annotated[float, Query(gt=0, le=1, description="f, fraction searched")],
    detection_probability: Annotated[
        float, Query(gt=0, le=1, description="p, probability of detection")
    ],
    confidence: Fraction = 0.95,
    prior_shape: Annotated[float | None, Query(gt=0, le=1e6)] = None,
    prior_rate: Annotated[float | None, Query(gt=0, le=1e6)] = None,
) -> dict[str, Any]:
    """Poisson and binomial bounds, and the Gamma-prior posterior when a prior is given."""
    return {
        "bounds": service.zero_find_answer(
            searched_fraction, detection_probability, confidence, prior_shape, prior_rate
        ),
        "confidence": confidence,
        "formula": service.FORMULAS["zero_find"],
    }


class EvidenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: EvidenceType
    source: EvidenceSource
    note: str | None = Field(default=None, max_length=2000)


class EffortIn(BaseModel):
    """How much survey was done: with it, the answer says whether the national "all
    reasonable effort" criteria are met."""

    model_config = ConfigDict(extra="forbid")

    informants: int = Field(ge=0, le=100_000)
    site_visited: bool = False
    records_checked: bool = False
    survey_date: date | None = None


class ClassifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    evidence: list[EvidenceIn] = Field(max_length=1000)
    effort: EffortIn | None = None


@router.get("/classification-settings", summary="The national evidence matrix and thresholds")
def classification_settings(national: National) -> dict[str, Any]:
    """Each evidence type's weight and each source's factor (strength = weight × factor),
    the direct-evidence types and the SHA/CHA thresholds."""
    return service.classification_settings(national.national)


@router.post("/classify", summary="Suggest SHA or CHA from an evidence list")
def classify(body: ClassifyIn, national: National) -> dict[str, Any]:
    """Weights and thresholds from the national configuration; the matrix shows each
    (type, source) and its strength."""
    evidence = [Evidence(type=e.type, source=e.source, note=e.note) for e in body.evidence]
    effort = None
    if body.effort is not None:
        e = body.effort
        effort = SurveyEffort(e.informants, e.site_visited, e.records_checked, e.survey_date)
    return {
        **service.classify(evidence, national.national, effort),
        "formula": service.FORMULAS["classification"],
    }


@router.get(
    "/classify/{code}",
    summary="Suggest SHA or CHA for an approved hazardous area's evidence",
    responses=problems(401, 403, 404),
)
def classify_area(code: str, wf: Workflow, national: National) -> dict[str, Any]:
    disclosure.check_kind_visible(wf.actor, Kind.HAZARDOUS_AREA)
    return {
        **service.classify_area(wf.store, code, national.national),
        "formula": service.FORMULAS["classification"],
    }
