"""What the workflow takes in and gives back for many reports at once: a :class:`Draft` (one
report's content), a :class:`DraftBatch` (many new items of one kind, column by column), and
after validation a :class:`CheckedBatch`, the rows rejected (:class:`Rejection`) and the
:class:`BatchResult` of writing it.

>>> from minewatch.errors import Location
>>> print(Rejection(Location("finds.csv", 7, "quantity"), "must be at least 1"))
finds.csv, row 7, field quantity: must be at least 1
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from shapely.geometry.base import BaseGeometry

from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.errors import Location


@dataclass(frozen=True)
class Draft:
    """What a form, a file row or an API call proposes: one report's content.

    Examples
    --------
    >>> from shapely import box
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> from minewatch.services.records import Workflow
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> drafts = [Draft(Kind.HAZARDOUS_AREA, {"status": "open"}, date(2024, 5, 1),
    ...                 box(30, -1, 30.01, -0.99), external_id="survey-17")]
    >>> [(r.code, r.item_code, r.state) for r in wf.create_drafts(drafts)]
    [('RPT-000001', 'HA-000001', <ReportState.DRAFT: 'draft'>)]
    """

    kind: Kind
    changes: Mapping[str, Any]
    date_of_information: date
    geometry: BaseGeometry | None = None
    item_ref: str | None = None  # the code or id of an existing item, for an update
    organisation_code: str | None = None
    source: str | None = None
    external_id: str | None = None
    notes: tuple[str, ...] = ()


@dataclass
class DraftBatch:
    """Many reports that each create a new item of one kind, held column by column (an
    import or a form export). ``locations`` say where each row came from, for errors.

    Examples
    --------
    >>> from shapely import box
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> from minewatch.services.records import Workflow
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> from minewatch.errors import Location
    >>> batch = DraftBatch(Kind.HAZARDOUS_AREA, {"status": ["open", "mined?"]},
    ...                    np.array([box(30, -1, 30.01, -0.99), box(31, -1, 31.01, -0.99)]),
    ...                    [date(2024, 5, 1)] * 2, [Location("areas.csv", 1), Location("areas.csv", 2)])
    >>> len(batch), len(batch.take([1]))
    (2, 1)
    >>> result = wf.create_batch(batch, keep_going=True)
    >>> result.item_codes, [str(r) for r in result.rejected]
    (['HA-000001'], ["areas.csv, row 2, field status: 'mined?' is not one of: open, suspended,
     closed, released"])
    """

    kind: Kind
    columns: dict[str, list[Any]]
    geometries: np.ndarray | None
    dates_of_information: list[date]
    locations: list[Location]
    external_ids: list[str | None] = field(default_factory=list)
    sources: list[str | None] = field(default_factory=list)
    organisation_codes: list[str | None] = field(default_factory=list)
    notes: list[tuple[str, ...]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.dates_of_information)

    def column(self, name: str) -> list[Any]:
        values: list[Any] = getattr(self, name)
        return values if values else [None if name != "notes" else () for _ in range(len(self))]

    def take(self, rows: Sequence[int]) -> DraftBatch:
        """The batch restricted to these rows."""
        pick = list(rows)
        return DraftBatch(
            self.kind,
            {k: [v[i] for i in pick] for k, v in self.columns.items()},
            None if self.geometries is None else self.geometries[pick],
            [self.dates_of_information[i] for i in pick],
            [self.locations[i] for i in pick],
            *(
                _pick(self.column(n), pick)
                for n in ("external_ids", "sources", "organisation_codes", "notes")
            ),
        )


@dataclass(frozen=True)
class Rejection:
    """A row that cannot land, and why: where (file, row, field), the reason as a person reads
    it, and, for programs, the code of the rule it broke when a check names one.

    Examples
    --------
    >>> from minewatch.errors import Location
    >>> print(Rejection(Location("areas.csv", 4, "status"), "'mined?' is not a status"))
    areas.csv, row 4, field status: 'mined?' is not a status
    """

    where: Location
    reason: str
    rule: str | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}" if str(self.where) else self.reason


@dataclass(frozen=True)
class CheckedBatch:
    """A batch after validation: typed values, geometries as repaired, notes, and the
    rejected rows with their reasons.

    Examples
    --------
    >>> from shapely import box
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> from minewatch.services.records import Workflow
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> from minewatch.errors import Location
    >>> batch = DraftBatch(Kind.HAZARDOUS_AREA, {"status": ["open", "mined?"]},
    ...                    np.array([box(30, -1, 30.01, -0.99), None]), [date(2024, 5, 1)] * 2,
    ...                    [Location(row=1), Location(row=2)])
    >>> checked = wf.validate_batch(batch)   # nothing written yet
    >>> checked.typed["status"], [str(r) for r in checked.rejected]
    ([<HazardStatus.OPEN: 'open'>, None], ["row 2, field status: 'mined?' is not one of: open,
     suspended, closed, released"])
    """

    batch: DraftBatch
    state: ReportState
    typed: dict[str, list[Any]]
    geometries: np.ndarray
    notes: list[tuple[str, ...]]
    rejected_rows: dict[int, Rejection]

    @property
    def rejected(self) -> list[Rejection]:
        return list(self.rejected_rows.values())


@dataclass(frozen=True)
class BatchResult:
    """What a batch write did: the reports and items it created, the rows that landed
    (in the order of the codes) and the rows rejected.

    Examples
    --------
    >>> from shapely import box
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> from minewatch.services.records import Workflow
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> from minewatch.errors import Location
    >>> batch = DraftBatch(Kind.HAZARDOUS_AREA, {"status": ["open", "closed"]},
    ...                    np.array([box(30, -1, 30.01, -0.99), box(31, -1, 31.01, -0.99)]),
    ...                    [date(2024, 5, 1)] * 2, [Location(row=1), Location(row=2)])
    >>> wf.create_batch(batch, state=ReportState.APPROVED)
    BatchResult(report_codes=['RPT-000001', 'RPT-000002'], item_codes=['HA-000001', 'HA-000002'],
     rejected=[], landed_rows=[0, 1])
    """

    report_codes: list[str]
    item_codes: list[str]
    rejected: list[Rejection]
    landed_rows: list[int]  # the batch rows that landed, in order of the codes


def _pick(values: list[Any], rows: list[int]) -> list[Any]:
    return [values[i] for i in rows]
