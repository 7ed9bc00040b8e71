"""The release statement: why one area could be released, with its residual-risk figure.

IMAS 07.11 asks that land be released with *justifiable confidence* that no explosive
ordnance remains. For one hazardous area, the statement brings together everything an
authority or a donor needs to judge that confidence:

* the evidence recorded for the area, and the SHA/CHA suggestion it supports today;
* the land-release activities and the products they produced;
* the release figures (original, cancelled, reduced, cleared, remaining). These come from
  the land-release accounting of the product geometries. This module takes them as input
  and never recomputes areas;
* the items found, and the quality-management visits with their non-conformities;
* the residual-risk figure: the zero-find upper bound on the items that may be left, from
  the search the programme names (:mod:`minewatch.analysis.zero_find`);
* the "all reasonable effort" assessment, where land was cancelled by survey.

:mod:`minewatch.charts.release_certificate` renders it as an HTML or PDF certificate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from minewatch.analysis.classification import (
    ClassificationSuggestion,
    EffortAssessment,
    suggest_classification,
)
from minewatch.analysis.zero_find import (
    ZeroFindBound,
    zero_find_gamma_posterior,
    zero_find_poisson,
)
from minewatch.config import ClassificationConfig
from minewatch.domain.records import (
    DeviceFind,
    HazardousArea,
    LandReleaseActivity,
    QualityManagementVisit,
    ReleaseProduct,
)
from minewatch.errors import InvalidInput, Location


@dataclass(frozen=True)
class ReleaseFigures:
    """Square metres from the land-release accounting (original = the other four summed)."""

    original_m2: float
    cancelled_m2: float
    reduced_m2: float
    cleared_m2: float
    remaining_m2: float

    def __post_init__(self) -> None:
        parts = self.cancelled_m2 + self.reduced_m2 + self.cleared_m2 + self.remaining_m2
        if abs(parts - self.original_m2) > 1e-6 * max(1.0, self.original_m2):
            raise InvalidInput(
                f"release figures do not add up: {parts:,.1f} m² ≠ original "
                f"{self.original_m2:,.1f} m²",
                Location(field="original_m2"),
            )

    @property
    def released_m2(self) -> float:
        return self.cancelled_m2 + self.reduced_m2 + self.cleared_m2


@dataclass(frozen=True)
class ResidualSearch:
    """The search the residual-risk figure rests on: one that found nothing.

    Typically a post-clearance inspection sample or a final technical-survey check.
    ``searched_fraction`` is the share of the area it covered and ``detection_probability``
    its probability of detection. Give ``prior_shape`` and ``prior_rate`` for the Bayesian
    figure. Otherwise the Poisson confidence bound is used.
    """

    description: str
    searched_fraction: float
    detection_probability: float
    confidence: float = 0.95
    prior_shape: float | None = None
    prior_rate: float | None = None

    def bound(self) -> ZeroFindBound:
        if self.prior_shape is not None and self.prior_rate is not None:
            return zero_find_gamma_posterior(
                self.searched_fraction,
                self.detection_probability,
                self.confidence,
                self.prior_shape,
                self.prior_rate,
            )
        return zero_find_poisson(
            self.searched_fraction, self.detection_probability, self.confidence
        )


@dataclass(frozen=True)
class ReleaseStatement:
    """Everything behind the release of one hazardous area, ready to render."""

    area: HazardousArea
    figures: ReleaseFigures
    classification: ClassificationSuggestion
    activities: tuple[LandReleaseActivity, ...]
    products: tuple[ReleaseProduct, ...]
    finds_by_category: dict[str, int]
    visits: tuple[QualityManagementVisit, ...]
    non_conformities_by_severity: dict[str, int]
    residual_search: ResidualSearch | None
    residual: ZeroFindBound | None
    effort: EffortAssessment | None
    issued_on: date

    @property
    def summary(self) -> str:
        """One paragraph that states the release and its residual-risk figure."""
        f = self.figures
        text = (
            f"Hazardous area {self.area.code or self.area.id} ({self.area.name or 'unnamed'}): "
            f"{f.released_m2:,.0f} m² of {f.original_m2:,.0f} m² released "
            f"(cancelled {f.cancelled_m2:,.0f} m², reduced {f.reduced_m2:,.0f} m², cleared "
            f"{f.cleared_m2:,.0f} m²); {f.remaining_m2:,.0f} m² remain. "
            f"{sum(self.finds_by_category.values())} item(s) found."
        )
        r, search = self.residual, self.residual_search
        if r is not None and search is not None:
            what = {
                "poisson": "expected number of items left",
                "binomial": "number of items left",
                "gamma-poisson": "number of items left (Bayesian credible bound)",
            }[r.model]
            text += (
                f" Residual risk: {what} ≤ {r.items_upper:.2f} at {r.confidence:.0%}, based on "
                f"{search.description} (f = {r.searched_fraction:g}, p = "
                f"{r.detection_probability:g})."
            )
        else:
            text += " No residual-risk figure: no zero-find search was named."
        return text


def build_release_statement(
    area: HazardousArea,
    figures: ReleaseFigures,
    *,
    activities: Sequence[LandReleaseActivity] = (),
    products: Sequence[ReleaseProduct] = (),
    finds: Sequence[DeviceFind] = (),
    visits: Sequence[QualityManagementVisit] = (),
    residual_search: ResidualSearch | None = None,
    effort: EffortAssessment | None = None,
    classification_config: ClassificationConfig,
    issued_on: date,
) -> ReleaseStatement:
    """Assemble the statement for one area from its records and accounting figures.

    Only records that name this area (``hazardous_area_code``) are kept. A record of another
    area is refused, because a certificate must not mix areas.

    >>> from minewatch.config import load_config
    >>> area = HazardousArea(code="HA-0001", name="North field")
    >>> figures = ReleaseFigures(10_000, 2_000, 3_000, 5_000, 0)
    >>> s = build_release_statement(
    ...     area, figures,
    ...     residual_search=ResidualSearch("post-clearance sample of 10 %", 0.1, 0.9),
    ...     classification_config=load_config().classification, issued_on=date(2026, 11, 24))
    >>> round(s.residual.items_upper, 2)
    30.29
    """
    code = area.code
    owners = [
        *(("activity", a.code, a.hazardous_area_code) for a in activities),
        *(("product", p.code, p.hazardous_area_code) for p in products),
        *(("find", f.code, f.hazardous_area_code) for f in finds),
    ]
    for kind, record_code, owner in owners:
        if owner not in (None, code):
            raise InvalidInput(
                f"{kind} {record_code} belongs to {owner}, not to {code}",
                Location(field="hazardous_area_code"),
            )
    finds_by_category = Counter[str]()
    for find in finds:
        finds_by_category[find.category.value] += find.quantity
    severities = Counter(nc.severity.value for v in visits for nc in v.non_conformities)
    return ReleaseStatement(
        area=area,
        figures=figures,
        classification=suggest_classification(area.evidence, classification_config),
        activities=tuple(
            sorted(activities, key=lambda a: (a.start_date or date.min, a.code or ""))
        ),
        products=tuple(sorted(products, key=lambda p: (p.release_date or date.min, p.code or ""))),
        finds_by_category=dict(sorted(finds_by_category.items())),
        visits=tuple(sorted(visits, key=lambda v: (v.visit_date or date.min, v.code or ""))),
        non_conformities_by_severity=dict(sorted(severities.items())),
        residual_search=residual_search,
        residual=residual_search.bound() if residual_search else None,
        effort=effort,
        issued_on=issued_on,
    )
