"""Field submissions into the workflow, and out again as open data (SYNTHETIC exports)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from minewatch.cli import _register_commands, app
from minewatch.domain.access import Actor, Role
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.errors import PermissionDenied
from minewatch.forms.definitions import all_definitions
from minewatch.services.intake import import_submissions, shipped_forms
from minewatch.services.publish import publish_package
from minewatch.services.records import Workflow
from minewatch.store import ReportQuery, SqlRepository, open_store


@pytest.mark.usefixtures("synthetic_places")
def test_each_submission_becomes_drafts_once(
    sf: ModuleType, workflow: Workflow, tmp_path: Path
) -> None:
    first = import_submissions(workflow, sf.kobo_accident_xlsx(tmp_path), keep_going=True)
    assert len(first.created) == 3 and len(first.rejected) == 2
    accident = next(r for r in first.created if r.kind is Kind.ACCIDENT)
    assert accident.external_id == sf.ACCIDENT_OK and accident.state is ReportState.DRAFT
    victims = [r for r in first.created if r.kind is Kind.VICTIM]
    assert {v.changes["accident_code"] for v in victims} == {accident.item_code}
    # The same submissions exported by the other server: nothing new.
    again = import_submissions(workflow, sf.odk_accident_zip(tmp_path))
    assert again.created == [] and again.skipped == {sf.ACCIDENT_OK: accident.code}
    assert len(workflow.list_reports(ReportQuery())) == 3


@pytest.mark.usefixtures("synthetic_places")
def test_attachments_are_listed_on_the_report(
    sf: ModuleType, workflow: Workflow, tmp_path: Path
) -> None:
    result = import_submissions(workflow, sf.kobo_completion_json(tmp_path))
    main = next(r for r in result.created if r.kind is Kind.LAND_RELEASE_ACTIVITY)
    assert any("find-1.jpg" in n and "https://" in n for n in main.notes)
    children = {r.kind for r in result.created} - {Kind.LAND_RELEASE_ACTIVITY}
    assert children == {Kind.RELEASE_PRODUCT, Kind.DEVICE_FIND}


@pytest.mark.usefixtures("synthetic_places")
def test_good_submissions_land_by_default_and_all_or_nothing_writes_none(
    sf: ModuleType, workflow: Workflow, tmp_path: Path
) -> None:
    export = sf.kobo_accident_xlsx(tmp_path)
    refused = import_submissions(workflow, export, keep_going=False)
    assert not refused.committed and refused.created == [] and len(refused.rejected) == 2
    assert [s.instance_id for s in refused.imported] == [sf.ACCIDENT_OK]  # would land
    assert workflow.list_reports(ReportQuery()) == []
    dry = import_submissions(workflow, export, dry_run=True, keep_going=True)
    assert dry.dry_run and not dry.committed and workflow.list_reports(ReportQuery()) == []
    landed = import_submissions(workflow, export)  # keeps going by default
    assert landed.committed and len(landed.created) == 3
    plain = landed.as_dict()
    assert {r["field"] for r in plain["rejected"]} == {"victims[1]/victim_sex", "accident_location"}
    assert [s["instance_id"] for s in plain["submissions"]] == [sf.ACCIDENT_OK]


def test_the_public_may_not_import(sf: ModuleType, store: SqlRepository, tmp_path: Path) -> None:
    viewer = Workflow(store, Actor("pat", Role.PUBLIC))
    with pytest.raises(PermissionDenied):
        import_submissions(viewer, sf.kobo_hazard_csv(tmp_path))
    with pytest.raises(PermissionDenied):
        shipped_forms(viewer.actor)
    forms = shipped_forms(Actor("amina", Role.DATA_WORKER, "ORG-1"))
    assert all(f.path.is_file() for f in forms)
    assert sorted(f.form_id for f in forms) == sorted(d.form_id for d in all_definitions())


@pytest.mark.usefixtures("synthetic_places")
def test_a_data_worker_cannot_import_another_organisations_submissions(
    sf: ModuleType, store: SqlRepository, tmp_path: Path
) -> None:
    worker = Workflow(store, Actor("amina", Role.DATA_WORKER, "ORG-000009"))
    result = import_submissions(worker, sf.kobo_hazard_csv(tmp_path), keep_going=True)
    assert result.created == [] and all("may not report" in r.reason for r in result.rejected)
    # Once imported by someone allowed, the other organisation is still told only that it may
    # not report them, not that they exist.
    import_submissions(Workflow(store, Actor("rev", Role.REVIEWER)), sf.kobo_hazard_csv(tmp_path))
    again = import_submissions(worker, sf.kobo_hazard_csv(tmp_path), keep_going=True)
    assert again.skipped == {} and len(again.rejected) == 2


def _approve_all(store: SqlRepository) -> None:
    author = Workflow(store, Actor("author", Role.ADMIN))
    reviewer = Workflow(store, Actor("reviewer", Role.REVIEWER))
    for report in author.list_reports(ReportQuery(state=ReportState.DRAFT)):
        author.submit(report.code or "")
        reviewer.approve(report.code or "")


def test_published_outputs_never_contain_personal_data(sf: ModuleType, tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'national.gpkg'}", create=True)
    try:
        sf.add_named_places(store)
        wf = Workflow(store, Actor("importer", Role.ADMIN))
        for make in (sf.kobo_accident_xlsx, sf.kobo_hazard_csv, sf.kobo_completion_json):
            import_submissions(wf, make(tmp_path), keep_going=True)
        _approve_all(store)
        out = tmp_path / "open-data"
        result = publish_package(store, out, publisher="Synthetic Authority")
    finally:
        store.close()
    assert {p.name for p in result.files} >= {
        "minewatch_public.gpkg",
        "accident.hxl.csv",
        "README.md",
        "datapackage.json",
    }
    secrets = [*sf.VICTIM_NAMES, sf.VICTIM_CONTACT, sf.VICTIM_MEDICAL]
    for path in out.rglob("*"):
        blob = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in blob, f"{secret} leaked into {path.name}"
    with sqlite3.connect(out / "minewatch_public.gpkg") as db:
        tables = [r[0] for r in db.execute("SELECT table_name FROM gpkg_contents")]
        assert "victim" not in tables
        for table in tables:
            columns = {r[1] for r in db.execute(f'PRAGMA table_info("{table}")')}
            assert not columns & {"name", "contact", "medical_details"} or table != "accident"
            for row in db.execute(f'SELECT * FROM "{table}"'):
                text = " ".join(str(v) for v in row)
                assert not any(s in text for s in secrets)
    accidents = (out / "accident.hxl.csv").read_text(encoding="utf-8").splitlines()
    assert accidents[1].startswith("#event+code,#date+occurred")
    header = accidents[0].split(",")
    row = dict(zip(header, accidents[2].split(","), strict=True))
    assert (row["killed"], row["injured"], row["killed_children"]) == ("1", "1", "1")


@pytest.fixture
def runner() -> CliRunner:
    _register_commands()
    return CliRunner()


def test_cli_import_forms_and_publish(sf: ModuleType, runner: CliRunner, tmp_path: Path) -> None:
    store_path = tmp_path / "cli.gpkg"
    with open_store(str(store_path), create=True) as made:
        sf.add_named_places(made)
    export = sf.odk_accident_zip(tmp_path)
    refused = runner.invoke(
        app, ["intake", "import", str(export), "--store", str(store_path), "--all-or-nothing"]
    )
    assert refused.exit_code == 1, refused.output  # two submissions were rejected …
    assert "1 submissions NOT imported" in refused.output  # … so nothing was imported
    done = runner.invoke(app, ["intake", "import", str(export), "--store", str(store_path)])
    assert done.exit_code == 1, done.output  # still rejected, but the good one landed
    assert "1 submissions imported as 3 draft reports" in done.output
    assert "rejected" in done.output
    listed = runner.invoke(app, ["forms", "list"])
    assert "minewatch_qm_visit" in listed.output
    hxl = runner.invoke(app, ["publish", "hxl", str(tmp_path / "hxl"), "--store", str(store_path)])
    assert hxl.exit_code == 0 and (tmp_path / "hxl" / "accident.hxl.csv").exists()


def test_cli_checks_an_xlsform_and_suggests_a_mapping(
    sf: ModuleType, runner: CliRunner, tmp_path: Path
) -> None:
    form = sf.programme_xlsform(tmp_path)
    checked = runner.invoke(app, ["forms", "check", str(form)])
    assert checked.exit_code == 0 and "valid XLSForm 'nmac_accident'" in checked.output
    out = tmp_path / "nmac.toml"
    made = runner.invoke(
        app, ["forms", "mapping", str(form), "--kind", "accident", "--out", str(out)]
    )
    assert made.exit_code == 0 and 'kind = "victim"' in out.read_text(encoding="utf-8")


def test_cli_dry_run_writes_nothing_and_json_lists_rejections(
    sf: ModuleType, runner: CliRunner, tmp_path: Path
) -> None:
    store_path = tmp_path / "dry.gpkg"
    with open_store(str(store_path), create=True) as made:
        sf.add_named_places(made)
    export = sf.kobo_accident_xlsx(tmp_path)
    dry = runner.invoke(
        app, ["intake", "import", str(export), "--store", str(store_path), "--dry-run", "--json"]
    )
    assert dry.exit_code == 1, dry.output
    data = json.loads(dry.output)
    assert data["dry_run"] and data["created"] == []
    assert {r["field"] for r in data["rejected"]} == {"victims[1]/victim_sex", "accident_location"}
    store = open_store(str(store_path))
    try:
        assert store.list_reports(ReportQuery()) == []
    finally:
        store.close()


@pytest.mark.usefixtures("synthetic_places")
def test_an_export_overlapping_the_last_one_adds_only_the_new_submissions(
    sf: ModuleType, workflow: Workflow, tmp_path: Path
) -> None:
    source = json.loads(sf.kobo_completion_json(tmp_path).read_text())
    template = source["results"][0]
    results = []
    for i in range(3):
        uid = f"9d2c4e77-4444-4aaa-9bbb-00000000010{i}"
        results.append({**template, "_uuid": uid, "meta/instanceID": f"uuid:{uid}"})
    first, everything = tmp_path / "first.json", tmp_path / "all.json"
    first.write_text(json.dumps({"results": results[:2]}))
    everything.write_text(json.dumps({"results": results}))
    assert len(import_submissions(workflow, first).created) == 6  # 2 × (activity, product, find)
    again = import_submissions(workflow, everything)
    assert len(again.created) == 3 and len(again.skipped) == 2
    external = {r.external_id for r in workflow.list_reports(ReportQuery())}
    assert len(external) == 9 and f"uuid:{results[2]['_uuid']}/finds[1]" in external


def test_a_submission_naming_a_place_that_does_not_exist_lands_nothing(
    sf: ModuleType, workflow: Workflow, tmp_path: Path
) -> None:
    """Field intake refuses a code naming no item like every other door: the file, row and
    field are named, and nothing of the submission is written (no synthetic_places here)."""
    result = import_submissions(workflow, sf.kobo_accident_xlsx(tmp_path), keep_going=True)
    assert result.created == []
    named = [r for r in result.rejected if r.field in ("location_code", "hazardous_area_code")]
    assert named and "no hazardous area has the code 'HA-000001'" in named[0].reason, named
    assert named[0].row and str(named[0].file).endswith(".xlsx")
    assert workflow.list_reports(ReportQuery()) == []
