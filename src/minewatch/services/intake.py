"""Field submissions into the report workflow: one draft report per submission.

Reading and mapping an export is :mod:`minewatch.io.forms`; this module feeds the result to
:class:`minewatch.services.records.Workflow`. It is idempotent on the submission's instance
ID: the main report's ``external_id`` is the instance ID (``uuid:…``) and each child's is
``<instance ID>/<repeat>[n]``, so importing the same export twice, or an export that overlaps
the last one, creates nothing new for submissions already imported. Child reports (victims,
release products, device finds) name their parent item's code in their link field
(``accident_code``, ``activity_code``); a submission's reports land together or not at all.

Two ODK Collect instances of minewatch's accident form, the second with a bad answer:

>>> form = ('<data id="minewatch_accident"><accident><accident_date>2024-08-0{0}</accident_date>'
...         '<accident_location>35.2 48.6 0 0</accident_location></accident><victims>'
...         '<victim_type>civilian</victim_type><victim_sex>{1}</victim_sex>'
...         '<victim_outcome>injured</victim_outcome></victims>'
...         '<meta><instanceID>uuid:000{0}</instanceID></meta></data>')
>>> (tmp / "instances").mkdir()
>>> for day, sex in [(1, "female"), (2, "unsure")]:
...     _ = (tmp / "instances" / f"{day}.xml").write_text(form.format(day, sex))
>>> from minewatch.domain.access import local_admin
>>> from minewatch.store import open_store
>>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
>>> result = import_submissions(wf, tmp / "instances")
>>> [(r.code, r.item_code) for r in result.created]
[('RPT-000001', 'ACC-000001'), ('RPT-000002', 'VIC-000001')]
>>> [str(r) for r in result.rejected]
["/...instances, row 2, field victims[1]/victim_sex (uuid:0002): 'unsure' is not one of:
female, male, unknown"]
>>> import_submissions(wf, tmp / "instances").skipped   # the same export again
{'uuid:0001': 'RPT-000001'}

By default an intake lands the good submissions and lists each rejected one with its reason:
field teams send submissions one by one, and one bad phone entry must not hold back the
others (once fixed in KoboToolbox or ODK Central, a re-import picks it up; the rest are
skipped by instance ID). A caller who wants all or nothing, as a geodata import
(:mod:`minewatch.services.imports`) is by default, passes ``keep_going=False``: one rejected
submission and nothing is written. The CLI and the HTTP API both
call :func:`import_submissions`, and both report with :meth:`IntakeResult.as_dict`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry.base import BaseGeometry

from minewatch.domain import access
from minewatch.domain.records import Kind
from minewatch.domain.reports import Report, ReportState
from minewatch.domain.text import Message
from minewatch.errors import (
    InvalidInput,
    Location,
    MinewatchError,
    NotFound,
    PermissionDenied,
)
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
from minewatch.services.imports import within_upload_limit
from minewatch.services.records import Draft, Workflow, check_geometries
from minewatch.vocabulary.problems import reason_text


@dataclass
class IntakeResult:
    """What an import did: reports created, submissions already imported, rejections.

    ``imported`` holds the submissions that landed (or, in a dry run, would land);
    ``committed`` is False when a dry run or a refused all-or-nothing import wrote nothing.

    Examples
    --------
    >>> form = ('<data id="minewatch_accident"><accident><accident_date>2024-08-0{0}</accident_date>'
    ...         '<accident_location>35.2 48.6 0 0</accident_location></accident><victims>'
    ...         '<victim_type>civilian</victim_type><victim_sex>{1}</victim_sex>'
    ...         '<victim_outcome>injured</victim_outcome></victims>'
    ...         '<meta><instanceID>uuid:000{0}</instanceID></meta></data>')
    >>> (tmp / "instances").mkdir()
    >>> for day, sex in [(1, "female"), (2, "unsure")]:
    ...     _ = (tmp / "instances" / f"{day}.xml").write_text(form.format(day, sex))
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> result = import_submissions(wf, tmp / "instances", dry_run=True)
    >>> result.committed, result.submissions_created, [r.item_code for r in result.created]
    (False, 0, [])
    >>> answer = result.as_dict()
    >>> answer["form"], answer["submissions"], answer["rejected"][0]["field"]
    ('minewatch_accident', [{'instance_id': 'uuid:0001', 'row': 1, 'reports': 2, 'attachments':
     []}], 'victims[1]/victim_sex')
    """

    file: str
    flavour: str
    form_id: str
    created: list[Report] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # instance ID → existing report code
    rejected: list[Rejection] = field(default_factory=list)
    imported: list[SubmissionDrafts] = field(default_factory=list)
    #: instance ID → item code, for submissions edited on the server since they landed
    edited: dict[str, str] = field(default_factory=dict)
    #: instance ID → report code, for edits waiting until their first version is reviewed
    waiting: dict[str, str] = field(default_factory=dict)
    dry_run: bool = False
    committed: bool = False

    @property
    def submissions_created(self) -> int:
        return len(self.imported) if self.committed else 0

    def as_dict(self, locale: str | None = None) -> dict[str, Any]:
        """Plain data for ``minewatch intake import --json`` and the HTTP API: one answer
        shape for both, the reasons in ``locale`` (English by default)."""
        return {
            "file": self.file,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "form": self.form_id,
            "flavour": self.flavour,
            "created": [_created_plain(r) for r in self.created],
            "skipped": [{"instance_id": i, "report": c} for i, c in self.skipped.items()],
            "edited": [{"instance_id": i, "item": c} for i, c in self.edited.items()],
            "waiting": [{"instance_id": i, "report": c} for i, c in self.waiting.items()],
            "rejected": [
                {
                    "file": r.file,
                    "row": r.row,
                    "instance_id": r.instance_id,
                    "field": r.field,
                    "reason": reason_text(r.reason, locale),
                }
                for r in self.rejected
            ],
            "submissions": [
                {
                    "instance_id": s.instance_id,
                    "row": s.where.row,
                    "reports": 1 + len(s.children),
                    "attachments": [asdict(a) for a in s.attachments],
                }
                for s in self.imported
            ],
        }


def _created_plain(report: Report) -> dict[str, Any]:
    return {
        "code": report.code,
        "kind": report.kind.value,
        "item_code": report.item_code,
        "external_id": report.external_id,
        "organisation_code": report.organisation_code,
    }


def _draft(
    d: DraftReport,
    extra: dict[str, str] | None = None,
    notes: Sequence[str] = (),
    item_ref: str | None = None,
) -> Draft:
    return Draft(
        kind=d.kind,
        changes={**d.changes, **(extra or {})},
        date_of_information=d.date_of_information,
        geometry=d.geometry,
        item_ref=item_ref,
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
        + (f" [saved as {a.saved}]" if a.saved else "")
        for a in sub.attachments
    ]


def _refusal(sub: SubmissionDrafts, field: str | None, reason: str) -> Rejection:
    return Rejection(str(sub.where.file), sub.where.row or "", sub.instance_id, field, reason)


def _check_rights(workflow: Workflow, subs: list[SubmissionDrafts]) -> dict[int, Rejection]:
    """Submissions the actor may not report (another organisation's): refused before
    anything else, so that nobody learns whether another organisation imported them."""
    refused: dict[int, Rejection] = {}
    for i, sub in enumerate(subs):
        for d in (sub.main, *sub.children):
            if not access.can_create_report(workflow.actor, d.organisation_code):
                reason = f"{workflow.actor.username} may not report for {d.organisation_code}"
                refused.setdefault(i, _refusal(sub, None, reason))
    return refused


def _check_geometries(workflow: Workflow, subs: list[SubmissionDrafts]) -> dict[int, Rejection]:
    """The workflow's geometry rules, vectorised per kind, on every submission first, so
    that each bad one is reported with its reason (the workflow creates a batch all or
    nothing and would name only the first)."""
    refused: dict[int, Rejection] = {}
    by_kind: dict[Kind, list[tuple[int, BaseGeometry | None]]] = {}
    for i, sub in enumerate(subs):
        for d in (sub.main, *sub.children):
            by_kind.setdefault(d.kind, []).append((i, d.geometry))
    for kind, rows in by_kind.items():
        geometries = np.array([g for _i, g in rows], dtype=object)
        _fixed, _notes, errors = check_geometries(
            kind, geometries, workflow.rules, workflow.boundary
        )
        for row, message in sorted(errors.items()):
            i = rows[row][0]
            refused.setdefault(i, _refusal(subs[i], "geometry", message))
    return refused


def intake(
    workflow: Workflow,
    parsed: ParsedExport,
    *,
    dry_run: bool = False,
    keep_going: bool = True,
    landed: Mapping[str, str] | None = None,
    record: Callable[[Sequence[SubmissionDrafts]], None] | None = None,
) -> IntakeResult:
    """Create the draft reports of a parsed export that are not in the store yet.

    With ``dry_run`` nothing is written: the result says what an import would do. Without
    ``keep_going`` (the default is to keep going) one rejected submission means nothing is
    written.

    ``landed`` (instance ID → the version last landed, as a pull from a server keeps it)
    turns on edits: a submission already in the store whose version (``meta/instanceID``)
    is not the one landed is an edit made on the server, and its reports update the items
    its first version created (a repeat row that is new creates a child), rather than being
    skipped or duplicated. While a report of the earlier version awaits review the edit
    waits (listed in ``waiting``); if that report was rejected the edit lands as new. Without it a submission already imported is always skipped.
    ``record`` is called with the submissions that land, in the transaction that writes their
    reports (a pull keeps their versions with it).

    Examples
    --------
    >>> form = ('<data id="minewatch_accident"><accident><accident_date>2024-08-0{0}</accident_date>'
    ...         '<accident_location>35.2 48.6 0 0</accident_location></accident><victims>'
    ...         '<victim_type>civilian</victim_type><victim_sex>{1}</victim_sex>'
    ...         '<victim_outcome>injured</victim_outcome></victims>'
    ...         '<meta><instanceID>uuid:000{0}</instanceID></meta></data>')
    >>> (tmp / "instances").mkdir()
    >>> for day, sex in [(1, "female"), (2, "unsure")]:
    ...     _ = (tmp / "instances" / f"{day}.xml").write_text(form.format(day, sex))
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> from minewatch.io.forms import parse_export
    >>> parsed = parse_export(tmp / "instances")
    >>> result = intake(wf, parsed, keep_going=False)   # all or nothing
    >>> result.committed, result.created, len(result.rejected)
    (False, [], 1)
    >>> [r.kind.value for r in intake(wf, parsed).created]   # the good submission lands
    ['accident', 'victim']
    """
    result = IntakeResult(
        parsed.file,
        parsed.flavour,
        parsed.form_id,
        rejected=list(parsed.rejected),
        dry_run=dry_run,
    )
    if not parsed.accepted:
        return result
    refused = _check_rights(workflow, parsed.accepted)
    allowed = [sub for i, sub in enumerate(parsed.accepted) if i not in refused]
    kind = parsed.accepted[0].main.kind
    existing = workflow.store.find_reports_by_external_id(kind, [s.instance_id for s in allowed])
    candidates: list[SubmissionDrafts] = []
    for sub in allowed:
        found = existing.get(sub.instance_id)
        if found is None:
            candidates.append(sub)
        elif landed is not None and _is_edit(sub, landed):
            if found.state is ReportState.REJECTED:
                candidates.append(sub)  # its first version never made an item: a new one
            elif _awaiting_review(workflow, sub, found):
                result.waiting[sub.instance_id] = found.code or ""
            else:
                result.edited[sub.instance_id] = found.item_code or ""
                candidates.append(sub)
        else:
            result.skipped[sub.instance_id] = found.code or ""
    bad_shape = _check_geometries(workflow, candidates)
    result.rejected.extend(refused[i] for i in sorted(refused))
    result.rejected.extend(bad_shape[i] for i in sorted(bad_shape))
    fresh = [sub for i, sub in enumerate(candidates) if i not in bad_shape]
    for i in bad_shape:
        result.edited.pop(candidates[i].instance_id, None)
    if dry_run or (result.rejected and not keep_going):
        result.imported.extend(fresh)
    elif fresh:
        _create_all(workflow, fresh, result, keep_going, record)
    else:
        result.committed = True
    return result


_PENDING = (ReportState.DRAFT, ReportState.SUBMITTED)


def _awaiting_review(workflow: Workflow, sub: SubmissionDrafts, found: Report) -> bool:
    """Whether a report of the submission's earlier version is still a draft or awaiting
    review: its items do not exist yet, so the edit waits (a pull offers it again) rather
    than landing beside the version a reviewer is about to judge."""
    if found.state in _PENDING:
        return True
    by_kind: dict[Kind, list[str]] = {}
    for child in sub.children:
        by_kind.setdefault(child.kind, []).append(child.external_id)
    return any(
        report.state in _PENDING
        for kind, ids in by_kind.items()
        for report in workflow.store.find_reports_by_external_id(kind, ids).values()
    )


def _is_edit(sub: SubmissionDrafts, landed: Mapping[str, str]) -> bool:
    """A version other than the one landed (a submission never pulled before was landed as
    its first version, whose instance ID is the submission's own)."""
    before = landed.get(sub.instance_id, sub.instance_id)
    return sub.version is not None and sub.version != before


def _create_all(
    workflow: Workflow,
    subs: list[SubmissionDrafts],
    result: IntakeResult,
    keep_going: bool,
    record: Callable[[Sequence[SubmissionDrafts]], None] | None,
) -> None:
    try:
        result.created.extend(_create(workflow, subs, result.edited, record))
        result.imported.extend(subs)
        result.committed = True
        return
    except InvalidInput as exc:
        if not keep_going:
            result.imported.extend(subs)
            result.rejected.append(
                Rejection(
                    str(exc.where.file or result.file),
                    exc.where.row or "",
                    None,
                    exc.where.field,
                    Message.of(exc),
                )
            )
            return
    except MinewatchError:
        if not keep_going:
            raise
    # Something the pre-checks did not foresee: one submission at a time, so that only the
    # culprit is rejected.
    for sub in subs:
        try:
            result.created.extend(_create(workflow, [sub], result.edited, record))
            result.imported.append(sub)
        except InvalidInput as exc:  # the field and the reason, not the location twice
            result.edited.pop(sub.instance_id, None)
            result.rejected.append(_refusal(sub, exc.where.field, Message.of(exc)))
        except MinewatchError as exc:
            result.edited.pop(sub.instance_id, None)
            result.rejected.append(_refusal(sub, None, Message.of(exc)))
    result.committed = True


def _edit_notes(sub: SubmissionDrafts, edits: Mapping[str, str]) -> list[str]:
    if sub.instance_id not in edits:
        return []
    return [f"edited on the server: version {sub.version} of submission {sub.instance_id}"]


def _existing_children(
    workflow: Workflow, subs: Sequence[SubmissionDrafts], edits: Mapping[str, str]
) -> dict[tuple[Kind, str], str]:
    """(kind, external ID) → item code of the children an edited submission's first
    version created, so that its repeat rows update them."""
    wanted: dict[Kind, list[str]] = {}
    for sub in subs:
        if sub.instance_id in edits:
            for child in sub.children:
                wanted.setdefault(child.kind, []).append(child.external_id)
    found: dict[tuple[Kind, str], str] = {}
    for kind, ids in wanted.items():
        for external_id, report in workflow.store.find_reports_by_external_id(kind, ids).items():
            if report.item_code and report.state is ReportState.APPROVED:
                found[(kind, external_id)] = report.item_code
    return found


def _create(
    workflow: Workflow,
    subs: Sequence[SubmissionDrafts],
    edits: Mapping[str, str],
    record: Callable[[Sequence[SubmissionDrafts]], None] | None = None,
) -> list[Report]:
    """The reports of these submissions, in one transaction: mains first, then children
    naming their parent's item code. An edited submission's reports update its items."""
    with workflow.all_or_nothing():
        earlier = _existing_children(workflow, subs, edits)
        mains = workflow.create_drafts(
            [
                _draft(
                    s.main,
                    notes=[*_attachment_notes(s), *_edit_notes(s, edits)],
                    item_ref=edits.get(s.instance_id),
                )
                for s in subs
            ],
            where=[s.where for s in subs],
        )
        children: list[Draft] = []
        where: list[Location] = []
        for sub, parent in zip(subs, mains, strict=True):
            for child in sub.children:
                link = {child.link: parent.item_code or ""} if child.link else None
                ref = earlier.get((child.kind, child.external_id))
                children.append(_draft(child, link, item_ref=ref))
                where.append(sub.where)
        created = workflow.create_drafts(children, where=where) if children else []
        if record is not None:
            record(subs)
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
    keep_going: bool = True,
    max_submissions: int | None = None,
) -> IntakeResult:
    """Read a KoboToolbox or ODK Central export and create its draft reports.

    An export of more than ``max_submissions`` submissions (the server's upload limit; None:
    no limit) is refused with InvalidInput before anything is written.

    ``mapping`` adds (or overrides) form mappings to minewatch's own; a path is read as TOML.
    ``xlsform`` is the programme's form, needed only for exports with label headers;
    ``attachments_url`` builds the address of files the export names without one (see
    :func:`minewatch.io.forms.map_export`); ``dry_run`` reports what would happen without
    writing anything; ``keep_going`` (the default) lands the good submissions when some are rejected; without it
    nothing is written when any is.
    Raises PermissionDenied, before reading the file, for an actor who may not report.

    Examples
    --------
    >>> form = ('<data id="minewatch_accident"><accident><accident_date>2024-08-0{0}</accident_date>'
    ...         '<accident_location>35.2 48.6 0 0</accident_location></accident><victims>'
    ...         '<victim_type>civilian</victim_type><victim_sex>{1}</victim_sex>'
    ...         '<victim_outcome>injured</victim_outcome></victims>'
    ...         '<meta><instanceID>uuid:000{0}</instanceID></meta></data>')
    >>> (tmp / "instances").mkdir()
    >>> for day, sex in [(1, "female"), (2, "unsure")]:
    ...     _ = (tmp / "instances" / f"{day}.xml").write_text(form.format(day, sex))
    >>> from minewatch.domain.access import local_admin
    >>> from minewatch.store import open_store
    >>> wf = Workflow(open_store(str(tmp / "demo.gpkg"), create=True), local_admin())
    >>> result = import_submissions(wf, tmp / "instances")
    >>> [(r.item_code, r.state.value) for r in result.created]
    [('ACC-000001', 'draft'), ('VIC-000001', 'draft')]
    >>> from minewatch.domain.access import PUBLIC
    >>> import_submissions(Workflow(wf.store, PUBLIC), tmp / "instances")
    Traceback (most recent call last):
    ...
    minewatch.errors.PermissionDenied: public may not report field data
    """
    if not access.can_create_report(workflow.actor, workflow.actor.organisation_code):
        raise PermissionDenied(f"{workflow.actor.username} may not report field data")
    extra = load_mapping(mapping) if isinstance(mapping, Path) else mapping
    full = default_mapping().merged(extra) if extra is not None else default_mapping()
    schema = read_xlsform(xlsform) if xlsform is not None else None
    if form_id is None and schema is not None and schema.form_id in full.forms:
        form_id = schema.form_id
    parsed = parse_export(path, full, form_id, flavour, schema, attachments_url)
    within_upload_limit(
        len(parsed.accepted) + len(parsed.rejected), max_submissions, path, "submissions"
    )
    return intake(workflow, parsed, dry_run=dry_run, keep_going=keep_going)


@dataclass(frozen=True)
class ShippedForm:
    """One of the XLSForms minewatch ships, ready to upload to KoboToolbox or ODK Central.

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> form = shipped_form(local_admin(), "minewatch_accident")
    >>> form.kind, form.path.name, form.path.exists()
    (<Kind.ACCIDENT: 'accident'>, 'minewatch_accident.xlsx', True)
    """

    form_id: str
    kind: Kind
    title: str
    description: str
    version: str
    path: Path


def _require_reporter(actor: access.Actor) -> None:
    # The forms hold nothing secret, but they are tools for the people who report; the
    # public has no use for them and the issue gives them to signed-in data workers.
    if not actor.at_least(access.Role.DATA_WORKER):
        raise PermissionDenied(f"{actor.username} may not collect field data")


def shipped_forms(actor: access.Actor) -> list[ShippedForm]:
    """Every shipped form, in the order of :data:`minewatch.forms.definitions.FORMS`.

    Examples
    --------
    >>> from minewatch.domain.access import PUBLIC, local_admin
    >>> [f.form_id for f in shipped_forms(local_admin())]
    ['minewatch_hazardous_area', 'minewatch_completion', 'minewatch_eod_spot_task',
     'minewatch_accident', 'minewatch_risk_education', 'minewatch_qm_visit',
     'minewatch_accreditation', 'minewatch_task_order', 'minewatch_victim_assistance']
    >>> shipped_forms(PUBLIC)
    Traceback (most recent call last):
    ...
    minewatch.errors.PermissionDenied: public may not collect field data
    """
    from minewatch.forms.build import shipped_dir
    from minewatch.forms.definitions import FORMS, FORMS_VERSION

    _require_reporter(actor)
    folder = shipped_dir()
    return [
        ShippedForm(
            f.form_id, f.kind, f.title, f.description, FORMS_VERSION, folder / f"{f.form_id}.xlsx"
        )
        for f in FORMS.values()
    ]


def shipped_form(actor: access.Actor, form_id: str) -> ShippedForm:
    """One shipped form by id; NotFound for any other id.

    Examples
    --------
    >>> from minewatch.domain.access import local_admin
    >>> shipped_form(local_admin(), "minewatch_hazardous_area").title
    'Hazardous area (non-technical survey)'
    >>> shipped_form(local_admin(), "minewatch_census")
    Traceback (most recent call last):
    ...
    minewatch.errors.NotFound: no field form 'minewatch_census'
    """
    found = next((f for f in shipped_forms(actor) if f.form_id == form_id), None)
    if found is None:
        raise NotFound("no field form {form!r}", form=form_id)
    return found
