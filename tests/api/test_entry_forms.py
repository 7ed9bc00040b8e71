"""The entry forms over HTTP: descriptions from the schema, reference pickers, the geometry
preview the page shows before submit, and the organisation rule at the API, the CLI import
and the user administration doors (synthetic data)."""

from __future__ import annotations

import json
from pathlib import Path

from api_support import SQUARE, Api, run_cli

from minewatch.domain.queries import ReportQuery

BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[30, 50], [30.01, 50.01], [30.01, 50], [30, 50.01], [30, 50]]],
}


def test_forms_are_described_for_every_kind_with_labels(api: Api) -> None:
    forms = api.client().get("/api/entry-forms").json()
    kinds = api.client().get("/api/kinds").json()
    assert [f["kind"] for f in forms] == [k["kind"] for k in kinds]
    area = api.client().get("/api/entry-forms/hazardous_area").json()
    fields = {f["name"]: f for f in area["fields"]}
    assert fields["reported_area_m2"]["label"] != "reported_area_m2"
    assert fields["beneficiaries"]["control"] == "people_by_sex_age"
    assert api.client().get("/api/entry-forms/unicorn").status_code == 422


def test_the_form_in_arabic_has_arabic_help_and_grid_rows(api: Api) -> None:
    area = api.client().get("/api/entry-forms/hazardous_area", params={"lang": "ar"}).json()
    fields = {f["name"]: f for f in area["fields"] + area["report_fields"]}
    assert (
        fields["residual_risk"]["help"]
        == "العدد المتوقع للأجسام الحية المتبقية، وفق نموذج الخطر المتبقي"
    )
    assert fields["date_of_information"]["help"].startswith("اليوم الذي تصفه المعلومات")
    assert [r["label"] for r in fields["beneficiaries"]["rows"]] == ["الكل", "ذوو إعاقة"]


def test_choices_find_organisations_by_name_for_signed_in_users(api: Api) -> None:
    # Choices are items as the caller may see them: victims are for signed-in staff only.
    assert api.client().get("/api/entry-forms/victim/choices").status_code in (401, 403, 404)
    found = api.client("w1").get("/api/entry-forms/organisation/choices", params={"q": "org-1"})
    assert found.status_code == 200
    assert [c["code"] for c in found.json()] == ["ORG-1"]
    assert found.json()[0]["label"] == "Synthetic organisation ORG-1"


def test_the_geometry_preview_shows_a_repair_before_anything_is_written(api: Api) -> None:
    answer = api.client("w1").post("/api/entry-forms/hazardous_area/geometry",
                                   json={"geometry": BOWTIE})  # fmt: skip
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["accepted"] and body["area_m2"] == 0 and body["stored_area_m2"] > 300_000
    assert [r["rule"] for r in body["repairs"]] == ["self_intersection"]
    assert body["geometry"]["type"] == "MultiPolygon"
    square = api.client("w1").post("/api/entry-forms/hazardous_area/geometry",
                                   json={"geometry": SQUARE}).json()  # fmt: skip
    assert square["repairs"] == [] and 790_000 < square["area_m2"] == square["stored_area_m2"]
    point = api.client("w1").post("/api/entry-forms/hazardous_area/geometry",
                                  json={"geometry": {"type": "Point", "coordinates": [30, 50]}})  # fmt: skip
    assert not point.json()["accepted"] and "polygon" in point.json()["error"]
    assert api.store.list_reports(ReportQuery()) == []  # a preview writes nothing


def test_an_unknown_organisation_is_refused_at_every_door(api: Api, tmp_path: Path) -> None:
    body = {"kind": "hazardous_area", "date_of_information": "2024-06-01",
            "changes": {"organisation_code": "ORG-404"}, "geometry": SQUARE}  # fmt: skip
    refused = api.client("admin").post("/api/reports", json=body)
    assert refused.status_code == 422 and refused.json()["location"]["field"] == "organisation_code"
    body["changes"] = {"organisation_code": "ORG-2"}
    assert api.client("admin").post("/api/reports", json=body).status_code == 201

    user = {"username": "omar", "password": "a long synthetic passphrase",
            "role": "data_worker", "organisation_code": "ORG-NOPE"}  # fmt: skip
    answer = api.client("admin").post("/api/users", json=user)
    assert answer.status_code == 422 and answer.json()["location"]["field"] == "organisation_code"
    moved = api.client("admin").patch("/api/users/w1", json={"organisation_code": "ORG-NOPE"})
    assert moved.status_code == 422, moved.text

    sessions = tmp_path / "sessions.geojson"
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [30, 50]},
         "properties": {"organisation_code": org, "session_date": "2024-05-01"}}
        for org in ("ORG-1", "ORG-GHOST")
    ]  # fmt: skip
    sessions.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    code, out = run_cli("import", str(sessions), "-s", api.store.url, "--kind",
                        "risk_education_session", "--doi", "2024-06-01")  # fmt: skip
    flat = " ".join(out.split())
    assert code != 0 and "organisation_code" in flat and "ORG-GHOST" in flat, out


def test_text_longer_than_its_field_holds_is_refused_and_the_form_says_the_most(
    api: Api, tmp_path: Path
) -> None:
    """A 2,000,000-character area name was once accepted into a draft: the form states each
    text field's most characters, the API refuses more naming the field in the reader's
    language, and a CSV import refuses the file naming file, row and field, writing nothing."""
    area = api.client().get("/api/entry-forms/hazardous_area").json()
    fields = {f["name"]: f for f in area["fields"]}
    assert fields["name"]["max_length"] == 200 and fields["description"]["max_length"] == 10_000
    assert fields["organisation_code"]["max_length"] == 200

    before = len(api.store.list_reports(ReportQuery()))
    body = {"kind": "hazardous_area", "date_of_information": "2024-06-01",
            "changes": {"name": "A" * 2_000_000}, "geometry": SQUARE}  # fmt: skip
    refused = api.client("admin").post("/api/reports", json=body, headers={"Accept-Language": "fr"})
    assert refused.status_code == 422 and refused.json()["location"]["field"] == "name"
    said = refused.json()["detail"]
    assert said == "2,000,000 caractères, plus que les 200 que ce champ peut contenir", said
    body["changes"] = {"name": "A" * 200, "description": "note " * 2000}
    assert api.client("admin").post("/api/reports", json=body).status_code == 201

    rows = tmp_path / "accidents.csv"
    rows.write_text(
        f"description,latitude,longitude\nfine,50,30\n{'x' * 10_001},50.1,30.1\n",
        encoding="utf-8",
    )
    landed = len(api.store.list_reports(ReportQuery()))
    code, out = run_cli("import", str(rows), "-s", api.store.url, "--kind",
                        "accident", "--doi", "2024-06-01")  # fmt: skip
    flat = " ".join(out.split())
    assert code != 0 and "nothing imported" in flat, out
    assert "accidents.csv, row 2, field description: 10,001 characters" in flat, out
    assert len(api.store.list_reports(ReportQuery())) == landed > before
