"""Field data in and open data out, over HTTP: the shipped XLSForms, uploads of field-form
exports and geodata files as drafts, and the public HXL CSVs and data package.

Thin over :mod:`minewatch.services.intake`, :mod:`minewatch.services.imports` and
:mod:`minewatch.services.publish`, which the CLI calls too; the answers are the services'
own ``as_dict()``. With the same defaults as the CLI: a field-form export lands its good
submissions and lists the rejected ones (``keep_going=false`` for all or nothing); a geodata
file is all or nothing (422 listing every rejected row, nothing written) unless
``keep_going``. ``dry_run`` checks everything and writes nothing. Uploads are
limited to ``ApiSettings.max_upload_bytes`` (413), registered with the router in
:mod:`minewatch.api.app`.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from minewatch.api.deps import Context, CurrentActor, Workflow
from minewatch.api.errors import problem, problems
from minewatch.api.language import request_locale
from minewatch.api.uploads import relabel, safe_name, saved_upload, upload_suffix
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.errors import InvalidInput, Location
from minewatch.services.forms import form_title, form_workbook
from minewatch.services.imports import (
    ImportRefused,
    Mapping,
    chosen_mapping,
    import_file,
    preview_file,
)
from minewatch.services.intake import Flavour, import_submissions, shipped_form, shipped_forms
from minewatch.services.publish import PUBLISHED_KINDS, publish_hxl, publish_package_zip
from minewatch.vocabulary.problems import error_message

router = APIRouter(prefix="/api", tags=["field data and open data"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: An export format the user may choose → (flavour, the suffix its reader expects).
EXPORT_FORMATS: dict[str, tuple[Flavour | None, str | None]] = {
    "auto": (None, None),
    "kobo_csv": ("kobo", ".csv"),
    "kobo_xlsx": ("kobo", ".xlsx"),
    "kobo_json": ("kobo", ".json"),
    "odk_zip": ("odk", ".zip"),
    "odk_json": ("odk", ".json"),
}
ExportFormat = Literal["auto", "kobo_csv", "kobo_xlsx", "kobo_json", "odk_zip", "odk_json"]
EXPORT_SUFFIXES = (".csv", ".xlsx", ".json", ".zip", ".geojson", ".xml")
GEODATA_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip", ".csv")

#: An upload: a bad token, a role that may not import, a file too large, rows rejected.
UPLOAD = problems(401, 403, 413, 422)

Upload = Annotated[UploadFile, File(description="the file")]
DryRun = Annotated[bool, Form(description="check and report, write nothing")]
KeepGoing = Annotated[bool, Form(description="land the good rows when some are rejected")]


@router.get(
    "/forms",
    summary="The field forms (XLSForm) to deploy on KoboToolbox or ODK",
    responses=problems(401, 403),
)
def list_forms(request: Request, actor: CurrentActor, ctx: Context) -> dict[str, Any]:
    """Every shipped form with its download address; data workers and above. Titles in the
    request's language."""
    locale = request_locale(request)
    return {
        "forms": [
            {
                "form_id": f.form_id,
                "kind": f.kind.value,
                "title": form_title(f.form_id, locale),
                "description": f.description,
                "version": f.version,
                "href": f"/api/forms/{f.form_id}.xlsx",
            }
            for f in shipped_forms(actor)
        ],
        "formats": list(EXPORT_FORMATS),
        "max_upload_bytes": ctx.settings.max_upload_bytes,
    }


@router.get(
    "/forms/{form_id}.xlsx",
    summary="Download one field form (XLSForm)",
    response_class=FileResponse,
    responses={200: {"content": {XLSX: {}}}, **problems(401, 403, 404)},
)
def download_form(
    request: Request,
    form_id: str,
    actor: CurrentActor,
    lang: Annotated[
        str | None,
        Query(max_length=35, description="the form's title and opening language (default: yours)"),
    ] = None,
) -> Response:
    """Every shipped language's labels are in every form; the request's language (``lang``,
    the account's, ``Accept-Language``) sets its title and the language it opens in."""
    form = shipped_form(actor, form_id)
    locale = request_locale(request, lang)
    if locale == "en":  # the shipped file itself
        return FileResponse(form.path, media_type=XLSX, filename=form.path.name)
    name = f"{form.form_id}.{locale}.xlsx"
    return Response(
        form_workbook(form.form_id, locale),
        media_type=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Language": locale,
        },
    )


