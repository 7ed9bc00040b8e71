"""``minewatch intake``, ``minewatch forms`` and ``minewatch publish``: field data in, open
data out. Thin: every command calls a service and prints its result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from minewatch.cli import app
from minewatch.cli.common import (
    DEFAULT_STORE,
    NationalConfigOption,
    StoreOption,
    cli_actor,
    cli_workflow,
    language,
    opened,
)
from minewatch.domain.records import Kind
from minewatch.errors import InvalidInput

if TYPE_CHECKING:
    from minewatch.services.intake import IntakeResult
    from minewatch.services.intake_pull import PullResult

intake_app = typer.Typer(help="Import field submissions (KoboToolbox, ODK Central) as drafts.")
forms_app = typer.Typer(help="The XLSForms minewatch ships for field collection.")
publish_app = typer.Typer(help="Publish open data: HXL CSVs and a public data package.")
app.add_typer(intake_app, name="intake")
app.add_typer(forms_app, name="forms")
app.add_typer(publish_app, name="publish")


@intake_app.command("import")
def import_export(
    export: Annotated[Path, typer.Argument(help="CSV, XLSX, JSON, a folder or ODK's .csv.zip.")],
    store: StoreOption = DEFAULT_STORE,
    mapping: Annotated[
        Path | None, typer.Option(help="TOML mapping for a customised form.")
    ] = None,
    form: Annotated[str | None, typer.Option(help="Form id, if it cannot be detected.")] = None,
    flavour: Annotated[
        str | None, typer.Option(help="kobo, odk or xform, if it cannot be detected.")
    ] = None,
    xlsform: Annotated[
        Path | None,
        typer.Option(help="The programme's XLSForm, to read exports with label headers."),
    ] = None,
    attachments_url: Annotated[
        str | None,
        typer.Option(
            help="Address template for files named without a URL, with {form}, {instance} "
            "and {filename}, e.g. https://central.example.org/v1/projects/3/forms/{form}/"
            "submissions/{instance}/attachments/{filename}"
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and report; write nothing.")
    ] = False,
    keep_going: Annotated[
        bool,
        typer.Option(
            "--keep-going/--all-or-nothing",
            help="Import the good submissions when some are rejected (the default), or "
            "nothing when any is.",
        ),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Create one draft report per submission; already imported submissions are skipped.
    Each rejected submission is listed with its reason and the good ones are imported, unless
    --all-or-nothing; the exit code is 1 whenever a submission was rejected.

    Example: minewatch intake import minewatch_accident.zip --store national.gpkg
    """
    from minewatch.services.intake import import_submissions

    if flavour not in (None, "kobo", "odk", "xform"):
        raise InvalidInput("--flavour must be kobo, odk or xform, not {text!r}", text=flavour)
    with opened(store) as ctx:
        result = import_submissions(
            cli_workflow(ctx),
            export,
            mapping=mapping,
            form_id=form,
            flavour=flavour,  # type: ignore[arg-type]
            xlsform=xlsform,
            attachments_url=attachments_url,
            dry_run=dry_run,
            keep_going=keep_going,
        )
    if as_json:
        typer.echo(json.dumps(result.as_dict(), indent=2))
    else:
        _print_intake(result)
    if result.rejected:
        raise typer.Exit(1)


