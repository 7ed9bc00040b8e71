"""Migrating a programme's history over HTTP (the web page ``migration.html``): upload an
archive, see the assistant's proposed mapping with its reasons, check an edited mapping, run
a dry run and read its report, then run it for real.

Thin over :mod:`minewatch.services.migration`, which the CLI's ``minewatch migrate`` calls
too: the plan is ``plan_migration`` with its explanations (``review.plan_answer``), the run
``migrate`` with the mapping's text read by ``review.mapping_from_text``. Planning and dry
runs are for reviewers and administrators; a real run is an administrator's, written to the
audit log (the service checks both). The archive is uploaded again with each request (the
page keeps the file), saved under its own name in a temporary folder removed when the
request ends; uploads are limited to ``ApiSettings.max_upload_bytes`` like field data.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile

from minewatch.api.deps import Context, CurrentActor, Workflow
from minewatch.api.errors import problem, problems
from minewatch.api.language import request_locale
from minewatch.api.uploads import relabel, safe_name, saved_upload, upload_suffix
from minewatch.domain.access import Role
from minewatch.errors import PermissionDenied
from minewatch.services.migration import MigrationRefused, migrate, plan_migration
from minewatch.services.migration.review import mapping_from_text, plan_answer

router = APIRouter(prefix="/api/migration", tags=["migration"])

#: What programmes hold: a zipped File Geodatabase (or zipped CSV files), workbooks, CSV,
#: Access databases, Esri JSON from a feature service.
ARCHIVE_SUFFIXES = (".zip", ".xlsx", ".xlsm", ".csv", ".mdb", ".accdb", ".json", ".xml")

Archive = Annotated[
    UploadFile, File(description="the archive: .gdb.zip, .xlsx, .csv, .mdb, maXML .xml…")
]
MappingText = Annotated[
    str, Form(max_length=2_000_000, description="the migration mapping's TOML text")
]


def _require_reviewer(actor: Any) -> None:
    if not actor.at_least(Role.REVIEWER):
        raise PermissionDenied("{user} may not plan a migration", user=actor.username)


@router.post(
    "/plan",
    summary="Propose how an archive migrates, with the reason for each choice",
    responses=problems(401, 403, 413, 422),
)
def plan(file: Archive, actor: CurrentActor, ctx: Context, request: Request) -> dict[str, Any]:
    """Every table of the archive: the kind of record it becomes, its key, parent link,
    fields and values, each with why; and the mapping as TOML text to edit (the reasons and
    the mapping's comments in the request's language)."""
    _require_reviewer(actor)
    name = safe_name(file.filename)
    upload_suffix(name, ARCHIVE_SUFFIXES)
    with saved_upload(file, name, ctx.settings.max_upload_bytes) as path:
        answer = relabel(plan_answer(plan_migration(path), request_locale(request)), path.parent)
    return {**answer, "file": name}


@router.post(
    "/mapping",
    summary="Check an edited migration mapping",
    responses=problems(401, 403, 422),
)
def check_mapping(mapping: MappingText, actor: CurrentActor) -> dict[str, Any]:
    """The mapping read back: 422 naming the line of a TOML mistake or the key of a wrong
    value; else its tables and the kind each becomes."""
    _require_reviewer(actor)
    read = mapping_from_text(mapping)
    return {
        "tables": [
            {"table": name, "kind": t.kind.value if t.kind else None, "skip": t.skip}
            for name, t in read.tables.items()
        ]
    }


@router.post(
    "/run",
    summary="Run a migration (a dry run unless dry_run is false)",
    responses=problems(401, 403, 413, 422),
)
def run(
    file: Archive,
    mapping: MappingText,
    wf: Workflow,
    ctx: Context,
    dry_run: Annotated[bool, Form(description="check and report, write nothing")] = True,
    keep_going: Annotated[
        bool, Form(description="land the good rows when some are rejected")
    ] = False,
) -> Any:
    """The migration report: per table rows read, landed, skipped, transformed, rejected
    (file, table, row, field, reason). A real run (``dry_run=false``) is an administrator's;
    422 with the same report when rows are rejected and nothing landed."""
    read = mapping_from_text(mapping)
    name = safe_name(file.filename)
    upload_suffix(name, ARCHIVE_SUFFIXES)
    with saved_upload(file, name, ctx.settings.max_upload_bytes) as path:
        try:
            outcome = migrate(wf, path, read, dry_run=dry_run, keep_going=keep_going)
        except MigrationRefused as refused:
            report = relabel(refused.outcome.as_dict(), path.parent)
            return problem(422, relabel(refused.message, path.parent), **report)
        return relabel(outcome.as_dict(), path.parent)
