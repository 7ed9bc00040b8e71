"""The EOD spot task form (``minewatch_eod_spot_task``): an explosive ordnance disposal call-out,
where the team went and what it found and destroyed.
"""

from __future__ import annotations

from minewatch.domain.records import (
    ActivityType,
    Kind,
)
from minewatch.forms.choices import _lists
from minewatch.forms.model import FormDefinition, Group, Question
from minewatch.forms.shared_questions import _META, _ORG, _finds_repeat

EOD_SPOT_TASK = FormDefinition(
    form_id="minewatch_eod_spot_task",
    title="EOD spot task",
    kind=Kind.LAND_RELEASE_ACTIVITY,
    description="An explosive ordnance disposal call-out: where the team went and what it "
    "found and destroyed.",
    date_of_information=("task_date",),
    constants=(("activity_type", ActivityType.EOD_SPOT_TASK.value),),
    extra_fields=(("end_date", "task_date"),),
    survey=(
        *_META,
        Group(
            "task",
            "Task",
            (
                Question(
                    "date", "task_date", "Date of the task", required=True, field="start_date"
                ),
                _ORG,
                Question(
                    "text",
                    "hazardous_area_code",
                    "Hazardous area code, if the item lay in a recorded area",
                    field="hazardous_area_code",
                ),
                Question("geopoint", "task_location", "Task location", required=True),
                Question("geotrace", "access_route", "Safe access route"),
            ),
        ),
        _finds_repeat("task_date", fallback_point="task_location"),
        Question("text", "description", "Remarks", appearance="multiline", field="description"),
    ),
    choice_lists=_lists("ordnance_category", "device_condition", "disposal"),
)
