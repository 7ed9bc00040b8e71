"""Pulling field data from the configured KoboToolbox projects and ODK Central forms, over
HTTP: the intake page lists the sources and offers a dry run and a pull.

Thin over :mod:`minewatch.services.intake_pull`, which ``minewatch intake pull`` calls too.
The sources are national configuration (``[intake.sources]``); their tokens and passwords
are read, when the pull runs, from the server process's environment or the files the
configuration names, and never leave it: not in an answer, the store, a report or the log.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

from fastapi import APIRouter, Form

from minewatch.api.deps import Context, National, Workflow
from minewatch.api.errors import problems
from minewatch.services.intake_pull import pull_sources, pull_submissions

router = APIRouter(prefix="/api/intake", tags=["field data and open data"])


@router.get(
    "/sources",
    summary="The field-data servers configured to pull from, and where each last pull stopped",
    responses=problems(401, 403),
)
def list_sources(workflow: Workflow, national: National) -> dict[str, Any]:
    return {"sources": pull_sources(workflow, national.national, os.environ)}


@router.post(
    "/sources/{name}/pull",
    summary="Pull new and edited submissions from a configured source into draft reports",
    responses=problems(400, 401, 403, 404, 422, 502),
)
def pull_source_now(
    name: str,
    workflow: Workflow,
    national: National,
    ctx: Context,
    dry_run: Annotated[bool, Form(description="fetch and check, write nothing")] = False,
    full: Annotated[bool, Form(description="ask for every submission whole")] = False,
) -> dict[str, Any]:
    result = pull_submissions(
        workflow,
        national.national,
        name,
        environ=os.environ,
        attachments_dir=ctx.settings.attachments_dir.resolve(),
        full=full,
        dry_run=dry_run,
    )
    return result.as_dict()
