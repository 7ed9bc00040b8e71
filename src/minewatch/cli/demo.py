"""``minewatch demo``: a store with the synthetic demo programme and a short tour."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from minewatch.cli import app
from minewatch.cli.common import cli_workflow, console, either_store, emit, opened
from minewatch.domain.queries import ReportQuery
from minewatch.domain.reports import ReportState
from minewatch.errors import Conflict

#: What to try next, printed after the demo is built. Every line is also a line of the
#: README's tour, which tests/test_readme_tour.py runs as written; {late} is the code of
#: the old report the demo leaves in the queue.
TOUR = """\
[bold]Next, try[/bold] (the README's tour says more):
  minewatch list hazardous_area -s {store} --where classification=CHA
  minewatch list hazardous_area -s {store} --near 0.75,0.43,2000 --format json
  minewatch reports list -s {store} --state submitted      # the approval queue
  minewatch reports approve {late} -s {store}          # a 2020 report, entered late
  minewatch history hazardous_area HA-000002 -s {store}    # newer information stays
  minewatch export hazardous_area areas.geojson -s {store}
  minewatch treaty count 2026-02-03
  minewatch serve -s {store} --national-config {context}/national.toml   # web app and APIs
Open {store} in QGIS: it is a GeoPackage. {context}/ holds SYNTHETIC context layers
(population, settlements, roads, …) that national.toml names for the Priorities page.
"""

#: The item the demo's late report is about (see :func:`minewatch.services.demo.load_demo`).
LATE_ITEM = "HA-000002"


@app.command()
def demo(
    store_arg: Annotated[
        str | None,
        typer.Argument(
            metavar="STORE",
            help="Where to write the demo GeoPackage (or -s/--store; default demo.gpkg).",
            show_default=False,
        ),
    ] = None,
    # Not read from $MINEWATCH_STORE: with --force, that would replace a real store.
    store_opt: Annotated[
        str | None, typer.Option("--store", "-s", help="Where to write the demo GeoPackage.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing file.")] = False,
) -> None:
    """Create a GeoPackage store holding a small SYNTHETIC demo programme, and tour it.

    Example:

      minewatch demo demo.gpkg --force
    """
    from minewatch.services import stats as stats_service
    from minewatch.services.demo import SYNTHETIC_NOTE, load_demo
    from minewatch.services.demo_context import write_demo_context

    path = Path(either_store(store_arg, store_opt, default="demo.gpkg"))
    if path.exists():
        if not force:
            raise Conflict("{path} exists; use --force to replace it", path=str(path))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    with opened(str(path), create=True) as ctx:
        workflow = cli_workflow(ctx)
        with console.status("loading the synthetic demo programme…"):
            load_demo(workflow)
            # Beside the store, named after it: demo.gpkg → demo-context/.
            context = write_demo_context(path.with_name(f"{path.stem}-context"))
        summary = stats_service.summary(ctx.store)
        queue = workflow.list_reports(ReportQuery(state=ReportState.SUBMITTED))
    console.print(f"[bold]{path}[/bold]: {SYNTHETIC_NOTE}")
    emit(summary.items_rows(), "table", title="items")
    emit(
        summary.area_rows(),
        "table",
        title="hazardous areas by release progress (m² on the ellipsoid; land release accounting)",
    )
    emit(summary.report_rows(), "table", title="reports")
    late = next((r.code for r in queue if r.item_code == LATE_ITEM), None)
    tour = TOUR.format(store=path, late=late, context=context)
    if late is None:  # a demo without its late report: leave out the line about it
        tour = "\n".join(line for line in tour.splitlines() if "reports approve" not in line)
    # soft_wrap: a command split across lines could not be copied as one.
    console.print(tour, soft_wrap=True)
