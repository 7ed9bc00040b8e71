"""What a caller asks the store for: filters for listing items of one kind and for listing
reports. Plain values, so the CLI and the API build them and the services pass them on to
any :class:`minewatch.store.base.Repository` backend.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState


@dataclass(frozen=True)
class ItemQuery:
    """Filters for listing items of one kind; every filter is optional and they combine.

    ``bbox`` is (min lon, min lat, max lon, max lat) in WGS84; ``near`` is (lon, lat, metres)
    and keeps items whose geometry lies within that geodesic distance of the point.
    ``where`` holds equality filters on fields (e.g. {"status": "open"}); ``date_from`` and
    ``date_to`` bound the Date of Information.

    Examples
    --------
    >>> query = ItemQuery(Kind.HAZARDOUS_AREA, where={"status": "open"}, near=(30.5, 50.4, 500.0),
    ...                   limit=10)
    >>> query.kind, query.where, query.offset
    (<Kind.HAZARDOUS_AREA: 'hazardous_area'>, {'status': 'open'}, 0)
    """

    kind: Kind
    where: dict[str, object] = field(default_factory=dict)
    codes: Sequence[str] | None = None
    bbox: tuple[float, float, float, float] | None = None
    near: tuple[float, float, float] | None = None
    date_from: date | None = None
    date_to: date | None = None
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True)
class ReportQuery:
    """Filters for listing reports; every filter is optional and they combine.

    Examples
    --------
    >>> ReportQuery(state=ReportState.SUBMITTED, organisation_code="ORG-000002")
    ReportQuery(state=<ReportState.SUBMITTED: 'submitted'>, kind=None, item_id=None,
     organisation_code='ORG-000002', created_by=None, limit=None, offset=0)
    """

    state: ReportState | None = None
    kind: Kind | None = None
    item_id: uuid.UUID | None = None
    organisation_code: str | None = None
    created_by: str | None = None
    limit: int | None = None
    offset: int = 0
