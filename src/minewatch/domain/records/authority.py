"""Records the national authority keeps about the organisations it works with: their
:class:`Accreditation` (which methods and assets, until when, on which certificate) and the
:class:`TaskOrder` it gives them for hazardous areas.

>>> from datetime import date
>>> Accreditation(organisation_code="ORG-000002", methods=(ActivityMethod.MANUAL,),
...               valid_from=date(2024, 1, 1), valid_until=date(2025, 12, 31)).code_prefix
'ACR'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from minewatch.domain.records.base import Record
from minewatch.domain.records.enums import (
    AccreditationStatus,
    ActivityMethod,
    ActivityType,
    AssetType,
    Kind,
    TaskStatus,
)
from minewatch.domain.records.fields import count_or_measure, described, reference, references

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True, kw_only=True)
class Accreditation(Record):
    """An organisation's accreditation by the national authority (IMAS 07.30): the methods
    and asset types it covers, the dates it is valid between (both included), the
    certificate's reference and who issued it. Only a ``granted`` accreditation counts; the
    authority suspends or withdraws one by a report changing its status.

    Examples
    --------
    >>> from datetime import date
    >>> acr = Accreditation(organisation_code="ORG-000002",
    ...                     methods=(ActivityMethod.MANUAL, ActivityMethod.EOD),
    ...                     valid_from=date(2024, 1, 1), valid_until=date(2025, 12, 31))
    >>> acr.kind, acr.status
    (<Kind.ACCREDITATION: 'accreditation'>, <AccreditationStatus.GRANTED: 'granted'>)
    """

    kind = Kind.ACCREDITATION
    code_prefix = "ACR"
    organisation_code: str | None = reference("organisation", help="The organisation accredited")
    methods: tuple[ActivityMethod, ...] = ()
    asset_types: tuple[AssetType, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = described(help="The last day it is valid; blank: no end date")  # noqa: RUF009
    certificate_reference: str | None = described(
        help="The reference printed on the accreditation certificate"
    )
    issuing_authority_code: str | None = reference(
        "organisation", help="The national authority that issued it"
    )
    status: AccreditationStatus = AccreditationStatus.GRANTED
    conditions: str | None = described(
        help="Conditions or limits written on the certificate (areas, depths, device types)"
    )


@dataclass(frozen=True, kw_only=True)
class TaskOrder(Record):
    """A task order from the national authority to an organisation: survey or clear one or
    more hazardous areas, by a method, with a priority, between dates. Its status moves
    issued → accepted → in progress (↔ suspended) → completed, or cancelled
    (:mod:`minewatch.domain.tasking`); the activities that do the work name it
    (``LandReleaseActivity.task_order_code``). Its geometry is the task's outline, by
    default its areas' outlines together.

    Examples
    --------
    >>> task = TaskOrder(organisation_code="ORG-000002", hazardous_area_codes=("HA-000001",),
    ...                  priority_rank=1)
    >>> task.kind, task.status, task.code_prefix
    (<Kind.TASK_ORDER: 'task_order'>, <TaskStatus.ISSUED: 'issued'>, 'TSK')
    """

    kind = Kind.TASK_ORDER
    code_prefix = "TSK"
    geometry_type = "MULTIPOLYGON"
    name: str | None = None
    organisation_code: str | None = reference("organisation", help="The organisation tasked")
    authority_code: str | None = reference(
        "organisation", help="The national authority issuing the task"
    )
    hazardous_area_codes: tuple[str, ...] = references(
        "hazardous_area", help="The hazardous areas to work on: their codes, separated by spaces"
    )
    activity_type: ActivityType | None = None
    method: ActivityMethod | None = None
    priority_rank: int | None = count_or_measure(
        minimum=1, help="The areas' rank in the prioritisation (1 first)"
    )
    priority_score: float | None = count_or_measure(
        help="The prioritisation's score for the task's areas"
    )
    priority_scenario: str | None = described(help="The prioritisation scenario ranked by")
    issue_date: date | None = None
    start_date: date | None = None
    due_date: date | None = None
    status: TaskStatus = TaskStatus.ISSUED
    status_date: date | None = described(help="When the status last changed")  # noqa: RUF009
    status_reason: str | None = described(help="Why it was suspended or cancelled")
    #: The land release accounting of the task's areas when it was completed, in m².
    released_m2: float | None = count_or_measure()
    remaining_m2: float | None = count_or_measure()
    description: str | None = None
    geometry: BaseGeometry | None = None
