"""Migrating the SYNTHETIC IMSMA NG maXML export (tests/io/migration/imsma_ng, built from
GICHD's published wiki pages): the plan proposes kinds, fields, values and links for land,
activities, accidents with victims, education and QM; the run lands them with their own
Dates of Information, victims under their accidents, the rest kept as extra; a re-run adds
nothing; on both stores."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from minewatch.domain.access import local_admin
from minewatch.domain.records import Kind
from minewatch.io.migration.mapping import load_migration_mapping
from minewatch.services.migration import migrate, plan_migration, store_counts, write_report
from minewatch.services.records import Workflow
from minewatch.store import ItemQuery, SqlRepository

SAMPLES = Path(__file__).parents[2] / "io" / "migration" / "imsma_ng"


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("imsma_ng") / "mapping.toml"
    plan_migration(SAMPLES, out)
    return out


def test_plan_proposes_kinds_fields_values_and_links(planned: Path) -> None:
    mapping = load_migration_mapping(planned)
    kinds = {name: t.kind.value if t.kind else None for name, t in mapping.tables.items()}
    assert kinds == {
        "Location": "location",
        "Hazard": "hazardous_area",
        "HazardReduction": "land_release_activity",
        "Accident": "accident",
        "Victim": "victim",
        "MREActivity": "risk_education_session",
        "QAActivity": "quality_management_visit",
        "VictimAssistance": "victim_assistance",  # not taken for victims
        "Ordnance": None,  # a classification: its names translate the references
        "Organisation": "organisation",
        "HazardReduction.Ordnance": "device_find",
        "Accident.attachment": None,
    }
    hazard = mapping.tables["Hazard"]
    assert hazard.key == "hazard_guid" and hazard.date_of_information == "ReportingDate"
    fields = {k: v.column for k, v in hazard.fields.items()}
    assert fields == {
        "name": "hazard_name",
        "classification": "classification",
        "status": "status",
        "hazard_types": "type_of_contamination",
        "reported_area_m2": "estimated_area",
    }
    assert hazard.fields["status"].values == {"Active": "open"}  # IMSMA NG's base term
    assert hazard.fields["hazard_types"].separator == ";"
    links = {n: (t.link.parent, t.link.field) for n, t in mapping.tables.items() if t.link}
    assert links == {
        "Hazard": ("Location", "location_code"),
        "HazardReduction": ("Hazard", "hazardous_area_code"),
        "Accident": ("Hazard", "hazardous_area_code"),
        "Victim": ("Accident", "accident_code"),
        "MREActivity": ("Location", "location_code"),
        "QAActivity": ("HazardReduction", "activity_code"),
        "HazardReduction.Ordnance": ("HazardReduction", "activity_code"),
        "VictimAssistance": ("Victim", "victim_code"),
    }
    victim = mapping.tables["Victim"].fields
    assert {k: v.column for k, v in victim.items()} == {
        "victim_type": "victim_type",
        "sex": "gender",
        "age": "age",
        "outcome": "killed_injured",
    }
    assert mapping.tables["MREActivity"].fields["session_date"].column == "education_date"
    assert mapping.tables["QAActivity"].fields["visit_date"].column == "qa_date"


def test_run_lands_dates_links_and_extras_and_reruns_add_nothing(
    planned: Path, store: SqlRepository, tmp_path: Path
) -> None:
    workflow = Workflow(store, local_admin("amina"))
    outcome = migrate(workflow, SAMPLES, planned)
    landed = {t.table: (t.read, t.landed, len(t.rejected)) for t in outcome.tables}
    assert landed["Victim"] == (3, 3, 0) and landed["Hazard"] == (2, 2, 0)
    assert outcome.landed == 16 and not outcome.rejected
    assert outcome.attachments == ["Accident.attachment"]

    hazards = {h.external_id: h for h in workflow.list_items(ItemQuery(Kind.HAZARDOUS_AREA))}
    ridge = hazards["Hazard:5E7A0002-0000-4000-8000-000000000001"]
    assert ridge.date_of_information == date(2014, 3, 14)  # the form's ReportingDate
    assert ridge.status.value == "open" and ridge.classification.value == "SHA"
    assert [t.value for t in ridge.hazard_types] == ["ap_mines", "uxo_axo"]
    assert ridge.reported_area_m2 == 12500.0 and ridge.location_code == "LOC-000001"
    assert ridge.extra["marking_method"] == "Official Signs; Local Signs"
    assert ridge.extra["landowner_informed"] == "Yes"  # a custom defined field
    assert ridge.extra["Organisation.org_guid"] == "Synthetic Demining NGO"  # through aux data
    assert ridge.extra["VerifiedBy"] == "Synthetic Officer B"

    accidents = {a.external_id: a for a in workflow.list_items(ItemQuery(Kind.ACCIDENT))}
    herder = accidents["Accident:5E7A0004-0000-4000-8000-000000000001"]
    assert herder.hazardous_area_code == ridge.code and herder.during_demining is False
    assert herder.extra["Location_guid"] == "{5E7A0001-0000-4000-8000-000000000001}"
    victims = workflow.list_items(ItemQuery(Kind.VICTIM))
    by_accident = sorted((v.accident_code, v.age) for v in victims)
    codes = {a.external_id.split(":")[1][-1]: a.code for a in accidents.values()}
    assert by_accident == [(codes["1"], 12), (codes["1"], 34), (codes["2"], 41)]
    # The second victim's form has no Date of Information: it takes its accident's.
    girl = next(v for v in victims if v.age == 12)
    assert girl.date_of_information == herder.date_of_information == date(2013, 9, 5)

    finds = workflow.list_items(ItemQuery(Kind.DEVICE_FIND))
    assert sorted(f.quantity for f in finds) == [1, 3]
    assert {f.extra["ordnance_guid"] for f in finds} == {
        "Synthetic AP blast mine type 1",
        "Synthetic mortar bomb type 2",
    }
    (assisted,) = workflow.list_items(ItemQuery(Kind.VICTIM_ASSISTANCE))
    assert assisted.victim_code == next(v.code for v in victims if v.age == 34)
    qm = workflow.list_items(ItemQuery(Kind.QUALITY_MANAGEMENT_VISIT))[0]
    assert qm.activity_code == workflow.list_items(ItemQuery(Kind.LAND_RELEASE_ACTIVITY))[0].code

    report = write_report(outcome, tmp_path / "report.json")
    assert store_counts(store, report) == {
        t["table"]: t["landed"] for t in report["tables"] if t["kind"] is not None
    }
    again = migrate(workflow, SAMPLES, planned)
    assert again.landed == 0
    assert sum(len(t.skipped) for t in again.tables) == 16


def test_staging_area_tables_link_by_their_guid_columns(tmp_path: Path) -> None:
    """IMSMA NG's staging area as a workbook (SYNTHETIC rows; its shape — one table per item,
    ``hazard_localid``, single selects as ``*_enum`` — from GICHD's "IMSMA Staging Area"
    page): an accident's ``hazard_guid`` and a victim's ``accident_guid`` are found as links
    by content, whatever the braces and case."""
    import pandas as pd

    from minewatch.store import open_store

    hazard = "5e7a0002-0000-4000-8000-00000000000a"
    accident = "5E7A0004-0000-4000-8000-00000000000A"
    with pd.ExcelWriter(tmp_path / "staging.xlsx") as book:
        pd.DataFrame(
            {"hazard_guid": [f"{{{hazard}}}"], "hazard_localid": ["H-1"], "status_enum": ["Open"]}
        ).to_excel(book, sheet_name="HAZARD", index=False)
        pd.DataFrame(
            {
                "accident_guid": [accident],
                "hazard_guid": [hazard.upper()],
                "accident_date": ["2015-01-01"],
            }
        ).to_excel(book, sheet_name="ACCIDENT", index=False)
        pd.DataFrame(
            {
                "victim_guid": ["5E7A0005-0000-4000-8000-00000000000A"],
                "accident_guid": [f"{{{accident.lower()}}}"],
                "gender": ["Female"],
            }
        ).to_excel(book, sheet_name="VICTIM", index=False)
    plan = plan_migration(tmp_path / "staging.xlsx", tmp_path / "staging.toml")
    links = {t.table.name: t.link for t in plan.tables}
    assert links == {
        "HAZARD": None,
        "ACCIDENT": ("HAZARD", "hazardous_area_code"),
        "VICTIM": ("ACCIDENT", "accident_code"),
    }
    workflow = Workflow(open_store(str(tmp_path / "s.gpkg"), create=True), local_admin())
    migrate(workflow, tmp_path / "staging.xlsx", tmp_path / "staging.toml")
    (victim,) = workflow.list_items(ItemQuery(Kind.VICTIM))
    (crash,) = workflow.list_items(ItemQuery(Kind.ACCIDENT))
    assert victim.accident_code == crash.code and crash.hazardous_area_code == "HA-000001"


def test_a_rejected_form_is_named_by_its_file_and_line(tmp_path: Path) -> None:
    from minewatch.store import open_store

    (tmp_path / "victims.xml").write_text(
        "<MineActionFieldReport>\n<FieldReport>\n<Victim><victim_guid>V1</victim_guid>"
        "<age>34</age></Victim>\n</FieldReport>\n<FieldReport>\n"
        "<Victim><victim_guid>V2</victim_guid><age>-3</age></Victim>\n</FieldReport>\n"
        "</MineActionFieldReport>\n"
    )
    plan_migration(tmp_path / "victims.xml", tmp_path / "victims.toml")
    workflow = Workflow(open_store(str(tmp_path / "v.gpkg"), create=True), local_admin())
    outcome = migrate(workflow, tmp_path / "victims.xml", tmp_path / "victims.toml", dry_run=True)
    (rejected,) = outcome.rejected
    assert str(rejected).startswith("victims.xml/Victim (victims.xml line 6), row 2, field age:")


def test_later_forms_of_one_item_land_as_its_later_reports(
    tmp_path: Path, store: SqlRepository
) -> None:
    """Two forms for the same Land (SYNTHETIC), the later one first in the file: the earlier
    by Date of Information creates it, the later updates it with its own date; a blank in
    the later form changes nothing."""

    guid = "{5E7A0002-0000-4000-8000-0000000000AA}"
    form = (
        "<FieldReport><FieldReportInfo><ReportingDate>{doi}</ReportingDate></FieldReportInfo>"
        "<Hazard><hazard_guid>{guid}</hazard_guid>{name}<status>{status}</status></Hazard>"
        "</FieldReport>"
    )
    (tmp_path / "land.xml").write_text(
        "<MineActionFieldReport>"
        + form.format(doi="2018-06-01", guid=guid.lower(), name="", status="Closed")
        + form.format(
            doi="2014-03-14", guid=guid, name="<hazard_name>Ridge</hazard_name>", status="Active"
        )
        + "</MineActionFieldReport>"
    )
    plan_migration(tmp_path / "land.xml", tmp_path / "land.toml")
    mapping = load_migration_mapping(tmp_path / "land.toml")
    assert mapping.tables["Hazard"].repeated_key == "later_report"
    workflow = Workflow(store, local_admin())
    outcome = migrate(workflow, tmp_path / "land.xml", tmp_path / "land.toml")
    (table,) = outcome.tables
    assert (table.read, table.landed, table.updated, table.accounted) == (2, 1, 1, 2)
    (land,) = workflow.list_items(ItemQuery(Kind.HAZARDOUS_AREA))
    assert land.status.value == "closed" and land.name == "Ridge"
    history = workflow.history(Kind.HAZARDOUS_AREA, land.code)
    assert [(e.report.date_of_information, e.state.status.value) for e in history] == [
        (date(2014, 3, 14), "open"),
        (date(2018, 6, 1), "closed"),
    ]
    assert history[1].report.external_id == f"Hazard:{guid[1:-1]}#2"
    again = migrate(workflow, tmp_path / "land.xml", tmp_path / "land.toml")
    assert (again.tables[0].landed, again.tables[0].updated, len(again.tables[0].skipped)) == (
        0,
        0,
        2,
    )
