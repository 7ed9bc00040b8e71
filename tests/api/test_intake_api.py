"""Field data over HTTP: the forms, uploads of field-form exports and geodata files as
drafts, and the public HXL CSVs and data package (synthetic exports and people only)."""

from __future__ import annotations

import io
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from api_support import Api

from minewatch.api.settings import ApiSettings
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.forms.definitions import all_definitions
from minewatch.store import ReportQuery

SUBMISSIONS = "/api/intake/submissions"
GEODATA = "/api/intake/geodata"


def _upload_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("minewatch-upload-*")}


@pytest.mark.usefixtures("synthetic_places")
def test_a_data_worker_uploads_a_kobo_export_all_or_nothing_then_idempotent(
    api: Api, sf: ModuleType
) -> None:
    before = _upload_folders()
    upload = sf.kobo_hazard_upload("ORG-1", ["uuid:w1-a", "uuid:w1-b"], bad=("uuid:w1-b",))
    w1 = api.client("w1")
    refused = w1.post(SUBMISSIONS, files={"file": upload}, data={"keep_going": "false"})
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert "nothing imported" in body["detail"] and body["created"] == []
    [rejected] = body["rejected"]
    assert rejected == {
        "file": upload[0],
        "row": 3,
        "instance_id": "uuid:w1-b",
        "field": "classification",
        "reason": "'XYZ' is not one of: SHA, CHA",
    }
    assert api.store.list_reports(ReportQuery()) == []

    landed = w1.post(SUBMISSIONS, files={"file": upload})  # keeps going by default
    assert landed.status_code == 200, landed.text
    [created] = landed.json()["created"]
    assert created["organisation_code"] == "ORG-1" and created["external_id"] == "uuid:w1-a"
    report = api.workflow("w1").get_report(created["code"])
    assert report.state is ReportState.DRAFT and report.created_by == "w1"
    audited = api.accounts.store.list_audit(action="create_report")
    assert {e.target for e in audited} == {f"report:{created['code']}"}
    assert {e.actor for e in audited} == {"w1"}

    again = w1.post(SUBMISSIONS, files={"file": upload}, data={"keep_going": "true"})
    assert again.json()["created"] == []
    assert again.json()["skipped"] == [{"instance_id": "uuid:w1-a", "report": created["code"]}]
    assert len(api.store.list_reports(ReportQuery())) == 1
    assert _upload_folders() == before  # every temporary upload was removed


@pytest.mark.usefixtures("synthetic_places")
def test_an_odk_zip_with_a_chosen_format_and_a_dry_run(api: Api, sf: ModuleType) -> None:
    export = sf.odk_accident_zip(Path(tempfile.mkdtemp()))
    files = {"file": ("from central.zip", export.read_bytes())}
    rev = api.client("rev")
    dry = rev.post(SUBMISSIONS, files=files, data={"format": "odk_zip", "dry_run": "true"}).json()
    assert dry["dry_run"] and not dry["committed"] and dry["created"] == []
    assert dry["flavour"] == "odk" and dry["file"] == "from_central.zip"
    assert {r["field"] for r in dry["rejected"]} == {"victims[1]/victim_sex", "accident_location"}
    assert [s["reports"] for s in dry["submissions"]] == [3]
    assert api.store.list_reports(ReportQuery()) == []
    done = rev.post(SUBMISSIONS, files=files, data={"keep_going": "true"}).json()
    assert sorted(r["kind"] for r in done["created"]) == ["accident", "victim", "victim"]


def test_bad_files_get_a_4xx_naming_the_file_never_the_server_folder(api: Api) -> None:
    w1 = api.client("w1")
    cases = [
        (SUBMISSIONS, {"file": ("export.xlsx", b"not a workbook")}, {}),
        (SUBMISSIONS, {"file": ("export.csv", b"\xff\xfe\x00binary")}, {}),
        (SUBMISSIONS, {"file": ("export.csv", b"a,b\n1,2\n")}, {}),
        (SUBMISSIONS, {"file": ("notes.txt", b"hello")}, {}),
        (SUBMISSIONS, {"file": ("empty.csv", b"")}, {}),
        (GEODATA, {"file": ("areas.geojson", b"{broken")}, {"kind": "hazardous_area"}),
        (GEODATA, {"file": ("areas.shp", b"x")}, {"kind": "hazardous_area"}),
    ]
    for path, files, data in cases:
        r = w1.post(path, files=files, data=data)
        assert 400 <= r.status_code < 500, (files, r.status_code, r.text)
        assert "minewatch-upload-" not in r.text and tempfile.gettempdir() not in r.text
        name = files["file"][0]
        assert name in r.text or r.json()["location"]["file"] == name, r.text


@pytest.mark.usefixtures("synthetic_places")
def test_uploads_over_the_limit_are_refused_with_413(api: Api, sf: ModuleType) -> None:
    api.settings = ApiSettings(max_upload_bytes=2048)
    big = ("big.csv", b"a;b\n" + b"1;2\n" * 1000)
    assert api.client("w1").post(SUBMISSIONS, files={"file": big}).status_code == 413
    geo = api.client("w1").post(GEODATA, files={"file": big}, data={"kind": "hazardous_area"})
    assert geo.status_code == 413
    small = sf.kobo_hazard_upload("ORG-1", ["uuid:small"])
    assert api.client("w1").post(SUBMISSIONS, files={"file": small}).status_code == 200
    assert api.client("w1").get("/api/forms").json()["max_upload_bytes"] == 2048


