"""``minewatch geodata``: look inside GIS files and check them before an import.

Examples::

    minewatch geodata layers survey.gpkg
    minewatch geodata check survey.gpkg --mapping hazards.toml --layer sha_polygons \\
        --boundary country.gpkg --findings findings.csv --rejects rejects.csv
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from minewatch.cli import app
from minewatch.cli.common import print_whole
from minewatch.domain.cells import safe_frame

geodata = typer.Typer(
    help="Look inside GIS files and check them against the geometry rules before importing.",
    no_args_is_help=True,
)
app.add_typer(geodata, name="geodata")
console = Console()


@geodata.command("layers")
def layers(
    path: Path = typer.Argument(..., help="A GeoJSON, GeoPackage, Shapefile (.zip) or CSV."),
) -> None:
    """List a file's layers with geometry type, feature count, CRS and fields.

    Example: minewatch geodata layers survey.gpkg
    """
    from minewatch.services.filecheck import list_layers

    table = Table("layer", "geometry", "features", "CRS", "fields")
    for info in list_layers(path):
        table.add_row(
            info.name,
            info.geometry_type or "none",
            f"{info.features:,}",
            info.crs or "not declared",
            ", ".join(info.fields),
        )
    print_whole(table)


@geodata.command("check")
def check(
    path: Path = typer.Argument(..., help="The file to check."),
    mapping: Path = typer.Option(..., "--mapping", "-m", help="The mapping TOML file."),
    layer: str | None = typer.Option(None, help="The layer, when the file has several."),
    boundary: Path | None = typer.Option(None, help="A polygon file of the national boundary."),
    rules: Path | None = typer.Option(
        None, help="A TOML file whose 'geometry' table sets the thresholds (else defaults)."
    ),
    findings: Path | None = typer.Option(None, help="Write every finding to this CSV."),
    rejects: Path | None = typer.Option(
        None, help="Write the rejected features with their reasons to this file."
    ),
    pairwise: bool = typer.Option(
        True, help="Also look for duplicates and overlaps between the file's features."
    ),
) -> None:
    """Read a file through its mapping and check every feature; nothing is stored.

    Each feature is counted as landed, repaired (with a note) or rejected (with a reason).

    Example: minewatch geodata check survey.gpkg -m hazards.toml --layer sha_polygons
    --boundary country.gpkg --findings findings.csv --rejects rejects.csv
    """
    from minewatch.services.filecheck import check_file, feature_count, load_mapping, load_rules

    resolved = load_mapping(mapping)
    total = feature_count(path, layer or resolved.layer)
    with Progress(
        TextColumn("checking"), BarColumn(), MofNCompleteColumn(), console=Console(stderr=True)
    ) as bar:
        task = bar.add_task("check", total=total)
        report = check_file(
            path,
            resolved,
            layer=layer,
            rules=load_rules(rules),
            boundary=boundary,
            pairwise=pairwise,
            rejects_to=rejects,
            progress=lambda n: bar.advance(task, n),
        )
    console.print(
        f"{report.features:,} features: {report.landed:,} landed, "
        f"{report.repaired:,} repaired, {report.rejected:,} rejected"
    )
    if report.findings:
        table = Table("rule", "severity", "findings")
        for (rule, severity), count in sorted(report.by_rule.items()):
            table.add_row(rule, severity, f"{count:,}")
        print_whole(table)
    if findings is not None:
        safe_frame(report.frame()).to_csv(findings, index=False)
        console.print(f"findings written to {findings}")
    if rejects is not None and report.rejected:
        console.print(f"rejected features written to {rejects}")
