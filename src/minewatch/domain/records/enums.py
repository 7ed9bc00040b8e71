"""The choices a record's fields take: the kinds of item, and each enumerated answer
(classification, status, hazard, evidence, blockage, activity, product, ordnance, victim,
severity, gazetteer level). The field forms' choice lists are written from these.

>>> HazardClass("CHA"), Kind.VICTIM.value
(<HazardClass.CHA: 'CHA'>, 'victim')
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """Every kind of item that reports can create or change.

    Examples
    --------
    >>> [v.value for v in Kind]
    ['organisation', 'location', 'hazardous_area', 'land_release_activity', 'release_product',
     'device_find', 'accident', 'victim', 'risk_education_session', 'quality_management_visit',
     'scatterable_strike', 'accreditation', 'task_order', 'victim_assistance']
    """

    ORGANISATION = "organisation"
    LOCATION = "location"
    HAZARDOUS_AREA = "hazardous_area"
    LAND_RELEASE_ACTIVITY = "land_release_activity"
    RELEASE_PRODUCT = "release_product"
    DEVICE_FIND = "device_find"
    ACCIDENT = "accident"
    VICTIM = "victim"
    RISK_EDUCATION_SESSION = "risk_education_session"
    QUALITY_MANAGEMENT_VISIT = "quality_management_visit"
    SCATTERABLE_STRIKE = "scatterable_strike"
    ACCREDITATION = "accreditation"
    TASK_ORDER = "task_order"
    VICTIM_ASSISTANCE = "victim_assistance"


class HazardClass(StrEnum):
    """IMAS 07.11: suspected (SHA) or confirmed (CHA) hazardous area.

    Examples
    --------
    >>> [v.value for v in HazardClass]
    ['SHA', 'CHA']
    """

    SHA = "SHA"
    CHA = "CHA"


class HazardStatus(StrEnum):
    """A hazardous area's status in the register.

    Examples
    --------
    >>> [v.value for v in HazardStatus]
    ['open', 'suspended', 'closed', 'released']
    """

    OPEN = "open"
    SUSPENDED = "suspended"
    CLOSED = "closed"
    RELEASED = "released"


class HazardType(StrEnum):
    """What kind of explosive ordnance a hazardous area is suspected or known to hold.

    Examples
    --------
    >>> [v.value for v in HazardType]
    ['ap_mines', 'av_mines', 'uxo_axo', 'cluster_munition_remnants', 'improvised_devices']
    """

    AP_MINES = "ap_mines"
    AV_MINES = "av_mines"
    UXO_AXO = "uxo_axo"
    CLUSTER_MUNITION_REMNANTS = "cluster_munition_remnants"
    IMPROVISED_DEVICES = "improvised_devices"


class EvidenceType(StrEnum):
    """Indicators recorded on hazard forms (IMAS 08.10 non-technical survey).

    Examples
    --------
    >>> [v.value for v in EvidenceType]
    ['eo_seen', 'marking', 'scrap', 'craters', 'accident', 'damaged_infrastructure',
     'military_positions', 'land_not_used', 'animal_casualty', 'strike_record']
    """

    EO_SEEN = "eo_seen"
    MARKING = "marking"
    SCRAP = "scrap"
    CRATERS = "craters"
    ACCIDENT = "accident"
    DAMAGED_INFRASTRUCTURE = "damaged_infrastructure"
    MILITARY_POSITIONS = "military_positions"
    LAND_NOT_USED = "land_not_used"
    ANIMAL_CASUALTY = "animal_casualty"
    STRIKE_RECORD = "strike_record"


class EvidenceSource(StrEnum):
    """How an indicator became known: seen by the surveyor, told by someone, or from records.

    Examples
    --------
    >>> [v.value for v in EvidenceSource]
    ['seen', 'told', 'records']
    """

    SEEN = "seen"
    TOLD = "told"
    RECORDS = "records"


class BlockageType(StrEnum):
    """What land use a hazardous area blocks.

    Examples
    --------
    >>> [v.value for v in BlockageType]
    ['agriculture', 'grazing', 'housing', 'road', 'water', 'infrastructure', 'forest', 'school',
     'health', 'other']
    """

    AGRICULTURE = "agriculture"
    GRAZING = "grazing"
    HOUSING = "housing"
    ROAD = "road"
    WATER = "water"
    INFRASTRUCTURE = "infrastructure"
    FOREST = "forest"
    SCHOOL = "school"
    HEALTH = "health"
    OTHER = "other"


class ActivityType(StrEnum):
    """The kind of land release or EOD work an activity is.

    Examples
    --------
    >>> [v.value for v in ActivityType]
    ['non_technical_survey', 'technical_survey', 'clearance', 'eod_spot_task']
    """

    NON_TECHNICAL_SURVEY = "non_technical_survey"
    TECHNICAL_SURVEY = "technical_survey"
    CLEARANCE = "clearance"
    EOD_SPOT_TASK = "eod_spot_task"


class ActivityMethod(StrEnum):
    """How an activity's work was done, and the methods an organisation is accredited for
    (:class:`~minewatch.domain.records.authority.Accreditation`): manual, mechanical and
    animal detection (mine detection dogs or rats) are the field methods of survey and
    clearance; ``eod``, ``non_technical_survey`` and ``technical_survey`` are the
    capabilities accreditation names beside them (IMAS 07.30); ``combined``, ``desk`` and
    ``other`` describe an activity only.

    Examples
    --------
    >>> [v.value for v in ActivityMethod]
    ['manual', 'mechanical', 'animal_detection', 'combined', 'desk', 'other', 'eod',
     'non_technical_survey', 'technical_survey']
    """

    MANUAL = "manual"
    MECHANICAL = "mechanical"
    ANIMAL_DETECTION = "animal_detection"
    COMBINED = "combined"
    DESK = "desk"
    OTHER = "other"
    EOD = "eod"
    NON_TECHNICAL_SURVEY = "non_technical_survey"
    TECHNICAL_SURVEY = "technical_survey"


class ProductType(StrEnum):
    """What a land release activity produced (IMAS 07.11): the three ways land is released.

    Examples
    --------
    >>> [v.value for v in ProductType]
    ['cancelled', 'reduced', 'cleared']
    """

    CANCELLED = "cancelled"
    REDUCED = "reduced"
    CLEARED = "cleared"


class OrdnanceCategory(StrEnum):
    """The category of a found or accident-causing device.

    Examples
    --------
    >>> [v.value for v in OrdnanceCategory]
    ['ap_mine', 'av_mine', 'uxo', 'axo', 'submunition', 'ied', 'small_arms_ammunition']
    """

    AP_MINE = "ap_mine"
    AV_MINE = "av_mine"
    UXO = "uxo"
    AXO = "axo"
    SUBMUNITION = "submunition"
    IED = "ied"
    SMALL_ARMS_AMMUNITION = "small_arms_ammunition"


class DeviceCondition(StrEnum):
    """The state a device was found in.

    Examples
    --------
    >>> [v.value for v in DeviceCondition]
    ['live', 'inert', 'self_destructed', 'damaged', 'unknown']
    """

    LIVE = "live"
    INERT = "inert"
    SELF_DESTRUCTED = "self_destructed"
    DAMAGED = "damaged"
    UNKNOWN = "unknown"


class Disposal(StrEnum):
    """What was done with a found device.

    Examples
    --------
    >>> [v.value for v in Disposal]
    ['destroyed_in_situ', 'removed', 'rendered_safe', 'pending']
    """

    DESTROYED_IN_SITU = "destroyed_in_situ"
    REMOVED = "removed"
    RENDERED_SAFE = "rendered_safe"
    PENDING = "pending"


class VictimType(StrEnum):
    """Who a casualty was at the time of the accident: the Landmine Monitor's casualty
    categories (civilian, security forces, non-state armed group, deminer) and ``unknown``
    when not recorded, which is never counted as civilian. ``military`` is the code stored
    before the Monitor's categories were adopted; it stays valid (stored codes never change)
    and counts as security forces (:func:`minewatch.domain.casualties.casualty_category`).

    Examples
    --------
    >>> [v.value for v in VictimType]
    ['civilian', 'deminer', 'military', 'security_forces', 'non_state_armed_group', 'unknown']
    """

    CIVILIAN = "civilian"
    DEMINER = "deminer"
    MILITARY = "military"
    SECURITY_FORCES = "security_forces"
    NON_STATE_ARMED_GROUP = "non_state_armed_group"
    UNKNOWN = "unknown"


class Sex(StrEnum):
    """A person's sex as recorded (``unknown`` when not recorded).

    Examples
    --------
    >>> [v.value for v in Sex]
    ['female', 'male', 'unknown']
    """

    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class Outcome(StrEnum):
    """What happened to a casualty: killed, injured, or ``unknown`` when it is not known
    whether the person survived (the Monitor reports these apart, never as injured).

    Examples
    --------
    >>> [v.value for v in Outcome]
    ['killed', 'injured', 'unknown']
    """

    KILLED = "killed"
    INJURED = "injured"
    UNKNOWN = "unknown"


class CasualtyDeviceType(StrEnum):
    """The kind of device that caused a casualty, as the Landmine Monitor breaks casualties
    down: factory-made anti-personnel and anti-vehicle mines, victim-activated improvised
    mines, command-detonated improvised explosive devices (recorded, but outside the
    Monitor's mine/ERW totals, which count victim-activated devices only), cluster munition
    remnants, other explosive remnants of war, and ``unknown``.

    Examples
    --------
    >>> [v.value for v in CasualtyDeviceType]
    ['ap_mine', 'av_mine', 'improvised_mine', 'command_detonated_ied', 'cluster_munition_remnant',
     'other_erw', 'unknown']
    """

    AP_MINE = "ap_mine"
    AV_MINE = "av_mine"
    IMPROVISED_MINE = "improvised_mine"
    COMMAND_DETONATED_IED = "command_detonated_ied"
    CLUSTER_MUNITION_REMNANT = "cluster_munition_remnant"
    OTHER_ERW = "other_erw"
    UNKNOWN = "unknown"


class Severity(StrEnum):
    """How serious a quality-management non-conformity is.

    Examples
    --------
    >>> [v.value for v in Severity]
    ['critical', 'major', 'minor']
    """

    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"


class LocationLevel(StrEnum):
    """A gazetteer entry's administrative level.

    Examples
    --------
    >>> [v.value for v in LocationLevel]
    ['country', 'adm1', 'adm2', 'adm3', 'adm4', 'settlement']
    """

    COUNTRY = "country"
    ADM1 = "adm1"
    ADM2 = "adm2"
    ADM3 = "adm3"
    ADM4 = "adm4"
    SETTLEMENT = "settlement"


class ReleaseProgress(StrEnum):
    """How much of a hazardous area the land release accounting has released: none of it,
    part of it, or all of it (less than one square metre left). Computed, never stored: the
    register's status is what a report said, this is what the approved products measure.

    Examples
    --------
    >>> [v.value for v in ReleaseProgress]
    ['not_released', 'partly_released', 'released']
    """

    NOT_RELEASED = "not_released"
    PARTLY_RELEASED = "partly_released"
    RELEASED = "released"


class AssetType(StrEnum):
    """The kinds of asset an organisation is accredited to deploy.

    Examples
    --------
    >>> [v.value for v in AssetType]
    ['manual_team', 'mechanical_machine', 'mine_detection_dog', 'mine_detection_rat',
     'eod_team', 'survey_team', 'drone']
    """

    MANUAL_TEAM = "manual_team"
    MECHANICAL_MACHINE = "mechanical_machine"
    MINE_DETECTION_DOG = "mine_detection_dog"
    MINE_DETECTION_RAT = "mine_detection_rat"
    EOD_TEAM = "eod_team"
    SURVEY_TEAM = "survey_team"
    DRONE = "drone"


class AccreditationStatus(StrEnum):
    """Whether an accreditation is in force: granted (valid between its dates), suspended or
    withdrawn by the authority.

    Examples
    --------
    >>> [v.value for v in AccreditationStatus]
    ['granted', 'suspended', 'withdrawn']
    """

    GRANTED = "granted"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


class TaskStatus(StrEnum):
    """Where a task order stands (the transitions allowed are :mod:`minewatch.domain.tasking`'s).

    Examples
    --------
    >>> [v.value for v in TaskStatus]
    ['issued', 'accepted', 'in_progress', 'suspended', 'completed', 'cancelled']
    """

    ISSUED = "issued"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    SUSPENDED = "suspended"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class AssistanceType(StrEnum):
    """The victim assistance a survivor may need and receive, by the pillars of the Mine Ban
    Treaty's and the Convention on Cluster Munitions' action plans: emergency and continuing
    medical care, rehabilitation (physical, prosthetics and orthotics), psychological and
    psychosocial support, and socio-economic inclusion (education, livelihoods).

    Examples
    --------
    >>> [v.value for v in AssistanceType]
    ['medical', 'rehabilitation', 'psychological_support', 'socio_economic_inclusion']
    """

    MEDICAL = "medical"
    REHABILITATION = "rehabilitation"
    PSYCHOLOGICAL_SUPPORT = "psychological_support"
    SOCIO_ECONOMIC_INCLUSION = "socio_economic_inclusion"


class ServiceStatus(StrEnum):
    """How far one need has been met: identified (not yet referred), referred to a provider,
    received, declined by the person, or not available where they live.

    Examples
    --------
    >>> [v.value for v in ServiceStatus]
    ['needed', 'referred', 'received', 'declined', 'not_available']
    """

    NEEDED = "needed"
    REFERRED = "referred"
    RECEIVED = "received"
    DECLINED = "declined"
    NOT_AVAILABLE = "not_available"


class FollowUpStatus(StrEnum):
    """Where a survivor's follow-up stands.

    Examples
    --------
    >>> [v.value for v in FollowUpStatus]
    ['active', 'closed', 'lost_to_follow_up', 'deceased']
    """

    ACTIVE = "active"
    CLOSED = "closed"
    LOST_TO_FOLLOW_UP = "lost_to_follow_up"
    DECEASED = "deceased"
