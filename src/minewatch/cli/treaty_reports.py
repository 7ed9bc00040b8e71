"""``minewatch treaty report``: the Article 7 report of a state for a calendar year, filled
from the store, as DOCX, XLSX and PDF. Registered on the ``treaty`` group.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from minewatch.cli.common import DEFAULT_STORE, StoreOption, cli_workflow, console, opened
from minewatch.cli.treaty import DataDir, treaty_app


class Convention(StrEnum):
    APMBC = "apmbc"
    CCM = "ccm"


@treaty_app.command("report")
def report(
    state: Annotated[str, typer.Option("--state", help="State name, alias or ISO3 code.")],
    year: Annotated[int, typer.Option("--year", "-y", help="The calendar year reported.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write the .docx, .xlsx and .pdf into.")
    ],
    instrument: Annotated[
        Convention,
        typer.Option("--instrument", "-i", help="apmbc (Mine Ban Convention) or ccm."),
    ] = Convention.APMBC,
    store: StoreOption = DEFAULT_STORE,
    data_dir: DataDir = None,
) -> None:
    """The Article 7 transparency report of STATE covering YEAR: the Convention's Forms A to
    J filled from the approved records (mined areas with the land release accounting's
    balance, mines destroyed by type, risk education, casualties and victim assistance where
    recorded), forms the records cannot fill marked for the national authority, and an annex
    listing the records behind every figure.

    Example:

      minewatch treaty report --state UKR --year 2025 -o reports/ --store demo.gpkg
    """
    from minewatch.charts.article7 import write_report
    from minewatch.services.article7 import article7_report
    from minewatch.services.treaty import TreatyMonitor

    monitor = TreatyMonitor.shipped(data_dir)
    with opened(store) as ctx:
        filled = article7_report(
            cli_workflow(ctx),
            monitor,
            state,
            year,
            instrument=instrument.value,
            config=ctx.configuration.national,
        )
    stem = f"article7-{filled.instrument}-{filled.iso3 or filled.state}-{filled.year}"
    for path in write_report(filled, out, stem):
        console.print(f"wrote {path}")
    console.print(f"{len(filled.annex())} figures traced to records (annex)")
