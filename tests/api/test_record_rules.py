"""The domain's rules on values hold at every door: negative counts and quantities, ages out
of range, numbers that are not finite, organisations, places, areas and activities that do
not exist, dates after the report's Date of Information and a Date of Information in the
future are refused with the field named, through the API, a file import (CLI) and the column-wise
import path alike (synthetic records)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from api_support import Api, run_cli

from minewatch.domain.records import Kind
from minewatch.domain.schema import coerce_columns, coerce_fields
from minewatch.store import SqlRepository

#: (kind, changes, field that must be named) — each change breaks one rule.
BAD: list[tuple[str, dict[str, Any], str]] = [
    ("hazardous_area", {"beneficiaries": {"girls": -5}}, "beneficiaries"),
    ("hazardous_area", {"reported_area_m2": -1.0}, "reported_area_m2"),
    ("hazardous_area", {"organisation_code": "ORG-404"}, "organisation_code"),
    ("hazardous_area", {"location_code": "LOC-404"}, "location_code"),
    ("device_find", {"category": "uxo", "hazardous_area_code": "HA-404"}, "hazardous_area_code"),
    ("device_find", {"category": "uxo", "activity_code": "LRA-404"}, "activity_code"),
    ("accident", {"hazardous_area_code": "HA-404"}, "hazardous_area_code"),
    ("victim", {"accident_code": "ACC-404"}, "accident_code"),
    ("device_find", {"category": "uxo", "quantity": -3}, "quantity"),
    ("device_find", {"category": "uxo", "quantity": 0}, "quantity"),
    ("device_find", {"category": "uxo", "depth_cm": "inf"}, "depth_cm"),
    ("victim", {"age": 400}, "age"),
    ("accident", {"accident_date": "2024-07-01"}, "accident_date"),
    ("risk_education_session", {"session_date": "2025-01-01"}, "session_date"),
    (
        "land_release_activity",
        {"start_date": "2024-05-01", "end_date": "2024-04-01"},
        "end_date",
    ),
]
DOI = "2024-06-01"
GEOMETRY = {
    "hazardous_area": {
        "type": "Polygon",
        "coordinates": [[[30, 50], [30.01, 50], [30.01, 50.01], [30, 50.01], [30, 50]]],
    },
    "device_find": {"type": "Point", "coordinates": [30.005, 50.005]},
    "accident": {"type": "Point", "coordinates": [30.005, 50.005]},
}


@pytest.mark.parametrize(("kind", "changes", "field"), BAD)
def test_the_api_refuses_and_names_the_field(
    api: Api, kind: str, changes: dict[str, Any], field: str
) -> None:
    body = {"kind": kind, "date_of_information": DOI, "changes": changes,
            "geometry": GEOMETRY.get(kind)}  # fmt: skip
    answer = api.client("admin").post("/api/reports", json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["location"]["field"] == field, answer.text
    good = {k: v for k, v in changes.items() if k not in (field, "start_date")}
    ok = api.client("admin").post("/api/reports", json={**body, "changes": good})
    assert ok.status_code == 201, ok.text  # the same report without the bad value lands


def test_a_date_of_information_in_the_future_is_refused_at_the_api(api: Api) -> None:
    later = (date.today() + timedelta(days=30)).isoformat()
    body = {"kind": "device_find", "date_of_information": later, "changes": {"category": "uxo"},
            "geometry": GEOMETRY["device_find"]}  # fmt: skip
    answer = api.client("admin").post("/api/reports", json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["location"]["field"] == "date_of_information", answer.text
    assert "in the future" in answer.text and not answer.json()["detail"].startswith("[")
    today = {**body, "date_of_information": date.today().isoformat()}
    assert api.client("admin").post("/api/reports", json=today).status_code == 201


def test_a_code_naming_a_report_still_in_review_counts(api: Api) -> None:
    """A data worker may enter an area and then a find in it before a reviewer has approved
    the area; once the area's report is rejected, its code names nothing."""
    admin = api.client("admin")
    area = admin.post("/api/reports", json={"kind": "hazardous_area", "date_of_information": DOI,
                      "changes": {}, "geometry": GEOMETRY["hazardous_area"]})  # fmt: skip
    assert area.status_code == 201, area.text
    code = area.json()["item_code"]
    find = {"kind": "device_find", "date_of_information": DOI, "geometry": GEOMETRY["device_find"],
            "changes": {"category": "uxo", "hazardous_area_code": code}}  # fmt: skip
    assert admin.post("/api/reports", json=find).status_code == 201
    spaced = {**find, "changes": {"category": "uxo", "hazardous_area_code": f"  {code} "}}
    stored = admin.post("/api/reports", json=spaced)  # pasted with spaces: the same area
    assert stored.status_code == 201 and stored.json()["changes"]["hazardous_area_code"] == code
    report = area.json()["code"]
    assert admin.post(f"/api/reports/{report}/submit").status_code == 200
    rejected = admin.post(f"/api/reports/{report}/reject", json={"reason": "synthetic"})
    assert rejected.status_code == 200, rejected.text
    again = admin.post("/api/reports", json=find)
    assert again.status_code == 422 and code in again.text, again.text


