"""Every stored code and every record field has a human label in the vocabulary (issue 13,
item 3): a new enumeration member or field fails here until it is given one."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from enum import Enum

import pytest

import minewatch.domain
from minewatch.analysis.landrelease.result import Issue
from minewatch.vocabulary import field_label, label, record_fields, vocabulary_document
from minewatch.vocabulary.enums import ENUM_LABELS
from minewatch.vocabulary.fields import FIELD_LABELS, FIELD_UNITS, KIND_FIELD_LABELS, UNITS


def domain_enums() -> dict[str, type[Enum]]:
    """Every enumeration declared in the domain (records, reports, access, geometry, treaty,
    policy): the codes the data stores."""
    found: dict[str, type[Enum]] = {}
    for info in pkgutil.walk_packages(minewatch.domain.__path__, "minewatch.domain."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Enum)
                and value.__module__ == module.__name__
            ):
                assert found.get(name, value) is value, f"two enumerations named {name}"
                found[name] = value
    return found


ENUMS = {**domain_enums(), "Issue": Issue}


def test_the_domain_declares_the_enumerations_the_contract_names() -> None:
    for name in ("Kind", "HazardType", "ReportState", "ReportAction", "Role", "Rule"):
        assert name in ENUMS


@pytest.mark.parametrize("name", sorted(ENUMS))
def test_every_code_has_a_label(name: str) -> None:
    enum = ENUMS[name]
    labels = ENUM_LABELS.get(name)
    assert labels is not None, f"no labels for {name}: add them to minewatch/vocabulary/enums.py"
    codes = {str(member.value) for member in enum}
    assert set(labels) == codes, f"{name}: labels for {sorted(set(labels) ^ codes)}"
    for member in enum:
        text = label(member)
        assert text == labels[str(member.value)]
        assert "_" not in text and text[:1].isupper(), f"{name}.{member.value}: {text!r}"


def test_labels_are_words_not_codes() -> None:
    assert label(ENUMS["HazardType"]("uxo_axo")) == "Unexploded or abandoned ordnance"
    assert label("Disposal", "destroyed_in_situ") == "Destroyed in place"
    assert label("HazardType", "uxo_axo", locale="en") == "Unexploded or abandoned ordnance"


def test_labels_of_one_list_are_distinct() -> None:
    for name, labels in ENUM_LABELS.items():
        assert len(set(labels.values())) == len(labels), f"{name} has two codes with one label"


def test_every_field_of_every_kind_has_a_label() -> None:
    fields = record_fields()
    for kind, names in fields.items():
        for name in names:
            specific = KIND_FIELD_LABELS.get(kind, {}).get(name)
            assert specific or name in FIELD_LABELS, f"{kind}.{name} has no label"
            text = field_label(kind, name)
            assert "_" not in text and text[:1].isupper(), f"{kind}.{name}: {text!r}"
    assert fields.keys() >= {"hazardous_area", "victim", "evidence", "sex_age"}
    # no label for a field that no longer exists
    every = {name for names in fields.values() for name in names}
    assert set(FIELD_LABELS) <= every, sorted(set(FIELD_LABELS) - every)
    for kind, overrides in KIND_FIELD_LABELS.items():
        assert set(overrides) <= set(fields[kind]), kind


def test_units_name_known_units_and_fields() -> None:
    every = {name for names in record_fields().values() for name in names}
    assert set(FIELD_UNITS) <= every
    assert set(FIELD_UNITS.values()) <= set(UNITS)
    assert UNITS["m2"] == "m²" and UNITS["km2"] == "km²"


def test_the_document_holds_every_label() -> None:
    doc = vocabulary_document("en")
    assert doc["locale"] == "en" and doc["direction"] == "ltr"
    assert doc["enums"]["HazardType"]["uxo_axo"] == "Unexploded or abandoned ordnance"
    assert set(doc["enums"]) == set(ENUM_LABELS)
    assert doc["fields"]["hazardous_area"]["reported_area_m2"] == "Reported area"
    assert doc["fields"]["victim"].keys() == set(record_fields()["victim"])
    assert doc["units"]["m2"] == "m²"
    assert doc["messages"]["Approve"] == "Approve"
    assert not any(re.search(r"[a-z]_[a-z]", text) for text in doc["enums"]["Rule"].values())
