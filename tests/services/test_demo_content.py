"""The SYNTHETIC demo shows each page at its best: areas fully and partly released, and a
report waiting for review whose geometry was repaired on entry, everything marked synthetic."""

from __future__ import annotations

from pathlib import Path

from minewatch.domain.access import local_admin
from minewatch.domain.queries import ReportQuery
from minewatch.domain.reports import ReportState
from minewatch.services import landrelease
from minewatch.services.demo import SYNTHETIC_NOTE, load_demo
from minewatch.services.records import Workflow
from minewatch.store import open_store


def test_demo_has_released_partly_released_and_a_repaired_report_to_review(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "demo.gpkg"), create=True)
    workflow = Workflow(store, local_admin())
    load_demo(workflow, areas=6)
    progress = {row["progress"] for row in landrelease.area_balances(store).rows}
    assert {"released", "partly_released", "not_released"} <= progress
    queue = workflow.list_reports(ReportQuery(state=ReportState.SUBMITTED))
    repaired = [r for r in queue if any(n.startswith("repaired") for n in r.notes)]
    # a new area sketched by hand and a resurvey of HA-000003, both with crossing outlines
    assert len(repaired) == 2
    [report] = [r for r in repaired if r.changes.get("name")]
    assert "synthetic" in str(report.changes["name"]).lower()
    assert report.source == SYNTHETIC_NOTE
    assert "0 m² →" in " ".join(report.notes)  # the areas before and after the repair


def test_demo_context_layers_give_priorities_something_to_measure(tmp_path: Path) -> None:
    from datetime import date

    from minewatch.services.context import load_configuration
    from minewatch.services.demo_context import write_demo_context
    from minewatch.services.priority import (
        PriorityInputs,
        PriorityRequest,
        rank_store,
        with_context,
    )

    store = open_store(str(tmp_path / "demo.gpkg"), create=True)
    load_demo(Workflow(store, local_admin()), areas=6)
    folder = write_demo_context(tmp_path / "demo-context")
    config = load_configuration(folder / "national.toml").priority
    inputs = with_context(PriorityInputs(), config)  # as the server does
    request = PriorityRequest(config=config, inputs=inputs, as_of=date(2025, 1, 1))
    ranked = rank_store(store, request)
    for indicator in ("population", "settlement_distance_m", "road_distance_m"):
        assert ranked[indicator].notna().all(), indicator
    assert ranked["population"].nunique() > 1  # the scores differ by place, not all "low"
    assert ranked["score"].nunique() == len(ranked)


def test_the_demo_local_impact_bands_spread_from_low_to_high(tmp_path: Path) -> None:
    """Every band of the Local Impact Survey occurs in the SYNTHETIC demo, from its own data
    (people and resources around each area, recent casualties), not from tuned thresholds:
    the Priorities page shows differences."""
    from datetime import date

    from minewatch.domain.access import local_admin as admin
    from minewatch.services.context import load_configuration
    from minewatch.services.demo_context import write_demo_context
    from minewatch.services.priority import (
        PriorityInputs,
        PriorityRequest,
        rank_store,
        with_context,
    )

    store = open_store(str(tmp_path / "demo.gpkg"), create=True)
    load_demo(Workflow(store, admin()))
    config = load_configuration(write_demo_context(tmp_path / "ctx") / "national.toml").priority
    shipped = load_configuration(None).priority
    assert config.lis == shipped.lis  # the shipped bands and points
    request = PriorityRequest(config=config, inputs=with_context(PriorityInputs(), config),
                              as_of=date(2025, 6, 1))  # fmt: skip
    bands = rank_store(store, request)["lis_band"].value_counts().to_dict()
    assert set(bands) == {"low", "medium", "high"}, bands
    assert bands["high"] < bands["medium"] and bands["low"] > 1, bands


def test_demo_tasks_are_ranked_and_survivors_assisted(tmp_path: Path) -> None:
    """The demo's task orders carry the prioritisation's rank of their areas on the day they
    were issued (what ``task issue`` gives, never blank), and its injured survivors have
    SYNTHETIC victim assistance records, so the coverage table and Article 7's victim
    assistance section have rows."""
    from minewatch.domain.records import Kind, TaskOrder, Victim, VictimAssistance
    from minewatch.domain.treaty.article7 import form_spec
    from minewatch.services.accounts import Accounts
    from minewatch.services.article7_people import victims_form
    from minewatch.services.assistance import coverage_table
    from minewatch.services.audited import AuditedWorkflow
    from minewatch.services.priority import configured
    from minewatch.services.tasking import ranked_priority
    from minewatch.store import ItemQuery

    store = open_store(str(tmp_path / "demo.gpkg"), create=True)
    load_demo(Workflow(store, local_admin()), areas=6)
    tasks = [t for t in store.iter_items(ItemQuery(Kind.TASK_ORDER)) if isinstance(t, TaskOrder)]
    assert tasks and all(t.priority_rank is not None and t.priority_scenario for t in tasks)
    for task in tasks:
        assert task.issue_date is not None
        again = ranked_priority(
            store, task.hazardous_area_codes, configured(), as_of=task.issue_date
        )
        assert task.priority_rank == again.rank

    assisted = [
        r for r in store.iter_items(ItemQuery(Kind.VICTIM_ASSISTANCE))
        if isinstance(r, VictimAssistance)
    ]  # fmt: skip
    injured = {
        v.code for v in store.iter_items(ItemQuery(Kind.VICTIM))
        if isinstance(v, Victim) and v.outcome is not None and v.outcome.value == "injured"
    }  # fmt: skip
    assert {r.victim_code for r in assisted} == injured
    assert all("synthetic" in (s.provider or "").lower() for r in assisted for s in r.services)
    reports = {r.item_code: r for r in Workflow(store, local_admin()).list_reports(
        ReportQuery(kind=Kind.VICTIM_ASSISTANCE))}  # fmt: skip
    assert {r.source for r in reports.values()} == {SYNTHETIC_NOTE}
    wf = AuditedWorkflow(store, local_admin(), Accounts(store))
    stages = {(r["stage"]) for r in coverage_table(wf)["rows"] if r["assistance_type"] == "any"}
    assert stages == {"needed", "referred", "received"}
    form = victims_form(wf, form_spec("apmbc", "J"), "apmbc", 2023)
    assert not [n for n in form.notes if n.startswith("Victim assistance: not recorded")]
    assert any(t.title == "Victim assistance" and t.rows for t in form.tables)
