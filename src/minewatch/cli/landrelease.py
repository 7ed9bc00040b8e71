"""``minewatch release``: land release accounting, reports and release statements."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from minewatch.cli import app
from minewatch.cli.common import (
    DEFAULT_STORE,
    NationalConfigOption,
    StoreOption,
    console,
    emit,
    language,
    opened,
    parse_date,
)
from minewatch.errors import InvalidInput

if TYPE_CHECKING:
    from minewatch.services import landrelease as service

release_app = typer.Typer(
    help="Land release accounting (original, cancelled, reduced, cleared, remaining), "
    "reports and release statements, computed from the approved polygons.",
    no_args_is_help=True,
)
app.add_typer(release_app, name="release")

AreaOption = Annotated[
    list[str], typer.Option("--area", "-a", help="Hazardous area code; repeat for more.")
]
LocationOption = Annotated[
    list[str],
    typer.Option("--location", "-l", help="Location code (and everything below it); repeat."),
]
OrganisationOption = Annotated[
    list[str],
    typer.Option("--organisation", "-o", help="Areas this organisation is responsible for."),
]
FromOption = Annotated[
    str | None, typer.Option("--from", help="Period start, release date (YYYY-MM-DD).")
]
ToOption = Annotated[str | None, typer.Option("--to", help="Period end, inclusive (YYYY-MM-DD).")]
ToleranceOption = Annotated[
    float | None,
    typer.Option(
        "--area-tolerance",
        help="Flag typed-in m² off by more than this fraction (default: national "
        "configuration [landrelease] area_tolerance_fraction).",
    ),
]

_BY = {
    "area": "hazardous_area_code",
    "location": "location_code",
    "organisation": "organisation_code",
}


def _filter(
    areas: list[str],
    locations: list[str],
    organisations: list[str],
    start: str | None,
    end: str | None,
) -> service.ReleaseFilter:
    from minewatch.services import landrelease as service

    return service.ReleaseFilter(
        hazardous_areas=areas or None,
        locations=locations or None,
        organisations=organisations or None,
        start=parse_date(start, "--from"),
        end=parse_date(end, "--to"),
    )


def _formats(text: str, allowed: set[str], option: str) -> tuple[str, ...]:
    chosen = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    unknown = sorted(set(chosen) - allowed)
    if unknown or not chosen:
        raise InvalidInput(
            "{option} takes some of {allowed}, not {text!r}",
            option=option,
            allowed=", ".join(sorted(allowed)),
            text=text,
        )
    return chosen


@release_app.command("account")
def account_command(
    store: StoreOption = DEFAULT_STORE,
    area: AreaOption = [],  # noqa: B006
    location: LocationOption = [],  # noqa: B006
    organisation: OrganisationOption = [],  # noqa: B006
    start: FromOption = None,
    end: ToOption = None,
    by: Annotated[str | None, typer.Option(help="Group by area, location or organisation.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    issues: Annotated[bool, typer.Option(help="List data-quality issues instead.")] = False,
    pieces: Annotated[
        Path | None,
        typer.Option(help="Also write the pieces behind every figure to this GeoPackage."),
    ] = None,
    area_tolerance: ToleranceOption = None,
    config: NationalConfigOption = None,
) -> None:
    """The land release balance: original = cancelled + reduced + cleared + remaining (m²).

    With --from/--to, the balance of that period (land released before it and after it
    shown apart). Examples:

      minewatch release account --by location

      minewatch release account --organisation ORG-000002 --from 2024-01-01 --to 2024-12-31

      minewatch release account --area HA-000004 --pieces ha4-pieces.gpkg
    """
    from minewatch.services import landrelease as service

    if by is not None and by not in _BY:
        raise InvalidInput("--by takes area, location or organisation, not {text!r}", text=by)
    where = _filter(area, location, organisation, start, end)
    with opened(store, config=config) as ctx:
        accounting, _ = service.account(
            ctx.store,
            where,
            area_tolerance_fraction=area_tolerance,
            config=ctx.configuration.national,
        )
    if pieces is not None:
        accounting.pieces.to_file(pieces, layer="pieces", driver="GPKG")
        console.print(f"wrote {len(accounting.pieces)} pieces to {pieces}", style="dim")
    if issues:
        records = [{str(k): v for k, v in r.items()} for r in accounting.issues.to_dict("records")]
        emit(records, fmt, title="Land release issues")
        return
    table = service.balance_table(accounting, where, _BY.get(by or ""))
    rows: list[dict[str, object]] = [
        {"group": " / ".join(map(str, k)) if isinstance(k, tuple) else str(k)}
        | {str(c): round(float(v), 1) for c, v in values.items()}
        for k, values in table.iterrows()
    ]
    emit(rows, fmt, title="Land release balance (m²)")


@release_app.command("report")
def report_command(
    out_dir: Annotated[Path, typer.Argument(help="Folder for the report files.")],
    store: StoreOption = DEFAULT_STORE,
    area: AreaOption = [],  # noqa: B006
    location: LocationOption = [],  # noqa: B006
    organisation: OrganisationOption = [],  # noqa: B006
    region_level: Annotated[
        str, typer.Option(help="Gazetteer level that counts as a region (adm1, adm2, …).")
    ] = "adm1",
    formats: Annotated[str, typer.Option(help="Any of csv,json,png,html.")] = "csv,json,png,html",
    area_tolerance: ToleranceOption = None,
    config: NationalConfigOption = None,
) -> None:
    """Land release by year, organisation, region and method: CSV, JSON, PNG and HTML.

    Example:

      minewatch release report out/release-2024 --location LOC-000001 --formats csv,html
    """
    from minewatch.services import landrelease as service

    where = _filter(area, location, organisation, None, None)
    chosen = _formats(formats, {"csv", "json", "png", "html"}, "--formats")
    from minewatch.charts.landrelease import write_release_report  # heavy: only to draw

    with opened(store, config=config) as ctx:
        accounting, tables = service.report(
            ctx.store,
            where,
            region_level=region_level,
            area_tolerance_fraction=area_tolerance,
            config=ctx.configuration.national,
        )
    written = write_release_report(accounting, tables, out_dir, formats=chosen, locale=language())
    for path in written:
        console.print(str(path))


@release_app.command("statement")
def statement_command(
    out_dir: Annotated[Path, typer.Argument(help="Folder for the statements.")],
    store: StoreOption = DEFAULT_STORE,
    area: AreaOption = [],  # noqa: B006
    location: LocationOption = [],  # noqa: B006
    organisation: OrganisationOption = [],  # noqa: B006
    fully_released: Annotated[
        bool, typer.Option(help="Only areas with no land remaining.")
    ] = False,
    formats: Annotated[str, typer.Option(help="Any of html,pdf.")] = "html,pdf",
    searched_fraction: Annotated[
        float | None,
        typer.Option(help="Residual risk: fraction of each area searched, finding nothing."),
    ] = None,
    detection_probability: Annotated[
        float | None, typer.Option(help="Residual risk: probability of detection of the search.")
    ] = None,
    confidence: Annotated[float, typer.Option(help="Residual risk: confidence level.")] = 0.95,
    area_tolerance: ToleranceOption = None,
    config: NationalConfigOption = None,
    dates: Annotated[
        str, typer.Option(help="Dates as the language writes them (long) or ISO 8601 (iso).")
    ] = "long",
) -> None:
    """Release statements (certificates): balance, evidence, products, activities and the
    residual-risk figure of each area with land released, as HTML and PDF, in the language
    of --lang (or MINEWATCH_LANG).

    With --searched-fraction and --detection-probability the residual risk is the Poisson
    zero-find bound on the items left; otherwise the area's residual_risk field, if any.

    Example:

      minewatch release statement out/certificates --area HA-000004 --fully-released \
        --searched-fraction 0.1 --detection-probability 0.9
    """
    from minewatch.services import landrelease as service

    where = _filter(area, location, organisation, None, None)
    chosen = _formats(formats, {"html", "pdf"}, "--formats")
    risk = service.risk_from_search(searched_fraction, detection_probability, confidence)
    from minewatch.charts.release_statement import write_statements  # heavy: only to draw

    with opened(store, config=config) as ctx:
        statements = service.release_statements(
            ctx.store,
            where,
            residual_risk=risk,
            fully_released_only=fully_released,
            area_tolerance_fraction=area_tolerance,
            config=ctx.configuration.national,
        )
    if dates not in ("long", "iso"):
        raise InvalidInput("--dates must be long or iso, not {text!r}", text=dates)
    written = write_statements(
        statements, out_dir, formats=chosen, locale=language(), date_style=dates
    )
    for path in written:
        console.print(str(path))