def _limit(ctx: Context) -> int:
    return ctx.settings.max_upload_bytes


@router.post(
    "/intake/submissions",
    summary="Import a field-form export as draft reports",
    responses=UPLOAD,
)
def upload_submissions(
    request: Request,
    file: Upload,
    wf: Workflow,
    ctx: Context,
    format: Annotated[ExportFormat, Form(description="the export's format")] = "auto",
    form_id: Annotated[str | None, Form(max_length=200, description="form id")] = None,
    dry_run: DryRun = False,
    keep_going: KeepGoing = True,
) -> Any:
    """A KoboToolbox (CSV, XLSX, API JSON) or ODK Central (CSV zip, OData JSON) export: one
    draft per submission in the caller's organisation, idempotent on the instance ID. 422
    lists every rejected submission (file, row, field, reason) when nothing was written."""
    flavour, suffix = EXPORT_FORMATS[format]
    name = safe_name(file.filename, suffix)
    if suffix is None:
        upload_suffix(name, EXPORT_SUFFIXES)
    with saved_upload(file, name, _limit(ctx)) as path:
        result = import_submissions(
            wf,
            path,
            form_id=form_id or None,
            flavour=flavour,
            dry_run=dry_run,
            keep_going=keep_going,
            max_submissions=ctx.settings.max_upload_features,
        )
        answer = relabel(result.as_dict(request_locale(request)), path.parent)
    if result.rejected and not (result.committed or dry_run):
        detail = (
            f"{len(result.rejected)} submission(s) rejected, nothing imported: fix them, "
            "or import with keep_going (the default) to land the good ones"
        )
        return problem(422, detail, **answer)
    return answer


ChosenMapping = Annotated[
    str | None,
    Form(
        max_length=100_000,
        description='the columns chosen, as JSON: {"fields": {field: column}, "geometry": '
        '{"x": column, "y": column} or {"wkt": column}}; default: columns named like the '
        "fields, and a CSV's wkt, longitude/latitude, POINT_X/POINT_Y or easting/northing",
    ),
]
Crs = Annotated[
    str | None,
    Form(
        max_length=100_000,
        description="the coordinates' CRS (EPSG:32636, or a .prj's WKT): a CSV's, or the one "
        "assumed when the file declares none; default WGS84",
    ),
]


def _chosen(
    path: Path,
    kind: Kind,
    layer: str | None,
    id_column: str | None,
    mapping: str | None,
    crs: str | None,
) -> Mapping:
    """The mapping the uploader chose (or, without one, the columns found by name)."""
    chosen: dict[str, Any] = {}
    if mapping and mapping.strip():
        try:
            chosen = json.loads(mapping)
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                "not JSON: {reason}", Location(field="mapping"), reason=str(exc)
            ) from None
        if not isinstance(chosen, dict):
            raise InvalidInput("give an object", Location(field="mapping"))
    fields, geometry = chosen.get("fields"), chosen.get("geometry")
    if fields is not None and not (
        isinstance(fields, dict) and all(isinstance(v, str | None) for v in fields.values())
    ):
        raise InvalidInput("fields: give {field: column}", Location(field="mapping"))
    if geometry is not None and not isinstance(geometry, dict):
        raise InvalidInput(
            'geometry: give {"x": .., "y": ..} or {"wkt": ..}', Location(field="mapping")
        )
    return chosen_mapping(
        path,
        kind,
        layer=layer or None,
        id_column=id_column or None,
        fields=fields,
        geometry=geometry,
        crs=(crs or "").strip() or None,
    )


