"""Task orders: the national authority issues them for hazardous areas, follows their
status (issued, accepted, in progress, suspended, completed, cancelled) and closes them into
land release."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from minewatch.cli import app
from minewatch.cli.common import (
    DEFAULT_STORE,
    FormatOption,
    StoreOption,
    cli_workflow,
    console,
    emit,
    opened,
    parse_date,
)

task = typer.Typer(
    help="Task orders to organisations for hazardous areas, and their status.",
    no_args_is_help=True,
)
app.add_typer(task, name="task")


@task.command("issue")
def issue(
    area: Annotated[
        list[str], typer.Option("--area", "-a", help="A hazardous area's code (repeatable).")
    ],
    organisation: Annotated[str, typer.Option("--organisation", help="The organisation tasked.")],
    store: StoreOption = DEFAULT_STORE,
    activity_type: Annotated[
        str | None,
        typer.Option(
            "--type", help="non_technical_survey, technical_survey, clearance, eod_spot_task."
        ),
    ] = None,
    method: Annotated[str | None, typer.Option("--method", help="manual, mechanical, …")] = None,
    issued: Annotated[
        str | None, typer.Option("--issued", help="Date issued (default today).")
    ] = None,
    start: Annotated[str | None, typer.Option("--start", help="Planned start date.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="Due date.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="A name for the task.")] = None,
    authority: Annotated[
        str | None, typer.Option("--authority", help="The issuing authority's code.")
    ] = None,
    ranked: Annotated[
        bool,
        typer.Option("--ranked/--not-ranked", help="Take the priority from the prioritisation."),
    ] = True,
    scenario: Annotated[
        str | None,
        typer.Option("--scenario", help="Prioritisation scenario (default: the configured one)."),
    ] = None,
) -> None:
    """Issue a task order for one or more hazardous areas; its priority is the areas'
    rank and score in the prioritisation (on the day issued) unless --not-ranked.

    Example:

      minewatch task issue --store demo.gpkg --area HA-000002 --organisation ORG-000002 --type clearance --method manual --due 2026-06-30
    """
    from datetime import date

    from minewatch.services import tasking

    day = parse_date(issued, "--issued") or date.today()
    with opened(store) as ctx:
        wf = cli_workflow(ctx, personal_data=False)
        priority = (
            tasking.priority_of(wf, area, ctx.configuration.priority, scenario=scenario, as_of=day)
            if ranked
            else None
        )
        made = tasking.issue_task(
            wf,
            area,
            organisation,
            issue_date=day,
            activity_type=activity_type,
            method=method,
            start_date=parse_date(start, "--start"),
            due_date=parse_date(due, "--due"),
            name=name,
            priority=priority,
            authority_code=authority,
        )
    rank = f", priority rank {made.priority_rank}" if made.priority_rank else ""
    console.print(
        f"issued {made.code} to {made.organisation_code} for {' '.join(made.hazardous_area_codes)}{rank}"
    )


@task.command("status")
def status(
    code: Annotated[str, typer.Argument(help="The task order's code, e.g. TSK-000001.")],
    new: Annotated[
        str,
        typer.Argument(help="accepted, in_progress, suspended, completed or cancelled."),
    ],
    store: StoreOption = DEFAULT_STORE,
    on: Annotated[
        str | None, typer.Option("--on", help="The day it changed (default today).")
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (needed to suspend or cancel).")
    ] = None,
) -> None:
    """Move a task to a new status. Completing needs an approved activity naming the task;
    it records the areas' release accounting and marks fully released areas released.

    Example:

      minewatch task status TSK-000001 accepted --store demo.gpkg
    """
    from datetime import date

    from minewatch.services import tasking

    with opened(store) as ctx:
        moved = tasking.change_status(
            cli_workflow(ctx, personal_data=False),
            code,
            new,
            parse_date(on, "--on") or date.today(),
            reason,
        )
    extra = ""
    if moved.released_m2 is not None and moved.status.value == "completed":
        extra = (
            f": {moved.released_m2:,.0f} m² released, {moved.remaining_m2 or 0:,.0f} m² remaining"
        )
    console.print(f"{moved.code} is {moved.status.value}{extra}")


@task.command("list")
def list_tasks(
    store: StoreOption = DEFAULT_STORE,
    organisation: Annotated[
        str | None, typer.Option("--organisation", help="Only this organisation's tasks.")
    ] = None,
    status_filter: Annotated[
        list[str] | None, typer.Option("--status", help="Only tasks in this status (repeatable).")
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Task orders by status (the workflow's order), then priority rank and due date.

    Example:

      minewatch task list --store demo.gpkg --status issued --status in_progress
    """
    from minewatch.services.task_board import task_board

    with opened(store) as ctx:
        board = task_board(cli_workflow(ctx, personal_data=False), organisation_code=organisation)
    rows: list[dict[str, Any]] = [
        {
            **t,
            "hazardous_area_codes": " ".join(t["hazardous_area_codes"]),
            "next": " ".join(t["next"]),
        }
        for column in board["columns"]
        if not status_filter or column["status"] in status_filter
        for t in column["tasks"]
    ]
    columns = [
        "code",
        "status",
        "organisation_code",
        "hazardous_area_codes",
        "priority_rank",
        "due_date",
        "overdue",
    ]
    emit(
        rows,
        fmt,
        columns if fmt == "table" else list(rows[0]) if rows else columns,
        title="task orders",
    )


@task.command("show")
def show(
    code: Annotated[str, typer.Argument(help="The task order's code.")],
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """One task order as JSON: its areas' release accounting, the activities and products
    that fulfil it, the reports that brought them, and its status history.

    Example:

      minewatch task show TSK-000001 --store demo.gpkg
    """
    from minewatch.services.task_board import task_file

    with opened(store) as ctx:
        file = task_file(cli_workflow(ctx, personal_data=False), code)
    json.dump(file, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
