"""The forms' choice lists, made from the data model's enums so a phone can only send values the
database accepts; only the labels are written here.
"""

from __future__ import annotations

from enum import Enum

from minewatch.domain.records import (
    ActivityMethod,
    ActivityType,
    BlockageType,
    CasualtyDeviceType,
    DeviceCondition,
    Disposal,
    EvidenceSource,
    EvidenceType,
    HazardClass,
    HazardType,
    OrdnanceCategory,
    Outcome,
    ProductType,
    Severity,
    Sex,
    VictimType,
)
from minewatch.forms.model import Choice

#: Labels where the enum value does not read well by itself.
_LABELS: dict[str, str] = {
    "SHA": "Suspected hazardous area (SHA)",
    "CHA": "Confirmed hazardous area (CHA)",
    "ap_mines": "Anti-personnel mines",
    "av_mines": "Anti-vehicle mines",
    "uxo_axo": "UXO / abandoned explosive ordnance",
    "cluster_munition_remnants": "Cluster munition remnants",
    "improvised_devices": "Improvised explosive devices",
    "eo_seen": "Explosive ordnance seen",
    "ap_mine": "Anti-personnel mine",
    "av_mine": "Anti-vehicle mine",
    "uxo": "Unexploded ordnance (UXO)",
    "axo": "Abandoned explosive ordnance (AXO)",
    "ied": "Improvised explosive device (IED)",
    "eod_spot_task": "EOD spot task",
    "security_forces": "Military or security forces",
    "non_state_armed_group": "Non-state armed group",
    "improvised_mine": "Improvised mine (victim-activated)",
    "command_detonated_ied": "Command-detonated IED",
    "other_erw": "Other explosive remnants of war",
}


def _label(value: str) -> str:
    return _LABELS.get(value, value.replace("_", " ").capitalize())


def enum_choices(enum: type[Enum], only: tuple[Enum, ...] = ()) -> tuple[Choice, ...]:
    """A choice list whose names are the enum's values (optionally a subset)."""
    members = only or tuple(enum)
    return tuple(Choice(str(m.value), _label(str(m.value))) for m in members)


def plain_choices(*names: str) -> tuple[Choice, ...]:
    return tuple(Choice(n, _label(n)) for n in names)


CHOICE_LISTS: dict[str, tuple[Choice, ...]] = {
    "hazard_class": enum_choices(HazardClass),
    "hazard_type": enum_choices(HazardType),
    "evidence_type": enum_choices(EvidenceType),
    "evidence_source": enum_choices(EvidenceSource),
    "blockage_type": enum_choices(BlockageType),
    "completion_activity": enum_choices(
        ActivityType, (ActivityType.TECHNICAL_SURVEY, ActivityType.CLEARANCE)
    ),
    "activity_method": enum_choices(ActivityMethod),
    "product_type": enum_choices(ProductType),
    "ordnance_category": enum_choices(OrdnanceCategory),
    "device_condition": enum_choices(DeviceCondition),
    "disposal": enum_choices(Disposal),
    # The Monitor's categories; the older stored code "military" is not offered any more
    # (it counts as security forces, domain.casualties.casualty_category).
    "victim_type": enum_choices(
        VictimType,
        (
            VictimType.CIVILIAN,
            VictimType.SECURITY_FORCES,
            VictimType.NON_STATE_ARMED_GROUP,
            VictimType.DEMINER,
            VictimType.UNKNOWN,
        ),
    ),
    "casualty_device_type": enum_choices(CasualtyDeviceType),
    "sex": enum_choices(Sex),
    "outcome": enum_choices(Outcome),
    "severity": enum_choices(Severity),
    "yes_no": (Choice("yes", "Yes"), Choice("no", "No")),
    "boundary_method": (
        Choice("shape", "Draw or walk the polygon (geoshape)"),
        Choice("walk", "Record the perimeter as a track (geotrace)"),
    ),
    # Free-text fields in the data model; these lists are the project's suggested values.
    "visit_type": plain_choices(
        "quality_assurance", "quality_control", "post_clearance_inspection"
    ),
    "re_method": plain_choices(
        "community_session", "school_session", "house_to_house", "mass_media", "other"
    ),
}


def _lists(*names: str) -> dict[str, tuple[Choice, ...]]:
    return {n: CHOICE_LISTS[n] for n in names}
