"""The field forms minewatch ships, written as data.

Each :class:`FormDefinition` describes one XLSForm (its questions, groups, repeats and choice
lists) *and* how its answers become reports: a question's ``field`` names the record field it
fills, a repeat's ``child`` or ``nested`` says whether its rows become separate records (the
victims of an accident) or a list inside the main record (the evidence of a hazardous area).

Choice lists come from the enums of :mod:`minewatch.domain.records`, so the values a phone
submits are exactly the values the data model accepts; only the labels are written here.

>>> form = FORMS["minewatch_accident"]
>>> form.kind.value
'accident'
>>> [c.name for c in form.choice_lists["sex"]]
['female', 'male', 'unknown']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from minewatch.domain.records import (
    ActivityMethod,
    ActivityType,
    BlockageType,
    DeviceCondition,
    Disposal,
    EvidenceSource,
    EvidenceType,
    HazardClass,
    HazardType,
    Kind,
    OrdnanceCategory,
    Outcome,
    ProductType,
    Severity,
    Sex,
    VictimType,
)

#: The version written into every form's settings; bump it when a form changes, because
#: KoboToolbox and ODK Central refuse to replace a form with the same version.
FORMS_VERSION = "2026112401"


@dataclass(frozen=True)
class Choice:
    name: str
    label: str


@dataclass(frozen=True)
class Question:
    """One XLSForm row. ``type`` is the XLSForm type without its list (``select_one`` and
    ``select_multiple`` take ``choices``). ``field`` is the record field the answer fills
    (``beneficiaries.girls`` reaches into a nested value); ``each`` turns a select_multiple
    into a list of objects with that key (blockages)."""

    type: str
    name: str
    label: str = ""
    choices: str | None = None
    required: bool = False
    hint: str = ""
    relevant: str = ""
    constraint: str = ""
    constraint_message: str = ""
    appearance: str = ""
    default: str = ""
    field: str | None = None
    each: str | None = None

    @property
    def xlsform_type(self) -> str:
        return f"{self.type} {self.choices}" if self.choices else self.type


@dataclass(frozen=True)
class Group:
    """A group, or with ``repeat`` a repeat group. A repeat with ``child`` makes one record
    of that kind per row, linked to the main record through the field ``link``; a repeat
    with ``nested`` fills that list field of the main record."""

    name: str
    label: str
    children: tuple[Question | Group, ...]
    repeat: bool = False
    relevant: str = ""
    appearance: str = ""
    child: Kind | None = None
    link: str | None = None
    nested: str | None = None
    #: For child records: fields filled from the main part of the submission (looked up
    #: after the repeat row's own answers), e.g. the release date of a product.
    inherit: tuple[tuple[str, str], ...] = ()
    geometry: tuple[str, ...] = ()
    date_of_information: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormDefinition:
    form_id: str
    title: str
    kind: Kind
    survey: tuple[Question | Group, ...]
    choice_lists: dict[str, tuple[Choice, ...]]
    date_of_information: tuple[str, ...]
    geometry: tuple[str, ...] = ()
    organisation: str | None = "organisation_code"
    constants: tuple[tuple[str, str], ...] = ()
    #: (field, question) pairs for a question that fills a second field too.
    extra_fields: tuple[tuple[str, str], ...] = ()
    description: str = ""

    def questions(self) -> Iterator[Question]:
        """Every question, depth first, groups and repeats included."""
        yield from _walk(self.survey)

    def repeats(self) -> Iterator[Group]:
        yield from _walk_groups(self.survey, repeat_only=True)


def _walk(items: tuple[Question | Group, ...]) -> Iterator[Question]:
    for item in items:
        if isinstance(item, Group):
            yield from _walk(item.children)
        else:
            yield item


def _walk_groups(items: tuple[Question | Group, ...], *, repeat_only: bool) -> Iterator[Group]:
    for item in items:
        if isinstance(item, Group):
            if item.repeat or not repeat_only:
                yield item
            yield from _walk_groups(item.children, repeat_only=repeat_only)


# -- choice lists, from the data model's enums ----------------------------------------------

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
    "victim_type": enum_choices(VictimType),
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


# -- questions shared by several forms -------------------------------------------------------

_META: tuple[Question, ...] = (
    Question("start", "start"),
    Question("end", "end"),
    Question("today", "today"),
)

_ORG = Question(
    "text",
    "organisation_code",
    "Reporting organisation code",
    required=True,
    hint="The code the national authority gave your organisation, e.g. ORG-000003.",
)  # the form's ``organisation``: the report's organisation, and the record's where it has one

_LOCATION = Question(
    "text",
    "location_code",
    "Location (gazetteer) code",
    hint="The code of the village or administrative area, e.g. LOC-000042.",
    field="location_code",
)


def _beneficiaries(prefix: str = "") -> Group:
    counts = tuple(
        Question(
            "integer",
            f"{prefix}{who}",
            f"Number of {who}",
            default="0",
            constraint=". >= 0",
            constraint_message="A count cannot be negative.",
            field=f"beneficiaries.{who}",
        )
        for who in ("girls", "boys", "women", "men")
    )
    return Group(f"{prefix}beneficiaries", "People (by sex and age)", counts)


def _finds_repeat(date_field: str, *, fallback_point: str | None = None) -> Group:
    geometry = ("find_location", fallback_point) if fallback_point else ("find_location",)
    return Group(
        "finds",
        "Explosive ordnance found",
        (
            Question(
                "select_one",
                "find_category",
                "Category",
                "ordnance_category",
                required=True,
                field="category",
            ),
            Question("text", "find_model", "Model", hint="e.g. PMN-2", field="model"),
            Question(
                "integer",
                "find_quantity",
                "Quantity",
                default="1",
                constraint=". >= 1",
                constraint_message="At least one item.",
                field="quantity",
            ),
            Question(
                "decimal",
                "find_depth_cm",
                "Depth (cm)",
                constraint=". >= 0",
                field="depth_cm",
            ),
            Question(
                "select_one",
                "find_condition",
                "Condition",
                "device_condition",
                field="condition",
            ),
            Question("select_one", "find_disposal", "Disposal", "disposal", field="disposal"),
            Question("geopoint", "find_location", "Location of the item", required=True),
            Question("image", "find_photo", "Photo of the item"),
        ),
        repeat=True,
        child=Kind.DEVICE_FIND,
        link="activity_code",
        inherit=(("hazardous_area_code", "hazardous_area_code"), ("found_date", date_field)),
        geometry=geometry,
        date_of_information=(date_field,),
    )


# -- the forms --------------------------------------------------------------------------------

HAZARDOUS_AREA = FormDefinition(
    form_id="minewatch_hazardous_area",
    title="Hazardous area (non-technical survey)",
    kind=Kind.HAZARDOUS_AREA,
    description="Records a suspected or confirmed hazardous area found by non-technical "
    "survey, with its evidence, blockages and the people who live with it.",
    date_of_information=("survey_date",),
    geometry=("area", "perimeter_walk"),
    survey=(
        *_META,
        Group(
            "survey",
            "Survey",
            (
                Question("date", "survey_date", "Date of the survey", required=True),
                _ORG,
                _LOCATION,
                Question("text", "area_name", "Local name of the area", field="name"),
                Question(
                    "select_one",
                    "classification",
                    "Classification",
                    "hazard_class",
                    required=True,
                    field="classification",
                ),
                Question(
                    "select_multiple",
                    "hazard_types",
                    "Types of hazard",
                    "hazard_type",
                    required=True,
                    field="hazard_types",
                ),
            ),
        ),
        Group(
            "boundary",
            "Boundary",
            (
                Question(
                    "select_one",
                    "boundary_method",
                    "How will you record the boundary?",
                    "boundary_method",
                    required=True,
                ),
                Question(
                    "geoshape",
                    "area",
                    "Boundary of the hazardous area",
                    required=True,
                    relevant="${boundary_method} = 'shape'",
                    hint="Latitude comes first in what the phone stores; minewatch handles it.",
                ),
                Question(
                    "geotrace",
                    "perimeter_walk",
                    "Walk the perimeter",
                    required=True,
                    relevant="${boundary_method} = 'walk'",
                    hint="Walk around the area; the track is closed into a polygon on import.",
                ),
                Question(
                    "decimal",
                    "reported_area_m2",
                    "Area estimated on site (m²)",
                    constraint=". > 0",
                    constraint_message="The area must be positive.",
                    field="reported_area_m2",
                ),
            ),
        ),
        Group(
            "evidence",
            "Evidence",
            (
                Question(
                    "select_one",
                    "evidence_type",
                    "Indicator",
                    "evidence_type",
                    required=True,
                    field="type",
                ),
                Question(
                    "select_one",
                    "evidence_source",
                    "How do you know?",
                    "evidence_source",
                    required=True,
                    field="source",
                ),
                Question("text", "evidence_note", "Details", field="note"),
                Question("geopoint", "evidence_location", "Where the indicator is"),
                Question("image", "evidence_photo", "Photo"),
            ),
            repeat=True,
            nested="evidence",
        ),
        Question(
            "select_multiple",
            "blockages",
            "What does the hazard block?",
            "blockage_type",
            field="blockages",
            each="type",
        ),
        _beneficiaries(),
        Question(
            "text",
            "description",
            "Description",
            appearance="multiline",
            field="description",
        ),
        Question("image", "sketch_map", "Photo of the sketch map"),
    ),
    choice_lists=_lists(
        "hazard_class",
        "hazard_type",
        "boundary_method",
        "evidence_type",
        "evidence_source",
        "blockage_type",
    ),
)

COMPLETION = FormDefinition(
    form_id="minewatch_completion",
    title="Technical survey and clearance completion",
    kind=Kind.LAND_RELEASE_ACTIVITY,
    description="Closes a technical survey or clearance task: the worksite, the land "
    "cancelled, reduced or cleared, and every item found.",
    date_of_information=("end_date",),
    geometry=("worksite",),
    survey=(
        *_META,
        Group(
            "task",
            "Task",
            (
                Question(
                    "select_one",
                    "activity_type",
                    "Activity",
                    "completion_activity",
                    required=True,
                    field="activity_type",
                ),
                Question("select_one", "method", "Main method", "activity_method", field="method"),
                Question(
                    "text",
                    "hazardous_area_code",
                    "Hazardous area code",
                    required=True,
                    hint="e.g. HA-000123",
                    field="hazardous_area_code",
                ),
                _ORG,
                Question("date", "start_date", "Start date", required=True, field="start_date"),
                Question(
                    "date",
                    "end_date",
                    "Completion date",
                    required=True,
                    constraint=". >= ${start_date}",
                    constraint_message="Completion cannot be before the start.",
                    field="end_date",
                ),
            ),
        ),
        Question("geoshape", "worksite", "Worksite boundary"),
        Group(
            "products",
            "Land released",
            (
                Question(
                    "select_one",
                    "product_type",
                    "How was this land released?",
                    "product_type",
                    required=True,
                    field="product_type",
                ),
                Question(
                    "geoshape", "product_area", "Boundary of the released land", required=True
                ),
                Question(
                    "decimal",
                    "product_area_m2",
                    "Area (m²) as measured on site",
                    constraint=". > 0",
                    field="reported_area_m2",
                ),
            ),
            repeat=True,
            child=Kind.RELEASE_PRODUCT,
            link="activity_code",
            inherit=(
                ("hazardous_area_code", "hazardous_area_code"),
                ("organisation_code", "organisation_code"),
                ("release_date", "end_date"),
            ),
            geometry=("product_area",),
            date_of_information=("end_date",),
        ),
        _finds_repeat("end_date"),
        Question("text", "description", "Remarks", appearance="multiline", field="description"),
    ),
    choice_lists=_lists(
        "completion_activity",
        "activity_method",
        "product_type",
        "ordnance_category",
        "device_condition",
        "disposal",
    ),
)

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

ACCIDENT = FormDefinition(
    form_id="minewatch_accident",
    title="Explosive ordnance accident and victims",
    kind=Kind.ACCIDENT,
    description="An accident and each person killed or injured. Names, contacts and "
    "medical details are personal data: minewatch never publishes them.",
    date_of_information=("accident_date",),
    geometry=("accident_location",),
    survey=(
        *_META,
        Group(
            "accident",
            "Accident",
            (
                Question(
                    "date",
                    "accident_date",
                    "Date of the accident",
                    required=True,
                    field="accident_date",
                ),
                _ORG,
                _LOCATION,
                Question("geopoint", "accident_location", "Accident location", required=True),
                Question(
                    "select_one",
                    "device_category",
                    "Type of device",
                    "ordnance_category",
                    field="device_category",
                ),
                Question(
                    "text",
                    "hazardous_area_code",
                    "Hazardous area code, if known",
                    field="hazardous_area_code",
                ),
                Question(
                    "select_one",
                    "during_demining",
                    "Did it happen during demining?",
                    "yes_no",
                    required=True,
                    field="during_demining",
                ),
                Question(
                    "text",
                    "description",
                    "What happened",
                    appearance="multiline",
                    field="description",
                ),
            ),
        ),
        Group(
            "victims",
            "Victims",
            (
                Question(
                    "select_one",
                    "victim_type",
                    "Victim",
                    "victim_type",
                    required=True,
                    field="victim_type",
                ),
                Question("select_one", "victim_sex", "Sex", "sex", required=True, field="sex"),
                Question(
                    "integer",
                    "victim_age",
                    "Age (years)",
                    constraint=". >= 0 and . <= 120",
                    field="age",
                ),
                Question(
                    "select_one",
                    "victim_outcome",
                    "Outcome",
                    "outcome",
                    required=True,
                    field="outcome",
                ),
                Question(
                    "text",
                    "victim_activity",
                    "Activity at the time",
                    field="activity_at_time",
                ),
                Question(
                    "text",
                    "victim_name",
                    "Name (personal data)",
                    field="name",
                ),
                Question("text", "victim_contact", "Contact (personal data)", field="contact"),
                Question(
                    "text",
                    "victim_medical",
                    "Medical details (personal data)",
                    appearance="multiline",
                    field="medical_details",
                ),
            ),
            repeat=True,
            child=Kind.VICTIM,
            link="accident_code",
            date_of_information=("accident_date",),
        ),
    ),
    choice_lists=_lists("ordnance_category", "yes_no", "victim_type", "sex", "outcome"),
)

RISK_EDUCATION = FormDefinition(
    form_id="minewatch_risk_education",
    title="Explosive ordnance risk education session",
    kind=Kind.RISK_EDUCATION_SESSION,
    description="A risk education session and the people it reached, by sex and age.",
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
        _beneficiaries(),
        Question("image", "attendance_sheet", "Photo of the attendance sheet"),
    ),
    choice_lists=_lists("re_method"),
)

QUALITY_MANAGEMENT = FormDefinition(
    form_id="minewatch_qm_visit",
    title="Quality management visit",
    kind=Kind.QUALITY_MANAGEMENT_VISIT,
    description="A quality assurance, quality control or post-clearance inspection visit "
    "and the non-conformities it found.",
    date_of_information=("visit_date",),
    geometry=("visit_location",),
    survey=(
        *_META,
        Question("date", "visit_date", "Date of the visit", required=True, field="visit_date"),
        Question(
            "select_one", "visit_type", "Type of visit", "visit_type", True, field="visit_type"
        ),
        _ORG,
        Question(
            "text",
            "activity_code",
            "Activity visited",
            hint="e.g. LRA-000017",
            field="activity_code",
        ),
        Question("geopoint", "visit_location", "Where the visit took place"),
        Group(
            "non_conformities",
            "Non-conformities",
            (
                Question(
                    "select_one",
                    "nc_severity",
                    "Severity",
                    "severity",
                    required=True,
                    field="severity",
                ),
                Question(
                    "text",
                    "nc_description",
                    "Description",
                    required=True,
                    field="description",
                ),
                Question("image", "nc_photo", "Photo"),
            ),
            repeat=True,
            nested="non_conformities",
        ),
    ),
    choice_lists=_lists("visit_type", "severity"),
)

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
    )
}


def form_names(form: FormDefinition) -> dict[str, str]:
    """Question label → name, for exports whose headers are labels rather than names."""
    return {q.label: q.name for q in form.questions() if q.label}


def all_definitions() -> list[FormDefinition]:
    return list(FORMS.values())


__all__ = [
    "CHOICE_LISTS",
    "FORMS",
    "FORMS_VERSION",
    "Choice",
    "FormDefinition",
    "Group",
    "Question",
    "all_definitions",
    "enum_choices",
]
