"""Reading KoboToolbox and ODK Central exports (SYNTHETIC files, see tests/synthetic_forms.py)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minewatch.errors import InvalidInput
from minewatch.io.form_mapping import load_mapping
from minewatch.io.forms import parse_export, read_export
from minewatch.io.odk_geo import parse_geometry


@pytest.mark.parametrize("make", ["kobo_accident_xlsx", "odk_accident_zip"])
def test_accident_with_victims_from_kobo_xlsx_and_odk_csv_zip(
    sf: ModuleType, tmp_path: Path, make: str
) -> None:
    result = parse_export(getattr(sf, make)(tmp_path))
    assert result.form_id == "minewatch_accident"
    assert [s.instance_id for s in result.accepted] == [sf.ACCIDENT_OK]
    sub = result.accepted[0]
    assert sub.main.external_id == sf.ACCIDENT_OK
    assert sub.main.geometry is not None and sub.main.geometry.wkt == "POINT (30.5234 50.4501)"
    assert sub.main.date_of_information.isoformat() == "2024-05-01"
    assert sub.main.organisation_code == "ORG-000002"
    victims = sub.children
    assert [v.external_id for v in victims] == [
        f"{sf.ACCIDENT_OK}/victims[1]",
        f"{sf.ACCIDENT_OK}/victims[2]",
    ]
    assert victims[0].changes["name"] == sf.VICTIM_NAMES[0]
    assert isinstance(victims[0].changes["age"], int) and victims[0].link == "accident_code"


@pytest.mark.parametrize("make", ["kobo_accident_xlsx", "odk_accident_zip"])
def test_broken_submissions_are_rejected_one_by_one_with_reason(
    sf: ModuleType, tmp_path: Path, make: str
) -> None:
    result = parse_export(getattr(sf, make)(tmp_path))
    by_id = {r.instance_id: r for r in result.rejected}
    sex = by_id[sf.ACCIDENT_BAD_SEX]
    assert sex.field == "victims[1]/victim_sex" and "alien" in sex.reason and sex.row == 3
    point = by_id[sf.ACCIDENT_BAD_POINT]
    assert point.field == "accident_location" and point.row == 4
    assert str(point).startswith(str(tmp_path))


def test_kobo_csv_semicolons_geoshape_lat_first_and_select_multiple(
    sf: ModuleType, tmp_path: Path
) -> None:
    export = read_export(sf.kobo_hazard_csv(tmp_path))
    assert export.flavour == "kobo"
    result = parse_export(sf.kobo_hazard_csv(tmp_path))
    first, walked = result.accepted
    assert first.main.geometry is not None
    assert first.main.geometry.bounds == pytest.approx((30.50, 50.40, 30.51, 50.41))
    assert first.main.changes["hazard_types"] == ["ap_mines", "uxo_axo"]
    assert [b["type"] for b in first.main.changes["blockages"]] == ["agriculture", "road"]
    # the export has no disability answers: not recorded (None), never 0
    assert first.main.changes["beneficiaries"] == {"girls": 3, "boys": 4, "women": 5, "men": 6} | {
        f"{who}_with_disability": None for who in ("girls", "boys", "women", "men")
    }
    assert [(a.filename, a.url is not None) for a in first.attachments] == [("sketch-1.jpg", True)]
    # Empty space-separated column, but the one-hot columns say av_mines.
    assert walked.main.changes["hazard_types"] == ["av_mines"]
    assert walked.main.geometry is not None and walked.main.geometry.geom_type == "Polygon"
    assert any("geotrace" in n for n in walked.main.notes)


def test_odk_odata_json_with_geojson_and_nested_repeat(sf: ModuleType, tmp_path: Path) -> None:
    result = parse_export(sf.odk_hazard_odata(tmp_path))
    assert result.flavour == "odk" and result.form_id == "minewatch_hazardous_area"
    (sub,) = result.accepted
    assert sub.instance_id == sf.HA_ODK
    assert sub.main.geometry is not None and sub.main.geometry.bounds[0] == pytest.approx(30.60)
    assert [e["type"] for e in sub.main.changes["evidence"]] == ["eo_seen", "accident"]
    assert [a.filename for a in sub.attachments] == ["ev1.jpg"]


def test_kobo_api_json_with_child_repeats_and_attachment_urls(
    sf: ModuleType, tmp_path: Path
) -> None:
    result = parse_export(sf.kobo_completion_json(tmp_path))
    (sub,) = result.accepted
    kinds = [c.kind.value for c in sub.children]
    assert kinds == ["release_product", "device_find"]
    product, find = sub.children
    assert product.changes["release_date"] == "2024-06-30"  # inherited from the submission
    assert product.changes["hazardous_area_code"] == "HA-000001"
    assert find.geometry is not None and find.geometry.wkt == "POINT (30.101 50.201)"
    assert sub.attachments[0].url and sub.attachments[0].filename == "find-1.jpg"


def test_duplicate_instance_and_missing_instance_are_rejected(
    sf: ModuleType, tmp_path: Path
) -> None:
    path = sf.kobo_completion_json(tmp_path)
    payload = json.loads(path.read_text())
    twin = dict(payload["results"][0])
    orphan = {k: v for k, v in twin.items() if k not in ("meta/instanceID", "_uuid")}
    payload["results"] += [twin, orphan]
    path.write_text(json.dumps(payload))
    result = parse_export(path)
    assert len(result.accepted) == 1
    reasons = [r.reason for r in result.rejected]
    assert any("duplicate" in r for r in reasons) and any("instance ID" in r for r in reasons)


def test_custom_mapping_recodes_a_programmes_choice_names(tmp_path: Path) -> None:
    export = tmp_path / "nmac_accident.csv"
    export.write_text(
        "SubmissionDate,g1-date_acc,g1-gps-Latitude,g1-gps-Longitude,g1-device,KEY\n"
        "2024-01-02T00:00:00Z,2024-01-01,10.5,20.25,AP,uuid:synthetic-1\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        """
