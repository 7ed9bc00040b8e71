"""Article 7 reports and country profiles over HTTP. The report of a state for a calendar year, filled from the
store, as a Word document, a workbook or a PDF (:mod:`minewatch.services.article7`, drawn by
:mod:`minewatch.charts.article7`, the same as ``minewatch treaty report``).

The country profile (:mod:`minewatch.services.country_profile`) as HTML, PDF or JSON.

Casualty figures are in either only for signed-in staff; anyone else gets the same document
saying they are not shown.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from minewatch.api.deps import National, Workflow
from minewatch.api.errors import problems
from minewatch.api.language import request_locale
from minewatch.api.params import Day
from minewatch.api.routes_treaty import Treaties
from minewatch.charts.article7 import MEDIA_TYPES, report_bytes
from minewatch.charts.country_profile import profile_html, profile_pdf
from minewatch.services.article7 import article7_report
from minewatch.services.country_profile import country_profile

router = APIRouter(prefix="/api/treaty", tags=["treaty monitor"])


class DocumentFormat(StrEnum):
    DOCX = "docx"
    XLSX = "xlsx"
    PDF = "pdf"


class Convention(StrEnum):
    APMBC = "apmbc"
    CCM = "ccm"


_FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}}
            for media in MEDIA_TYPES.values()
        }
    }
}


@router.get(
    "/report/{state}/{year}.{fmt}",
    summary="The Article 7 report of a state for a calendar year (DOCX, XLSX or PDF)",
    response_class=Response,
    responses=_FILE | problems(404),
)
def article7(
    request: Request,
    state: Annotated[str, Path(description="State name, alias or ISO3 code, e.g. UKR")],
    year: Annotated[int, Path(ge=1900, le=2999, description="The calendar year reported")],
    fmt: DocumentFormat,
    wf: Workflow,
    monitor: Treaties,
    national: National,
    instrument: Annotated[Convention, Query(description="apmbc or ccm")] = Convention.APMBC,
    lang: Annotated[
        str | None,
        Query(
            description="Language of the document (default: the account's, else "
            "Accept-Language); figures and codes are the same in every language"
        ),
    ] = None,
) -> Response:
    """The Convention's Forms A to J filled from the approved records, forms the records
    cannot fill marked for the national authority, and an annex listing the records behind
    every figure, in the request's language."""
    locale = request_locale(request, lang)
    report = article7_report(
        wf, monitor, state, year, instrument=instrument.value, config=national.national,
        locale=locale,
    )  # fmt: skip
    name = f"article7-{report.instrument}-{report.iso3 or 'state'}-{report.year}.{fmt.value}"
    return Response(
        report_bytes(report, fmt.value, locale),
        media_type=MEDIA_TYPES[fmt.value],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Language": locale,
        },
    )


_PROFILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {media: {} for media in ("text/html", "application/pdf", "application/json")}}
}


class ProfileFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"
    JSON = "json"


@router.get(
    "/profile/{state}.{fmt}",
    summary="A state's country profile: treaty status, deadlines, contamination, casualties",
    response_class=Response,
    responses=_PROFILE | problems(404),
)
def profile(
    request: Request,
    state: Annotated[str, Path(description="State name, alias or ISO3 code, e.g. UKR")],
    fmt: ProfileFormat,
    wf: Workflow,
    monitor: Treaties,
    national: National,
    on: Annotated[
        Day | None,
        Query(alias="date", description="The date asked about, YYYY-MM-DD (default: today)"),
    ] = None,
    lang: Annotated[
        str | None,
        Query(description="Language of the page (default: the account's, else Accept-Language)"),
    ] = None,
) -> Response:
    """One page per state: treaty status and obligations with their deadlines and the treaty
    data's "status as at" (later dates are projections), groupings, national policy where a
    record exists, and from the programme's records contamination and land release, casualties
    (signed-in staff only) and risk education."""
    locale = request_locale(request, lang)
    document = country_profile(wf, monitor, state, on=on, config=national.national, locale=locale)
    headers = {"Content-Language": locale}
    if fmt is ProfileFormat.PDF:
        name = f"profile-{document['iso3'] or 'state'}.pdf"
        return Response(
            profile_pdf(document, locale),
            media_type="application/pdf",
            headers=headers | {"Content-Disposition": f'attachment; filename="{name}"'},
        )
    if fmt is ProfileFormat.JSON:
        return Response(json.dumps(document, default=str), media_type="application/json")
    return Response(
        profile_html(document, locale), media_type="text/html; charset=utf-8", headers=headers
    )
