"""Questions and groups several forms ask: the metadata, the reporting organisation, the
location code, the people reached (by sex and age) and the repeat of explosive ordnance found.
"""

from __future__ import annotations

from minewatch.domain.records import (
    Kind,
)
from minewatch.domain.records.values import GROUPS
from minewatch.forms.model import Group, Question

_META: tuple[Question, ...] = (
    Question("start", "start"),
    Question("end", "end"),
    Question("today", "today"),
)

_ORG = Question(
    "text",
    "organisation_code",
    "Reporting organisation code",
    required=True,
    hint="The code the national authority gave your organisation, e.g. ORG-000003.",
)  # the form's ``organisation``: the report's organisation, and the record's where it has one

_LOCATION = Question(
    "text",
    "location_code",
    "Location (gazetteer) code",
    hint="The code of the village or administrative area, e.g. LOC-000042.",
    field="location_code",
)


def _beneficiaries(
    prefix: str = "",
    field: str = "beneficiaries",
    label: str = "People (by sex and age)",
    *,
    disability: bool = False,
) -> Group:
    """The sex and age grid (girls, boys, women, men) filling ``field``; with ``disability``,
    for each group how many live with a disability (left blank: not recorded; at most the
    group's count)."""
    counts: list[Question] = []
    for who in GROUPS:
        counts.append(
            Question(
                "integer",
                f"{prefix}{who}",
                f"Number of {who}",
                default="0",
                constraint=". >= 0",
                constraint_message="A count cannot be negative.",
                field=f"{field}.{who}",
            )
        )
        if disability:
            counts.append(
                Question(
                    "integer",
                    f"{prefix}{who}_with_disability",
                    f"Of them, {who} with a disability (leave blank if not known)",
                    constraint=f". >= 0 and . <= ${{{prefix}{who}}}",
                    constraint_message=f"Between 0 and the number of {who}.",
                    relevant=f"${{{prefix}{who}}} > 0",
                    field=f"{field}.{who}_with_disability",
                )
            )
    return Group(f"{prefix}{field}" if prefix else field, label, tuple(counts))


def _finds_repeat(date_field: str, *, fallback_point: str | None = None) -> Group:
    geometry = ("find_location", fallback_point) if fallback_point else ("find_location",)
    return Group(
        "finds",
        "Explosive ordnance found",
        (
            Question(
                "select_one",
                "find_category",
                "Category",
                "ordnance_category",
                required=True,
                field="category",
            ),
            Question("text", "find_model", "Model", hint="e.g. PMN-2", field="model"),
            Question(
                "integer",
                "find_quantity",
                "Quantity",
                default="1",
                constraint=". >= 1",
                constraint_message="At least one item.",
                field="quantity",
            ),
            Question(
                "decimal",
                "find_depth_cm",
                "Depth (cm)",
                constraint=". >= 0",
                field="depth_cm",
            ),
            Question(
                "select_one",
                "find_condition",
                "Condition",
                "device_condition",
                field="condition",
            ),
            Question("select_one", "find_disposal", "Disposal", "disposal", field="disposal"),
            Question("geopoint", "find_location", "Location of the item", required=True),
            Question("image", "find_photo", "Photo of the item"),
        ),
        repeat=True,
        child=Kind.DEVICE_FIND,
        link="activity_code",
        inherit=(("hazardous_area_code", "hazardous_area_code"), ("found_date", date_field)),
        geometry=geometry,
        date_of_information=(date_field,),
    )
