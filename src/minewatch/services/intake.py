"""Field submissions into the report workflow: one draft report per submission.

Reading and mapping an export is :mod:`minewatch.io.forms`; this module feeds the result to
:class:`minewatch.services.records.Workflow`. It is idempotent on the submission's instance
ID: the main report's ``external_id`` is the instance ID (``uuid:…``) and each child's is
``<instance ID>/<repeat>[n]``, so importing the same export twice, or an export that overlaps
the last one, creates nothing new for submissions already imported. Child reports (victims,
release products, device finds) name their parent item's code in their link field
(``accident_code``, ``activity_code``); a submission's reports land together or not at all.

>>> from minewatch.store import open_store                                  # doctest: +SKIP
>>> wf = Workflow(open_store("demo.gpkg"), local_admin())                    # doctest: +SKIP
>>> result = import_submissions(wf, Path("minewatch_accident.zip"))          # doctest: +SKIP
>>> len(result.created), len(result.skipped), [str(r) for r in result.rejected]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from shapely.geometry.base import BaseGeometry

from minewatch.domain import access
from minewatch.domain.records import Kind
from minewatch.domain.reports import Report
from minewatch.errors import Location, MinewatchError
from minewatch.io.form_mapping import MappingFile, default_mapping, load_mapping
from minewatch.io.forms import (
    DraftReport,
    Flavour,
    ParsedExport,
    Rejection,
    SubmissionDrafts,
    parse_export,
)
from minewatch.io.xlsform import read_xlsform
from minewatch.services.records import Draft, Workflow, check_geometries


@dataclass
class IntakeResult:
    """What an import did: reports created, submissions already imported, rejections."""

    file: str
    flavour: str
    form_id: str
    created: list[Report] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # instance ID → existing report code
    rejected: list[Rejection] = field(default_factory=list)
    imported: list[SubmissionDrafts] = field(default_factory=list)

    @property
    def submissions_created(self) -> int:
        return len(self.imported)


def _draft(d: DraftReport, extra: dict[str, str] | None = None, notes: Sequence[str] = ()) -> Draft:
    return Draft(
        kind=d.kind,
        changes={**d.changes, **(extra or {})},
        date_of_information=d.date_of_information,
        geometry=d.geometry,
        organisation_code=d.organisation_code,
        source=d.source,
        external_id=d.external_id,
        notes=(*d.notes, *notes),
    )


def _attachment_notes(sub: SubmissionDrafts) -> list[str]:
    return [
        f"attachment {a.filename}"
        + (f" ({a.question})" if a.question else "")
        + (f" <{a.url}>" if a.url else "")
        + (" [in the export]" if a.in_export else "")
        for a in sub.attachments
    ]


def _refusal(sub: SubmissionDrafts, field: str | None, reason: str) -> Rejection:
    return Rejection(str(sub.where.file), sub.where.row or "", sub.instance_id, field, reason)


def _precheck(workflow: Workflow, subs: list[SubmissionDrafts]) -> dict[int, Rejection]:
    """The workflow's own checks (rights, then the geometry rules, vectorised per kind) on
    every submission first, so one bad submission never blocks the others: the workflow
    creates a batch all or nothing."""
    refused: dict[int, Rejection] = {}
    by_kind: dict[Kind, list[tuple[int, BaseGeometry | None]]] = {}
    for i, sub in enumerate(subs):
        for d in (sub.main, *sub.children):
            if not access.can_create_report(workflow.actor, d.organisation_code):
                reason = f"{workflow.actor.username} may not report for {d.organisation_code}"
                refused.setdefault(i, _refusal(sub, None, reason))
            by_kind.setdefault(d.kind, []).append((i, d.geometry))
    for kind, rows in by_kind.items():
        geometries = np.array([g for _i, g in rows], dtype=object)
        _fixed, _notes, errors = check_geometries(kind, geometries)
        for row, message in sorted(errors.items()):
            i = rows[row][0]
            refused.setdefault(i, _refusal(subs[i], "geometry", message))
    return refused


def intake(workflow: Workflow, parsed: ParsedExport, *, dry_run: bool = False) -> IntakeResult:
    """Create the draft reports of a parsed export that are not in the store yet.

    With ``dry_run`` nothing is written: the result says what an import would do.
    """
    result = IntakeResult(
        parsed.file, parsed.flavour, parsed.form_id, rejected=list(parsed.rejected)
    )
    if not parsed.accepted:
        return result
    kind = parsed.accepted[0].main.kind
    existing = workflow.store.find_reports_by_external_id(
        kind, [s.instance_id for s in parsed.accepted]
    )
    candidates: list[SubmissionDrafts] = []
    for sub in parsed.accepted:
        if sub.instance_id in existing:
            result.skipped[sub.instance_id] = existing[sub.instance_id].code or ""
        else:
            candidates.append(sub)
    refused = _precheck(workflow, candidates)
    result.rejected.extend(refused[i] for i in sorted(refused))
    fresh = [sub for i, sub in enumerate(candidates) if i not in refused]
    if dry_run:
        result.imported.extend(fresh)
    elif fresh:
        _create_all(workflow, fresh, result)
    return result


def _create_all(workflow: Workflow, subs: list[SubmissionDrafts], result: IntakeResult) -> None:
    try:
        result.created.extend(_create(workflow, subs))
        result.imported.extend(subs)
        return
    except MinewatchError:
        pass
    # Something the pre-checks did not foresee: one submission at a time, so that only the
    # culprit is rejected.
    for sub in subs:
        try:
            result.created.extend(_create(workflow, [sub]))
            result.imported.append(sub)
        except MinewatchError as exc:
            result.rejected.append(_refusal(sub, None, str(exc)))


def _create(workflow: Workflow, subs: Sequence[SubmissionDrafts]) -> list[Report]:
    """The reports of these submissions, in one transaction: mains first, then children
    naming their parent's new item code."""
    with workflow.store.transaction():
        mains = workflow.create_drafts(
            [_draft(s.main, notes=_attachment_notes(s)) for s in subs],
            where=[s.where for s in subs],
        )
        children: list[Draft] = []
        where: list[Location] = []
        for sub, parent in zip(subs, mains, strict=True):
            for child in sub.children:
                link = {child.link: parent.item_code or ""} if child.link else None
                children.append(_draft(child, link))
                where.append(sub.where)
        created = workflow.create_drafts(children, where=where) if children else []
    return [*mains, *created]


def import_submissions(
    workflow: Workflow,
    path: Path,
    *,
    mapping: MappingFile | Path | None = None,
    form_id: str | None = None,
    flavour: Flavour | None = None,
    xlsform: Path | None = None,
    attachments_url: str | None = None,
    dry_run: bool = False,
) -> IntakeResult:
    """Read a KoboToolbox or ODK Central export and create its draft reports.

    ``mapping`` adds (or overrides) form mappings to minewatch's own; a path is read as TOML.
    ``xlsform`` is the programme's form, needed only for exports with label headers;
    ``attachments_url`` builds the address of files the export names without one (see
    :func:`minewatch.io.forms.map_export`); ``dry_run`` reports what would happen without
    writing anything.
    """
    extra = load_mapping(mapping) if isinstance(mapping, Path) else mapping
    full = default_mapping().merged(extra) if extra is not None else default_mapping()
    schema = read_xlsform(xlsform) if xlsform is not None else None
    if form_id is None and schema is not None and schema.form_id in full.forms:
        form_id = schema.form_id
    parsed = parse_export(path, full, form_id, flavour, schema, attachments_url)
    return intake(workflow, parsed, dry_run=dry_run)
