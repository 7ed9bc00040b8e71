"""The record class of every kind of item but the victim (see
:mod:`minewatch.domain.records.personal`), and :func:`record_type`, the class for a kind.

>>> record_type("accident") is Accident, HazardousArea(code="HA-000001").code_prefix
(True, 'HA')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from minewatch.domain.records.assistance import VictimAssistance
from minewatch.domain.records.authority import Accreditation, TaskOrder
from minewatch.domain.records.base import Record
from minewatch.domain.records.enums import (
    ActivityMethod,
    ActivityType,
    CasualtyDeviceType,
    DeviceCondition,
    Disposal,
    HazardClass,
    HazardStatus,
    HazardType,
    Kind,
    LocationLevel,
    OrdnanceCategory,
    ProductType,
)
from minewatch.domain.records.fields import count_or_measure, described, reference
from minewatch.domain.records.personal import Victim
from minewatch.domain.records.values import Blockage, Evidence, NonConformity, SexAge

if TYPE_CHECKING:
    # Only named for type checkers, so that declaring the records (the CLI's options) does not
    # load shapely; domain.schema resolves the name when it reads the fields' types.
    from shapely.geometry.base import BaseGeometry


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
    organisation_type: str | None = described(
        help="National authority, NGO, commercial company or military"
    )
    country: str | None = described(help="ISO 3166-1 alpha-3 code, e.g. UKR")


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
    parent_code: str | None = reference("location", help="The gazetteer entry this one lies within")
    pcode: str | None = described(help="The OCHA common operational dataset P-code, where known")
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
    location_code: str | None = reference("location")
    organisation_code: str | None = reference("organisation")
    evidence: tuple[Evidence, ...] = ()
    blockages: tuple[Blockage, ...] = ()
    beneficiaries: SexAge = field(default_factory=SexAge)
    reported_area_m2: float | None = count_or_measure(
        help="The area the source gives, in m²; the drawn polygon's area is measured apart"
    )
    residual_risk: float | None = count_or_measure(
        help="Expected live items left, from the residual-hazard model"
    )
    strike_code: str | None = reference("scatterable_strike")
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
    hazardous_area_code: str | None = reference("hazardous_area")
    organisation_code: str | None = reference("organisation")
    task_order_code: str | None = reference("task_order", help="The task order this work fulfils")
    start_date: date | None = None
    end_date: date | None = described(help="While work goes on, the planned end")  # noqa: RUF009
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
    activity_code: str | None = reference("land_release_activity")
    hazardous_area_code: str | None = reference("hazardous_area")
    organisation_code: str | None = reference("organisation")
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
    model: str | None = described(help="A model name from the device catalogue, e.g. PMN-2")
    quantity: int = count_or_measure(1, minimum=1)
    depth_cm: float | None = count_or_measure()
    condition: DeviceCondition = DeviceCondition.UNKNOWN
    disposal: Disposal | None = None
    hazardous_area_code: str | None = reference("hazardous_area")
    activity_code: str | None = reference("land_release_activity")
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
    #: The device by the Landmine Monitor's casualty types; where not recorded it is read
    #: from ``device_category`` where that says enough (domain.casualties.device_type).
    device_type: CasualtyDeviceType | None = None
    hazardous_area_code: str | None = reference("hazardous_area")
    location_code: str | None = reference("location")
    during_demining: bool = False
    description: str | None = None
    geometry: BaseGeometry | None = None


@dataclass(frozen=True, kw_only=True)
class RiskEducationSession(Record):
    """An explosive ordnance risk education session and the people it reached, directly and
    indirectly, by sex, age and disability (:class:`SexAge`).

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
    organisation_code: str | None = reference("organisation")
    location_code: str | None = reference("location")
    method: str | None = None
    #: Direct beneficiaries: the people who took part in the session.
    beneficiaries: SexAge = field(default_factory=SexAge)
    #: Indirect beneficiaries: people reached through those who took part (their households,
    #: the audience of material they pass on); an empty grid when none were counted.
    indirect_beneficiaries: SexAge = field(default_factory=SexAge)
    geometry: BaseGeometry | None = None


@dataclass(frozen=True, kw_only=True)
class QualityManagementVisit(Record):
    """A quality assurance or quality control visit to an activity, and what it found.

    Examples
    --------
    >>> from minewatch.domain.records import Severity
    >>> visit = QualityManagementVisit(code="QM-000001", non_conformities=(
    ...     NonConformity(severity=Severity.MINOR, description="first-aid kit incomplete"),))
    >>> [n.severity for n in visit.non_conformities]
    [<Severity.MINOR: 'minor'>]
    """

    kind = Kind.QUALITY_MANAGEMENT_VISIT
    code_prefix = "QM"
    geometry_type = "POINT"
    visit_date: date | None = None
    visit_type: str | None = described(
        help="Quality assurance, quality control or post-clearance inspection"
    )
    organisation_code: str | None = reference("organisation")
    activity_code: str | None = reference("land_release_activity")
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
    mine_type: str | None = described(help="A model name from the device catalogue, e.g. PFM-1S")
    mine_count: int | None = count_or_measure(minimum=1)
    laid_at: datetime | None = None
    self_destruct_period_hours: float | None = count_or_measure(
        help="Hours after laying that the mines are designed to self-destruct"
    )
    delivery_system: str | None = None
    hazardous_area_code: str | None = reference("hazardous_area")
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
        Accreditation,
        TaskOrder,
        VictimAssistance,
    )
}


def record_type(kind: Kind | str) -> type[Record]:
    """The record class for a kind name, e.g. ``record_type("hazardous_area")``.

    Examples
    --------
    >>> record_type("hazardous_area")
    <class 'minewatch.domain.records.items.HazardousArea'>
    >>> record_type(Kind.VICTIM).code_prefix
    'VIC'
    """
    return RECORD_TYPES[Kind(kind)]
