"""The mine action record types, as programmes know them from GICHD's minimum data
requirements and IMSMA's forms.

Records are plain frozen dataclasses: no I/O, no database. Their geometry is a shapely 2
object in WGS84 longitude/latitude. Each field's metadata says whether it holds personal
data (``personal=True``), so that one filter (:func:`redact`) protects it everywhere.

A record is never edited in place: its state is folded from approved reports (see
:mod:`minewatch.domain.reports`). The classes here describe the *folded* state.

>>> from shapely import Point
>>> find = DeviceFind(code="DF-000001", category=OrdnanceCategory.AP_MINE,
...                   model="PMN-2", geometry=Point(30.5, 50.4))
>>> find.kind
<Kind.DEVICE_FIND: 'device_find'>
"""

from __future__ import annotations

import dataclasses
import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

import numpy as np
from shapely.geometry.base import BaseGeometry


def new_ids(count: int) -> list[str]:
    """``count`` new time-ordered UUIDs (RFC 9562 version 7) as text, made in one pass.

    The 48-bit millisecond timestamp leads and a counter follows (the RFC's "dedicated
    counter" method), so ids made together sort in the order made: database indexes on them
    grow at one end instead of being rewritten at random places, which is what makes a
    million-row import fast. The remaining bits are random.

    >>> a, b = new_ids(2); a < b, uuid.UUID(a).version
    (True, 7)
    """
    millis = int(time.time() * 1000)
    raw = np.frombuffer(os.urandom(16 * count), dtype=np.uint8).reshape(count, 16).copy()
    raw[:, :6] = np.frombuffer(millis.to_bytes(6, "big"), dtype=np.uint8)
    counter = np.arange(count, dtype=np.uint64)  # 12 bits in rand_a, 18 more atop rand_b
    raw[:, 6] = 0x70 | ((counter >> 26) & 0x0F).astype(np.uint8)
    raw[:, 7] = ((counter >> 18) & 0xFF).astype(np.uint8)
    raw[:, 8] = 0x80 | ((counter >> 12) & 0x3F).astype(np.uint8)
    raw[:, 9] = ((counter >> 4) & 0xFF).astype(np.uint8)
    raw[:, 10] = (((counter & 0x0F) << 4).astype(np.uint8)) | (raw[:, 10] & 0x0F)
    h = raw.tobytes().hex()
    return [
        f"{h[i : i + 8]}-{h[i + 8 : i + 12]}-{h[i + 12 : i + 16]}-{h[i + 16 : i + 20]}-{h[i + 20 : i + 32]}"
        for i in range(0, 32 * count, 32)
    ]


def personal(default: Any = None) -> Any:
    """A dataclass field that holds personal data (names, contacts, medical details).

    Examples
    --------
    >>> from dataclasses import dataclass, fields
    >>> @dataclass
    ... class Contact:
    ...     phone: str | None = personal()
    >>> fields(Contact)[0].metadata["personal"]
    True
    """
    return field(default=default, metadata={"personal": True})


def count_or_measure(
    default: Any = None, *, minimum: float = 0, maximum: float | None = None
) -> Any:
    """A dataclass field holding a count or a measure (people, items, m², cm, hours), which
    is never negative; :mod:`minewatch.domain.schema` refuses values below ``minimum`` (a
    find is at least one item) or above ``maximum`` (an age), naming the field, at every door.

    Examples
    --------
    >>> from dataclasses import dataclass, fields
    >>> @dataclass
    ... class Find:
    ...     quantity: int = count_or_measure(1, minimum=1)
    >>> fields(Find)[0].metadata["minimum"], Find().quantity
    (1, 1)
    """
    metadata: dict[str, float] = {"minimum": minimum}
    if maximum is not None:
        metadata["maximum"] = maximum
    return field(default=default, metadata=metadata)


