"""Every field's help a form shows comes through the catalogues (issue 19: the Arabic entry
page showed "Expected live items left…" in English): each sentence a record, a nested value
or the report declares has a translation in every shipped language, and the entry form in
that language shows it."""

from __future__ import annotations

import pytest

from minewatch.domain.records import Kind, SexAge
from minewatch.domain.schema import nested_field_specs
from minewatch.services.form_schema import describe_form
from minewatch.vocabulary import field_help, shipped_locales
from minewatch.vocabulary.catalogue import read_catalogue
from minewatch.vocabulary.fields import SEX_AGE_ROWS
from minewatch.vocabulary.labels import FIELD_CONTEXT, HELP_CONTEXT
from minewatch.vocabulary.sources import help_texts

TRANSLATED = [code for code in shipped_locales() if code != "en"]


def _helps(fields: list[dict]) -> list[str]:
    found = []
    for field in fields:
        if field.get("help"):
            found.append(field["help"])
        found.extend(_helps(field.get("columns", [])))
    return found


def test_every_help_a_form_shows_is_a_source_text() -> None:
    shown = {
        text
        for kind in Kind
        for form in [describe_form(kind)]
        for text in _helps(form["report_fields"] + form["fields"])
    }
    assert "Expected live items left, from the residual-hazard model" in shown
    assert shown <= set(help_texts()), sorted(shown - set(help_texts()))


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_help_is_translated(code: str) -> None:
    catalogue = read_catalogue(code)
    missing = [
        text
        for text in help_texts()
        if not (entry := catalogue.get(text, context=HELP_CONTEXT)) or not entry.string
    ]
    assert not missing, f"{code}: no translation of {missing}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_entry_form_shows_help_and_grid_rows_in_the_language(code: str) -> None:
    english = describe_form(Kind.HAZARDOUS_AREA)
    form = describe_form(Kind.HAZARDOUS_AREA, locale=code)
    for source, shown in zip(
        _helps(english["report_fields"] + english["fields"]),
        _helps(form["report_fields"] + form["fields"]),
        strict=True,
    ):
        assert shown == field_help(source, code) != source
    rows = next(f for f in form["fields"] if f["name"] == "beneficiaries")["rows"]
    assert [r["label"] for r in rows] == [
        read_catalogue(code).get(SEX_AGE_ROWS[r["suffix"]], context=FIELD_CONTEXT).string
        for r in rows
    ]
    assert "All" not in [r["label"] for r in rows]


def test_every_row_of_the_sex_and_age_grid_has_a_label() -> None:
    suffixes = {
        name.partition("_with_")[1] + name.partition("_with_")[2]
        for name in nested_field_specs(SexAge)
    }
    assert suffixes <= set(SEX_AGE_ROWS), sorted(suffixes - set(SEX_AGE_ROWS))
