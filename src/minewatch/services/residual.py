"""Residual hazard of a recorded strike, carried into the hazardous-area register.

A :class:`~minewatch.domain.records.ScatterableStrike` records where and when mines were laid
and how many (CCW Amended Protocol II, Technical Annex para. 1(b)). This service turns it into a
residual-risk figure with :mod:`minewatch.analysis.residual` and writes that figure where
prioritisation reads it: a suspected hazardous area (SHA) over the strike's footprint, with
``residual_risk`` (the expected number of live mines on the assessment date) and
``strike_code`` set. As everywhere, data changes only through reports: the service drafts (and by
default submits) a report creating the area, or updating the one already linked to the strike;
a reviewer approves it through the usual workflow.

>>> from shapely import box
>>> from minewatch.analysis.residual.design import BetaBelief
>>> from minewatch.domain.access import local_admin
>>> from minewatch.domain.reports import ReportState
>>> from minewatch.services.records import Draft, Workflow
>>> from minewatch.store import open_store
>>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
>>> strike = Draft(Kind.SCATTERABLE_STRIKE, {"mine_type": "PFM-1S", "mine_count": 200,
...                "laid_at": datetime(2024, 3, 1, 6, tzinfo=UTC)}, date(2024, 3, 1),
...                box(30, -1, 30.01, -0.99))
>>> _ = wf.create_drafts([strike], state=ReportState.APPROVED)
>>> design, notes = design_for_device("PFM-1S", sd_failure=BetaBelief(2, 38),
...                                   no_self_deactivation=True)
>>> recorded = record_strike_hazard(wf, "STR-000001", design,
...                                 as_of=datetime(2024, 6, 1, tzinfo=UTC))
>>> recorded.area_report.item_code, recorded.area_report.state
('HA-000001', <ReportState.SUBMITTED: 'submitted'>)
>>> print(recorded.risk.describe())
residual-hazard model, 91.8 days after emplacement of 200 mines: expected live 10 (95% credible
1.25–27); P(at least one live) 0.974 (95% credible 0.716–1); closed form; P(at least one live)
< 0.01 never
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from minewatch.analysis.residual.closed_form import time_until_below
from minewatch.analysis.residual.curves import decay_curve
from minewatch.analysis.residual.design import (
    HOURS_PER_DAY,
    Belief,
    Correlation,
    FixedTime,
    Independent,
    KnownProbability,
    Mechanism,
    MineDesign,
    Strike,
    Timing,
    UniformTime,
)
from minewatch.analysis.residual.results import ThresholdTime
from minewatch.analysis.residual.spec import ResidualSettings
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import (
    EvidenceSource,
    EvidenceType,
    HazardClass,
    HazardousArea,
    HazardStatus,
    HazardType,
    Kind,
    ScatterableStrike,
)
from minewatch.domain.reports import Report
from minewatch.errors import InvalidInput, Location
from minewatch.io.devices import find_device

if TYPE_CHECKING:
    # A type only: the residual-hazard answers (``minewatch residual run``, the dashboard's
    # curves) then open no store and load no SQLAlchemy; only recording a strike needs them.
    from minewatch.services.records import Workflow


def design_for_device(
    model: str,
    *,
    sd_failure: Belief | None = None,
    sd_timing: Timing | None = None,
    sda_failure: Belief | None = None,
    sda_timing: Timing | None = None,
    no_self_deactivation: bool = False,
    correlation: Correlation | None = None,
) -> tuple[MineDesign, tuple[str, ...]]:
    """A design for a catalogue device: the user's values first, then the catalogue's sourced
    ones; InvalidInput names every parameter that is still missing (a user input).

    A catalogue time *range* becomes a uniform timing between its ends; the returned notes say
    so, and which values came from which source.

    Examples
    --------
    >>> from minewatch.analysis.residual.design import BetaBelief
    >>> design, notes = design_for_device("PFM-1S", sd_failure=BetaBelief(2, 38),
    ...                                   no_self_deactivation=True)
    >>> design.name, design.self_destruct.timing
    ('PFM-1S', UniformTime(low=0.041666666666666664, high=1.6666666666666667))
    >>> design_for_device("PFM-1S")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field sd_failure: no public source gives sd_failure, sda_failure,
     sda_timing for PFM-1S: enter them (or state that the mine has no self-deactivation)
    """
    entry = find_device(model)
    notes: list[str] = []
    if sd_timing is None and entry.sd_time_min_hours is not None and entry.sd_time_max_hours:
        sd_timing = UniformTime(
            entry.sd_time_min_hours / HOURS_PER_DAY, entry.sd_time_max_hours / HOURS_PER_DAY
        )
        notes.append(
            f"self-destruct timing: uniform {entry.sd_time_min_hours:g}–"
            f"{entry.sd_time_max_hours:g} h, assumed from the range in {entry.source}"
        )
    if sd_failure is None and entry.sd_failure_probability is not None:
        sd_failure = KnownProbability(entry.sd_failure_probability)
        notes.append(f"self-destruct failure probability from {entry.source}")
    if sda_timing is None and entry.sda_time_days is not None:
        sda_timing = FixedTime(entry.sda_time_days)
        notes.append(f"self-deactivation time from {entry.source}")
    missing = [
        name
        for name, value in (("sd_failure", sd_failure), ("sd_timing", sd_timing))
        if value is None
    ]
    if not no_self_deactivation:
        missing += [
            name
            for name, value in (("sda_failure", sda_failure), ("sda_timing", sda_timing))
            if value is None
        ]
    if missing:
        raise InvalidInput(
            f"no public source gives {', '.join(missing)} for {entry.model}: "
            "enter them (or state that the mine has no self-deactivation)",
            Location(field=missing[0]),
        )
    assert sd_failure is not None and sd_timing is not None
    sda = (
        Mechanism.absent() if no_self_deactivation else Mechanism(sda_failure, sda_timing)  # type: ignore[arg-type]
    )
    design = MineDesign(
        Mechanism(sd_failure, sd_timing), sda, correlation or Independent(), entry.model
    )
    return design, tuple(notes)


@dataclass(frozen=True)
class StrikeRisk:
    """The residual-hazard figures of one strike on one date.

    Examples
    --------
    >>> from minewatch.analysis.residual.design import BetaBelief
    >>> design, _ = design_for_device("PFM-1S", sd_failure=BetaBelief(2, 38),
    ...                               no_self_deactivation=True)
    >>> strike = ScatterableStrike(code="STR-000001", mine_type="PFM-1S", mine_count=200,
    ...                            laid_at=datetime(2024, 3, 1, 6, tzinfo=UTC),
    ...                            self_destruct_period_hours=24.0)
    >>> risk = assess_strike(strike, design, as_of=datetime(2024, 4, 1, tzinfo=UTC))
    >>> round(risk.expected_live, 2), [round(x, 2) for x in risk.expected_live_interval]
    (10.0, [1.25, 26.95])
    >>> risk.method
    'closed form'
    """

    strike_code: str | None
    as_of: datetime
    days_since_emplacement: float
    mines: int
    expected_live: float
    expected_live_interval: tuple[float, float]
    prob_any_live: float
    prob_any_live_interval: tuple[float, float]
    clear_after: ThresholdTime | None
    level: float
    method: str

    def describe(self) -> str:
        lo, hi = self.expected_live_interval
        plo, phi = self.prob_any_live_interval
        pct = f"{self.level:.0%}"
        text = (
            f"residual-hazard model, {self.days_since_emplacement:.1f} days after emplacement "
            f"of {self.mines} mines: expected live {self.expected_live:.3g} "
            f"({pct} credible {lo:.3g}–{hi:.3g}); P(at least one live) {self.prob_any_live:.3g} "
            f"({pct} credible {plo:.3g}–{phi:.3g}); {self.method}"
        )
        if self.clear_after is not None:
            days = self.clear_after.days
            when = "never" if math.isinf(days) else f"after {days:.1f} days"
            text += f"; P(at least one live) < {self.clear_after.threshold:g} {when}"
        return text


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def assess_strike(
    strike: ScatterableStrike,
    design: MineDesign,
    as_of: datetime,
    settings: ResidualSettings | None = None,
) -> StrikeRisk:
    """Residual-hazard figures of a recorded strike on ``as_of``.

    Examples
    --------
    >>> from minewatch.analysis.residual.design import BetaBelief
    >>> design, _ = design_for_device("PFM-1S", sd_failure=BetaBelief(2, 38),
    ...                               no_self_deactivation=True)
    >>> strike = ScatterableStrike(code="STR-000001", mine_type="PFM-1S", mine_count=200,
    ...                            laid_at=datetime(2024, 3, 1, 6, tzinfo=UTC),
    ...                            self_destruct_period_hours=24.0)
    >>> risk = assess_strike(strike, design, as_of=datetime(2024, 3, 2, 6, tzinfo=UTC))
    >>> risk.days_since_emplacement, round(risk.prob_any_live, 3)
    (1.0, 1.0)
    >>> assess_strike(strike, design, as_of=datetime(2024, 1, 1, tzinfo=UTC))
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field as_of: the assessment date is before the strike
    """
    settings = settings or ResidualSettings()
    where = Location(row=strike.code)
    if strike.mine_count is None or strike.laid_at is None:
        field = "mine_count" if strike.mine_count is None else "laid_at"
        raise InvalidInput(f"strike needs {field} for a residual-hazard figure", where)
    days = (_aware(as_of) - _aware(strike.laid_at)).total_seconds() / 86_400.0
    if days < 0:
        raise InvalidInput("the assessment date is before the strike", Location(field="as_of"))
    model_strike = Strike(strike.mine_count, design)
    curve = decay_curve(
        model_strike,
        [days],
        settings.credible_level,
        draws=settings.monte_carlo_draws,
        seed=settings.seed,
    )
    clear_after = None
    if isinstance(design.correlation, Independent):
        clear_after = time_until_below(
            model_strike, settings.any_live_threshold, settings.credible_level
        )
    return StrikeRisk(
        strike_code=strike.code,
        as_of=_aware(as_of),
        days_since_emplacement=days,
        mines=strike.mine_count,
        expected_live=float(curve.expected_live[0]),
        expected_live_interval=(
            float(curve.expected_live_lower[0]),
            float(curve.expected_live_upper[0]),
        ),
        prob_any_live=float(curve.prob_any_live[0]),
        prob_any_live_interval=(
            float(curve.prob_any_live_lower[0]),
            float(curve.prob_any_live_upper[0]),
        ),
        clear_after=clear_after,
        level=settings.credible_level,
        method=curve.method,
    )


def design_for_strike(strike: ScatterableStrike, design: MineDesign) -> MineDesign:
    """The design with the strike's recorded self-destruct period as its SD timer, when the
    strike records one (para. 1(b) records the period set at laying).

    Examples
    --------
    >>> from minewatch.analysis.residual.design import BetaBelief
    >>> design, _ = design_for_device("PFM-1S", sd_failure=BetaBelief(2, 38),
    ...                               no_self_deactivation=True)
    >>> strike = ScatterableStrike(code="STR-000001", mine_type="PFM-1S", mine_count=200,
    ...                            laid_at=datetime(2024, 3, 1, 6, tzinfo=UTC),
    ...                            self_destruct_period_hours=24.0)
    >>> design_for_strike(strike, design).self_destruct.timing   # the recorded 24 hours
    FixedTime(days=1.0)
    """
    if strike.self_destruct_period_hours is None:
        return design
    sd = Mechanism(
        design.self_destruct.failure, FixedTime(strike.self_destruct_period_hours / HOURS_PER_DAY)
    )
    return MineDesign(sd, design.self_deactivation, design.correlation, design.name)


@dataclass(frozen=True)
class RecordedHazard:
    """What :func:`record_strike_hazard` did: the figures and the reports it drafted.

    Examples
    --------
    >>> from shapely import box
    >>> from minewatch.analysis.residual.design import BetaBelief
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.domain.reports import ReportState
    >>> from minewatch.services.records import Draft, Workflow
    >>> from minewatch.store import open_store
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> strike = Draft(Kind.SCATTERABLE_STRIKE, {"mine_count": 200, "laid_at": "2024-03-01T06:00:00Z"},
    ...                date(2024, 3, 1), box(30, -1, 30.01, -0.99))
    >>> _ = wf.create_drafts([strike], state=ReportState.APPROVED)
    >>> design, _ = design_for_device("PFM-1S", sd_failure=BetaBelief(2, 38),
    ...                               no_self_deactivation=True)
    >>> first = record_strike_hazard(wf, "STR-000001", design, as_of=datetime(2024, 6, 1, tzinfo=UTC))
    >>> first.created, first.area_report.item_code, first.strike_report.changes
    (True, 'HA-000001', {'hazardous_area_code': 'HA-000001'})
    >>> for report in (first.area_report, first.strike_report):
    ...     _ = wf.approve(report.code)
    >>> again = record_strike_hazard(wf, "STR-000001", design, as_of=datetime(2025, 6, 1, tzinfo=UTC))
    >>> again.created, again.area_report.action, again.area_report.item_code
    (False, <ReportAction.UPDATE: 'update'>, 'HA-000001')
    """

    risk: StrikeRisk
    area_report: Report
    strike_report: Report | None
    created: bool


def _linked_area(workflow: Workflow, strike: ScatterableStrike) -> HazardousArea | None:
    if strike.hazardous_area_code:
        item = workflow.get_item(Kind.HAZARDOUS_AREA, strike.hazardous_area_code)
        return item if isinstance(item, HazardousArea) else None
    found = workflow.list_items(
        ItemQuery(Kind.HAZARDOUS_AREA, where={"strike_code": strike.code}, limit=1)
    )
    return found[0] if found and isinstance(found[0], HazardousArea) else None


def record_strike_hazard(
    workflow: Workflow,
    strike_ref: str,
    design: MineDesign,
    *,
    as_of: datetime,
    settings: ResidualSettings | None = None,
    use_recorded_period: bool = True,
    submit: bool = True,
) -> RecordedHazard:
    """Assess a stored strike and draft the report that puts its residual risk on a suspected
    hazardous area over its footprint: a new SHA (and a report linking the strike to it), or an
    update of the area already linked to the strike. Reports are submitted unless
    ``submit=False``; approval stays with a reviewer.

    Examples
    --------
    >>> from shapely import box
    >>> from minewatch.analysis.residual.design import BetaBelief
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.domain.reports import ReportState
    >>> from minewatch.services.records import Draft, Workflow
    >>> from minewatch.store import open_store
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> strike = Draft(Kind.SCATTERABLE_STRIKE, {"mine_count": 200, "laid_at": "2024-03-01T06:00:00Z"},
    ...                date(2024, 3, 1), box(30, -1, 30.01, -0.99))
    >>> _ = wf.create_drafts([strike], state=ReportState.APPROVED)
    >>> design, _ = design_for_device("PFM-1S", sd_failure=BetaBelief(2, 38),
    ...                               no_self_deactivation=True)
    >>> recorded = record_strike_hazard(wf, "STR-000001", design, submit=False,
    ...                                 as_of=datetime(2024, 6, 1, tzinfo=UTC))
    >>> recorded.area_report.state, round(recorded.area_report.changes["residual_risk"], 2)
    (<ReportState.DRAFT: 'draft'>, 10.0)
    """
    item = workflow.get_item(Kind.SCATTERABLE_STRIKE, strike_ref)
    if not isinstance(item, ScatterableStrike):  # pragma: no cover - the store returns the kind
        raise InvalidInput(f"{strike_ref} is not a scatterable strike")
    if item.geometry is None:
        raise InvalidInput(f"strike {item.code} has no footprint", Location(field="geometry"))
    if use_recorded_period:
        design = design_for_strike(item, design)
    risk = assess_strike(item, design, as_of, settings)
    area = _linked_area(workflow, item)
    changes: dict[str, object] = {
        "residual_risk": risk.expected_live,
        "strike_code": item.code,
        "description": risk.describe(),
    }
    if area is None:
        changes |= {
            "name": f"Strike {item.code} footprint",
            "classification": HazardClass.SHA.value,
            "status": HazardStatus.OPEN.value,
            "hazard_types": [HazardType.AP_MINES.value],
            "evidence": [
                {"type": EvidenceType.STRIKE_RECORD.value, "source": EvidenceSource.RECORDS.value}
            ],
        }
    doi: date = risk.as_of.date()
    area_report = workflow.create_draft(
        Kind.HAZARDOUS_AREA,
        changes,
        item.geometry if area is None else None,
        date_of_information=doi,
        item_ref=area.code if area else None,
        source=f"residual-hazard model for strike {item.code}",
    )
    strike_report = None
    if area is None:
        strike_report = workflow.create_draft(
            Kind.SCATTERABLE_STRIKE,
            {"hazardous_area_code": area_report.item_code},
            date_of_information=doi,
            item_ref=item.code,
            source="link to the hazardous area of its residual-hazard figure",
        )
    if submit:
        area_report = workflow.submit(area_report.code or "")
        if strike_report is not None:
            strike_report = workflow.submit(strike_report.code or "")
    return RecordedHazard(risk, area_report, strike_report, area is None)
