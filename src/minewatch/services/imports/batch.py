"""One batch of features into reports: the reader's findings as rejections and notes, rows
imported before skipped, rows naming an existing item's code as updates, and the rest
validated and written column by column.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from minewatch.domain.geometry import Finding, FindingSeverity
from minewatch.domain.reports import ReportState
from minewatch.errors import InvalidInput, Location, NotFound
from minewatch.io.geodata import FeatureBatch
from minewatch.io.mapping import REPORT_FIELDS
from minewatch.services.imports.outcome import ImportReport, Skipped
from minewatch.services.records import Draft, DraftBatch, Rejection, Workflow
from minewatch.services.records.geometries import note_text


def _finding_note(finding: Finding) -> str:
    """A reader's warning or repair as a report's note (severity, rule, message)."""
    return note_text(finding.severity.value, str(finding.rule), finding.message)


def _reader_rejections(batch: FeatureBatch) -> dict[int, Rejection]:
    """Rows the reader already rejected (unreadable geometry, bad cell, missing id …)."""
    row_of = {int(n): i for i, n in enumerate(batch.feature_numbers.tolist())}
    out: dict[int, Rejection] = {}
    for finding in batch.findings:
        if finding.severity is FindingSeverity.ERROR and finding.record in row_of:
            row = row_of[int(finding.record)]
            out.setdefault(
                row, Rejection(batch.location(finding), finding.message, str(finding.rule))
            )
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
            notes[row_of[int(finding.record)]].append(_finding_note(finding))
    return [tuple(n) for n in notes]


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
