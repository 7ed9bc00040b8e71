"""Article 7 reports over HTTP: the report of a state for a calendar year, filled from the
store, as a Word document, a workbook or a PDF (:mod:`minewatch.services.article7`, drawn by
:mod:`minewatch.charts.article7`, the same as ``minewatch treaty report``).

Casualty figures are in the report only for signed-in staff; anyone else gets the same report
with Form J (CCM: Form H) saying they are not shown.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from minewatch.api.deps import National, Workflow
from minewatch.api.errors import problems
from minewatch.api.routes_treaty import Treaties
from minewatch.charts.article7 import MEDIA_TYPES, report_bytes
from minewatch.services.article7 import article7_report

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
    state: Annotated[str, Path(description="State name, alias or ISO3 code, e.g. UKR")],
    year: Annotated[int, Path(ge=1900, le=2999, description="The calendar year reported")],
    fmt: DocumentFormat,
    wf: Workflow,
    monitor: Treaties,
    national: National,
    instrument: Annotated[Convention, Query(description="apmbc or ccm")] = Convention.APMBC,
) -> Response:
    """The Convention's Forms A to J filled from the approved records, forms the records
    cannot fill marked for the national authority, and an annex listing the records behind
    every figure."""
    report = article7_report(
        wf, monitor, state, year, instrument=instrument.value, config=national.national
    )
    name = f"article7-{report.instrument}-{report.iso3 or 'state'}-{report.year}.{fmt.value}"
    return Response(
        report_bytes(report, fmt.value),
        media_type=MEDIA_TYPES[fmt.value],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
