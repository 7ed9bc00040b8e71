"""``minewatch demo``: a store with the synthetic demo programme and a short tour."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from minewatch.cli import app
from minewatch.cli.common import cli_workflow, console, emit, opened
from minewatch.errors import Conflict
from minewatch.services import stats as stats_service
from minewatch.services.demo import SYNTHETIC_NOTE, load_demo

TOUR = """\
[bold]Next, try:[/bold]
  minewatch list hazardous_area -s {store} --where classification=CHA
  minewatch list hazardous_area -s {store} --near 0.35,0.42,2000
  minewatch show hazardous_area HA-000002 -s {store}
  minewatch reports list -s {store} --state submitted    # the approval queue
  minewatch reports approve RPT-… -s {store}             # one is an old report entered late:
  minewatch history hazardous_area HA-000002 -s {store}  # it does not overwrite newer information
  minewatch export hazardous_area areas.geojson -s {store}
  minewatch treaty count 2026-02-03
  minewatch serve {store}                                # web app, REST and OGC API Features
Open {store} in QGIS: it is a GeoPackage.
"""


@app.command()
def demo(
    store: Annotated[str, typer.Argument(help="Where to write the demo GeoPackage.")] = "demo.gpkg",
    force: Annotated[bool, typer.Option(help="Replace an existing file.")] = False,
) -> None:
    """Create a GeoPackage store holding a small SYNTHETIC demo programme, and tour it.

    Example:

      minewatch demo demo.gpkg --force
    """
    path = Path(store)
    if path.exists():
        if not force:
            raise Conflict(f"{path} exists; use --force to replace it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    with opened(str(path), create=True) as ctx:
        with console.status("loading the synthetic demo programme…"):
            load_demo(cli_workflow(ctx))
        summary = stats_service.summary(ctx.store)
    console.print(f"[bold]{path}[/bold]: {SYNTHETIC_NOTE}")
    emit(summary.items_rows(), "table", title="items")
    emit(summary.area_rows(), "table", title="hazardous areas (geodesic m²)")
    emit(summary.report_rows(), "table", title="reports")
    console.print(TOUR.format(store=path))
