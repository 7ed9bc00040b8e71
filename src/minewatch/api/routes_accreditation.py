"""Accreditation: who is accredited for which methods and until when, and the approved work
done outside a valid accreditation (for quality management), as JSON and CSV. Accreditations
are created, suspended and withdrawn through reports like every record (``/api/reports``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from annotated_types import Interval
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from minewatch.api.deps import Workflow
from minewatch.api.language import request_locale
from minewatch.services import accreditation

router = APIRouter(prefix="/api", tags=["accreditation"])

OrganisationQuery = Annotated[
    str | None, Query(description="Only this organisation's (its code).", max_length=64)
]
OnQuery = Annotated[date | None, Query(description="In force on this day (default today).")]
YearQuery = Annotated[
    list[Annotated[int, Interval(ge=1900, le=2200)]] | None,
    Query(description="Only work of these years (repeat: ?year=2023&year=2024)."),
]


def _csv(text: str, name: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/accreditations", summary="Accreditations of organisations")
def accreditations(
    wf: Workflow, organisation: OrganisationQuery = None, on: OnQuery = None
) -> list[dict[str, Any]]:
    """Approved accreditations: methods, asset types, validity, status, certificate and
    issuing authority, and whether each is in force on the day asked."""
    return accreditation.accreditation_table(wf, organisation, on)


@router.get("/accreditations.csv", summary="Accreditations as CSV", response_class=Response)
def accreditations_csv(
    wf: Workflow, organisation: OrganisationQuery = None, on: OnQuery = None
) -> Response:
    rows = accreditation.accreditation_table(wf, organisation, on)
    return _csv(accreditation.rows_csv(rows, accreditation.TABLE_KEYS), "accreditations.csv")


@router.get("/qm/accreditation", summary="Work outside a valid accreditation")
def unaccredited(request: Request, wf: Workflow, year: YearQuery = None) -> list[dict[str, Any]]:
    """Approved activities and release products whose organisation held no accreditation
    in force for their method on their date, with what was missing in the request's language
    (``?lang``, the account's, ``Accept-Language``)."""
    return accreditation.unaccredited_work(wf, year, request_locale(request))


@router.get(
    "/qm/accreditation.csv",
    summary="Work outside a valid accreditation, as CSV",
    response_class=Response,
)
def unaccredited_csv(wf: Workflow, year: YearQuery = None) -> Response:
    rows = accreditation.unaccredited_work(wf, year)
    return _csv(accreditation.rows_csv(rows, accreditation.FLAGGED_KEYS), "unaccredited-work.csv")
