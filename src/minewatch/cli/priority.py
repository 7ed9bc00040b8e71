"""``minewatch priority``: rank hazardous areas for clearance by human impact.

Every command takes the same inputs: the areas (``--areas file.gpkg:layer`` or ``--store``),
the population raster and the context layers, or ``--indicators`` to reuse the GeoPackage an
earlier ``rank`` wrote; the configuration (``--config``, ``--scenario``); and where to run
(``--dask local`` or ``--dask tcp://scheduler:8786``; in-process by default).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from minewatch.cli import app
from minewatch.cli.common import configuration, language, opened, print_whole
from minewatch.domain.cells import safe_frame
from minewatch.errors import InvalidInput

if TYPE_CHECKING:
    import geopandas as gpd

    from minewatch.services import priority as service

priority_app = typer.Typer(
    help="Clearance prioritisation by human impact: rank, grid, sensitivity, explain.",
    no_args_is_help=True,
)
app.add_typer(priority_app, name="priority")

console = Console()

Areas = Annotated[
    str | None, typer.Option(help="Hazardous areas: a vector file, optionally file.gpkg:layer.")
]
# -s/--store as everywhere, but not read from $MINEWATCH_STORE: a store set in the
# environment would silently win over the --areas file given on the command line.
Store = Annotated[
    str | None,
    typer.Option(
        "--store", "-s", help="Read open hazardous areas and accidents from this minewatch store."
    ),
]
Indicators = Annotated[
    str | None, typer.Option(help="Reuse the indicators of a GeoPackage written by `rank`.")
]
Population = Annotated[str | None, typer.Option(help="Population raster (e.g. WorldPop).")]
Layer = Annotated[str | None, typer.Option(help="Vector layer: file or file.gpkg:layer.")]
Config = Annotated[
    str | None,
    typer.Option(
        help="Prioritisation TOML (default: MINEWATCH_CONFIG's [priority], else shipped)."
    ),
]
ScenarioOpt = Annotated[str | None, typer.Option(help="Scenario name (default: the config's).")]
AsOf = Annotated[
    str | None, typer.Option(help="Date accidents are counted back from (default: today).")
]
Dask = Annotated[
    str | None, typer.Option(help="Run on Dask: 'local' or a scheduler address tcp://host:8786.")
]
Partitions = Annotated[int | None, typer.Option(help="Dask partitions (default: automatic).")]


def _inputs(**layers: str | None) -> service.PriorityInputs:
    from minewatch.services import priority as service

    population = layers.pop("population")
    return service.PriorityInputs(
        population=population,
        layers={name: service.FileLayer.parse(v) for name, v in layers.items() if v is not None},
    )


def _as_of(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            "--as-of must be a date like 2025-01-31, not {text!r}", text=text
        ) from None


def _indicators(request: service.PriorityRequest, options: dict[str, Any]) -> gpd.GeoDataFrame:
    from minewatch.services import priority as service

    if options["indicators"]:
        return service.read_indicators(options["indicators"])
    if options["store"]:
        with opened(options["store"]) as ctx:
            areas = service.areas_from_store(ctx.store)
            request = service.with_store_accidents(ctx.store, request)
    elif options["areas"]:
        source = service.FileLayer.parse(options["areas"])
        areas = service.areas_from_layer(source.path, source.layer)
    else:
        raise InvalidInput("give --areas, --store or --indicators")
    with Progress(
        TextColumn("indicators"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as bar:
        task = bar.add_task("areas", total=len(areas))
        return service.compute_indicators(areas, request, lambda n: bar.advance(task, n))


def _request(options: dict[str, Any]) -> service.PriorityRequest:
    from minewatch.services import priority as service

    layer_names = ("settlements", "roads", "schools", "health", "water", "agriculture")
    inputs = _inputs(
        population=options["population"],
        accidents=options["accidents"],
        **{name: options[name] for name in layer_names},
    )
    # A prioritisation file named with --config, else the [priority] section of the
    # national configuration ($MINEWATCH_CONFIG), as the server reads it.
    config = (
        service.configured(options["config"]) if options["config"] else configuration().priority
    )
    return service.PriorityRequest(
        config=config,
        inputs=service.with_context(inputs, config),
        scenario=options["scenario"],
        as_of=_as_of(options["as_of"]),
        dask=options["dask"],
        npartitions=options["partitions"],
    )


def _ranked(options: dict[str, Any]) -> tuple[gpd.GeoDataFrame, service.PriorityRequest]:
    from minewatch.services import priority as service

    request = _request(options)
    request.config.scenario(request.scenario)  # unknown scenario: fail before computing
    return service.rank(_indicators(request, options), request), request


def _table(frame: Any, columns: list[str], title: str) -> None:
    table = Table(title=title)
    for column in columns:
        table.add_column(column, justify="right" if frame[column].dtype.kind in "fiu" else "left")
    for row in frame[columns].itertuples(index=False):
        table.add_row(*(f"{v:.3g}" if isinstance(v, float) else str(v) for v in row))
    print_whole(table)


@priority_app.command("rank")
def rank_command(
    areas: Areas = None,
    store: Store = None,
    indicators: Indicators = None,
    population: Population = None,
    settlements: Layer = None,
    roads: Layer = None,
    schools: Layer = None,
    health: Layer = None,
    water: Layer = None,
    agriculture: Layer = None,
    accidents: Layer = None,
    config: Config = None,
    scenario: ScenarioOpt = None,
    as_of: AsOf = None,
    dask: Dask = None,
    partitions: Partitions = None,
    csv: Annotated[str | None, typer.Option(help="Write the ranked list as CSV.")] = None,
    gpkg: Annotated[str | None, typer.Option(help="Write it as a GeoPackage layer.")] = None,
    png: Annotated[str | None, typer.Option(help="Write a PNG map.")] = None,
    html: Annotated[str | None, typer.Option(help="Write an offline HTML map.")] = None,
    top: Annotated[int, typer.Option(help="Rows to print.")] = 20,
) -> None:
    """Rank hazardous areas by impact under a scenario, with the LIS-style band.

    Example:

      minewatch priority rank --areas areas.gpkg:hazardous_areas --population pop.tif
      --roads osm.gpkg:roads --settlements osm.gpkg:places --accidents acc.gpkg
      --as-of 2025-01-01 --csv ranked.csv --gpkg ranked.gpkg --png map.png --html map.html
    """
    from minewatch.services import priority as service

    ranked, request = _ranked(locals())
    written = service.export(ranked, csv=csv, gpkg=gpkg)
    if png or html:
        from minewatch.charts import priority as charts  # heavy: only to draw

        lang = language()
        written += [charts.ranking_map_png(ranked, png, locale=lang)] if png else []
        written += [charts.ranking_map_html(ranked, html, locale=lang)] if html else []
    columns = ["rank", "code", "score", "lis_points", "lis_band", "population", "accidents"]
    _table(ranked.head(top), columns, f"Priorities: scenario {request.scenario_name}")
    for path in written:
        console.print(f"wrote {path}")


@priority_app.command("grid")
def grid_command(
    areas: Areas = None,
    store: Store = None,
    indicators: Indicators = None,
    population: Population = None,
    settlements: Layer = None,
    roads: Layer = None,
    schools: Layer = None,
    health: Layer = None,
    water: Layer = None,
    agriculture: Layer = None,
    accidents: Layer = None,
    config: Config = None,
    scenario: ScenarioOpt = None,
    as_of: AsOf = None,
    dask: Dask = None,
    partitions: Partitions = None,
    resolution: Annotated[int | None, typer.Option(help="H3 resolution (default: config).")] = None,
    column: Annotated[str, typer.Option(help="Surface to map.")] = "max_score",
    gpkg: Annotated[str | None, typer.Option(help="Write the cells as a GeoPackage.")] = None,
    png: Annotated[str | None, typer.Option(help="Write a PNG map.")] = None,
    html: Annotated[str | None, typer.Option(help="Write an offline HTML map.")] = None,
) -> None:
    """Risk and impact surfaces on H3 cells, for national maps.

    Example:

      minewatch priority grid --indicators ranked.gpkg --resolution 6
      --gpkg grid.gpkg --png grid.png --html grid.html
    """
    from minewatch.charts import priority as charts
    from minewatch.services import priority as service

    ranked, request = _ranked(locals())
    cells = service.grid(ranked, request.config, resolution)
    service.check_grid_column(cells, column)
    if gpkg:
        cells.to_file(gpkg, layer="h3_grid", driver="GPKG", engine="pyogrio")
    if png:
        charts.grid_map_png(cells, png, column=column, locale=language())
    if html:
        charts.grid_map_html(cells, html, column=column, locale=language())
    top = cells.sort_values(column, ascending=False).head(10)
    _table(top, [c for c in cells.columns if c != "geometry"], f"{len(cells):,} H3 cells")


@priority_app.command("sensitivity")
def sensitivity_command(
    areas: Areas = None,
    store: Store = None,
    indicators: Indicators = None,
    population: Population = None,
    settlements: Layer = None,
    roads: Layer = None,
    schools: Layer = None,
    health: Layer = None,
    water: Layer = None,
    agriculture: Layer = None,
    accidents: Layer = None,
    config: Config = None,
    scenario: ScenarioOpt = None,
    as_of: AsOf = None,
    dask: Dask = None,
    partitions: Partitions = None,
    csv: Annotated[str | None, typer.Option(help="Write per-area rank ranges as CSV.")] = None,
    png: Annotated[str | None, typer.Option(help="Write a rank-range chart.")] = None,
) -> None:
    """How the ranking moves when each weight moves alone (Kendall tau, top-k kept).

    Example:

      minewatch priority sensitivity --indicators ranked.gpkg --scenario balanced --png s.png
    """
    from minewatch.services import priority as service

    ranked, request = _ranked(locals())
    result = service.sensitivity(ranked, request)
    _table(
        result.perturbations,
        ["indicator", "step", "weight", "kendall_tau", "top_k_kept", "max_rank_shift"],
        f"One-at-a-time sensitivity, scenario {request.scenario_name}",
    )
    if csv:
        safe_frame(result.areas).to_csv(csv, index=False)
    if png:
        from minewatch.charts import priority as charts

        charts.sensitivity_png(result, png, locale=language())


@priority_app.command("explain")
def explain_command(
    code: Annotated[str, typer.Argument(help="Hazardous area code, e.g. HA-000123.")],
    areas: Areas = None,
    store: Store = None,
    indicators: Indicators = None,
    population: Population = None,
    settlements: Layer = None,
    roads: Layer = None,
    schools: Layer = None,
    health: Layer = None,
    water: Layer = None,
    agriculture: Layer = None,
    accidents: Layer = None,
    config: Config = None,
    scenario: ScenarioOpt = None,
    as_of: AsOf = None,
    dask: Dask = None,
    partitions: Partitions = None,
) -> None:
    """Each indicator's value and contribution to one area's score.

    Example:

      minewatch priority explain HA-000123 --indicators ranked.gpkg --scenario livelihoods
    """
    from minewatch.services import priority as service

    ranked, request = _ranked(locals())
    reasons = service.explain(ranked, code, request)
    row = ranked[ranked["code"].astype(str) == code].iloc[0]
    _table(
        reasons,
        ["label", "value", "unit", "normalised", "weight_share", "contribution"],
        f"{code}: rank {row['rank']} of {len(ranked)}, score {row['score']:.1f}, "
        f"LIS band {row['lis_band']} ({row['lis_points']:.0f} points)",
    )
