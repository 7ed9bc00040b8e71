"""Label exports, XML instances and programmes' own forms (SYNTHETIC files)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from minewatch.domain.records import Kind
from minewatch.errors import InvalidInput
from minewatch.io.form_mapping import MappingFile, suggest_mapping, suggestion_toml
from minewatch.io.forms import parse_export
from minewatch.io.xlsform import check_xlsform, read_xlsform


def test_kobo_labels_export_with_hxl_row_reads_back_to_names(
    sf: ModuleType, tmp_path: Path
) -> None:
    result = parse_export(sf.kobo_accident_labels_csv(tmp_path))
    assert result.form_id == "minewatch_accident" and result.rejected == []
    (sub,) = result.accepted
    assert sub.instance_id == sf.ACCIDENT_LABELS
    assert sub.main.changes["device_category"] == "av_mine"
    assert sub.main.changes["during_demining"] is True
    assert sub.main.geometry is not None and sub.main.geometry.wkt == "POINT (37.5 47.1)"


@pytest.mark.parametrize(
    ("date", "org", "where", "device", "demining", "yes"),
    [
        (
            "Date de l'accident",
            "Code de l'organisation déclarante",
            "Lieu de l'accident",
            "Type d'engin",
            "Est-ce arrivé pendant le déminage ?",
            "Oui",
        ),
        (
            "Дата нещасного випадку",
            "Код організації, що звітує",
            "Місце нещасного випадку",
            "Тип пристрою",
            "Чи сталося це під час розмінування?",
            "Так",
        ),
        (
            "تاريخ الحادث",
            "رمز المنظمة المُبلِّغة",
            "موقع الحادث",
            "نوع الجسم المتفجر",
            "هل وقع أثناء نزع الألغام؟",
            "نعم",
        ),
    ],
)
def test_a_labels_export_in_another_language_imports_the_same(
    sf: ModuleType,
    tmp_path: Path,
    date: str,
    org: str,
    where: str,
    device: str,
    demining: str,
    yes: str,
) -> None:
    """Kobo exports labels in the language the user picked (issue 19): the shipped forms'
    labels in every language read back to the same names and codes."""
    english = sf.kobo_accident_labels_csv(tmp_path)
    text = english.read_text(encoding="utf-8")
    mine = {"fr": "Mine antivéhicule", "uk": "Протитранспортна міна"}.get(
        "fr" if yes == "Oui" else "uk" if yes == "Так" else "ar", "لغم مضاد للمركبات"
    )
    for old, new in (
        ("Date of the accident", date),
        ("Reporting organisation code", org),
        ("Accident location", where),
        ("Type of device", device),
        ("Did it happen during demining?", demining),
        ('"Anti-vehicle mine"', f'"{mine}"'),
        ('"Yes"', f'"{yes}"'),
    ):
        assert old in text
        text = text.replace(old, new)
    translated = tmp_path / "kobo_accident_labels_translated.csv"
    translated.write_text(text, encoding="utf-8")
    result = parse_export(translated)
    assert result.form_id == "minewatch_accident" and result.rejected == []
    (sub,) = result.accepted
    (same,) = parse_export(english).accepted
    assert sub.main.changes == same.main.changes
    assert sub.main.changes["device_category"] == "av_mine"
    assert sub.main.changes["during_demining"] is True
    assert sub.main.geometry is not None and sub.main.geometry.wkt == "POINT (37.5 47.1)"


def test_xml_instances_with_repeats_answered_once_or_twice(sf: ModuleType, tmp_path: Path) -> None:
    result = parse_export(sf.xml_accident_instances(tmp_path))
    assert result.flavour == "xform" and result.form_id == "minewatch_accident"
    by_id = {s.instance_id: s for s in result.accepted}
    two = by_id["uuid:0c5e9f2a-1111-4aaa-8bbb-000000000020"]
    one = by_id["uuid:0c5e9f2a-1111-4aaa-8bbb-000000000021"]
    assert [c.changes["sex"] for c in two.children] == ["male", "female"]
    assert [c.changes["victim_type"] for c in one.children] == ["deminer"]


def test_programme_form_in_french_labels_with_its_xlsform(sf: ModuleType, tmp_path: Path) -> None:
    xlsform = sf.programme_xlsform(tmp_path)
    assert check_xlsform(xlsform) == []
    schema = read_xlsform(xlsform)
    mapping = suggest_mapping(schema, Kind.ACCIDENT)
    assert mapping.date_of_information == ["date_acc"] and mapping.geometry == ["gps"]
    assert mapping.repeats[0].kind is Kind.VICTIM
    assert mapping.repeats[0].fields == {"sex": "sex", "age": "age", "outcome": "outcome"}
    # The programme adds what names cannot tell: its own choice names.
    fields = {
        **mapping.fields,
        "device_category": {"column": "device", "values": {"AP": "ap_mine", "AT": "av_mine"}},
    }
    victim = mapping.repeats[0].model_dump()
    victim["fields"]["sex"] = {"column": "sex", "values": {"F": "female", "M": "male"}}
    final = MappingFile.model_validate(
        {
            "forms": {
                "nmac_accident": {**mapping.model_dump(), "fields": fields, "repeats": [victim]}
            }
        }
    )
    result = parse_export(sf.programme_labels_xlsx(tmp_path), final, schema=schema)
    assert result.rejected == []
    (sub,) = result.accepted
    assert sub.main.changes["device_category"] == "av_mine"
    assert sub.main.organisation_code == "ORG-000007"
    (victim_draft,) = sub.children
    assert victim_draft.changes == {"sex": "female", "age": 9, "outcome": "injured"}
    assert "Questions not mapped" in suggestion_toml(schema, Kind.ACCIDENT)


def test_an_invalid_xlsform_is_reported_not_raised(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a spreadsheet")
    with pytest.raises(InvalidInput):
        check_xlsform(bad)