@intake_app.command("pull")
def pull(
    source: Annotated[
        str, typer.Argument(help="A source named under [intake.sources] in the configuration.")
    ],
    store: StoreOption = DEFAULT_STORE,
    config: NationalConfigOption = None,
    attachments: Annotated[
        Path,
        typer.Option(help="Folder the submissions' files are saved in, one folder per source."),
    ] = Path("attachments"),
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Ask for every submission whole, not only those sent or edited since the last "
            "pull; what landed already is skipped.",
        ),
    ] = False,
    mapping: Annotated[
        Path | None, typer.Option(help="TOML mapping for a customised form.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Fetch and check; write nothing.")
    ] = False,
    keep_going: Annotated[
        bool,
        typer.Option(
            "--keep-going/--all-or-nothing",
            help="Land the good submissions when some are rejected (the default), or nothing.",
        ),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Fetch new and edited submissions, with their files, from a KoboToolbox project or an
    ODK Central form, and import them as draft reports (an edit updates the items its
    submission created). The token or password is read from the environment variable or the
    file the configuration names. Exit code 1 when a submission was rejected.

    Example: minewatch intake pull central-accidents --store national.gpkg
    """
    import os

    from minewatch.services.intake_pull import pull_submissions

    with opened(store, config=config) as ctx:
        result = pull_submissions(
            cli_workflow(ctx),
            ctx.configuration.national,
            source,
            environ=os.environ,
            attachments_dir=attachments.resolve(),
            full=full,
            dry_run=dry_run,
            keep_going=keep_going,
            mapping=mapping,
        )
    if as_json:
        typer.echo(json.dumps(result.as_dict(), indent=2))
    else:
        _print_pull(result)
    if result.intake is not None and result.intake.rejected:
        raise typer.Exit(1)


def _print_pull(result: PullResult) -> None:
    since = f"since {result.since}" if result.since else "everything"
    typer.echo(
        f"{result.source} ({result.server}): {result.fetched} submissions fetched ({since}) "
        f"in {result.requests} requests, {len(result.files_saved)} files saved"
    )
    for missing in result.files_not_fetched:
        typer.echo(
            f"  file not fetched, row {missing['row']}: {missing['file']} ({missing['reason']})"
        )
    if result.intake is not None:
        _print_intake(result.intake)
        if result.intake.edited:
            typer.echo(
                f"  {len(result.intake.edited)} edited on the server: updates of "
                + ", ".join(sorted(result.intake.edited.values()))
            )
    typer.echo(f"  next pull starts at {result.watermark or 'the beginning'}")


def _print_intake(result: IntakeResult) -> None:
    if result.committed:
        done = (
            f"{result.submissions_created} submissions imported as "
            f"{len(result.created)} draft reports"
        )
    else:
        reports = sum(1 + len(s.children) for s in result.imported)
        verb = "would be" if result.dry_run else "NOT"
        done = f"{len(result.imported)} submissions {verb} imported as {reports} draft reports"
        if not result.dry_run:
            done += " (some were rejected: fix them, or import without --all-or-nothing)"
    typer.echo(
        f"{result.form_id} ({result.flavour}): {done}, {len(result.skipped)} already imported, "
        f"{len(result.rejected)} rejected"
    )
    for sub in result.imported:
        for a in sub.attachments:
            typer.echo(f"  attachment {sub.instance_id}: {a.filename} {a.url or ''}".rstrip())
    for rejection in result.rejected:
        typer.echo(f"  rejected {rejection}", err=True)


@forms_app.command("build")
def forms_build(
    out: Annotated[
        Path | None, typer.Option(help="Folder to write to (default: the package's own).")
    ] = None,
) -> None:
    """Write the XLSForms and the default mapping from their definitions. Every form holds
    every language's labels; with --lang (or MINEWATCH_LANG) the forms are titled and open
    in that language (write them elsewhere with --out: the package's own stay English).

    Example: minewatch --lang fr forms build --out ./xlsforms-fr
    """
    from minewatch.services.forms import build_forms

    for path in build_forms(out, language()):
        typer.echo(str(path))


@forms_app.command("check")
def forms_check(xlsform: Annotated[Path, typer.Argument(help="An XLSForm (.xlsx, .xls).")]) -> None:
    """Convert an XLSForm with pyxform and print its warnings (errors exit with code 2).

    Example: minewatch forms check my_programme_accident.xlsx
    """
    from minewatch.services.forms import check_form

    checked = check_form(xlsform)
    typer.echo(
        f"{xlsform}: valid XLSForm {checked.form_id!r}, {checked.questions} questions, "
        f"{checked.repeats} repeats, {len(checked.warnings)} warnings"
    )
    for warning in checked.warnings:
        typer.echo(f"  warning: {warning}")


@forms_app.command("mapping")
def forms_mapping(
    xlsform: Annotated[Path, typer.Argument(help="The programme's XLSForm.")],
    kind: Annotated[Kind, typer.Option(help="The record kind a submission makes.")],
    out: Annotated[Path | None, typer.Option(help="Write the TOML here (default: print).")] = None,
) -> None:
    """Suggest a mapping (TOML) from a programme's own form to minewatch's records.

    Example: minewatch forms mapping nmac_accident.xlsx --kind accident --out nmac.toml
    """
    from minewatch.services.forms import suggest_mapping

    text = suggest_mapping(xlsform, kind)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(str(out))


@forms_app.command("list")
def forms_list() -> None:
    """List the shipped forms: id, record kind, title and file.

    Example: minewatch forms list
    """
    from minewatch.services.intake import shipped_forms

    for form in shipped_forms(cli_actor()):
        typer.echo(f"{form.form_id}\t{form.kind.value}\t{form.title}\t{form.path}")


@publish_app.command("hxl")
def publish_hxl_command(
    out_dir: Annotated[Path, typer.Argument(help="Folder for the <kind>.hxl.csv files.")],
    store: StoreOption = DEFAULT_STORE,
    kind: Annotated[list[Kind] | None, typer.Option(help="Only these kinds.")] = None,
) -> None:
    """Write HXL-tagged CSVs of the approved public data (no personal data).

    Example: minewatch publish hxl open-data/ --store national.gpkg --kind accident
    """
    from minewatch.services.publish import PUBLISHED_KINDS, check_published, publish_hxl

    kinds = tuple(kind) if kind else PUBLISHED_KINDS
    check_published(kinds)
    with opened(store) as ctx:
        result = publish_hxl(ctx.store, out_dir, kinds)
    for path in result.files:
        typer.echo(str(path))


@publish_app.command("package")
def publish_package_command(
    out_dir: Annotated[Path, typer.Argument(help="Folder for the data package.")],
    store: StoreOption = DEFAULT_STORE,
    licence: Annotated[str, typer.Option(help="SPDX licence id of the data.")] = "CC-BY-4.0",
    publisher: Annotated[
        str, typer.Option(help="Who publishes (named in the README and citation).")
    ] = "the national mine action authority",
) -> None:
    """Write the public data package: GeoPackage, HXL CSVs, datapackage.json and README.

    Example: minewatch publish package open-data/ --store national.gpkg --publisher "NMAA"
    """
    from minewatch.services.publish import publish_package

    with opened(store) as ctx:
        result = publish_package(ctx.store, out_dir, licence=licence, publisher=publisher)
    for path in result.files:
        typer.echo(str(path))