def test_a_geodata_file_validated_then_imported_as_drafts(api: Api, sf: ModuleType) -> None:
    data = sf.hazard_areas_geojson(
        [("Synthetic A", "open"), ("Synthetic B", "lost"), ("Synthetic C", "open")]
    )
    files = {"file": ("areas.geojson", data)}
    form = {"kind": "hazardous_area", "id_column": "fid", "date_of_information": "2024-04-01"}
    w2 = api.client("w2")
    checked = w2.post(GEODATA, files=files, data={**form, "dry_run": "true"})
    assert checked.status_code == 200, checked.text
    plain = checked.json()
    assert plain["dry_run"] and not plain["committed"] and plain["landed"] == 2
    assert plain["rejected"] == [
        {
            "file": "areas.geojson",
            "row": 2,
            "field": "status",
            "reason": plain["rejected"][0]["reason"],
            "rule": "field_value",
        }
    ]
    assert "lost" in plain["rejected"][0]["reason"]
    assert not plain["rejected"][0]["reason"].startswith("[")  # a sentence; the code is "rule"
    assert api.store.list_reports(ReportQuery()) == []

    refused = w2.post(GEODATA, files=files, data=form)
    assert refused.status_code == 422 and refused.json()["rejected"][0]["row"] == 2
    assert api.store.list_reports(ReportQuery()) == []

    landed = w2.post(GEODATA, files=files, data={**form, "keep_going": "true"}).json()
    assert landed["committed"] and len(landed["item_codes"]) == 2
    reports = api.store.list_reports(ReportQuery())
    assert {(r.state, r.organisation_code, r.created_by) for r in reports} == {
        (ReportState.DRAFT, "ORG-2", "w2")
    }
    assert len(api.accounts.store.list_audit(action="create_report")) == 2
    again = w2.post(GEODATA, files=files, data={**form, "keep_going": "true"}).json()
    assert again["landed"] == 0 and {s["external_id"] for s in again["skipped"]} == {"F0", "F2"}


def test_forms_are_for_signed_in_data_workers(api: Api) -> None:
    listed = api.client("w1").get("/api/forms").json()
    ids = [f["form_id"] for f in listed["forms"]]
    # every shipped form, whatever their number, and nothing else
    assert sorted(ids) == sorted(f.form_id for f in all_definitions())
    assert "minewatch_accident" in ids
    xlsx = api.client("w1").get(listed["forms"][0]["href"])
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert "attachment" in xlsx.headers["content-disposition"]
    assert api.client("w1").get("/api/forms/nonexistent.xlsx").status_code == 404
    assert api.client(None).get("/api/forms").status_code == 401
    assert api.client("viewer").get("/api/forms").status_code == 403


def test_published_outputs_hold_only_approved_data_and_no_personal_data(
    api: Api, sf: ModuleType
) -> None:
    accident = api.approved("w1", Kind.ACCIDENT, accident_date="2024-02-01")
    secret = {
        "name": sf.VICTIM_NAMES[0],
        "contact": sf.VICTIM_CONTACT,
        "medical_details": sf.VICTIM_MEDICAL,
    }
    api.approved(
        "medic",
        Kind.VICTIM,
        accident_code=accident,
        sex="female",
        age=9,
        outcome="killed",
        victim_type="civilian",
        **secret,
    )
    api.approved("w1", name="Synthetic published area")
    api.draft("w1", name="Synthetic unapproved draft")
    anon = api.client(None)
    assert next(h["kind"] for h in anon.get("/api/publish").json()["hxl"]) == "hazardous_area"
    areas = anon.get("/api/publish/hazardous_area.hxl.csv")
    assert areas.status_code == 200 and areas.headers["content-type"].startswith("text/csv")
    lines = areas.text.splitlines()
    assert lines[1].startswith("#") and len(lines) == 3  # header, hashtags, one approved area
    assert "Synthetic published area" in areas.text and "unapproved" not in areas.text
    accidents = anon.get("/api/publish/accident.hxl.csv").text.splitlines()
    row = dict(zip(accidents[0].split(","), accidents[2].split(","), strict=True))
    assert (row["killed"], row["killed_children"]) == ("1", "1")
    assert anon.get("/api/publish/victim.hxl.csv").status_code == 404

    package = anon.get("/api/publish/package.zip")
    assert package.status_code == 200
    blobs = _unzipped(package.content)
    assert {"minewatch_public.gpkg", "README.md", "datapackage.json"} <= set(blobs)
    for name, blob in blobs.items():
        for value in secret.values():
            assert value.encode() not in blob, f"{value} leaked into {name}"
    assert "unapproved" not in blobs["hazardous_area.hxl.csv"].decode()
    _assert_no_personal_columns(blobs["minewatch_public.gpkg"])


def _unzipped(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _assert_no_personal_columns(gpkg: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "public.gpkg"
        path.write_bytes(gpkg)
        with sqlite3.connect(path) as db:
            tables = [r[0] for r in db.execute("SELECT table_name FROM gpkg_contents")]
            columns = {r[1] for r in db.execute('PRAGMA table_info("accident")')}
    assert "victim" not in tables and "killed" in columns
    assert not columns & {"name", "contact", "medical_details"}
