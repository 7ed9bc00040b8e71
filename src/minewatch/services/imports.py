"""Importing a GIS file into the store: every feature accounted for.

Each feature becomes a report creating an item (approved at once by a reviewer's import,
or left submitted/draft for review). The whole import is one all-or-nothing block of the
workflow (:meth:`minewatch.services.records.Workflow.all_or_nothing`): every feature
lands, or none does and the :class:`ImportReport` lists each rejected feature (file,
feature number, field, reason). With ``keep_going`` the good features land and the rejected
ones are listed (and written to a reject file, as they were in the source, with reasons).
Re-importing the same file is idempotent: a feature whose external id was imported before
is skipped and says so. A ``dry_run`` does everything, in the same transaction, and then
rolls it back: the report says what an import would do, with every check the real one makes.

>>> import geopandas as gpd
>>> from shapely import box
>>> from minewatch.domain.access import local_admin
>>> from minewatch.store import open_store
>>> areas = gpd.GeoDataFrame({"ref": ["A1", "A2"], "state": ["open", "mined?"]}, crs=4326,
...                          geometry=[box(30, -1, 30.01, -0.99), box(30.02, -1, 30.03, -0.99)])
>>> areas.to_file(tmp / "areas.geojson")
>>> workflow = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
>>> mapping = load_mapping({"kind": "hazardous_area", "id_column": "ref",
...                         "fields": {"status": "state"}})
>>> report = import_file(workflow, tmp / "areas.geojson", mapping,
...                      date_of_information=date(2024, 5, 1), keep_going=True)
>>> report.landed, report.item_codes
(1, ['HA-000001'])
>>> print(report.rejected[0])
/...areas.geojson, row 2, field status: [field_value] column state: 'mined?' is not one of:
open, suspended, closed, released
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from minewatch.domain.geometry import Finding, FindingSeverity, find_duplicates_and_overlaps
from minewatch.domain.records import Kind, record_type
from minewatch.domain.reports import ReportState
from minewatch.domain.schema import data_fields
from minewatch.errors import InvalidInput, Location, NotFound
from minewatch.io.geodata import FeatureBatch, RejectCollector, list_layers, read_batches
from minewatch.io.mapping import REPORT_FIELDS, Mapping, load_mapping
from minewatch.services.records import Draft, DraftBatch, Rejection, Workflow
from minewatch.store import ItemQuery, ReportQuery


@dataclass(frozen=True)
class Skipped:
    """A feature imported before (same external id): where it is and the item it made.

    Examples
    --------
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
    [{'file': '/...areas.geojson', 'row': 2, 'field': 'status', 'reason': "[field_value] column
     status: 'mined?' is not one of: open, suspended, closed, released"}]
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

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the HTTP API (``landed`` and ``item_codes`` are what a dry run
        would have landed)."""
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
            "rejected": [{**_where(r.where), "reason": r.reason} for r in self.rejected],
            "notes": [{**_where(where), "note": note} for where, note in self.notes],
        }


def _where(where: Location) -> dict[str, Any]:
    return {"file": where.file, "row": where.row, "field": where.field}


class ImportRefused(InvalidInput):
    """An all-or-nothing import with rejected features: nothing landed.

    Examples
    --------
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
    1 of 2 features rejected, nothing imported (first: [field_value] column status: 'mined?' is not
     one of: open, suspended, closed, released); fix them or import with --keep-going
    0 1
    """

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        first = report.rejected[0]
        super().__init__(
            f"{len(report.rejected)} of {report.read} features rejected, nothing imported "
            f"(first: {first.reason}); fix them or import with --keep-going",
            first.where,
        )


def mapping_by_field_names(
    path: Path, kind: Kind, layer: str | None = None, id_column: str | None = None
) -> Mapping:
    """Without a mapping file, the columns named like the record's fields map onto them.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> frame = gpd.GeoDataFrame({"name": ["Hill 4"], "status": ["open"], "owner": ["x"]},
    ...                          geometry=[box(30, -1, 30.01, -0.99)], crs=4326)
    >>> frame.to_file(tmp / "areas.gpkg", layer="areas")
    >>> mapping = mapping_by_field_names(tmp / "areas.gpkg", Kind.HAZARDOUS_AREA)
    >>> mapping.layer, sorted(mapping.fields)
    ('areas', ['name', 'status'])
    """
    layers = list_layers(path)
    chosen = next(
        (li for li in layers if li.name == layer), layers[0] if len(layers) == 1 else None
    )
    if chosen is None:
        names = ", ".join(li.name for li in layers)
        raise InvalidInput(
            f"the file has several layers ({names}): choose one with the layer option",
            Location(str(path), field="layer"),
        )
    fields = {f: f for f in data_fields(kind) if f in chosen.fields}
    mapping: dict[str, Any] = {
        "kind": kind.value,
        "layer": chosen.name,
        "id_column": id_column,
        "fields": fields,
    }
    if path.suffix.lower() == ".csv":
        mapping["geometry"] = _csv_geometry_columns(list(chosen.fields), path)
    return load_mapping(mapping)


#: Column names a CSV's geometry is found under without a mapping (case ignored): WKT as
#: ``minewatch export`` writes it, or a longitude/latitude pair.
_CSV_WKT = ("wkt", "geometry")
_CSV_XY = (("longitude", "latitude"), ("lon", "lat"), ("x", "y"))


def _csv_geometry_columns(columns: list[str], path: Path) -> dict[str, str]:
    """The CSV's geometry columns, by name; InvalidInput names what was looked for."""
    by_name = {c.lower(): c for c in columns}
    for name in _CSV_WKT:
        if name in by_name:
            return {"wkt": by_name[name]}
    for x, y in _CSV_XY:
        if x in by_name and y in by_name:
            return {"x": by_name[x], "y": by_name[y]}
    raise InvalidInput(
        "a CSV needs its geometry in a wkt column, or in longitude and latitude columns",
        Location(str(path), field="geometry"),
    )


def _finding_reason(finding: Finding) -> str:
    return f"[{finding.rule}] {finding.message}"


def _reader_rejections(batch: FeatureBatch) -> dict[int, Rejection]:
    """Rows the reader already rejected (unreadable geometry, bad cell, missing id …)."""
    row_of = {int(n): i for i, n in enumerate(batch.feature_numbers.tolist())}
    out: dict[int, Rejection] = {}
    for finding in batch.findings:
        if finding.severity is FindingSeverity.ERROR and finding.record in row_of:
            row = row_of[int(finding.record)]
            out.setdefault(row, Rejection(batch.location(finding), _finding_reason(finding)))
    for flagged in np.flatnonzero(batch.rejected).tolist():
        out.setdefault(
            flagged,
            Rejection(Location(batch.source, int(batch.feature_numbers[flagged])), "rejected"),
        )
    return out


def _notes_by_row(batch: FeatureBatch) -> list[tuple[str, ...]]:
    row_of = {int(n): i for i, n in enumerate(batch.feature_numbers.tolist())}
    notes: list[list[str]] = [[] for _ in range(len(batch))]
    for finding in batch.findings:
        if finding.severity is not FindingSeverity.ERROR and finding.record in row_of:
            notes[row_of[int(finding.record)]].append(
                f"{finding.severity.value} {_finding_reason(finding)}"
            )
    return [tuple(n) for n in notes]


def import_file(
    workflow: Workflow,
    path: str | Path,
    mapping: Mapping,
    *,
    layer: str | None = None,
    date_of_information: date | None = None,
    state: ReportState = ReportState.APPROVED,
    keep_going: bool = False,
    reject_file: Path | None = None,
    batch_size: int = 50_000,
    progress: Callable[[int], None] | None = None,
    dry_run: bool = False,
    max_features: int | None = None,
) -> ImportReport:
    """Import one layer of a file as reports (and, when approved, items) of ``mapping.kind``.

    Raises :class:`ImportRefused` (nothing landed) if a feature is rejected and not
    ``keep_going``, and InvalidInput (nothing landed) as soon as the file turns out to hold
    more than ``max_features`` features (the server's upload limit; None: no limit).
    ``progress`` is called with the number of features read so far.
    ``dry_run`` writes nothing and never raises ImportRefused: the report lists every
    rejection. It must not be called inside a transaction of the caller's, which its
    rollback could not undo.

    Examples
    --------
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
    >>> report = import_file(workflow, tmp / "areas.geojson", mapping, keep_going=True,
    ...                      reject_file=tmp / "rejects.geojson")
    >>> report.landed, report.item_codes, report.reject_file.name
    (1, ['HA-000001'], 'rejects.geojson')
    """
    source = Path(path)
    report = ImportReport(str(source), mapping.kind.value, dry_run=dry_run)
    rejects = RejectCollector(source) if reject_file else None
    _import_all(
        workflow,
        source,
        mapping,
        report,
        _Options(
            layer, date_of_information or date.today(), state, keep_going, dry_run, max_features
        ),
        rejects,
        batch_size,
        progress,
    )
    report.committed = not dry_run
    if rejects is not None and report.rejected and reject_file is not None:
        report.reject_file = rejects.write(reject_file)
    return report


@dataclass(frozen=True)
class _Options:
    layer: str | None
    doi: date
    state: ReportState
    keep_going: bool
    dry_run: bool
    max_features: int | None = None


def _import_all(
    workflow: Workflow,
    source: Path,
    mapping: Mapping,
    report: ImportReport,
    options: _Options,
    rejects: RejectCollector | None,
    batch_size: int,
    progress: Callable[[int], None] | None,
) -> None:
    """Every batch in one of the workflow's all-or-nothing blocks (rolled back at the end of
    a dry run); raises ImportRefused when a rejection refuses the whole import."""
    kind = mapping.kind
    keep_going = options.keep_going or options.dry_run
    landed_geoms: list[np.ndarray] = []  # new items' geometries and codes, for pairwise checks
    landed_codes: list[str] = []
    stored_before = (
        workflow.store.count_items(ItemQuery(kind)) if record_type(kind).geometry_type else 0
    )
    # With no earlier report of this kind, nothing can have been imported before: skip the
    # per-batch look-up (a repeated id within the file is the reader's to reject).
    reported_before = bool(workflow.store.list_reports(ReportQuery(kind=kind, limit=1)))
    with workflow.all_or_nothing(dry_run=options.dry_run):
        for batch in read_batches(source, mapping, layer=options.layer, batch_size=batch_size):
            within_upload_limit(report.read + len(batch), options.max_features, source, "features")
            # Geometry rules run once, in the workflow's validation, as for any report.
            _import_batch(
                workflow,
                batch,
                options.doi,
                options.state,
                keep_going,
                report,
                landed_geoms,
                landed_codes,
                reported_before,
            )
            if rejects is not None:
                rejects.add(_with_rejections(batch, report))
            if progress:
                progress(report.read)
        if report.rejected and not keep_going:
            raise ImportRefused(report)
        _pairwise_warnings(
            workflow, kind, landed_geoms, landed_codes, report, compare_stored=stored_before > 0
        )


def within_upload_limit(count: int, limit: int | None, source: Path, what: str) -> None:
    """InvalidInput naming the limit once ``count`` passes it (the caller's transaction then
    rolls back whatever was written).

    >>> within_upload_limit(3, 2, Path("areas.geojson"), "features")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: areas.geojson: the file holds more than 2 features, the most one upload may hold (max_upload_features); import it with the command line
    """
    if limit is not None and count > limit:
        raise InvalidInput(
            f"the file holds more than {limit:,} {what}, the most one upload may hold "
            "(max_upload_features); import it with the command line",
            Location(file=str(source)),
        )


def _import_batch(
    workflow: Workflow,
    batch: FeatureBatch,
    doi: date,
    state: ReportState,
    keep_going: bool,
    report: ImportReport,
    landed_geoms: list[np.ndarray],
    landed_codes: list[str],
    reported_before: bool = True,
) -> None:
    kind = batch.mapping.kind
    report.read += len(batch)
    rejected = _reader_rejections(batch)
    numbers = batch.feature_numbers.tolist()
    external_ids = [None if e is None else str(e) for e in batch.external_ids.tolist()]
    previous = (
        workflow.store.find_reports_by_external_id(kind, [e for e in external_ids if e])
        if reported_before
        else {}
    )
    skip = {i for i, e in enumerate(external_ids) if e in previous and i not in rejected}
    for i in sorted(skip):
        eid = external_ids[i] or ""
        report.skipped.append(
            Skipped(Location(batch.source, numbers[i]), eid, previous[eid].item_code)
        )
    values = batch.values
    dois = _dates_of_information(values, doi, len(batch))
    codes = values["code"].tolist() if "code" in values.columns else [None] * len(batch)
    fields = values.drop(columns=[c for c in REPORT_FIELDS if c in values.columns])
    name = Path(batch.source).name
    sources: list[str | None] = [f"import {name} feature {n}" for n in numbers]
    updates = [i for i in range(len(batch)) if codes[i] and i not in rejected and i not in skip]
    for i in updates:
        _import_update(
            workflow,
            batch,
            fields,
            i,
            str(codes[i]),
            dois[i],
            sources[i],
            external_ids[i],
            state,
            report,
            rejected,
        )
    rows = [i for i in range(len(batch)) if i not in rejected and i not in skip and not codes[i]]
    notes = _notes_by_row(batch)
    drafts = DraftBatch(
        kind,
        {c: fields[c].tolist() for c in fields.columns},
        batch.geometries,
        dois,
        [Location(batch.source, n) for n in numbers],
        external_ids,
        sources,
        [None] * len(batch),
        notes,
    ).take(rows)
    checked = workflow.validate_batch(drafts, state=state)
    for row, rejection in checked.rejected_rows.items():
        rejected[rows[row]] = rejection
    report.rejected.extend(rejected[i] for i in sorted(rejected))
    report.accepted += (
        len(rows)
        - len(checked.rejected_rows)
        + len(updates)
        - len([i for i in updates if i in rejected])
    )
    if report.rejected and not keep_going:
        return  # keep reading to report every rejection; nothing will be committed
    result = workflow.write_batch(checked)
    report.landed += len(result.item_codes)
    report.item_codes.extend(result.item_codes)
    reader_notes = drafts.column("notes")
    for row in result.landed_rows:
        for note in (*reader_notes[row], *checked.notes[row]):
            report.notes.append((drafts.locations[row], note))
    landed_geoms.append(checked.geometries[result.landed_rows])
    landed_codes.extend(result.item_codes)


def _dates_of_information(values: pd.DataFrame, default: date, n: int) -> list[date]:
    """Each row's Date of Information: the mapped column where it has one, else the default."""
    if "date_of_information" not in values.columns:
        return [default] * n
    return [
        default if v is None or v != v else date.fromisoformat(str(v)[:10])
        for v in values["date_of_information"].tolist()
    ]


def _import_update(
    workflow: Workflow,
    batch: FeatureBatch,
    fields: pd.DataFrame,
    row: int,
    code: str,
    doi: date,
    source: str | None,
    external_id: str | None,
    state: ReportState,
    report: ImportReport,
    rejected: dict[int, Rejection],
) -> None:
    """A row naming an existing item's code: a report updating that item (only the fields the
    row fills; its geometry if it has one)."""
    where = Location(batch.source, int(batch.feature_numbers[row]))
    changes = {str(c): v for c, v in fields.iloc[row].items() if v is not None and v == v}
    draft = Draft(
        batch.mapping.kind,
        changes,
        doi,
        batch.geometries[row],
        item_ref=str(code),
        source=source,
        external_id=external_id,
    )
    try:
        created = workflow.create_drafts([draft], state=state, where=[where])[0]
    except (InvalidInput, NotFound) as exc:
        reason = exc.message if isinstance(exc, InvalidInput) else str(exc)
        rejected[row] = Rejection(Location(where.file, where.row, "code"), reason)
        return
    report.landed += 1
    report.item_codes.append(created.item_code or "")


def _with_rejections(batch: FeatureBatch, report: ImportReport) -> FeatureBatch:
    """The batch with every rejection of this import marked, for the reject file."""
    numbers = {int(n): i for i, n in enumerate(batch.feature_numbers.tolist())}
    marked = batch.rejected.copy()
    extra: list[Finding] = []
    for rejection in report.rejected:
        row = numbers.get(rejection.where.row) if isinstance(rejection.where.row, int) else None
        if rejection.where.file == batch.source and row is not None and not marked[row]:
            marked[row] = True
            extra.append(
                Finding(
                    "field_value",
                    FindingSeverity.ERROR,
                    rejection.where.row,
                    rejection.reason,
                    field=rejection.where.field,
                )
            )
    batch.rejected = marked
    batch.findings = [*batch.findings, *extra]
    return batch


def _pairwise_warnings(
    workflow: Workflow,
    kind: Kind,
    landed: list[np.ndarray],
    codes: list[str],
    report: ImportReport,
    *,
    compare_stored: bool,
) -> None:
    """Duplicates and overlaps, among the new items and with those already stored: warnings
    an officer should look at, not reasons to refuse data."""
    if not landed or not codes or record_type(kind).geometry_type is None:
        return
    geoms = np.concatenate(landed)
    findings = find_duplicates_and_overlaps(geoms, codes, rules=workflow.rules)
    bounds = _bounds(geoms) if compare_stored else None
    if bounds is not None:
        stored = workflow.store.items_frame(ItemQuery(kind, bbox=bounds))
        stored = stored[~stored["code"].isin(set(codes))]
        if len(stored):
            findings += find_duplicates_and_overlaps(
                geoms,
                codes,
                rules=workflow.rules,
                against=stored.geometry.values,
                against_refs=stored["code"].tolist(),
            )
    for finding in findings:
        report.notes.append(
            (Location(report.source, finding.record), f"warning {_finding_reason(finding)}")
        )


def _bounds(geoms: np.ndarray) -> tuple[float, float, float, float] | None:
    import shapely

    present = geoms[~shapely.is_missing(geoms)]
    if not len(present):
        return None
    b = shapely.total_bounds(present)
    return (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
