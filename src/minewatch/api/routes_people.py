"""Figures about people, as JSON and as CSV: the yearly casualty table by the Landmine
Monitor's definitions (victims are a kind about people, so it needs a signed-in staff
member; the public gets 404, as for the victims collection) and risk education
beneficiaries by the sector's standard (counts of a published kind: anyone). Only counts
leave the server.
"""

from __future__ import annotations

from typing import Annotated, Any

from annotated_types import Interval
from fastapi import APIRouter, Query
from fastapi.responses import Response

from minewatch.api.deps import Workflow
from minewatch.api.errors import problems
from minewatch.services import assistance, beneficiaries, casualties

router = APIRouter(prefix="/api", tags=["casualties and beneficiaries"])

STAFF = problems(401, 403, 404)

YearQuery = Annotated[
    list[Annotated[int, Interval(ge=1900, le=2200)]] | None,
    Query(description="Only these years (repeat: ?year=2022&year=2023)."),
]


@router.get(
    "/casualties",
    summary="Casualties per year by the Landmine Monitor's definitions (staff)",
    responses=STAFF,
)
def casualty_table(wf: Workflow, year: YearQuery = None) -> dict[str, Any]:
    """Killed, injured and unknown per year: the recorded total, the Monitor's mine/ERW
    total (all but command-detonated IEDs), and by category, sex, age group, device type and
    disability; the shares "where known"; the sources of the definitions."""
    return casualties.casualty_table(wf, year)


@router.get(
    "/casualties.csv",
    summary="The casualty table as CSV (staff)",
    responses=STAFF,
    response_class=Response,
)
def casualty_csv(wf: Workflow, year: YearQuery = None) -> Response:
    text = casualties.casualty_csv(casualties.casualty_table(wf, year))
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="casualties.csv"'},
    )


@router.get("/beneficiaries", summary="Risk education beneficiaries per year (SADDD)")
def beneficiary_table(wf: Workflow, year: YearQuery = None) -> dict[str, Any]:
    """Direct and indirect beneficiaries per year by sex, age and disability; people whose
    disability was not recorded are counted apart, never as without one."""
    return beneficiaries.beneficiary_table(wf, year)


@router.get(
    "/beneficiaries.csv",
    summary="Risk education beneficiaries as CSV",
    response_class=Response,
)
def beneficiary_csv(wf: Workflow, year: YearQuery = None) -> Response:
    text = beneficiaries.beneficiary_csv(beneficiaries.beneficiary_table(wf, year))
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="beneficiaries.csv"'},
    )


@router.get(
    "/assistance/coverage",
    summary="Victim assistance coverage per year by sex, age and disability (staff)",
    responses=STAFF,
)
def assistance_coverage(wf: Workflow, year: YearQuery = None) -> dict[str, Any]:
    """Survivors who needed, were referred to and received each kind of assistance per
    year (direct), by sex, age group and disability, unknown kept apart; and the household
    members of those who received assistance (indirect). Counts only."""
    return assistance.coverage_table(wf, year)


@router.get(
    "/assistance/coverage.csv",
    summary="Victim assistance coverage as CSV (staff)",
    responses=STAFF,
    response_class=Response,
)
def assistance_coverage_csv(wf: Workflow, year: YearQuery = None) -> Response:
    text = assistance.coverage_csv(assistance.coverage_table(wf, year))
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="assistance-coverage.csv"'},
    )
