"""The hazardous area form (``minewatch_hazardous_area``, non-technical survey): a suspected or
confirmed hazardous area, its boundary, evidence, blockages and the people who live with it.
"""

from __future__ import annotations

from minewatch.domain.records import (
    Kind,
)
from minewatch.forms.choices import _lists
from minewatch.forms.model import FormDefinition, Group, Question
from minewatch.forms.shared_questions import _LOCATION, _META, _ORG, _beneficiaries

HAZARDOUS_AREA = FormDefinition(
    form_id="minewatch_hazardous_area",
    title="Hazardous area (non-technical survey)",
    kind=Kind.HAZARDOUS_AREA,
    description="Records a suspected or confirmed hazardous area found by non-technical "
    "survey, with its evidence, blockages and the people who live with it.",
    date_of_information=("survey_date",),
    geometry=("area", "perimeter_walk"),
    survey=(
        *_META,
        Group(
            "survey",
            "Survey",
            (
                Question("date", "survey_date", "Date of the survey", required=True),
                _ORG,
                _LOCATION,
                Question("text", "area_name", "Local name of the area", field="name"),
                Question(
                    "select_one",
                    "classification",
                    "Classification",
                    "hazard_class",
                    required=True,
                    field="classification",
                ),
                Question(
                    "select_multiple",
                    "hazard_types",
                    "Types of hazard",
                    "hazard_type",
                    required=True,
                    field="hazard_types",
                ),
            ),
        ),
        Group(
            "boundary",
            "Boundary",
            (
                Question(
                    "select_one",
                    "boundary_method",
                    "How will you record the boundary?",
                    "boundary_method",
                    required=True,
                ),
                Question(
                    "geoshape",
                    "area",
                    "Boundary of the hazardous area",
                    required=True,
                    relevant="${boundary_method} = 'shape'",
                    hint="Latitude comes first in what the phone stores; minewatch handles it.",
                ),
                Question(
                    "geotrace",
                    "perimeter_walk",
                    "Walk the perimeter",
                    required=True,
                    relevant="${boundary_method} = 'walk'",
                    hint="Walk around the area; the track is closed into a polygon on import.",
                ),
                Question(
                    "decimal",
                    "reported_area_m2",
                    "Area estimated on site (m²)",
                    constraint=". > 0",
                    constraint_message="The area must be positive.",
                    field="reported_area_m2",
                ),
            ),
        ),
        Group(
            "evidence",
            "Evidence",
            (
                Question(
                    "select_one",
                    "evidence_type",
                    "Indicator",
                    "evidence_type",
                    required=True,
                    field="type",
                ),
                Question(
                    "select_one",
                    "evidence_source",
                    "How do you know?",
                    "evidence_source",
                    required=True,
                    field="source",
                ),
                Question("text", "evidence_note", "Details", field="note"),
                Question("geopoint", "evidence_location", "Where the indicator is"),
                Question("image", "evidence_photo", "Photo"),
            ),
            repeat=True,
            nested="evidence",
        ),
        Question(
            "select_multiple",
            "blockages",
            "What does the hazard block?",
            "blockage_type",
            field="blockages",
            each="type",
        ),
        _beneficiaries(),
        Question(
            "text",
            "description",
            "Description",
            appearance="multiline",
            field="description",
        ),
        Question("image", "sketch_map", "Photo of the sketch map"),
    ),
    choice_lists=_lists(
        "hazard_class",
        "hazard_type",
        "boundary_method",
        "evidence_type",
        "evidence_source",
        "blockage_type",
    ),
)
