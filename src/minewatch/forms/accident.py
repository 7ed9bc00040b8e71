"""The accident form (``minewatch_accident``): an explosive ordnance accident and each person
killed or injured, one victim record per row of the repeat. It asks for victims' names,
contacts and medical details: personal data, which minewatch never publishes.
"""

from __future__ import annotations

from minewatch.domain.records import (
    Kind,
)
from minewatch.forms.choices import _lists
from minewatch.forms.model import FormDefinition, Group, Question
from minewatch.forms.shared_questions import _LOCATION, _META, _ORG

ACCIDENT = FormDefinition(
    form_id="minewatch_accident",
    title="Explosive ordnance accident and victims",
    kind=Kind.ACCIDENT,
    description="An accident and each person killed or injured. Names, contacts and "
    "medical details are personal data: minewatch never publishes them.",
    date_of_information=("accident_date",),
    geometry=("accident_location",),
    survey=(
        *_META,
        Group(
            "accident",
            "Accident",
            (
                Question(
                    "date",
                    "accident_date",
                    "Date of the accident",
                    required=True,
                    field="accident_date",
                ),
                _ORG,
                _LOCATION,
                Question("geopoint", "accident_location", "Accident location", required=True),
                Question(
                    "select_one",
                    "device_category",
                    "Type of device",
                    "ordnance_category",
                    field="device_category",
                ),
                Question(
                    "select_one",
                    "device_type",
                    "Device, by the Landmine Monitor's casualty types",
                    "casualty_device_type",
                    field="device_type",
                ),
                Question(
                    "text",
                    "hazardous_area_code",
                    "Hazardous area code, if known",
                    field="hazardous_area_code",
                ),
                Question(
                    "select_one",
                    "during_demining",
                    "Did it happen during demining?",
                    "yes_no",
                    required=True,
                    field="during_demining",
                ),
                Question(
                    "text",
                    "description",
                    "What happened",
                    appearance="multiline",
                    field="description",
                ),
            ),
        ),
        Group(
            "victims",
            "Victims",
            (
                Question(
                    "select_one",
                    "victim_type",
                    "Victim",
                    "victim_type",
                    required=True,
                    field="victim_type",
                ),
                Question("select_one", "victim_sex", "Sex", "sex", required=True, field="sex"),
                Question(
                    "integer",
                    "victim_age",
                    "Age (years)",
                    constraint=". >= 0 and . <= 120",
                    field="age",
                ),
                Question(
                    "select_one",
                    "victim_outcome",
                    "Outcome",
                    "outcome",
                    required=True,
                    field="outcome",
                ),
                Question(
                    "select_one",
                    "victim_disability",
                    "Does the person live with a disability? (leave blank if not known)",
                    "yes_no",
                    field="disability",
                ),
                Question(
                    "text",
                    "victim_activity",
                    "Activity at the time",
                    field="activity_at_time",
                ),
                Question(
                    "text",
                    "victim_name",
                    "Name (personal data)",
                    field="name",
                ),
                Question("text", "victim_contact", "Contact (personal data)", field="contact"),
                Question(
                    "text",
                    "victim_medical",
                    "Medical details (personal data)",
                    appearance="multiline",
                    field="medical_details",
                ),
            ),
            repeat=True,
            child=Kind.VICTIM,
            link="accident_code",
            date_of_information=("accident_date",),
        ),
    ),
    choice_lists=_lists(
        "ordnance_category", "casualty_device_type", "yes_no", "victim_type", "sex", "outcome"
    ),
)