def test_the_column_wise_path_finds_the_same_cells() -> None:
    cols, errors = coerce_columns(
        Kind.DEVICE_FIND, {"quantity": [2, -3, "0", "5"], "depth_cm": [1.5, "-2", "nan", None]}
    )
    assert cols["quantity"] == [2, None, None, 5]
    assert sorted((e.row, e.field) for e in errors) == [
        (1, "depth_cm"), (1, "quantity"), (2, "depth_cm"), (2, "quantity")
    ]  # fmt: skip
    assert any("-3 is below the smallest allowed value" in e.message for e in errors)
    with pytest.raises(ValueError, match="girls: -5 is below the smallest allowed value"):
        coerce_fields(Kind.RISK_EDUCATION_SESSION, {"beneficiaries": {"girls": -5, "boys": 2}})


def test_a_file_import_refuses_each_bad_row_naming_file_row_and_field(
    store: SqlRepository, store_url: str, tmp_path: Path
) -> None:
    finds = tmp_path / "finds.geojson"
    rows = [(2, "2024-05-01"), (-3, "2024-05-01"), (1, "2031-01-01")]
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [30 + i / 1000, 50]},
         "properties": {"category": "uxo", "quantity": q, "found_date": d}}
        for i, (q, d) in enumerate(rows)
    ]  # fmt: skip
    finds.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    rejects = tmp_path / "rejects.csv"
    code, out = run_cli("import", str(finds), "-s", store_url, "--kind", "device_find",
                     "--doi", DOI, "--keep-going", "--rejects", str(rejects),
                     "--state", "approved")  # fmt: skip
    assert code == 0, out
    flat = " ".join(out.split())
    assert "row 2" in flat and "quantity" in flat and "smallest allowed" in flat, out
    assert "row 3" in flat and "found_date" in flat and "Date of Information" in flat, out
    code, listed = run_cli("list", "device_find", "-s", store_url, "-f", "json")
    assert code == 0 and [r["quantity"] for r in json.loads(listed)] == [2]
    code, out = run_cli("import", str(finds), "-s", store_url, "--kind", "device_find",
                     "--doi", DOI)  # fmt: skip
    assert code != 0 and "Traceback" not in out  # all or nothing: refused, nothing half-written


def test_a_file_import_refuses_unknown_codes_and_future_dates_without_half_writing(
    store: SqlRepository, store_url: str, tmp_path: Path
) -> None:
    finds = tmp_path / "finds.geojson"
    later = (date.today() + timedelta(days=400)).isoformat()
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [30 + i / 1000, 50]},
         "properties": {"category": "uxo", "hazardous_area_code": ha}}
        for i, ha in enumerate([None, "HA-404", None])
    ]  # fmt: skip
    finds.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    code, out = run_cli("import", str(finds), "-s", store_url, "--kind", "device_find",
                        "--doi", DOI, "--state", "approved")  # fmt: skip
    flat = " ".join(out.split())
    assert code != 0 and "Traceback" not in out and "nothing imported" in flat, out
    assert "row 2, field hazardous_area_code: no hazardous area has the code 'HA-404'" in flat
    assert "[" not in flat.split("nothing imported", 1)[1].split(")")[0], out  # no rule code
    code, listed = run_cli("list", "device_find", "-s", store_url, "-f", "json")
    assert code == 0 and json.loads(listed) == []  # never half-written
    code, out = run_cli("import", str(finds), "-s", store_url, "--kind", "device_find",
                        "--doi", later, "--keep-going", "--state", "approved")  # fmt: skip
    flat = " ".join(out.split())
    assert "field date_of_information" in flat and "in the future" in flat, out
    code, listed = run_cli("list", "device_find", "-s", store_url, "-f", "json")
    assert code == 0 and json.loads(listed) == []
