"""``minewatch treaty report``: the Article 7 report of a state for a calendar year, filled
from the store, as DOCX, XLSX and PDF. Registered on the ``treaty`` group.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from minewatch.cli.common import (
    DEFAULT_STORE,
    StoreOption,
    cli_workflow,
    console,
    language,
    opened,
)
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
    """The Article 7 transparency report of STATE covering YEAR, in --lang: the Convention's
    Forms A to J filled from the approved records (mined areas with the land release accounting's
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
    lang = language()
    with opened(store) as ctx:
        filled = article7_report(
            cli_workflow(ctx),
            monitor,
            state,
            year,
            instrument=instrument.value,
            config=ctx.configuration.national,
            locale=lang,
        )
    stem = f"article7-{filled.instrument}-{filled.iso3 or filled.state}-{filled.year}"
    for path in write_report(filled, out, stem, lang):
        console.print(f"wrote {path}")
    from minewatch.vocabulary import translate_plural

    count = len(filled.annex())
    console.print(
        translate_plural(
            "{count} figure traced to records (annex)",
            "{count} figures traced to records (annex)",
            count,
            lang,
        )
    )


@treaty_app.command("profile")
def profile(
    state: Annotated[str, typer.Option("--state", help="State name, alias or ISO3 code.")],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="File to write: .html, .pdf or .json (by suffix)."),
    ],
    on: Annotated[
        str | None, typer.Option("--on", help="Date YYYY-MM-DD (default: today).")
    ] = None,
    store: StoreOption = DEFAULT_STORE,
    data_dir: DataDir = None,
) -> None:
    """STATE's country profile on one page: treaty status and obligations with their
    deadlines and the treaty data's "status as at", groupings, national policy where a record
    exists, and from the store contamination and land release, casualties and risk education.

    Example:

      minewatch treaty profile --state UKR -o ukraine.html --store demo.gpkg
    """
    import json

    from minewatch.charts.country_profile import profile_html, profile_pdf
    from minewatch.cli.common import parse_date
    from minewatch.errors import InvalidInput, Location
    from minewatch.services.country_profile import country_profile
    from minewatch.services.treaty import TreatyMonitor

    suffix = out.suffix.lower()
    if suffix not in (".html", ".pdf", ".json"):
        raise InvalidInput(
            "write .html, .pdf or .json, not {name!r}", Location(field="out"), name=out.name
        )
    monitor = TreatyMonitor.shipped(data_dir)
    lang = language()
    with opened(store) as ctx:
        document = country_profile(
            cli_workflow(ctx), monitor, state, on=parse_date(on, "on"),
            config=ctx.configuration.national, locale=lang,
        )  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".pdf":
        out.write_bytes(profile_pdf(document, lang))
    elif suffix == ".json":
        out.write_text(json.dumps(document, indent=2, default=str, ensure_ascii=False), "utf-8")
    else:
        out.write_text(profile_html(document, lang), encoding="utf-8")
    console.print(f"wrote {out} ({document['state']}, {document['freshness']['status_as_at']})")
