"""The quality management visit form (``minewatch_qm_visit``): a quality assurance, quality
control or post-clearance inspection visit and the non-conformities it found.
"""

from __future__ import annotations

from minewatch.domain.records import (
    Kind,
)
from minewatch.forms.choices import _lists
from minewatch.forms.model import FormDefinition, Group, Question
from minewatch.forms.shared_questions import _META, _ORG

QUALITY_MANAGEMENT = FormDefinition(
    form_id="minewatch_qm_visit",
    title="Quality management visit",
    kind=Kind.QUALITY_MANAGEMENT_VISIT,
    description="A quality assurance, quality control or post-clearance inspection visit "
    "and the non-conformities it found.",
    date_of_information=("visit_date",),
    geometry=("visit_location",),
    survey=(
        *_META,
        Question("date", "visit_date", "Date of the visit", required=True, field="visit_date"),
        Question(
            "select_one", "visit_type", "Type of visit", "visit_type", True, field="visit_type"
        ),
        _ORG,
        Question(
            "text",
            "activity_code",
            "Activity visited",
            hint="e.g. LRA-000017",
            field="activity_code",
        ),
        Question("geopoint", "visit_location", "Where the visit took place"),
        Group(
            "non_conformities",
            "Non-conformities",
            (
                Question(
                    "select_one",
                    "nc_severity",
                    "Severity",
                    "severity",
                    required=True,
                    field="severity",
                ),
                Question(
                    "text",
                    "nc_description",
                    "Description",
                    required=True,
                    field="description",
                ),
                Question("image", "nc_photo", "Photo"),
            ),
            repeat=True,
            nested="non_conformities",
        ),
    ),
    choice_lists=_lists("visit_type", "severity"),
)
