"""Records commands: init, list, show, history, stats and the report workflow."""

from __future__ import annotations

from typing import Annotated

import typer

from minewatch.cli import app
from minewatch.cli.common import (
    DEFAULT_STORE,
    FormatOption,
    StoreOption,
    StoreOrNone,
    cli_workflow,
    console,
    either_store,
    emit,
    language,
    opened,
    parse_date,
    parse_floats,
    parse_where,
    say,
)
from minewatch.domain.queries import ItemQuery, ReportQuery
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState

KindArg = Annotated[Kind, typer.Argument(help="Kind of record, e.g. hazardous_area, device_find.")]
PersonalOption = Annotated[
    bool,
    typer.Option(
        help="Show, and allow filtering on, personal data (names, contacts, medical "
        "details); each such read is written to the audit log."
    ),
]


@app.command()
def init(
    store_arg: Annotated[
        str | None,
        typer.Argument(
            metavar="STORE",
            help=f"GeoPackage path or postgresql:// URL (or -s/--store; default {DEFAULT_STORE}).",
            show_default=False,
        ),
    ] = None,
    store_opt: StoreOrNone = None,
) -> None:
    """Create a store, or upgrade an existing one to this version's schema.

    Examples:

      minewatch init programme.gpkg

      minewatch init -s postgresql://mine@db.example/ma
    """
    with opened(either_store(store_arg, store_opt), create=True) as ctx:
        console.print(f"store ready: {ctx.store.url}")


@app.command("list")
def list_items(
    kind: KindArg,
    store: StoreOption = DEFAULT_STORE,
    where: Annotated[
        list[str], typer.Option("--where", "-w", help="field=value; repeat to combine.")
    ] = [],  # noqa: B006
    bbox: Annotated[str | None, typer.Option(help="minlon,minlat,maxlon,maxlat (WGS84).")] = None,
    near: Annotated[str | None, typer.Option(help="lon,lat,metres: within that distance.")] = None,
    date_from: Annotated[
        str | None, typer.Option(help="Date of Information from (YYYY-MM-DD).")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option(help="Date of Information to (YYYY-MM-DD).")
    ] = None,
    limit: int = 50,
    offset: int = 0,
    personal: PersonalOption = False,
    fmt: FormatOption = "table",
) -> None:
    """List items of one kind, filtered. Personal fields are blank, and cannot be filtered
    on, unless --personal is given (such reads are written to the audit log).

    Examples:

      minewatch list hazardous_area --where status=open --where classification=CHA

      minewatch list hazardous_area --near 0.75,0.43,2000 --format json

      minewatch list device_find --bbox 0.2,0.2,0.6,0.6 --limit 10 --format csv
    """
    from minewatch.domain.schema import record_to_plain

    query = ItemQuery(
        kind,
        where=parse_where(where),
        bbox=parse_floats(bbox, 4, "--bbox"),  # type: ignore[arg-type]
        near=parse_floats(near, 3, "--near"),  # type: ignore[arg-type]
        date_from=parse_date(date_from, "--date-from"),
        date_to=parse_date(date_to, "--date-to"),
        limit=limit,
        offset=offset,
    )
    with opened(store) as ctx:
        wf = cli_workflow(ctx, personal_data=personal)
        records, total = wf.list_items_counted(query)
    rows = [record_to_plain(r) for r in records]
    columns = _summary_columns(kind) if fmt == "table" else None
    from minewatch.vocabulary import label

    kind_words = label(kind, locale=language())
    emit(
        rows,
        fmt,
        columns,
        title=say("{kind}: {shown} of {total}", kind=kind_words, shown=len(rows), total=total),
    )


def _summary_columns(kind: Kind) -> list[str]:
    preferred = [
        "code",
        "name",
        "classification",
        "status",
        "hazard_types",
        "activity_type",
        "product_type",
        "category",
        "model",
        "condition",
        "accident_date",
        "victim_type",
        "outcome",
        "session_date",
        "visit_date",
        "mine_type",
        "mine_count",
        "hazardous_area_code",
        "organisation_code",
        "date_of_information",
        "version",
    ]
    from minewatch.domain.schema import field_specs

    names = field_specs(kind)
    return [c for c in preferred if c in names]


@app.command()
def show(
    kind: KindArg,
    code: Annotated[str, typer.Argument(help="Item code (e.g. HA-000012) or UUID.")],
    store: StoreOption = DEFAULT_STORE,
    as_of: Annotated[str | None, typer.Option(help="State as of this Date of Information.")] = None,
    geometry: Annotated[bool, typer.Option(help="Include the geometry as WKT.")] = False,
    personal: PersonalOption = False,
    fmt: FormatOption = "json",
) -> None:
    """Show one item's current state, or its state as of a date.

    Examples:

      minewatch show hazardous_area HA-000003

      minewatch show hazardous_area HA-000003 --as-of 2023-12-31 --geometry
    """
    from minewatch.domain.schema import record_to_plain

    with opened(store) as ctx:
        wf = cli_workflow(ctx, personal_data=personal)
        record = (
            wf.state_as_of(kind, code, as_of=parse_date(as_of, "--as-of"))
            if as_of
            else wf.get_item(kind, code)
        )
    emit([record_to_plain(record, include_geometry=geometry)], fmt if fmt != "table" else "json")


