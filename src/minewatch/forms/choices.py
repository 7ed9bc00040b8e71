"""The forms' choice lists, made from the data model's enums so a phone can only send values the
database accepts; only the labels are written here.
"""

from __future__ import annotations

from enum import Enum

from minewatch.domain.records import (
    AccreditationStatus,
    ActivityMethod,
    ActivityType,
    AssetType,
    AssistanceType,
    BlockageType,
    CasualtyDeviceType,
    DeviceCondition,
    Disposal,
    EvidenceSource,
    EvidenceType,
    FollowUpStatus,
    HazardClass,
    HazardType,
    OrdnanceCategory,
    Outcome,
    ProductType,
    ServiceStatus,
    Severity,
    Sex,
    TaskStatus,
    VictimType,
)
from minewatch.forms.model import Choice
from minewatch.vocabulary.labels import english_label

#: English labels of the suggested values of free-text fields (not stored codes of an
#: enumeration, whose labels are the vocabulary's).
_PLAIN_LABELS: dict[str, str] = {
    "quality_assurance": "Quality assurance",
    "quality_control": "Quality control",
    "post_clearance_inspection": "Post-clearance inspection",
    "community_session": "Community session",
    "school_session": "School session",
    "house_to_house": "House to house",
    "mass_media": "Mass media",
    "other": "Other",
}


def enum_choices(enum: type[Enum], only: tuple[Enum, ...] = ()) -> tuple[Choice, ...]:
    """A choice list whose names are the enum's values (optionally a subset), labelled as the
    vocabulary labels them (translated under the enumeration's name).

    >>> enum_choices(HazardClass)[0]
    Choice(name='SHA', label='Suspected hazardous area (SHA)', context='HazardClass')
    """
    members = only or tuple(enum)
    name = enum.__name__
    return tuple(Choice(str(m.value), english_label(name, str(m.value)), name) for m in members)


def plain_choices(*names: str) -> tuple[Choice, ...]:
    return tuple(Choice(n, _PLAIN_LABELS[n]) for n in names)


CHOICE_LISTS: dict[str, tuple[Choice, ...]] = {
    "hazard_class": enum_choices(HazardClass),
    "hazard_type": enum_choices(HazardType),
    "evidence_type": enum_choices(EvidenceType),
    "evidence_source": enum_choices(EvidenceSource),
    "blockage_type": enum_choices(BlockageType),
    "completion_activity": enum_choices(
        ActivityType, (ActivityType.TECHNICAL_SURVEY, ActivityType.CLEARANCE)
    ),
    # How work was done; the capabilities only accreditation names are not offered here.
    "task_activity": enum_choices(ActivityType),
    "activity_method": enum_choices(
        ActivityMethod,
        (
            ActivityMethod.MANUAL,
            ActivityMethod.MECHANICAL,
            ActivityMethod.ANIMAL_DETECTION,
            ActivityMethod.COMBINED,
            ActivityMethod.DESK,
            ActivityMethod.OTHER,
        ),
    ),
    "accredited_method": enum_choices(
        ActivityMethod,
        (
            ActivityMethod.MANUAL,
            ActivityMethod.MECHANICAL,
            ActivityMethod.ANIMAL_DETECTION,
            ActivityMethod.EOD,
            ActivityMethod.NON_TECHNICAL_SURVEY,
            ActivityMethod.TECHNICAL_SURVEY,
        ),
    ),
    "asset_type": enum_choices(AssetType),
    "accreditation_status": enum_choices(AccreditationStatus),
    "task_status": enum_choices(TaskStatus),
    "assistance_type": enum_choices(AssistanceType),
    "service_status": enum_choices(ServiceStatus),
    "follow_up_status": enum_choices(FollowUpStatus),
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