[forms.nmac_accident]
kind = "accident"
date_of_information = ["date_acc"]
geometry = ["gps"]
[forms.nmac_accident.fields]
accident_date = "date_acc"
device_category = { column = "device", values = { AP = "ap_mine", AT = "av_mine" } }
""",
        encoding="utf-8",
    )
    result = parse_export(export, load_mapping(mapping))
    (sub,) = result.accepted
    assert sub.main.changes == {"accident_date": "2024-01-01", "device_category": "ap_mine"}
    assert sub.main.geometry is not None and sub.main.geometry.wkt == "POINT (20.25 10.5)"


def test_a_mapping_naming_an_unknown_field_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[forms.x]\nkind = "victim"\ndate_of_information = ["d"]\n'
        '[forms.x.fields]\nshoe_size = "s"\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput, match="shoe_size"):
        load_mapping(bad)


def test_unrecognisable_export_asks_for_the_form(tmp_path: Path) -> None:
    path = tmp_path / "mystery.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="--form"):
        parse_export(path)


@given(
    lat=st.floats(-90, 90, allow_nan=False),
    lon=st.floats(-180, 180, allow_nan=False),
)
def test_geopoint_text_is_latitude_first(lat: float, lon: float) -> None:
    point = parse_geometry(f"{lat!r} {lon!r} 0 5")
    assert (point.x, point.y) == (lon, lat)
    assert parse_geometry({"type": "Point", "coordinates": [lon, lat]}).equals(point)


@pytest.mark.parametrize("text", ["91 10", "10 181", "10", "a b", "1 2 3 4 5", ""])
def test_bad_geopoints_raise(text: str) -> None:
    with pytest.raises(ValueError):
        parse_geometry(text)


def test_odata_repeat_entity_set_in_its_own_file(sf: ModuleType, tmp_path: Path) -> None:
    folder = tmp_path / "odata"
    folder.mkdir()
    main = json.loads(sf.odk_hazard_odata(tmp_path).read_text())
    evidence = main["value"][0].pop("evidence")
    (folder / "Submissions.json").write_text(json.dumps(main))
    rows = [{**e, "__Submissions-id": sf.HA_ODK} for e in evidence]
    (folder / "Submissions.evidence.json").write_text(json.dumps({"value": rows}))
    (sub,) = parse_export(folder).accepted
    assert [e["type"] for e in sub.main.changes["evidence"]] == ["eo_seen", "accident"]


def test_submissions_rejected_or_encrypted_on_the_server_are_not_imported(
    sf: ModuleType,
    tmp_path: Path,
) -> None:
    path = sf.odk_hazard_odata(tmp_path)
    payload = json.loads(path.read_text())
    payload["value"][0]["__system"]["reviewState"] = "rejected"
    path.write_text(json.dumps(payload))
    result = parse_export(path)
    assert result.accepted == [] and "review state" in result.rejected[0].reason
    kobo = sf.kobo_completion_json(tmp_path)
    data = json.loads(kobo.read_text())
    data["results"][0]["_validation_status"] = {
        "uid": "validation_status_not_approved",
        "label": "Not Approved",
    }
    kobo.write_text(json.dumps(data))
    assert "validation status" in parse_export(kobo).rejected[0].reason


def test_attachment_addresses_from_a_template_and_files_in_the_export(
    sf: ModuleType, tmp_path: Path
) -> None:
    source = sf.odk_hazard_odata(tmp_path)
    bundle = tmp_path / "export.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.write(source, "Submissions.json")
        zf.writestr("media/ev1.jpg", b"synthetic")
    template = "https://central.example.org/v1/projects/3/forms/{form}/submissions/{instance}/attachments/{filename}"
    (sub,) = parse_export(bundle, attachments_url=template).accepted
    (photo,) = sub.attachments
    assert photo.in_export and photo.url == (
        "https://central.example.org/v1/projects/3/forms/minewatch_hazardous_area/"
        "submissions/uuid%3A3f6e2b11-3333-4eee-8fff-000000000001/attachments/ev1.jpg"
    )


def test_geojson_feature_collection_as_arcgis_or_kobo_export_it(tmp_path: Path) -> None:
    """SYNTHETIC Survey123-style layer export: properties named after the questions, dates in
    epoch milliseconds, a GUID per feature, the geopoint as the feature's geometry."""
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [36.25, 49.99]},
        "properties": {
            "globalid": "{6F9619FF-8B86-D011-B42D-00C04FC964FF}",
            "session_date": 1714521600000,  # 2024-05-01T00:00:00Z
            "organisation_code": "ORG-000003",
            "re_method": "school_session",
            "girls": 10,
            "boys": 12,
            "women": 0,
            "men": 1,
        },
    }
    path = tmp_path / "survey123_risk_education.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    result = parse_export(path, form_id="minewatch_risk_education")
    (sub,) = result.accepted
    assert sub.instance_id == "uuid:6f9619ff-8b86-d011-b42d-00c04fc964ff"
    assert sub.main.date_of_information.isoformat() == "2024-05-01"
    assert sub.main.changes["session_date"] == "2024-05-01"
    assert sub.main.changes["beneficiaries"] == {"girls": 10, "boys": 12, "women": 0, "men": 1} | {
        f"{who}_with_disability": None for who in ("girls", "boys", "women", "men")
    }
    assert sub.main.geometry is not None and sub.main.geometry.wkt == "POINT (36.25 49.99)"
