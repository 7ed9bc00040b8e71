"""The data-entry forms come from the domain schema: every kind, every data field, each with a
human label and a control a person can fill in (never raw JSON, never a field name shown),
with the bounds the domain enforces."""

from __future__ import annotations

import re
from typing import Any

import pytest

from minewatch.domain.records import Kind
from minewatch.domain.schema import data_fields, nested_field_specs
from minewatch.services.form_schema import describe_form, describe_forms

CONTROLS = {"text", "long_text", "number", "date", "datetime", "choice", "multi_choice",
            "reference", "people_by_sex_age", "rows"}  # fmt: skip
RAW_NAME = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


def _all_fields(form: dict[str, Any]) -> list[dict[str, Any]]:
    out = [*form["report_fields"]]
    for f in form["fields"]:
        out.append(f)
        out.extend(f.get("columns", []))
    return out


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_has_every_data_field_with_a_label_and_a_control(kind: Kind) -> None:
    form = describe_form(kind)
    typed = [n for n, s in data_fields(kind).items() if s.python_type is not dict]
    assert [f["name"] for f in form["fields"]] == typed  # all but free-form objects (extra)
    assert form["label"] and not RAW_NAME.match(form["label"]) and "_" not in form["label"]
    for f in _all_fields(form):
        assert f["control"] in CONTROLS, f  # no "json" control: nothing asks for raw JSON
        assert f["label"] and "_" not in f["label"], f"{kind}.{f['name']}: {f['label']!r}"
        assert f["label"] != f["name"], f
        for choice in f.get("choices", []):
            assert choice["label"] and "_" not in choice["label"], (kind, f["name"], choice)


def test_structured_values_are_tables_not_json() -> None:
    area = {f["name"]: f for f in describe_form(Kind.HAZARDOUS_AREA)["fields"]}
    assert area["beneficiaries"]["control"] == "people_by_sex_age"
    names = [c["name"] for c in area["beneficiaries"]["columns"]]
    assert names[:4] == ["girls", "boys", "women", "men"]
    rows = area["beneficiaries"]["rows"]
    assert [r["suffix"] for r in rows] == ["", "_with_disability"]
    assert {f"{b}{r['suffix']}" for b in names[:4] for r in rows} == set(names)
    assert all(c["minimum"] == 0 and c["integer"] for c in area["beneficiaries"]["columns"])
    assert "extra" not in area  # a free-form object a migration kept is not typed by hand
    assert area["evidence"]["control"] == area["blockages"]["control"] == "rows"
    evidence = {c["name"]: c for c in area["evidence"]["columns"]}
    assert evidence["type"]["control"] == "choice" and evidence["type"]["required"]
    assert evidence["note"]["control"] == "text" and not evidence["note"]["required"]
    qm = {f["name"]: f for f in describe_form(Kind.QUALITY_MANAGEMENT_VISIT)["fields"]}
    assert qm["non_conformities"]["control"] == "rows"


def test_bounds_and_integers_are_the_domains() -> None:
    find = {f["name"]: f for f in describe_form(Kind.DEVICE_FIND)["fields"]}
    assert (find["quantity"]["integer"], find["quantity"]["minimum"]) == (True, 1)
    assert (find["depth_cm"]["integer"], find["depth_cm"]["minimum"]) == (False, 0)
    victim = {f["name"]: f for f in describe_form(Kind.VICTIM)["fields"]}
    assert (victim["age"]["minimum"], victim["age"]["maximum"]) == (0, 130)
    assert victim["name"]["personal"] and not victim["age"]["personal"]
    assert victim["accident_code"]["control"] == "reference"
    assert victim["accident_code"]["refers_to"] == "accident"


def test_references_become_pickers_and_enums_choices_with_labels() -> None:
    for form in describe_forms():
        for f in form["fields"]:
            if f["name"].endswith("organisation_code"):
                assert (f["control"], f["refers_to"]) == ("reference", "organisation"), form["kind"]
            if f["name"] == "location_code":
                assert (f["control"], f["refers_to"]) == ("reference", "location"), form["kind"]
    area = {f["name"]: f for f in describe_form(Kind.HAZARDOUS_AREA)["fields"]}
    assert area["hazard_types"]["control"] == "multi_choice"
    assert {c["value"] for c in area["hazard_types"]["choices"]} >= {"ap_mines", "uxo_axo"}
    assert area["status"]["control"] == "choice" and area["status"]["default"] == "open"
    accident = {f["name"]: f for f in describe_form(Kind.ACCIDENT)["fields"]}
    assert [c["value"] for c in accident["during_demining"]["choices"]] == ["true", "false"]


def test_a_kind_added_to_the_schema_gets_a_form_without_a_page() -> None:
    """The description walks the record classes: a kind declared tomorrow has a form today."""
    assert [f["kind"] for f in describe_forms()] == [k.value for k in Kind]
    from minewatch.domain.records import SexAge

    assert list(nested_field_specs(SexAge))[:4] == ["girls", "boys", "women", "men"]


def test_help_comes_from_the_record_declarations() -> None:
    find = {f["name"]: f for f in describe_form(Kind.DEVICE_FIND)["fields"]}
    assert "device catalogue" in (find["model"]["help"] or "")
    form = describe_form(Kind.HAZARDOUS_AREA)
    assert form["report_fields"][0]["required"] and form["report_fields"][0]["control"] == "date"
