"""The mine action record types, as programmes know them from GICHD's minimum data
requirements and IMSMA's forms.

Records are plain frozen dataclasses: no I/O, no database. Their geometry is a shapely 2
object in WGS84 longitude/latitude. Each field's metadata says whether it holds personal
data (``personal=True``), so that one filter (:func:`minewatch.domain.records.personal.redact`)
protects it everywhere.

A record is never edited in place: its state is folded from approved reports (see
:mod:`minewatch.domain.reports`). The classes here describe the *folded* state.

The package re-exports what its callers use: the enums (:mod:`.enums`), the value types
nested in records (:mod:`.values`), the base :class:`Record` (:mod:`.base`), the record
classes and :func:`record_type` (:mod:`.items`, the victim in :mod:`.personal`). The field
helpers (:mod:`.fields`, :mod:`.personal`), :func:`~minewatch.domain.records.base.new_ids`
and the personal-data tools are imported from their modules.

>>> from shapely import Point
>>> find = DeviceFind(code="DF-000001", category=OrdnanceCategory.AP_MINE,
...                   model="PMN-2", geometry=Point(30.5, 50.4))
>>> find.kind
<Kind.DEVICE_FIND: 'device_find'>
"""

from minewatch.domain.records.assistance import VictimAssistance
from minewatch.domain.records.authority import Accreditation, TaskOrder
from minewatch.domain.records.base import Record
from minewatch.domain.records.enums import (
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
    HazardStatus,
    HazardType,
    Kind,
    LocationLevel,
    OrdnanceCategory,
    Outcome,
    ProductType,
    ReleaseProgress,
    ServiceStatus,
    Severity,
    Sex,
    TaskStatus,
    VictimType,
)
from minewatch.domain.records.items import (
    RECORD_TYPES,
    Accident,
    DeviceFind,
    HazardousArea,
    LandReleaseActivity,
    Location,
    Organisation,
    QualityManagementVisit,
    ReleaseProduct,
    RiskEducationSession,
    ScatterableStrike,
    record_type,
)
from minewatch.domain.records.personal import Victim
from minewatch.domain.records.values import (
    AssistanceService,
    Blockage,
    Evidence,
    NonConformity,
    SexAge,
)

__all__ = [
    "RECORD_TYPES",
    "Accident",
    "Accreditation",
    "AccreditationStatus",
    "ActivityMethod",
    "ActivityType",
    "AssetType",
    "AssistanceService",
    "AssistanceType",
    "Blockage",
    "BlockageType",
    "CasualtyDeviceType",
    "DeviceCondition",
    "DeviceFind",
    "Disposal",
    "Evidence",
    "EvidenceSource",
    "EvidenceType",
    "FollowUpStatus",
    "HazardClass",
    "HazardStatus",
    "HazardType",
    "HazardousArea",
    "Kind",
    "LandReleaseActivity",
    "Location",
    "LocationLevel",
    "NonConformity",
    "OrdnanceCategory",
    "Organisation",
    "Outcome",
    "ProductType",
    "QualityManagementVisit",
    "Record",
    "ReleaseProduct",
    "ReleaseProgress",
    "RiskEducationSession",
    "ScatterableStrike",
    "ServiceStatus",
    "Severity",
    "Sex",
    "SexAge",
    "TaskOrder",
    "TaskStatus",
    "Victim",
    "VictimAssistance",
    "VictimType",
    "record_type",
]
