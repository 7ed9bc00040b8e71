"""What an import did (:class:`ImportReport`): features read, accepted, landed, skipped as
imported before (:class:`Skipped`) and rejected with their reasons; and
:class:`ImportRefused`, the error that carries the report when nothing landed.

>>> ImportReport("areas.geojson", "hazardous_area").accounted
0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minewatch.errors import InvalidInput, Location
from minewatch.services.records import Rejection
from minewatch.services.records.geometries import note_sentence, read_note
from minewatch.vocabulary.problems import reason_text


@dataclass(frozen=True)
class Skipped:
    """A feature imported before (same external id): where it is and the item it made.

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.io.mapping import load_mapping
    >>> from minewatch.services.imports import import_file
    >>> from minewatch.services.records import Workflow
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> areas = gpd.GeoDataFrame({"ref": ["A1", "A2"], "status": ["open", "closed"]}, crs=4326,
    ...                          geometry=[box(30, -1, 30.01, -0.99), box(30.02, -1, 30.03, -0.99)])
    >>> areas.to_file(tmp / "areas.geojson")
    >>> workflow = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> mapping = load_mapping({"kind": "hazardous_area", "id_column": "ref",
    ...                         "fields": {"status": "status"}})
    >>> _ = import_file(workflow, tmp / "areas.geojson", mapping, date_of_information=date(2024, 5, 1))
    >>> again = import_file(workflow, tmp / "areas.geojson", mapping)
    >>> again.landed, [(str(s.where), s.external_id, s.item_code) for s in again.skipped]
    (0, [('/...areas.geojson, row 1', 'A1', 'HA-000001'), ('/...areas.geojson, row 2', 'A2',
     'HA-000002')])
    """

    where: Location
    external_id: str
    item_code: str | None


@dataclass
class ImportReport:
    """What happened to every feature of a file.

    Examples
    --------
    >>> from minewatch.io.mapping import load_mapping
    >>> from minewatch.services.imports import import_file
    >>> from minewatch.services.records import Workflow
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> areas = gpd.GeoDataFrame({"ref": ["A1", "A2"], "status": ["open", "mined?"]}, crs=4326,
    ...                          geometry=[box(30, -1, 30.01, -0.99), box(30.02, -1, 30.03, -0.99)])
    >>> areas.to_file(tmp / "areas.geojson")
    >>> workflow = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> mapping = load_mapping({"kind": "hazardous_area", "id_column": "ref",
    ...                         "fields": {"status": "status"}})
    >>> report = import_file(workflow, tmp / "areas.geojson", mapping, dry_run=True)
    >>> report.read, report.accounted, report.landed, report.committed
    (2, 2, 1, False)
    >>> report.as_dict()["rejected"]
    [{'file': '/...areas.geojson', 'row': 2, 'field': 'status', 'reason': "'mined?' is not one
     of: open, suspended, closed, released", 'rule': 'field_value'}]
    """

    source: str
    kind: str
    read: int = 0
    accepted: int = 0  # passed every check; all of them landed if ``committed``
    landed: int = 0
    item_codes: list[str] = field(default_factory=list)
    notes: list[tuple[Location, str]] = field(default_factory=list)  # repairs and warnings
    skipped: list[Skipped] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    committed: bool = False
    reject_file: Path | None = None
    dry_run: bool = False

    @property
    def accounted(self) -> int:
        """Features accepted, skipped or rejected: always equal to ``read``."""
        return self.accepted + len(self.skipped) + len(self.rejected)

    def as_dict(self, locale: str | None = None) -> dict[str, Any]:
        """Plain data for the HTTP API (``landed`` and ``item_codes`` are what a dry run
        would have landed); the reasons in ``locale`` (English by default), the rules as
        codes."""
        return {
            "source": self.source,
            "kind": self.kind,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "read": self.read,
            "landed": self.landed,
            "item_codes": list(self.item_codes),
            "skipped": [
                {**_where(s.where), "external_id": s.external_id, "item_code": s.item_code}
                for s in self.skipped
            ],
            "rejected": [
                {**_where(r.where), "reason": reason_text(r.reason, locale), "rule": r.rule}
                for r in self.rejected
            ],
            "notes": [{**_where(where), **_note(note)} for where, note in self.notes],
        }


def _note(note: str) -> dict[str, Any]:
    """A note for people (``note``) and for programs (``severity``, ``rule``)."""
    view = read_note(note)
    return {"note": note_sentence(note), "severity": view.severity, "rule": view.rule}


def _where(where: Location) -> dict[str, Any]:
    return {"file": where.file, "row": where.row, "field": where.field}


class ImportRefused(InvalidInput):
    """An all-or-nothing import with rejected features: nothing landed.

    Examples
    --------
    >>> from minewatch.io.mapping import load_mapping
    >>> from minewatch.services.imports import import_file
    >>> from minewatch.services.records import Workflow
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> areas = gpd.GeoDataFrame({"ref": ["A1", "A2"], "status": ["open", "mined?"]}, crs=4326,
    ...                          geometry=[box(30, -1, 30.01, -0.99), box(30.02, -1, 30.03, -0.99)])
    >>> areas.to_file(tmp / "areas.geojson")
    >>> workflow = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> mapping = load_mapping({"kind": "hazardous_area", "id_column": "ref",
    ...                         "fields": {"status": "status"}})
    >>> try:
    ...     import_file(workflow, tmp / "areas.geojson", mapping)
    ... except ImportRefused as refused:
    ...     print(refused.message)
    ...     print(refused.report.landed, len(refused.report.rejected))
    1 of 2 features rejected, nothing imported (first: 'mined?' is not one of: open, suspended,
     closed, released); fix them or import with --keep-going
    0 1
    """

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        first = report.rejected[0]
        super().__init__(
            "{rejected} of {read} features rejected, nothing imported (first: {first}); "
            "fix them or import with --keep-going",
            first.where,
            rejected=len(report.rejected),
            read=report.read,
            first=first.reason,
        )
