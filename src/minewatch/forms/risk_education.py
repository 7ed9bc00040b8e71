"""The risk education form (``minewatch_risk_education``): a session and the people it reached,
directly and indirectly, by sex, age and disability (the sector's beneficiary definitions).
"""

from __future__ import annotations

from minewatch.domain.records import (
    Kind,
)
from minewatch.forms.choices import _lists
from minewatch.forms.model import FormDefinition, Question
from minewatch.forms.shared_questions import _LOCATION, _META, _ORG, _beneficiaries

RISK_EDUCATION = FormDefinition(
    form_id="minewatch_risk_education",
    title="Explosive ordnance risk education session",
    kind=Kind.RISK_EDUCATION_SESSION,
    description="A risk education session and the people it reached, directly and "
    "indirectly, by sex, age and disability.",
    date_of_information=("session_date",),
    geometry=("session_location",),
    survey=(
        *_META,
        Question(
            "date", "session_date", "Date of the session", required=True, field="session_date"
        ),
        _ORG,
        _LOCATION,
        Question("select_one", "re_method", "Method", "re_method", field="method"),
        Question("geopoint", "session_location", "Where the session took place"),
        _beneficiaries(
            label="Direct beneficiaries: people who took part (by sex, age and disability)",
            disability=True,
        ),
        _beneficiaries(
            "indirect_",
            "indirect_beneficiaries",
            "Indirect beneficiaries: people reached through those who took part",
            disability=True,
        ),
        Question("image", "attendance_sheet", "Photo of the attendance sheet"),
    ),
    choice_lists=_lists("re_method"),
)
