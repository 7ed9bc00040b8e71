"""A whole file (:func:`import_file`): its batches in one all-or-nothing block of the workflow
(rolled back after a dry run), the upload limit (:func:`within_upload_limit`), the reject
file, and duplicates and overlaps among the new items and with those stored, as warnings.

>>> within_upload_limit(2, 2, Path("areas.geojson"), "features") is None
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

import numpy as np

from minewatch.domain.geometry import Finding, FindingSeverity, find_duplicates_and_overlaps
from minewatch.domain.records import Kind, record_type
from minewatch.domain.reports import ReportState
from minewatch.errors import InvalidInput, Location
from minewatch.io.geodata import FeatureBatch, RejectCollector, read_batches
from minewatch.io.mapping import Mapping
from minewatch.services.imports.batch import _finding_note, _import_batch
from minewatch.services.imports.outcome import ImportRefused, ImportReport
from minewatch.services.records import Workflow
from minewatch.store import ItemQuery, ReportQuery
from minewatch.vocabulary.problems import reason_text


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
    locale: str | None = None,
) -> ImportReport:
    """Import one layer of a file as reports (and, when approved, items) of ``mapping.kind``.

    Raises :class:`ImportRefused` (nothing landed) if a feature is rejected and not
    ``keep_going``, and InvalidInput (nothing landed) as soon as the file turns out to hold
    more than ``max_features`` features (the server's upload limit; None: no limit).
    ``progress`` is called with the number of features read so far.
    The reject file's reasons are in ``locale`` (English by default), its rules codes.
    ``dry_run`` writes nothing and never raises ImportRefused: the report lists every
    rejection. It must not be called inside a transaction of the caller's, which its
    rollback could not undo.

    Examples
    --------
    >>> from minewatch.io.mapping import load_mapping
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
    # the reject file's reasons in the reader's language (``locale``), for people to fix
    rejects = RejectCollector(source, partial(reason_text, locale=locale)) if reject_file else None
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
                    rejection.rule or "field_value",
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
        report.notes.append((Location(report.source, finding.record), _finding_note(finding)))


def _bounds(geoms: np.ndarray) -> tuple[float, float, float, float] | None:
    import shapely

    present = geoms[~shapely.is_missing(geoms)]
    if not len(present):
        return None
    b = shapely.total_bounds(present)
    return (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
