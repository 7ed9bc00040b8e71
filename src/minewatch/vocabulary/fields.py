"""English labels for every field of every record (as :func:`minewatch.domain.schema.field_specs`
reads them) and of the values nested in them (evidence, blockages, beneficiaries,
non-conformities): one label per field name, and a few per kind where the same name means
something else there.

>>> FIELD_LABELS["reported_area_m2"], KIND_FIELD_LABELS["risk_education_session"]["method"]
('Reported area', 'Delivery method')
"""

from __future__ import annotations

#: The values nested in records, as the kinds of :data:`FIELD_LABELS` name them.
NESTED_KINDS: dict[str, str] = {
    "evidence": "Evidence",
    "blockage": "Blockage",
    "sex_age": "SexAge",
    "non_conformity": "NonConformity",
    "assistance_service": "AssistanceService",
}

FIELD_LABELS: dict[str, str] = {
    # every record
    "id": "Identifier",
    "code": "Code",
    "version": "Version",
    "date_of_information": "Date of information",
    "external_id": "External identifier",
    "extra": "Other source fields",
    "name": "Name",
    "description": "Description",
    "geometry": "Geometry",
    "location_code": "Location",
    "organisation_code": "Organisation",
    "hazardous_area_code": "Hazardous area",
    "activity_code": "Activity",
    "accident_code": "Accident",
    "strike_code": "Strike",
    "beneficiaries": "Beneficiaries",
    "method": "Method",
    # organisation, location
    "acronym": "Acronym",
    "organisation_type": "Type of organisation",
    "country": "Country",
    "level": "Administrative level",
    "parent_code": "Part of",
    "pcode": "P-code",
    # hazardous area
    "classification": "Classification",
    "status": "Status",
    "hazard_types": "Hazard types",
    "evidence": "Evidence",
    "blockages": "Blocked land use",
    "reported_area_m2": "Reported area",
    "residual_risk": "Residual risk",
    # activity, product
    "activity_type": "Activity type",
    "start_date": "Start date",
    "end_date": "End date",
    "product_type": "Product type",
    "release_date": "Release date",
    # device find
    "category": "Ordnance category",
    "model": "Model",
    "quantity": "Quantity",
    "depth_cm": "Depth",
    "condition": "Condition",
    "disposal": "Disposal",
    "found_date": "Date found",
    # accident, victim
    "accident_date": "Date of accident",
    "device_category": "Device category",
    "device_type": "Device type (Landmine Monitor)",
    "disability": "Disability",
    "during_demining": "During demining",
    "victim_type": "Victim type",
    "sex": "Sex",
    "age": "Age",
    "outcome": "Outcome",
    "activity_at_time": "Activity at the time",
    "contact": "Contact details",
    "medical_details": "Medical details",
    # risk education, quality management
    "session_date": "Session date",
    "visit_date": "Visit date",
    "visit_type": "Visit type",
    "non_conformities": "Non-conformities",
    # scatterable strike
    "mine_type": "Mine type",
    "mine_count": "Number of mines",
    "laid_at": "Laid at",
    "self_destruct_period_hours": "Self-destruct period",
    "delivery_system": "Delivery system",
    # accreditation
    "methods": "Methods",
    "asset_types": "Asset types",
    "valid_from": "Valid from",
    "valid_until": "Valid until",
    "certificate_reference": "Certificate reference",
    "issuing_authority_code": "Issuing authority",
    "conditions": "Conditions",
    # task order
    "authority_code": "Tasking authority",
    "hazardous_area_codes": "Hazardous areas",
    "priority_rank": "Priority rank",
    "priority_score": "Priority score",
    "priority_scenario": "Prioritisation scenario",
    "issue_date": "Date issued",
    "due_date": "Due date",
    "status_date": "Status since",
    "status_reason": "Reason for the status",
    "released_m2": "Area released",
    "remaining_m2": "Area remaining",
    "task_order_code": "Task order",
    # victim assistance
    "victim_code": "Survivor",
    "services": "Needs and services",
    "household": "Household members reached",
    "follow_up_status": "Follow-up status",
    "last_contact_date": "Last contact",
    "next_follow_up_date": "Next follow-up",
    "follow_up_notes": "Follow-up notes",
    "assistance_type": "Assistance",
    "provider": "Provider",
    "identified_date": "Date identified",
    "referred_date": "Date referred",
    "received_date": "Date received",
    # nested values
    "type": "Type",
    "source": "Source",
    "note": "Note",
    "severity": "Severity",
    "girls": "Girls",
    "boys": "Boys",
    "women": "Women",
    "men": "Men",
    "girls_with_disability": "Girls with a disability",
    "boys_with_disability": "Boys with a disability",
    "women_with_disability": "Women with a disability",
    "men_with_disability": "Men with a disability",
    "indirect_beneficiaries": "Indirect beneficiaries",
}

#: Where a field's name means something particular to its kind.
KIND_FIELD_LABELS: dict[str, dict[str, str]] = {
    "organisation": {"country": "Country of origin"},
    "location": {"name": "Place name"},
    "land_release_activity": {"method": "Method of work"},
    "task_order": {"name": "Task name", "organisation_code": "Organisation tasked"},
    "accreditation": {"organisation_code": "Organisation accredited"},
    "victim_assistance": {"organisation_code": "Focal point organisation"},
    "assistance_service": {"status": "Service status"},
    "risk_education_session": {"method": "Delivery method"},
    "evidence": {"type": "Indicator", "source": "How it is known"},
    "blockage": {"type": "Land use blocked"},
    "non_conformity": {"description": "What was found"},
}

#: The help a form shows under the report's own fields (the records' fields declare theirs
#: in :mod:`minewatch.domain.records`); translated under the context ``help``.
REPORT_FIELD_HELP: dict[str, str] = {
    "date_of_information": "The day the information describes; nothing it reports may be later",
    "source": "The form, survey or document the information comes from",
}

#: The rows of the sex-and-age grid by the suffix of their fields (``girls_with_disability``
#: is "girls" in the row ``_with_disability``); translated under the context ``field``.
SEX_AGE_ROWS: dict[str, str] = {"": "All", "_with_disability": "With disability"}

#: Units of measure: the symbol shown beside a number, keyed by a stable code.
UNITS: dict[str, str] = {
    "m2": "m²",
    "ha": "ha",
    "km2": "km²",
    "m": "m",
    "km": "km",
    "cm": "cm",
    "hours": "h",
    "days": "d",
    "percent": "%",
    "people": "people",
}

#: The unit each measured field is stored in (the number is shown with this unit).
FIELD_UNITS: dict[str, str] = {
    "reported_area_m2": "m2",
    "released_m2": "m2",
    "remaining_m2": "m2",
    "depth_cm": "cm",
    "self_destruct_period_hours": "hours",
}
