"""The shipped XLSForms: valid for pyxform, current with their definitions, and their choice
lists equal to the data model's enums."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from minewatch.domain.records import HazardType, OrdnanceCategory, Sex
from minewatch.forms.build import is_current, shipped_dir, xlsform_sheets
from minewatch.forms.definitions import FORMS
from minewatch.io.form_mapping import DEFAULT_MAPPING_HEADER, default_mapping, mapping_to_toml

SHIPPED = sorted(FORMS)


@pytest.mark.parametrize("form_id", SHIPPED)
def test_every_shipped_form_converts_with_pyxform_without_warnings(form_id: str) -> None:
    path = shipped_dir() / f"{form_id}.xlsx"
    warnings: list[str] = []
    result = convert(str(path), warnings=warnings)
    assert warnings == []
    assert f'id="{form_id}"' in result.xform


@pytest.mark.parametrize("form_id", SHIPPED)
def test_committed_xlsx_match_the_generator(form_id: str) -> None:
    assert is_current(FORMS[form_id], shipped_dir() / f"{form_id}.xlsx"), (
        "run `minewatch forms build` and commit the result"
    )


def test_committed_default_mapping_matches_the_definitions() -> None:
    shipped = (shipped_dir() / "minewatch_default_mapping.toml").read_text(encoding="utf-8")
    assert shipped == mapping_to_toml(default_mapping(), DEFAULT_MAPPING_HEADER)


def test_forms_use_every_geometry_question_type_repeats_and_select_multiple() -> None:
    types = {q.type for f in FORMS.values() for q in f.questions()}
    assert {"geopoint", "geotrace", "geoshape", "select_multiple"} <= types
    repeats = {g.name for f in FORMS.values() for g in f.repeats()}
    assert {"victims", "evidence", "products", "finds", "non_conformities"} <= repeats


def test_choice_lists_are_the_enums_of_the_data_model() -> None:
    sheets = xlsform_sheets(FORMS["minewatch_accident"])
    by_list: dict[str, list[str]] = {}
    for list_name, name, *_labels in sheets["choices"][1:]:
        by_list.setdefault(list_name, []).append(name)
    assert by_list["sex"] == [s.value for s in Sex]
    assert by_list["ordnance_category"] == [c.value for c in OrdnanceCategory]
    ha = xlsform_sheets(FORMS["minewatch_hazardous_area"])
    assert [r[1] for r in ha["choices"] if r[0] == "hazard_type"] == [h.value for h in HazardType]


def test_build_writes_a_form_pyxform_accepts(tmp_path: Path) -> None:
    from minewatch.forms.build import build_all

    paths = build_all(tmp_path)
    assert {p.name for p in paths} == {f"{f}.xlsx" for f in SHIPPED}
    assert convert(str(paths[0]), warnings=[]).xform


@pytest.mark.parametrize("form_id", SHIPPED)
def test_schema_from_definitions_equals_pyxforms_reading_of_the_xlsx(form_id: str) -> None:
    from minewatch.io.xlsform import read_xlsform, shipped_schema

    parsed = read_xlsform(shipped_dir() / f"{form_id}.xlsx")
    derived = shipped_schema(form_id)
    assert derived is not None
    for name, question in derived.questions.items():
        other = parsed.questions[name]
        assert (question.path, question.labels, question.repeat) == (
            other.path,
            other.labels,
            other.repeat,
        ), name
        assert question.choices == other.choices, name


def test_every_word_of_the_forms_is_in_the_catalogue_and_every_language_has_columns() -> None:
    from minewatch.forms.model import FORM_CONTEXT
    from minewatch.vocabulary import shipped_locales
    from minewatch.vocabulary.sources import source_entries

    entries = set(source_entries())
    missing = []
    for form in FORMS.values():
        items = list(form.survey)
        while items:
            item = items.pop()
            texts = [item.label]
            if hasattr(item, "children"):
                items.extend(item.children)
            else:
                texts += [item.hint, item.constraint_message]
            missing += [t for t in texts if t and (FORM_CONTEXT, t) not in entries]
        for options in form.choice_lists.values():
            missing += [c.label for c in options if (c.context, c.label) not in entries]
    assert not missing, f"add to the English catalogue (msgctxt {FORM_CONTEXT!r}): {missing}"
    sheets = xlsform_sheets(FORMS["minewatch_accident"])
    header = sheets["survey"][0]
    for column in ("label", "hint", "constraint_message"):
        assert len([h for h in header if h.startswith(f"{column}::")]) == len(shipped_locales())
    assert "label::العربية (ar)" in sheets["choices"][0]
    assert sheets["settings"][1][-1] == "English (en)"
    # a question and a choice, in French and in Arabic
    survey = {row[1]: dict(zip(header, row, strict=True)) for row in sheets["survey"][1:]}
    assert survey["accident_date"]["label::Français (fr)"] == "Date de l'accident"
    # a hint, in Arabic, from the catalogue (the Arabic entry page's help comes the same way)
    hint = survey["location_code"]
    assert hint["hint::English (en)"].startswith("The code of the village")
    assert hint["hint::العربية (ar)"].startswith("رمز القرية")
    choices = {
        (r[0], r[1]): dict(zip(sheets["choices"][0], r, strict=True)) for r in sheets["choices"][1:]
    }
    assert choices[("sex", "female")]["label::العربية (ar)"] == "أنثى"
