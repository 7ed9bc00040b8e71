"""The completion form (``minewatch_completion``): the close of a technical survey or clearance
task, its worksite, each piece of land released (a release product per row) and every item
found.
"""

from __future__ import annotations

from minewatch.domain.records import (
    Kind,
)
from minewatch.forms.choices import _lists
from minewatch.forms.model import FormDefinition, Group, Question
from minewatch.forms.shared_questions import _META, _ORG, _finds_repeat

COMPLETION = FormDefinition(
    form_id="minewatch_completion",
    title="Technical survey and clearance completion",
    kind=Kind.LAND_RELEASE_ACTIVITY,
    description="Closes a technical survey or clearance task: the worksite, the land "
    "cancelled, reduced or cleared, and every item found.",
    date_of_information=("end_date",),
    geometry=("worksite",),
    survey=(
        *_META,
        Group(
            "task",
            "Task",
            (
                Question(
                    "select_one",
                    "activity_type",
                    "Activity",
                    "completion_activity",
                    required=True,
                    field="activity_type",
                ),
                Question("select_one", "method", "Main method", "activity_method", field="method"),
                Question(
                    "text",
                    "hazardous_area_code",
                    "Hazardous area code",
                    required=True,
                    hint="e.g. HA-000123",
                    field="hazardous_area_code",
                ),
                _ORG,
                Question(
                    "text",
                    "task_order_code",
                    "Task order code",
                    hint="The task order this work fulfils, e.g. TSK-000004 (blank if none).",
                    field="task_order_code",
                ),
                Question("date", "start_date", "Start date", required=True, field="start_date"),
                Question(
                    "date",
                    "end_date",
                    "Completion date",
                    required=True,
                    constraint=". >= ${start_date}",
                    constraint_message="Completion cannot be before the start.",
                    field="end_date",
                ),
            ),
        ),
        Question("geoshape", "worksite", "Worksite boundary"),
        Group(
            "products",
            "Land released",
            (
                Question(
                    "select_one",
                    "product_type",
                    "How was this land released?",
                    "product_type",
                    required=True,
                    field="product_type",
                ),
                Question(
                    "geoshape", "product_area", "Boundary of the released land", required=True
                ),
                Question(
                    "decimal",
                    "product_area_m2",
                    "Area (m²) as measured on site",
                    constraint=". > 0",
                    field="reported_area_m2",
                ),
            ),
            repeat=True,
            child=Kind.RELEASE_PRODUCT,
            link="activity_code",
            inherit=(
                ("hazardous_area_code", "hazardous_area_code"),
                ("organisation_code", "organisation_code"),
                ("release_date", "end_date"),
            ),
            geometry=("product_area",),
            date_of_information=("end_date",),
        ),
        _finds_repeat("end_date"),
        Question("text", "description", "Remarks", appearance="multiline", field="description"),
    ),
    choice_lists=_lists(
        "completion_activity",
        "activity_method",
        "product_type",
        "ordnance_category",
        "device_condition",
        "disposal",
    ),
)
