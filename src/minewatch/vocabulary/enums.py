"""English labels for every stored code: the enumerations of the domain (records, report
workflow, access roles, geometry findings, treaty status, policy) and the land release
accounting's issues, keyed by the enumeration's class name and the code stored in the data.

English is the source text: the catalogues (:mod:`minewatch.vocabulary.catalogue`)
translate these strings, with the enumeration's name as the message context, so the same
English word may be translated differently in two lists. Stored codes never change with the
language.

>>> ENUM_LABELS["HazardType"]["uxo_axo"]
'Unexploded or abandoned ordnance'
"""

from __future__ import annotations

ENUM_LABELS: dict[str, dict[str, str]] = {
    "Kind": {
        "organisation": "Organisation",
        "location": "Location",
        "hazardous_area": "Hazardous area",
        "land_release_activity": "Land release activity",
        "release_product": "Release product",
        "device_find": "Device find",
        "accident": "Accident",
        "victim": "Victim",
        "risk_education_session": "Risk education session",
        "quality_management_visit": "Quality management visit",
        "scatterable_strike": "Scatterable mine strike",
    },
    "HazardClass": {
        "SHA": "Suspected hazardous area (SHA)",
        "CHA": "Confirmed hazardous area (CHA)",
    },
    "HazardStatus": {
        "open": "Open",
        "suspended": "Suspended",
        "closed": "Closed",
        "released": "Released",
    },
    "ReleaseProgress": {
        "not_released": "Not released",
        "partly_released": "Partly released",
        "released": "Released",
    },
    "HazardType": {
        "ap_mines": "Anti-personnel mines",
        "av_mines": "Anti-vehicle mines",
        "uxo_axo": "Unexploded or abandoned ordnance",
        "cluster_munition_remnants": "Cluster munition remnants",
        "improvised_devices": "Improvised explosive devices",
    },
    "EvidenceType": {
        "eo_seen": "Explosive ordnance seen",
        "marking": "Hazard marking",
        "scrap": "Ordnance scrap or fragments",
        "craters": "Craters",
        "accident": "Accident",
        "damaged_infrastructure": "Damaged infrastructure",
        "military_positions": "Former military positions",
        "land_not_used": "Land not used",
        "animal_casualty": "Animal casualty",
        "strike_record": "Strike record",
    },
    "EvidenceSource": {
        "seen": "Seen by the surveyor",
        "told": "Reported by an informant",
        "records": "From records",
    },
    "BlockageType": {
        "agriculture": "Agriculture",
        "grazing": "Grazing",
        "housing": "Housing",
        "road": "Road",
        "water": "Water source",
        "infrastructure": "Infrastructure",
        "forest": "Forest",
        "school": "School",
        "health": "Health facility",
        "other": "Other",
    },
    "ActivityType": {
        "non_technical_survey": "Non-technical survey",
        "technical_survey": "Technical survey",
        "clearance": "Clearance",
        "eod_spot_task": "EOD spot task",
    },
    "ActivityMethod": {
        "manual": "Manual",
        "mechanical": "Mechanical",
        "animal_detection": "Animal detection",
        "combined": "Combined",
        "desk": "Desk assessment",
        "other": "Other",
    },
    "ProductType": {
        "cancelled": "Cancelled",
        "reduced": "Reduced",
        "cleared": "Cleared",
    },
    "OrdnanceCategory": {
        "ap_mine": "Anti-personnel mine",
        "av_mine": "Anti-vehicle mine",
        "uxo": "Unexploded ordnance",
        "axo": "Abandoned explosive ordnance",
        "submunition": "Submunition",
        "ied": "Improvised explosive device",
        "small_arms_ammunition": "Small arms ammunition",
    },
    "DeviceCondition": {
        "live": "Live",
        "inert": "Inert",
        "self_destructed": "Self-destructed",
        "damaged": "Damaged",
        "unknown": "Unknown",
    },
    "Disposal": {
        "destroyed_in_situ": "Destroyed in place",
        "removed": "Removed",
        "rendered_safe": "Rendered safe",
        "pending": "Pending",
    },
    "VictimType": {
        "civilian": "Civilian",
        "deminer": "Deminer",
        "military": "Military",
        "security_forces": "Military or security forces",
        "non_state_armed_group": "Non-state armed group",
        "unknown": "Not recorded",
    },
    "Sex": {
        "female": "Female",
        "male": "Male",
        "unknown": "Not recorded",
    },
    "Outcome": {
        "killed": "Killed",
        "injured": "Injured",
        "unknown": "Not known",
    },
    "CasualtyDeviceType": {
        "ap_mine": "Anti-personnel mine",
        "av_mine": "Anti-vehicle mine",
        "improvised_mine": "Improvised mine (victim-activated)",
        "command_detonated_ied": "Command-detonated IED",
        "cluster_munition_remnant": "Cluster munition remnant",
        "other_erw": "Other explosive remnants of war",
        "unknown": "Not known",
    },
    "Severity": {
        "critical": "Critical",
        "major": "Major",
        "minor": "Minor",
    },
    "LocationLevel": {
        "country": "Country",
        "adm1": "Province or region (admin level 1)",
        "adm2": "District (admin level 2)",
        "adm3": "Sub-district (admin level 3)",
        "adm4": "Commune (admin level 4)",
        "settlement": "Settlement",
    },
    "ReportState": {
        "draft": "Draft",
        "submitted": "Waiting for review",
        "approved": "Approved",
        "rejected": "Rejected",
    },
    "ReportAction": {
        "create": "New record",
        "update": "Change to a record",
    },
    "Role": {
        "public": "Public",
        "data_worker": "Data worker",
        "reviewer": "Reviewer",
        "admin": "Administrator",
    },
    "Rule": {
        "null_geometry": "No geometry",
        "too_many_vertices": "Too many vertices",
        "empty_geometry": "Empty geometry",
        "wrong_geometry_type": "Wrong geometry type",
        "invalid_coordinate": "Invalid coordinate",
        "swapped_coordinates": "Latitude and longitude swapped",
        "unclosed_ring": "Polygon ring not closed",
        "too_few_points": "Too few points",
        "self_intersection": "Boundary crosses itself",
        "invalid_polygon": "Invalid polygon",
        "vertex_gap": "Gap between vertices too long",
        "outside_boundary": "Outside the national boundary",
        "duplicate": "Duplicate",
        "overlap": "Overlaps another area",
    },
    "FindingSeverity": {
        "error": "Error",
        "warning": "Warning",
        "repaired": "Repaired",
    },
    "ProvisionStatus": {
        "verified": "Verified",
        "secondary": "From a secondary source",
        "unconfirmed": "Unconfirmed",
    },
    "VersionKind": {
        "replaces": "Replaces",
        "amends": "Amends",
    },
    "ConditionAssessment": {
        "not engaged (sourced)": "Not engaged in armed conflict (sourced)",
        "engaged in armed conflict (sourced)": "Engaged in armed conflict (sourced)",
        "not assessed: no sourced armed-conflict input": "Not assessed: no sourced information on armed conflict",
        "took effect, as the depositary states": "Took effect, as the depositary states",
    },
    "ConsentType": {
        "ratification": "Ratification",
        "acceptance": "Acceptance",
        "approval": "Approval",
        "accession": "Accession",
        "succession": "Succession",
        "consent to be bound": "Consent to be bound",
    },
    "CountDefinition": {
        "in-force": "States for which the treaty is in force",
        "consented": "States that have consented to be bound",
    },
    "Instrument": {
        "apmbc": "Anti-Personnel Mine Ban Convention",
        "ccw-ap2": "CCW Amended Protocol II",
    },
    "StatusKind": {
        "not bound": "Not bound",
        "signed": "Signed",
        "consented, not yet in force": "Consented, not yet in force",
        "bound": "Bound",
        "withdrawal pending": "Withdrawal pending",
        "withdrawn": "Withdrawn",
    },
    # minewatch.analysis.landrelease.result.Issue (named here, not imported: the analysis
    # layer sits above the vocabulary; tests/vocabulary checks the two agree).
    "Issue": {
        "clipped_outside_area": "Part outside its hazardous area",
        "reported_area_mismatch": "Reported area differs from the measured area",
        "unknown_hazardous_area": "Names an unknown hazardous area",
        "empty_geometry": "Empty geometry",
        "repaired_geometry": "Geometry repaired",
        "already_released": "Land already released by an earlier product",
        "missing_release_date": "No release date",
        "overlapping_areas": "Overlapping hazardous areas",
        "snapped_to_grid": "Snapped to grid",
    },
}
