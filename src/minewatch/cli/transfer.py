"""``import``, ``export`` and ``validate``: records in and out through GDAL, and the
geometry rules over a whole store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from minewatch.cli import app
from minewatch.cli.common import (
    DEFAULT_STORE,
    StoreOption,
    cli_workflow,
    console,
    emit,
    err_console,
    language,
    opened,
    parse_date,
    parse_floats,
    parse_where,
)
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import RECORD_TYPES, Kind, record_type
from minewatch.domain.reports import ReportState
from minewatch.errors import InvalidInput

if TYPE_CHECKING:
    from minewatch.domain.geometry import Expected
    from minewatch.services.imports import ImportReport


@app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="GeoJSON, GeoPackage, zipped Shapefile or CSV.")],
    store: StoreOption = DEFAULT_STORE,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", "-m", help="Mapping TOML (source columns → fields).")
    ] = None,
    kind: Annotated[
        Kind | None, typer.Option(help="Kind of record, when there is no mapping file.")
    ] = None,
    layer: Annotated[str | None, typer.Option(help="The layer, when the file has several.")] = None,
    id_column: Annotated[
        str | None, typer.Option(help="Column with each feature's external id (without a mapping).")
    ] = None,
    date_of_information: Annotated[
        str | None, typer.Option("--doi", help="Date of Information (default: today).")
    ] = None,
    state: Annotated[
        ReportState,
        typer.Option(
            help="submitted (default: into the review queue, as field data), draft, or "
            "approved (a reviewer's bulk load, skipping review: say so explicitly)."
        ),
    ] = ReportState.SUBMITTED,
    keep_going: Annotated[
        bool, typer.Option("--keep-going", help="Land the good features; reject the bad ones.")
    ] = False,
    rejects: Annotated[
        Path | None, typer.Option(help="Write rejected features, with reasons, here.")
    ] = None,
) -> None:
    """Import a file as reports, one per feature, in one transaction. They wait in the
    review queue (submitted) unless --state approved is asked for by a reviewer.

    Every feature is accounted for: landed (with any repair noted), skipped because its
    external id was imported before, or rejected with file, feature, field and reason. By
    default one rejected feature refuses the whole file; --keep-going lands the good ones.

    Examples:

      minewatch import areas.gpkg --layer sha --mapping areas.toml

      minewatch import finds.csv --kind device_find --id-column find_id --keep-going --rejects bad.csv

      minewatch import survey.zip --mapping survey.toml --state approved --doi 2024-05-31
    """
    from minewatch.services.imports import (
        ImportRefused,
        import_file,
        load_mapping,
        mapping_by_field_names,
    )

    if mapping is None and kind is None:
        raise InvalidInput("give --mapping FILE, or --kind for columns named like the fields")
    chosen = (
        load_mapping(mapping) if mapping else mapping_by_field_names(path, kind, layer, id_column)  # type: ignore[arg-type]
    )
    with opened(store) as ctx, _progress() as bar:
        task = bar.add_task(f"importing {path.name}", total=None)
        try:
            report = import_file(
                cli_workflow(ctx),
                path,
                chosen,
                layer=layer,
                date_of_information=parse_date(date_of_information, "--doi"),
                state=state,
                keep_going=keep_going,
                reject_file=rejects,
                locale=language(),
                progress=lambda n: bar.update(task, completed=n),
            )
        except ImportRefused as refused:
            _print_report(refused.report, limit=50)
            raise
    _print_report(report)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,} features"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def _print_report(report: ImportReport, limit: int = 20) -> None:
    from minewatch.services.records.geometries import note_sentence
    from minewatch.vocabulary.problems import located_text

    lang = language()
    verdict = "imported" if report.committed else "NOT imported"
    console.print(
        f"{report.source}: {report.read:,} features read — {report.landed:,} landed, "
        f"{len(report.skipped):,} skipped (imported before), {len(report.rejected):,} rejected; {verdict}"
    )
    for rejection in report.rejected[:limit]:
        err_console.print(f"  rejected  {located_text(rejection.where, rejection.reason, lang)}")
    for where, note in report.notes[:limit]:
        console.print(f"  note      {where}: {note_sentence(note)}")
    for skipped in report.skipped[:limit]:
        console.print(
            f"  skipped   {skipped.where}: external id {skipped.external_id} is {skipped.item_code}"
        )
    hidden = (
        max(0, len(report.rejected) - limit)
        + max(0, len(report.notes) - limit)
        + max(0, len(report.skipped) - limit)
    )
    if hidden:
        console.print(
            f"  … and {hidden:,} more lines (use --rejects FILE for every rejected feature)"
        )
    if report.reject_file:
        console.print(f"rejected features written to {report.reject_file}")


@app.command("export")
def export_command(
    kind: Annotated[Kind, typer.Argument(help="Kind of record.")],
    out: Annotated[
        Path, typer.Argument(help="Output: .geojson, .gpkg, .zip (Shapefile) or .csv (WKT).")
    ],
    store: StoreOption = DEFAULT_STORE,
    where: Annotated[
        list[str], typer.Option("--where", "-w", help="field=value, e.g. status=open.")
    ] = [],  # noqa: B006
    bbox: Annotated[str | None, typer.Option(help="minlon,minlat,maxlon,maxlat.")] = None,
    date_from: Annotated[str | None, typer.Option(help="Date of Information from.")] = None,
    date_to: Annotated[str | None, typer.Option(help="Date of Information to.")] = None,
) -> None:
    """Export items of one kind, filtered by type, status, area and date. Personal data
    (victims' names, contacts, medical details) is never exported.

    Examples:

      minewatch export hazardous_area open.gpkg --where status=open --where classification=CHA

      minewatch export device_find finds.csv --bbox 0.2,0.2,0.6,0.6 --date-from 2024-01-01
    """
    from minewatch.services.exports import export_items

    query = ItemQuery(
        kind,
        where=parse_where(where),
        bbox=parse_floats(bbox, 4, "--bbox"),  # type: ignore[arg-type]
        date_from=parse_date(date_from, "--date-from"),
        date_to=parse_date(date_to, "--date-to"),
    )
    with opened(store) as ctx:
        count, written = export_items(cli_workflow(ctx, personal_data=False), query, out)
    console.print(f"{count:,} {kind.value} written to {written}")


@app.command("validate")
def validate_command(
    store: StoreOption = DEFAULT_STORE,
    kind: Annotated[
        Kind | None, typer.Option(help="Only this kind (default: every kind with geometry).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
) -> None:
    """Run the geometry rules over stored items: invalid shapes, duplicates, overlapping
    hazardous areas, vertex gaps, swapped coordinates. Each finding names the record and rule.

    Example:

      minewatch validate --kind hazardous_area --format csv > findings.csv
    """
    from minewatch.domain.geometry import validate_geometries

    kinds = [kind] if kind else [k for k, c in RECORD_TYPES.items() if c.geometry_type]
    rows = []
    with opened(store) as ctx:
        wf = cli_workflow(ctx, personal_data=False)
        for k in kinds:
            frame = wf.items_frame(ItemQuery(k))
            expected: Expected = "point" if record_type(k).geometry_type == "POINT" else "polygon"
            for finding in validate_geometries(
                frame.geometry.values, frame["code"].tolist(), expected=expected
            ):
                rows.append(
                    {
                        "kind": k.value,
                        "record": finding.record,
                        "rule": str(finding.rule),
                        "severity": finding.severity.value,
                        "related": finding.related,
                        "message": finding.message,
                    }
                )
    emit(
        rows,
        fmt,
        ["kind", "record", "rule", "severity", "related", "message"],
        title=f"{len(rows)} findings",
    )
