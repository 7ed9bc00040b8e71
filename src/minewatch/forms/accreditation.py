"""The accreditation form (``minewatch_accreditation``): the national authority records an
organisation's accreditation — the methods and assets it covers, the dates it is valid
between, the certificate's reference — or suspends or withdraws one.
"""

from __future__ import annotations

from minewatch.domain.records import Kind
from minewatch.forms.choices import _lists
from minewatch.forms.model import FormDefinition, Question
from minewatch.forms.shared_questions import _META

ACCREDITATION = FormDefinition(
    form_id="minewatch_accreditation",
    title="Accreditation of an organisation",
    kind=Kind.ACCREDITATION,
    description="The methods and assets an organisation is accredited for, the dates the "
    "accreditation is valid between and its certificate.",
    date_of_information=("decision_date",),
    organisation="issuing_authority_code",
    survey=(
        *_META,
        Question("date", "decision_date", "Date of the decision", required=True),
        Question(
            "text",
            "issuing_authority_code",
            "Code of the issuing authority",
            required=True,
            hint="The national authority's organisation code, e.g. ORG-000001.",
            field="issuing_authority_code",
        ),
        Question(
            "text",
            "accredited_organisation",
            "Code of the organisation accredited",
            required=True,
            hint="e.g. ORG-000002",
            field="organisation_code",
        ),
        Question(
            "select_multiple",
            "methods",
            "Methods accredited",
            "accredited_method",
            required=True,
            field="methods",
        ),
        Question(
            "select_multiple",
            "asset_types",
            "Asset types accredited",
            "asset_type",
            field="asset_types",
        ),
        Question("date", "valid_from", "Valid from", required=True, field="valid_from"),
        Question(
            "date",
            "valid_until",
            "Valid until",
            hint="The last day it is valid.",
            constraint=". >= ${valid_from}",
            constraint_message="The accreditation ends on or after the day it starts.",
            field="valid_until",
        ),
        Question(
            "text",
            "certificate_reference",
            "Certificate reference",
            required=True,
            field="certificate_reference",
        ),
        Question(
            "select_one",
            "accreditation_status",
            "Status",
            "accreditation_status",
            required=True,
            default="granted",
            field="status",
        ),
        Question("text", "conditions", "Conditions or limits", field="conditions"),
        Question("image", "certificate_photo", "Photo of the certificate"),
    ),
    choice_lists=_lists("accredited_method", "asset_type", "accreditation_status"),
)