@router.post("/intake/geodata", summary="Import a geodata file as draft reports", responses=UPLOAD)
def upload_geodata(
    request: Request,
    file: Upload,
    wf: Workflow,
    ctx: Context,
    kind: Annotated[Kind, Form(description="the kind of record each feature is")],
    layer: Annotated[str | None, Form(max_length=200)] = None,
    id_column: Annotated[
        str | None, Form(max_length=200, description="column with each feature's own id")
    ] = None,
    date_of_information: Annotated[date | None, Form(description="default: today")] = None,
    mapping: ChosenMapping = None,
    crs: Crs = None,
    dry_run: DryRun = False,
    keep_going: KeepGoing = False,
) -> Any:
    """GeoJSON, GeoPackage, zipped Shapefile or CSV (WKT, longitude/latitude or x/y
    columns): one draft per feature, idempotent on ``id_column``. Columns named like the
    fields map onto them unless ``mapping`` chooses others. 422 lists every rejected feature
    (file, feature, field, reason) when nothing was written."""
    name = safe_name(file.filename)
    upload_suffix(name, GEODATA_SUFFIXES)
    with saved_upload(file, name, _limit(ctx)) as path:
        chosen = _chosen(path, kind, layer, id_column, mapping, crs)
        try:
            report = import_file(
                wf,
                path,
                chosen,
                layer=chosen.layer,
                date_of_information=date_of_information,
                state=ReportState.DRAFT,
                keep_going=keep_going,
                dry_run=dry_run,
                max_features=ctx.settings.max_upload_features,
            )
        except ImportRefused as refused:
            locale = request_locale(request)
            answer = relabel(refused.report.as_dict(locale), path.parent)
            said = error_message(refused, locale)
            return problem(422, relabel(said, path.parent), **answer)
        return relabel(report.as_dict(request_locale(request)), path.parent)


@router.post(
    "/intake/geodata/preview",
    summary="Preview a geodata upload: columns, mapping, first rows, every rejection",
    responses=UPLOAD,
)
def preview_geodata(
    request: Request,
    file: Upload,
    wf: Workflow,
    ctx: Context,
    kind: Annotated[Kind, Form(description="the kind of record each feature is")],
    layer: Annotated[str | None, Form(max_length=200)] = None,
    id_column: Annotated[str | None, Form(max_length=200)] = None,
    date_of_information: Annotated[date | None, Form(description="default: today")] = None,
    mapping: ChosenMapping = None,
    crs: Crs = None,
) -> Any:
    """A dry run that writes nothing: the file's columns, layers and CRS, the mapping used
    (proposed from the column names unless ``mapping`` is given), the first rows in WGS84 as
    GeoJSON (``sample``) and every rejected row (file, row, field, reason)."""
    name = safe_name(file.filename)
    upload_suffix(name, GEODATA_SUFFIXES)
    with saved_upload(file, name, _limit(ctx)) as path:
        chosen = _chosen(path, kind, layer, id_column, mapping, crs)
        preview = preview_file(
            wf,
            path,
            chosen,
            date_of_information=date_of_information,
            max_features=ctx.settings.max_upload_features,
        )
        return relabel(preview.as_dict(request_locale(request)), path.parent)


@router.get("/publish", summary="What is published: the HXL CSVs and the data package")
def published() -> dict[str, Any]:
    return {
        "hxl": [
            {"kind": k.value, "href": f"/api/publish/{k.value}.hxl.csv"} for k in PUBLISHED_KINDS
        ],
        "package": "/api/publish/package.zip",
    }


def _download(write: Callable[[Path], Path], media_type: str) -> FileResponse:
    """The file ``write`` makes in a temporary folder, which is removed once the response
    has been sent (or at once if writing fails)."""
    holder = tempfile.TemporaryDirectory(prefix="minewatch-publish-")
    try:
        path = write(Path(holder.name))
    except BaseException:
        holder.cleanup()
        raise
    cleanup = BackgroundTask(holder.cleanup)
    return FileResponse(path, media_type=media_type, filename=path.name, background=cleanup)


@router.get(
    "/publish/{kind}.hxl.csv",
    summary="HXL-tagged CSV of one published kind (approved data, no personal data)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **problems(404)},
)
def hxl_csv(kind: Kind, ctx: Context) -> Response:
    return _download(lambda folder: publish_hxl(ctx.store, folder, [kind]).files[0], "text/csv")


@router.get(
    "/publish/package.zip",
    summary="The public data package: GeoPackage, HXL CSVs, README, datapackage.json",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}},
)
def package_zip(ctx: Context) -> Response:
    return _download(
        lambda folder: publish_package_zip(ctx.store, folder / "minewatch_public.zip").files[0],
        "application/zip",
    )
