"""The victim assistance form (``minewatch_victim_assistance``): a focal point's follow-up
of one survivor — each need, the service referred and received, by provider and date — the
household members the assistance reaches, and where the follow-up stands. The survivor is
named by their victim record's code; the notes are personal data.
"""

from __future__ import annotations

from minewatch.domain.records import Kind
from minewatch.forms.choices import _lists
from minewatch.forms.model import FormDefinition, Group, Question
from minewatch.forms.shared_questions import _META, _ORG, _beneficiaries

VICTIM_ASSISTANCE = FormDefinition(
    form_id="minewatch_victim_assistance",
    title="Victim assistance follow-up",
    kind=Kind.VICTIM_ASSISTANCE,
    description="A survivor's needs and the services referred and received, by provider and "
    "date, and the household members the assistance reaches.",
    date_of_information=("contact_date",),
    survey=(
        *_META,
        Question(
            "date", "contact_date", "Date of the contact", required=True, field="last_contact_date"
        ),
        _ORG,
        Question(
            "text",
            "victim_code",
            "Survivor's victim code",
            required=True,
            hint="The code of the survivor's victim record, e.g. VIC-000012.",
            field="victim_code",
        ),
        Group(
            "services",
            "Needs and services",
            (
                Question(
                    "select_one",
                    "assistance_type",
                    "Assistance",
                    "assistance_type",
                    required=True,
                    field="assistance_type",
                ),
                Question(
                    "select_one",
                    "service_status",
                    "How far it went",
                    "service_status",
                    required=True,
                    field="status",
                ),
                Question("text", "provider", "Provider", field="provider"),
                Question(
                    "date",
                    "identified_date",
                    "Date the need was identified",
                    field="identified_date",
                ),
                Question("date", "referred_date", "Date referred", field="referred_date"),
                Question(
                    "date",
                    "received_date",
                    "Date received",
                    constraint=". >= ${referred_date}",
                    constraint_message="A service cannot be received before the referral.",
                    field="received_date",
                ),
            ),
            repeat=True,
            nested="services",
        ),
        _beneficiaries(
            "household_",
            "household",
            "Household members the assistance reaches (by sex, age and disability)",
            disability=True,
        ),
        Question(
            "select_one",
            "follow_up_status",
            "Follow-up status",
            "follow_up_status",
            required=True,
            default="active",
            field="follow_up_status",
        ),
        Question("date", "next_follow_up_date", "Next follow-up", field="next_follow_up_date"),
        Question("text", "follow_up_notes", "Notes (personal data)", field="follow_up_notes"),
    ),
    choice_lists=_lists("assistance_type", "service_status", "follow_up_status"),
)
