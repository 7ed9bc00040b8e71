"""A strike's residual risk reaches the hazardous-area register through reports (both backends).
The strike below is synthetic."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from shapely import box

from minewatch.analysis.residual.design import (
    BetaBelief,
    FixedTime,
    KnownProbability,
    LotVariation,
    Mechanism,
    MineDesign,
    UniformTime,
)
from minewatch.domain.access import Actor, Role
from minewatch.domain.records import HazardousArea, Kind, ScatterableStrike
from minewatch.domain.reports import ReportState
from minewatch.errors import InvalidInput, NotFound
from minewatch.services.records import Draft, Workflow
from minewatch.services.residual import (
    assess_strike,
    design_for_device,
    record_strike_hazard,
)

FOOTPRINT = box(36.20, 49.90, 36.23, 49.92)
LAID = datetime(2024, 3, 1, 6, 0, tzinfo=UTC)
DESIGN = MineDesign(
    Mechanism(KnownProbability(0.1), FixedTime(2.0)),
    Mechanism(KnownProbability(0.01), FixedTime(120.0)),
)


def add_strike(workflow: Workflow, **fields: object) -> str:
    values = {"mine_type": "PFM-1S", "mine_count": 1000, "laid_at": LAID.isoformat()} | fields
    report = workflow.create_drafts(
        [Draft(Kind.SCATTERABLE_STRIKE, values, LAID.date(), FOOTPRINT)],
        state=ReportState.APPROVED,
    )[0]
    return report.item_code or ""


def approve(store_workflow: Workflow, code: str | None) -> None:
    reviewer = Workflow(store_workflow.store, Actor("reviewer-2", Role.REVIEWER))
    reviewer.approve(code or "")


def test_strike_creates_then_updates_its_suspected_hazardous_area(workflow: Workflow) -> None:
    code = add_strike(workflow)
    first = record_strike_hazard(workflow, code, DESIGN, as_of=datetime(2024, 3, 21, tzinfo=UTC))
    assert first.created and first.area_report.state is ReportState.SUBMITTED
    assert first.risk.expected_live == pytest.approx(100.0)  # 10% of 1000 failed to SD
    with pytest.raises(NotFound):  # nothing changes before approval
        workflow.get_item(Kind.HAZARDOUS_AREA, first.area_report.item_code or "")
    approve(workflow, first.area_report.code)
    approve(workflow, first.strike_report.code if first.strike_report else None)
    area = workflow.get_item(Kind.HAZARDOUS_AREA, first.area_report.item_code or "")
    assert isinstance(area, HazardousArea)
    assert area.residual_risk == pytest.approx(100.0) and area.strike_code == code
    assert area.classification.value == "SHA" and area.geometry is not None
    assert area.geometry.equals(FOOTPRINT)
    strike = workflow.get_item(Kind.SCATTERABLE_STRIKE, code)
    assert isinstance(strike, ScatterableStrike) and strike.hazardous_area_code == area.code

    later = record_strike_hazard(workflow, code, DESIGN, as_of=datetime(2024, 9, 1, tzinfo=UTC))
    assert not later.created and later.area_report.item_code == area.code
    assert later.strike_report is None
    approve(workflow, later.area_report.code)
    updated = workflow.get_item(Kind.HAZARDOUS_AREA, area.code or "")
    assert isinstance(updated, HazardousArea)
    assert updated.residual_risk == pytest.approx(1.0)  # 0.1 × 0.01 × 1000 after day 120
    assert updated.version == 2 and "P(at least one live)" in (updated.description or "")


def test_recorded_self_destruct_period_sets_the_timer(workflow: Workflow) -> None:
    code = add_strike(workflow, self_destruct_period_hours=24 * 10)
    early = record_strike_hazard(
        workflow, code, DESIGN, as_of=datetime(2024, 3, 6, 6, tzinfo=UTC), submit=False
    )
    assert early.risk.expected_live == pytest.approx(1000.0)  # day 5: timer set at day 10
    assert early.area_report.state is ReportState.DRAFT


def test_strike_without_count_or_footprint_is_refused(workflow: Workflow) -> None:
    code = add_strike(workflow, mine_count=None)
    with pytest.raises(InvalidInput, match="mine_count"):
        record_strike_hazard(workflow, code, DESIGN, as_of=datetime(2024, 4, 1, tzinfo=UTC))
    with pytest.raises(NotFound):
        record_strike_hazard(workflow, "STR-999999", DESIGN, as_of=datetime(2024, 4, 1, tzinfo=UTC))


def test_assessment_under_lot_correlation_uses_monte_carlo() -> None:
    strike = ScatterableStrike(code="STR-1", mine_count=300, laid_at=LAID, geometry=FOOTPRINT)
    lots = MineDesign(DESIGN.self_destruct, DESIGN.self_deactivation, LotVariation(30, 0.3, 0.3))
    risk = assess_strike(strike, lots, datetime(2024, 3, 11, tzinfo=UTC))
    assert risk.method == "monte carlo" and risk.clear_after is None
    assert abs(risk.expected_live - 30.0) < 2.0


def test_catalogue_device_needs_user_inputs_where_no_source_gives_them() -> None:
    with pytest.raises(InvalidInput, match="sd_failure"):
        design_for_device("PFM-1S", no_self_deactivation=True)
    design, notes = design_for_device(
        "pfm-1s", sd_failure=BetaBelief(2, 38), no_self_deactivation=True
    )
    assert isinstance(design.self_destruct.timing, UniformTime)
    assert design.self_destruct.timing.high == pytest.approx(40 / 24)
    assert any("wikipedia" in n.lower() for n in notes) and design.self_deactivation.is_absent
    with pytest.raises(InvalidInput, match="sda_failure"):
        design_for_device("PFM-1S", sd_failure=BetaBelief(2, 38))
    with pytest.raises(NotFound, match="known"):
        design_for_device("XYZ-9")
