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
    """A dataclass field that holds personal data (names, contacts, medical details)."""
    return field(default=default, metadata={"personal": True})


class Kind(StrEnum):
    """Every kind of item that reports can create or change."""

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
    """IMAS 07.11: suspected (SHA) or confirmed (CHA) hazardous area."""

    SHA = "SHA"
    CHA = "CHA"


class HazardStatus(StrEnum):
    OPEN = "open"
    SUSPENDED = "suspended"
    CLOSED = "closed"
    RELEASED = "released"


class HazardType(StrEnum):
    AP_MINES = "ap_mines"
    AV_MINES = "av_mines"
    UXO_AXO = "uxo_axo"
    CLUSTER_MUNITION_REMNANTS = "cluster_munition_remnants"
    IMPROVISED_DEVICES = "improvised_devices"


class EvidenceType(StrEnum):
    """Indicators recorded on hazard forms (IMAS 08.10 non-technical survey)."""

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
    SEEN = "seen"
    TOLD = "told"
    RECORDS = "records"


class BlockageType(StrEnum):
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
    NON_TECHNICAL_SURVEY = "non_technical_survey"
    TECHNICAL_SURVEY = "technical_survey"
    CLEARANCE = "clearance"
    EOD_SPOT_TASK = "eod_spot_task"


class ActivityMethod(StrEnum):
    MANUAL = "manual"
    MECHANICAL = "mechanical"
    ANIMAL_DETECTION = "animal_detection"
    COMBINED = "combined"
    DESK = "desk"
    OTHER = "other"


class ProductType(StrEnum):
    """What a land release activity produced (IMAS 07.11): the three ways land is released."""

    CANCELLED = "cancelled"
    REDUCED = "reduced"
    CLEARED = "cleared"


class OrdnanceCategory(StrEnum):
    AP_MINE = "ap_mine"
    AV_MINE = "av_mine"
    UXO = "uxo"
    AXO = "axo"
    SUBMUNITION = "submunition"
    IED = "ied"
    SMALL_ARMS_AMMUNITION = "small_arms_ammunition"


class DeviceCondition(StrEnum):
    LIVE = "live"
    INERT = "inert"
    SELF_DESTRUCTED = "self_destructed"
    DAMAGED = "damaged"
    UNKNOWN = "unknown"


class Disposal(StrEnum):
    DESTROYED_IN_SITU = "destroyed_in_situ"
    REMOVED = "removed"
    RENDERED_SAFE = "rendered_safe"
    PENDING = "pending"


class VictimType(StrEnum):
    CIVILIAN = "civilian"
    DEMINER = "deminer"
    MILITARY = "military"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class Outcome(StrEnum):
    KILLED = "killed"
    INJURED = "injured"


class Severity(StrEnum):
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"


class LocationLevel(StrEnum):
    COUNTRY = "country"
    ADM1 = "adm1"
    ADM2 = "adm2"
    ADM3 = "adm3"
    ADM4 = "adm4"
    SETTLEMENT = "settlement"


@dataclass(frozen=True, kw_only=True)
class SexAge:
    """People counted by sex and age (the disaggregation IMAS and donors ask for)."""

    girls: int = 0
    boys: int = 0
    women: int = 0
    men: int = 0

    @property
    def total(self) -> int:
        return self.girls + self.boys + self.women + self.men


@dataclass(frozen=True, kw_only=True)
class Evidence:
    """One indicator behind a hazardous area, and how it became known."""

    type: EvidenceType
    source: EvidenceSource
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Blockage:
    type: BlockageType
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class NonConformity:
    severity: Severity
    description: str


@dataclass(frozen=True, kw_only=True)
class Record:
    """Fields shared by every item: a UUID for machines and a stable code for people."""

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
    kind = Kind.ORGANISATION
    code_prefix = "ORG"
    name: str = ""
    acronym: str | None = None
    organisation_type: str | None = None  # national authority, NGO, commercial, military
    country: str | None = None  # ISO 3166-1 alpha-3


@dataclass(frozen=True, kw_only=True)
class Location(Record):
    """An entry of the administrative gazetteer; ``parent_code`` builds the hierarchy."""

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
    reported_area_m2: float | None = None
    residual_risk: float | None = None  # expected live items, from the residual-hazard model
    strike_code: str | None = None
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class LandReleaseActivity(Record):
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
    """A polygon an activity cancelled, reduced or cleared."""

    kind = Kind.RELEASE_PRODUCT
    code_prefix = "RP"
    geometry_type = "MULTIPOLYGON"
    product_type: ProductType = ProductType.CLEARED
    activity_code: str | None = None
    hazardous_area_code: str | None = None
    organisation_code: str | None = None
    release_date: date | None = None
    reported_area_m2: float | None = None
    geometry: BaseGeometry | None = None


@dataclass(frozen=True, kw_only=True)
class DeviceFind(Record):
    kind = Kind.DEVICE_FIND
    code_prefix = "DF"
    geometry_type = "POINT"
    category: OrdnanceCategory = OrdnanceCategory.UXO
    model: str | None = None  # a device-catalogue model name
    quantity: int = 1
    depth_cm: float | None = None
    condition: DeviceCondition = DeviceCondition.UNKNOWN
    disposal: Disposal | None = None
    hazardous_area_code: str | None = None
    activity_code: str | None = None
    found_date: date | None = None
    geometry: BaseGeometry | None = None


@dataclass(frozen=True, kw_only=True)
class Accident(Record):
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
    personal data."""

    kind = Kind.VICTIM
    code_prefix = "VIC"
    accident_code: str | None = None
    victim_type: VictimType = VictimType.CIVILIAN
    sex: Sex = Sex.UNKNOWN
    age: int | None = None
    outcome: Outcome = Outcome.INJURED
    activity_at_time: str | None = None
    name: str | None = personal()
    contact: str | None = personal()
    medical_details: str | None = personal()


@dataclass(frozen=True, kw_only=True)
class RiskEducationSession(Record):
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
    and time laid and the self-destruct period."""

    kind = Kind.SCATTERABLE_STRIKE
    code_prefix = "STR"
    geometry_type = "POLYGON"
    mine_type: str | None = None  # a device-catalogue model name
    mine_count: int | None = None
    laid_at: datetime | None = None
    self_destruct_period_hours: float | None = None
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
    """The record class for a kind name, e.g. ``record_type("hazardous_area")``."""
    return RECORD_TYPES[Kind(kind)]


def personal_fields(cls: type[Record]) -> frozenset[str]:
    """Names of the fields of ``cls`` that hold personal data.

    >>> sorted(personal_fields(Victim))
    ['contact', 'medical_details', 'name']
    """
    return frozenset(f.name for f in dataclasses.fields(cls) if f.metadata.get("personal"))


def redact(record: Record) -> Record:
    """The record with every personal field blanked: the one filter all outputs use."""
    hidden: dict[str, Any] = dict.fromkeys(personal_fields(type(record)))
    return dataclasses.replace(record, **hidden) if hidden else record