@app.command()
def history(
    kind: KindArg,
    code: str,
    store: StoreOption = DEFAULT_STORE,
    personal: PersonalOption = False,
    fmt: FormatOption = "table",
) -> None:
    """The approved reports of an item in Date-of-Information order, with what each changed.

    Example:

      minewatch history hazardous_area HA-000003
    """
    from minewatch.domain.schema import to_plain

    with opened(store) as ctx:
        wf = cli_workflow(ctx, personal_data=personal)
        entries = wf.history(kind, code)
    rows = [
        {
            "report": e.report.code,
            "date_of_information": e.report.date_of_information.isoformat(),
            "approved_at": e.report.decided_at.isoformat(timespec="seconds")
            if e.report.decided_at
            else None,
            "by": e.report.decided_by,
            "changes": to_plain(wf.visible_changes(kind, e.report.changes)),
            "geometry_changed": e.report.geometry is not None,
        }
        for e in entries
    ]
    emit(rows, fmt, title=say("History of {code}", code=code))


@app.command()
def stats(store: StoreOption = DEFAULT_STORE, fmt: FormatOption = "table") -> None:
    """Counts and areas (m² on the WGS84 ellipsoid): items by kind and status, reports by state.

    Example:

      minewatch stats --store demo.gpkg
    """
    from minewatch.services import stats as stats_service

    with opened(store) as ctx:
        summary = stats_service.summary(ctx.store)
    emit(summary.items_rows(), fmt, title=say("Items"))
    emit(
        summary.area_rows(),
        fmt,
        title=say(
            "Hazardous areas by release progress (m² on the ellipsoid; land release accounting)"
        ),
        labelled={"progress": "ReleaseProgress"},
    )
    emit(summary.report_rows(), fmt, title=say("Reports"))


reports_app = typer.Typer(
    help="The report workflow: list, submit, approve, reject, reopen.", no_args_is_help=True
)
app.add_typer(reports_app, name="reports")


@reports_app.command("list")
def reports_list(
    store: StoreOption = DEFAULT_STORE,
    state: Annotated[
        ReportState | None, typer.Option(help="draft, submitted, approved or rejected.")
    ] = None,
    kind: Annotated[Kind | None, typer.Option(help="Only reports about this kind.")] = None,
    limit: int = 50,
    fmt: FormatOption = "table",
) -> None:
    """Reports, newest first: the approval queue is `--state submitted`.

    Example:

      minewatch reports list --state submitted
    """
    with opened(store) as ctx:
        reports = cli_workflow(ctx).list_reports(ReportQuery(state=state, kind=kind, limit=limit))
    rows = [
        {
            "code": r.code,
            "kind": r.kind.value,
            "item": r.item_code,
            "action": r.action.value,
            "state": r.state.value,
            "date_of_information": r.date_of_information.isoformat(),
            "by": r.created_by,
            "source": r.source,
            "reason": r.decision_reason,
        }
        for r in reports
    ]
    # On screen the long source text would squeeze the codes a reviewer needs into "RPT-0…";
    # CSV and JSON keep it.
    columns = [c for c in rows[0] if c != "source"] if rows and fmt == "table" else None
    emit(rows, fmt, columns, title=say("Reports"))


@reports_app.command("submit")
def reports_submit(code: str, store: StoreOption = DEFAULT_STORE) -> None:
    """Submit a draft for review. Example: minewatch reports submit RPT-000042"""
    with opened(store) as ctx:
        report = cli_workflow(ctx).submit(code)
    console.print(f"{report.code} submitted")


@reports_app.command("approve")
def reports_approve(code: str, store: StoreOption = DEFAULT_STORE) -> None:
    """Approve a submitted report; its item's state is re-derived. Example: minewatch reports approve RPT-000042"""
    with opened(store) as ctx:
        report = cli_workflow(ctx).approve(code)
    console.print(f"{report.code} approved: {report.item_code} updated")


@reports_app.command("reject")
def reports_reject(
    code: str,
    reason: Annotated[str, typer.Option(help="What the author must correct.")],
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Reject a submitted report with a reason.

    Example: minewatch reports reject RPT-000042 --reason "polygon does not match the sketch map"
    """
    with opened(store) as ctx:
        report = cli_workflow(ctx).reject(code, reason)
    console.print(f"{report.code} rejected")


@reports_app.command("reopen")
def reports_reopen(code: str, store: StoreOption = DEFAULT_STORE) -> None:
    """Return a rejected report to draft for correction. Example: minewatch reports reopen RPT-000042"""
    with opened(store) as ctx:
        report = cli_workflow(ctx).reopen(code)
    console.print(f"{report.code} is a draft again")