class Kind(StrEnum):
    """Every kind of item that reports can create or change.

    Examples
    --------
    >>> [v.value for v in Kind]
    ['organisation', 'location', 'hazardous_area', 'land_release_activity', 'release_product',
     'device_find', 'accident', 'victim', 'risk_education_session', 'quality_management_visit',
     'scatterable_strike']
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
    """How an activity's work was done.

    Examples
    --------
    >>> [v.value for v in ActivityMethod]
    ['manual', 'mechanical', 'animal_detection', 'combined', 'desk', 'other']
    """

    MANUAL = "manual"
    MECHANICAL = "mechanical"
    ANIMAL_DETECTION = "animal_detection"
    COMBINED = "combined"
    DESK = "desk"
    OTHER = "other"


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
    """Who a victim was at the time of the accident.

    Examples
    --------
    >>> [v.value for v in VictimType]
    ['civilian', 'deminer', 'military']
    """

    CIVILIAN = "civilian"
    DEMINER = "deminer"
    MILITARY = "military"


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
    """What happened to a victim.

    Examples
    --------
    >>> [v.value for v in Outcome]
    ['killed', 'injured']
    """

    KILLED = "killed"
    INJURED = "injured"


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


@dataclass(frozen=True, kw_only=True)
class SexAge:
    """People counted by sex and age (the disaggregation IMAS and donors ask for).

    Examples
    --------
    >>> SexAge(girls=3, women=2).total
    5
    """

    girls: int = count_or_measure(0)
    boys: int = count_or_measure(0)
    women: int = count_or_measure(0)
    men: int = count_or_measure(0)

    @property
    def total(self) -> int:
        return self.girls + self.boys + self.women + self.men


@dataclass(frozen=True, kw_only=True)
class Evidence:
    """One indicator behind a hazardous area, and how it became known.

    Examples
    --------
    >>> Evidence(type=EvidenceType.EO_SEEN, source=EvidenceSource.TOLD, note="shepherd")
    Evidence(type=<EvidenceType.EO_SEEN: 'eo_seen'>, source=<EvidenceSource.TOLD: 'told'>,
     note='shepherd')
    """

    type: EvidenceType
    source: EvidenceSource
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Blockage:
    """One land use a hazardous area blocks.

    Examples
    --------
    >>> Blockage(type=BlockageType.GRAZING).type
    <BlockageType.GRAZING: 'grazing'>
    """

    type: BlockageType
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class NonConformity:
    """One finding of a quality-management visit, with how serious it is.

    Examples
    --------
    >>> NonConformity(severity=Severity.MAJOR, description="lane markings missing").severity
    <Severity.MAJOR: 'major'>
    """

    severity: Severity
    description: str


@dataclass(frozen=True, kw_only=True)
class Record:
    """Fields shared by every item: a UUID for machines and a stable code for people.

    Examples
    --------
    >>> area = HazardousArea(code="HA-000001")
    >>> isinstance(area, Record), area.code_prefix, area.version, area.id.version
    (True, 'HA', 0, 4)
    """

    kind: ClassVar[Kind]
    code_prefix: ClassVar[str]
    geometry_type: ClassVar[str | None] = None

    id: uuid.UUID = field(default_factory=uuid.uuid4)
    code: str | None = None
    version: int = 0
    date_of_information: date | None = None
    external_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class Organisation(Record):
    """An operator or authority taking part in the programme.

    Examples
    --------
    >>> Organisation(code="ORG-000001", name="Synthetic Demining", acronym="SD").kind
    <Kind.ORGANISATION: 'organisation'>
    """

    kind = Kind.ORGANISATION
    code_prefix = "ORG"
    name: str = ""
    acronym: str | None = None
    organisation_type: str | None = None  # national authority, NGO, commercial, military
    country: str | None = None  # ISO 3166-1 alpha-3


@dataclass(frozen=True, kw_only=True)
class Location(Record):
    """An entry of the administrative gazetteer; ``parent_code`` builds the hierarchy.

    Examples
    --------
    >>> Location(code="LOC-000002", name="North", level=LocationLevel.ADM2,
    ...          parent_code="LOC-000001").level
    <LocationLevel.ADM2: 'adm2'>
    """

    kind = Kind.LOCATION
    code_prefix = "LOC"
    geometry_type = "MULTIPOLYGON"
    name: str = ""
    level: LocationLevel = LocationLevel.ADM1
    parent_code: str | None = None
    pcode: str | None = None  # the OCHA common operational dataset P-code, where known
    geometry: BaseGeometry | None = None


@dataclass(frozen=True, kw_only=True)
class HazardousArea(Record):
    """An area suspected (SHA) or confirmed (CHA) to hold explosive ordnance (IMAS 07.11).

    Examples
    --------
    >>> from shapely import box
    >>> area = HazardousArea(code="HA-000001", classification=HazardClass.CHA,
    ...                      hazard_types=(HazardType.AP_MINES,), geometry=box(30, 50, 30.01, 50.01))
    >>> area.status, area.geometry_type
    (<HazardStatus.OPEN: 'open'>, 'MULTIPOLYGON')
    """

    kind = Kind.HAZARDOUS_AREA
    code_prefix = "HA"
    geometry_type = "MULTIPOLYGON"
    name: str | None = None
    classification: HazardClass = HazardClass.SHA
    status: HazardStatus = HazardStatus.OPEN
    hazard_types: tuple[HazardType, ...] = ()
    geometry: BaseGeometry | None = None
    location_code: str | None = None
    organisation_code: str | None = None
    evidence: tuple[Evidence, ...] = ()
    blockages: tuple[Blockage, ...] = ()
    beneficiaries: SexAge = field(default_factory=SexAge)
    reported_area_m2: float | None = count_or_measure()
    residual_risk: float | None = (
        count_or_measure()
    )  # expected live items, from the residual-hazard model
    strike_code: str | None = None
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class LandReleaseActivity(Record):
    """Survey, clearance or EOD work on a hazardous area, by one organisation.

    Examples
    --------
    >>> from datetime import date
    >>> activity = LandReleaseActivity(code="LRA-000001", activity_type=ActivityType.CLEARANCE,
    ...                                method=ActivityMethod.MANUAL, hazardous_area_code="HA-000001",
    ...                                start_date=date(2024, 3, 1))
    >>> activity.kind, activity.code_prefix
    (<Kind.LAND_RELEASE_ACTIVITY: 'land_release_activity'>, 'LRA')
    """

    kind = Kind.LAND_RELEASE_ACTIVITY
    code_prefix = "LRA"
    geometry_type = "MULTIPOLYGON"
    activity_type: ActivityType = ActivityType.NON_TECHNICAL_SURVEY
    method: ActivityMethod | None = None
    hazardous_area_code: str | None = None
    organisation_code: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    geometry: BaseGeometry | None = None  # the worksite, where it was recorded
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReleaseProduct(Record):
    """A polygon an activity cancelled, reduced or cleared.

    Examples
    --------
    >>> from shapely import box
    >>> product = ReleaseProduct(code="RP-000001", product_type=ProductType.REDUCED,
    ...                          hazardous_area_code="HA-000001", geometry=box(30, 50, 30.01, 50.01))
    >>> product.product_type, product.geometry_type
    (<ProductType.REDUCED: 'reduced'>, 'MULTIPOLYGON')
    """

    kind = Kind.RELEASE_PRODUCT
    code_prefix = "RP"
    geometry_type = "MULTIPOLYGON"
    product_type: ProductType = ProductType.CLEARED
    activity_code: str | None = None
    hazardous_area_code: str | None = None
    organisation_code: str | None = None
    release_date: date | None = None
    reported_area_m2: float | None = count_or_measure()
    geometry: BaseGeometry | None = None


@dataclass(frozen=True, kw_only=True)
class DeviceFind(Record):
    """Explosive ordnance found, where and in what state, and what was done with it.

    Examples
    --------
    >>> from shapely import Point
    >>> find = DeviceFind(code="DF-000001", category=OrdnanceCategory.AV_MINE, quantity=2,
    ...                   geometry=Point(30.5, 50.4))
    >>> find.condition, find.quantity
    (<DeviceCondition.UNKNOWN: 'unknown'>, 2)
    """

    kind = Kind.DEVICE_FIND
    code_prefix = "DF"
    geometry_type = "POINT"
    category: OrdnanceCategory = OrdnanceCategory.UXO
    model: str | None = None  # a device-catalogue model name
    quantity: int = count_or_measure(1, minimum=1)
    depth_cm: float | None = count_or_measure()
    condition: DeviceCondition = DeviceCondition.UNKNOWN
    disposal: Disposal | None = None
    hazardous_area_code: str | None = None
    activity_code: str | None = None
    found_date: date | None = None
    geometry: BaseGeometry | None = None


@dataclass(frozen=True, kw_only=True)
class Accident(Record):
    """An explosive ordnance accident: when, where and what caused it; its victims
    are :class:`Victim` records naming its code.

    Examples
    --------
    >>> from datetime import date
    >>> Accident(code="ACC-000001", accident_date=date(2024, 8, 1), during_demining=True).kind
    <Kind.ACCIDENT: 'accident'>
    """

    kind = Kind.ACCIDENT
    code_prefix = "ACC"
    geometry_type = "POINT"
    accident_date: date | None = None
    device_category: OrdnanceCategory | None = None
    hazardous_area_code: str | None = None
    location_code: str | None = None
    during_demining: bool = False
    description: str | None = None
    geometry: BaseGeometry | None = None


@dataclass(frozen=True, kw_only=True)
class Victim(Record):
    """A person killed or injured in an accident. Name, contact and medical details are
    personal data.

    Examples
    --------
    >>> victim = Victim(accident_code="ACC-000001", sex=Sex.FEMALE, age=9, name="Synthetic Name")
    >>> redact(victim).name, redact(victim).age
    (None, 9)
    """

    kind = Kind.VICTIM
    code_prefix = "VIC"
    accident_code: str | None = None
    victim_type: VictimType = VictimType.CIVILIAN
    sex: Sex = Sex.UNKNOWN
    age: int | None = count_or_measure(maximum=130)
    outcome: Outcome = Outcome.INJURED
    activity_at_time: str | None = None
    name: str | None = personal()
    contact: str | None = personal()
    medical_details: str | None = personal()


@dataclass(frozen=True, kw_only=True)
class RiskEducationSession(Record):
    """An explosive ordnance risk education session and the people it reached.

    Examples
    --------
    >>> session = RiskEducationSession(code="RE-000001", beneficiaries=SexAge(girls=12, boys=9))
    >>> session.beneficiaries.total
    21
    """

    kind = Kind.RISK_EDUCATION_SESSION
    code_prefix = "RE"
    geometry_type = "POINT"
    session_date: date | None = None
    organisation_code: str | None = None
    location_code: str | None = None
    method: str | None = None
    beneficiaries: SexAge = field(default_factory=SexAge)
    geometry: BaseGeometry | None = None


@dataclass(frozen=True, kw_only=True)
class QualityManagementVisit(Record):
    """A quality assurance or quality control visit to an activity, and what it found.

    Examples
    --------
    >>> visit = QualityManagementVisit(code="QM-000001", non_conformities=(
    ...     NonConformity(severity=Severity.MINOR, description="first-aid kit incomplete"),))
    >>> [n.severity for n in visit.non_conformities]
    [<Severity.MINOR: 'minor'>]
    """

    kind = Kind.QUALITY_MANAGEMENT_VISIT
    code_prefix = "QM"
    geometry_type = "POINT"
    visit_date: date | None = None
    visit_type: str | None = None  # quality assurance, quality control, post-clearance inspection
    organisation_code: str | None = None
    activity_code: str | None = None
    non_conformities: tuple[NonConformity, ...] = ()
    geometry: BaseGeometry | None = None


@dataclass(frozen=True, kw_only=True)
class ScatterableStrike(Record):
    """The record CCW Amended Protocol II, Technical Annex para. 1(b), requires for remotely
    delivered mines: the area (its corner coordinates), the number and type of mines, the date
    and time laid and the self-destruct period.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> strike = ScatterableStrike(code="STR-000001", mine_type="PFM-1S", mine_count=200,
    ...                            laid_at=datetime(2024, 3, 1, 6, tzinfo=UTC))
    >>> strike.kind, strike.geometry_type
    (<Kind.SCATTERABLE_STRIKE: 'scatterable_strike'>, 'POLYGON')
    """

    kind = Kind.SCATTERABLE_STRIKE
    code_prefix = "STR"
    geometry_type = "POLYGON"
    mine_type: str | None = None  # a device-catalogue model name
    mine_count: int | None = count_or_measure(minimum=1)
    laid_at: datetime | None = None
    self_destruct_period_hours: float | None = count_or_measure()
    delivery_system: str | None = None
    hazardous_area_code: str | None = None
    geometry: BaseGeometry | None = None  # the polygon through the recorded corners


RECORD_TYPES: dict[Kind, type[Record]] = {
    cls.kind: cls
    for cls in (
        Organisation,
        Location,
        HazardousArea,
        LandReleaseActivity,
        ReleaseProduct,
        DeviceFind,
        Accident,
        Victim,
        RiskEducationSession,
        QualityManagementVisit,
        ScatterableStrike,
    )
}


def record_type(kind: Kind | str) -> type[Record]:
    """The record class for a kind name, e.g. ``record_type("hazardous_area")``.

    Examples
    --------
    >>> record_type("hazardous_area")
    <class 'minewatch.domain.records.HazardousArea'>
    >>> record_type(Kind.VICTIM).code_prefix
    'VIC'
    """
    return RECORD_TYPES[Kind(kind)]


def personal_fields(cls: type[Record]) -> frozenset[str]:
    """Names of the fields of ``cls`` that hold personal data.

    >>> sorted(personal_fields(Victim))
    ['contact', 'medical_details', 'name']
    """
    return frozenset(f.name for f in dataclasses.fields(cls) if f.metadata.get("personal"))


def redact(record: Record) -> Record:
    """The record with every personal field blanked: the one filter all outputs use.

    Examples
    --------
    >>> victim = Victim(code="VIC-000001", name="Synthetic Name", contact="+000-555", age=40)
    >>> hidden = redact(victim)
    >>> hidden.name, hidden.contact, hidden.age
    (None, None, 40)
    >>> area = HazardousArea(code="HA-000001")
    >>> redact(area) is area   # nothing personal to hide
    True
    """
    hidden: dict[str, Any] = dict.fromkeys(personal_fields(type(record)))
    return dataclasses.replace(record, **hidden) if hidden else record
