"""The task order form (``minewatch_task_order``): the national authority orders an
organisation to survey or clear one or more hazardous areas by a date. Status changes
(accepted, in progress, suspended, completed, cancelled) are made on the tasking board or
with ``minewatch task status``, where the workflow's rules apply.
"""

from __future__ import annotations

from minewatch.domain.records import Kind
from minewatch.forms.choices import _lists
from minewatch.forms.model import FormDefinition, Question
from minewatch.forms.shared_questions import _META

TASK_ORDER = FormDefinition(
    form_id="minewatch_task_order",
    title="Task order",
    kind=Kind.TASK_ORDER,
    description="A task order from the national authority to an organisation for one or "
    "more hazardous areas.",
    date_of_information=("issue_date",),
    organisation="authority_code",
    survey=(
        *_META,
        Question("date", "issue_date", "Date issued", required=True, field="issue_date"),
        Question(
            "text",
            "authority_code",
            "Code of the issuing authority",
            required=True,
            hint="The national authority's organisation code, e.g. ORG-000001.",
            field="authority_code",
        ),
        Question(
            "text",
            "tasked_organisation",
            "Code of the organisation tasked",
            required=True,
            hint="e.g. ORG-000002",
            field="organisation_code",
        ),
        Question(
            "text",
            "hazardous_area_codes",
            "Hazardous area codes",
            required=True,
            hint="One or more codes separated by spaces, e.g. HA-000012 HA-000013.",
            field="hazardous_area_codes",
        ),
        Question("text", "task_name", "Task name", field="name"),
        Question("select_one", "activity_type", "Activity", "task_activity", field="activity_type"),
        Question("select_one", "method", "Main method", "activity_method", field="method"),
        Question(
            "integer",
            "priority_rank",
            "Priority rank",
            hint="The areas' rank in the prioritisation (1 first).",
            constraint=". >= 1",
            constraint_message="A rank starts at 1.",
            field="priority_rank",
        ),
        Question(
            "date",
            "start_date",
            "Planned start",
            constraint=". >= ${issue_date}",
            constraint_message="A task cannot start before it is issued.",
            field="start_date",
        ),
        Question(
            "date",
            "due_date",
            "Due date",
            constraint=". >= ${issue_date}",
            constraint_message="A task cannot be due before it is issued.",
            field="due_date",
        ),
        Question("text", "task_description", "Instructions", field="description"),
        Question("image", "task_map", "Photo of the task map"),
    ),
    choice_lists=_lists("task_activity", "activity_method"),
)
