"""Migrating what a national authority keeps beside its land and casualty records (issue 18),
from the SYNTHETIC IMSMA Core-shaped File Geodatabase (build_filegdb.py --authority): the
plan proposes Tasks as task orders linked to their hazards, Accreditations (organisation
certificates) linked to their organisation, VictimAssistance linked to its victim, with
fields and values; the run lands them, and a re-run adds nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from minewatch.domain.access import local_admin
from minewatch.domain.records import Accreditation, Kind, TaskOrder, VictimAssistance
from minewatch.io.migration.mapping import load_migration_mapping
from minewatch.services.migration import migrate, plan_migration
from minewatch.services.records import Workflow
from minewatch.store import ItemQuery, SqlRepository


def test_tasks_accreditations_and_assistance_are_proposed_and_land(
    filegdb_authority: Path, store: SqlRepository, tmp_path: Path
) -> None:
    plan_migration(filegdb_authority, tmp_path / "mapping.toml")
    mapping = load_migration_mapping(tmp_path / "mapping.toml")
    tables = mapping.tables
    kinds = {n: t.kind.value if t.kind else None for n, t in tables.items()}
    assert {n: kinds[n] for n in ("Tasks", "Accreditations", "VictimAssistance")} == {
        "Tasks": "task_order",
        "Accreditations": "accreditation",
        "VictimAssistance": "victim_assistance",
    }
    links = {n: (t.link.parent, t.link.field) for n, t in tables.items() if t.link}
    assert links["Tasks"] == ("Hazards", "hazardous_area_codes")
    assert links["Accreditations"] == ("Organisations", "organisation_code")
    assert links["VictimAssistance"] == ("Victims", "victim_code")
    tasks = {k: v.column for k, v in tables["Tasks"].fields.items()}
    assert tasks["status"] == "task_status" and tasks["priority_rank"] == "priority"
    assert tables["Tasks"].fields["status"].values == {
        "Completed": "completed",
        "Ongoing": "in_progress",
    }
    certificate = tables["Accreditations"].fields
    assert certificate["valid_until"].column == "expiry_date"
    assert certificate["certificate_reference"].column == "cert_no"
    assert certificate["methods"].values == {"Manual": "manual", "MDD": "animal_detection"}

    workflow = Workflow(store, local_admin("amina"))
    outcome = migrate(workflow, filegdb_authority, tmp_path / "mapping.toml")
    assert not outcome.rejected
    hazards = {h.external_id: h.code for h in workflow.list_items(ItemQuery(Kind.HAZARDOUS_AREA))}
    orders = sorted(
        (t for t in workflow.list_items(ItemQuery(Kind.TASK_ORDER)) if isinstance(t, TaskOrder)),
        key=lambda t: t.issue_date or date.min,
    )
    assert [(t.status.value, t.priority_rank, t.issue_date) for t in orders] == [
        ("completed", 1, date(2019, 4, 1)),
        ("in_progress", 2, date(2021, 7, 1)),
    ]
    assert orders[0].hazardous_area_codes == (hazards["Hazards:HAZ-001"],)
    [accreditation] = workflow.list_items(ItemQuery(Kind.ACCREDITATION))
    assert isinstance(accreditation, Accreditation)
    [organisation] = workflow.list_items(ItemQuery(Kind.ORGANISATION))
    assert accreditation.organisation_code == organisation.code
    assert [m.value for m in accreditation.methods] == ["manual", "animal_detection"]
    assert (accreditation.valid_from, accreditation.valid_until) == (
        date(2019, 1, 1),
        date(2021, 12, 31),
    )
    assert accreditation.certificate_reference == "SYN/ACC/2019/07"
    [assisted] = workflow.list_items(ItemQuery(Kind.VICTIM_ASSISTANCE))
    assert isinstance(assisted, VictimAssistance) and assisted.follow_up_status.value == "closed"
    victims = {v.code for v in workflow.list_items(ItemQuery(Kind.VICTIM))}
    assert assisted.victim_code in victims

    again = migrate(workflow, filegdb_authority, tmp_path / "mapping.toml")
    assert again.landed == 0
