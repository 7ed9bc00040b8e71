"""The field forms minewatch ships, written as data.

Each :class:`FormDefinition` describes one XLSForm (its questions, groups, repeats and choice
lists) *and* how its answers become reports: a question's ``field`` names the record field it
fills, a repeat's ``child`` or ``nested`` says whether its rows become separate records (the
victims of an accident) or a list inside the main record (the evidence of a hazardous area).

Choice lists come from the enums of :mod:`minewatch.domain.records`, so the values a phone
submits are exactly the values the data model accepts; only the labels are written by hand
(:mod:`.choices`).

>>> form = FORMS["minewatch_accident"]
>>> form.kind.value
'accident'
>>> [c.name for c in form.choice_lists["sex"]]
['female', 'male', 'unknown']

Where things are: :mod:`.model` (:class:`~.model.FormDefinition`, :class:`~.model.Question`,
:class:`~.model.Group`, :class:`~.model.Choice`), :mod:`.choices` (the choice lists),
:mod:`.shared_questions` (questions several forms ask), and one module per form:
:mod:`.hazardous_area`, :mod:`.completion`, :mod:`.eod_spot_task`, :mod:`.accident`,
:mod:`.risk_education`, :mod:`.quality_management`, :mod:`.accreditation`, :mod:`.task_order`,
:mod:`.victim_assistance`. This module lists them (:data:`FORMS`).
"""

from __future__ import annotations

from minewatch.forms.accident import ACCIDENT
from minewatch.forms.accreditation import ACCREDITATION
from minewatch.forms.completion import COMPLETION
from minewatch.forms.eod_spot_task import EOD_SPOT_TASK
from minewatch.forms.hazardous_area import HAZARDOUS_AREA
from minewatch.forms.model import FormDefinition
from minewatch.forms.quality_management import QUALITY_MANAGEMENT
from minewatch.forms.risk_education import RISK_EDUCATION
from minewatch.forms.task_order import TASK_ORDER
from minewatch.forms.victim_assistance import VICTIM_ASSISTANCE

#: The version written into every form's settings; bump it when a form changes, because
#: KoboToolbox and ODK Central refuse to replace a form with the same version.
FORMS_VERSION = "2026120703"

#: Every shipped form, by form_id.
FORMS: dict[str, FormDefinition] = {
    f.form_id: f
    for f in (
        HAZARDOUS_AREA,
        COMPLETION,
        EOD_SPOT_TASK,
        ACCIDENT,
        RISK_EDUCATION,
        QUALITY_MANAGEMENT,
        ACCREDITATION,
        TASK_ORDER,
        VICTIM_ASSISTANCE,
    )
}


def form_names(form: FormDefinition) -> dict[str, str]:
    """Question label → name, for exports whose headers are labels rather than names."""
    return {q.label: q.name for q in form.questions() if q.label}


def all_definitions() -> list[FormDefinition]:
    return list(FORMS.values())


__all__ = ["FORMS", "FORMS_VERSION", "all_definitions", "form_names"]
