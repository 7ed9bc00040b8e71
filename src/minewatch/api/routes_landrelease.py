"""Land release accounting over HTTP: the balance of each hazardous area, the report by
year, organisation, region and method (JSON and CSV), the data-quality issues, and each
released area's release statement (HTML and PDF).

Everything is computed from the approved polygons by :mod:`minewatch.services.landrelease`,
the same functions ``minewatch release`` calls. The store holds only approved items and
hazardous areas and release products are published kinds, so every caller sees the same
figures; the kinds are still checked through :mod:`minewatch.services.disclosure`, so
that these routes follow any rule that later hides them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from minewatch.api.deps import National, Workflow
from minewatch.api.errors import problems
from minewatch.api.language import request_locale
from minewatch.api.params import Day, page_links
from minewatch.charts.release_statement import statement_document
from minewatch.domain.records import Kind
from minewatch.services import disclosure
from minewatch.services import landrelease as service

#: Staff only: every route reads the store as the caller.
router = APIRouter(prefix="/api/landrelease", tags=["land release"], responses=problems(401, 403))

#: Several codes, the parameter repeated; declared without ``| None`` so the document says
#: what the wire carries (a single value is a list of one).
Codes = Annotated[list[str], Query(max_length=200, default_factory=list)]
CSV = "text/csv; charset=utf-8"


class DateStyle(StrEnum):
    """How a document writes dates: as its language does (1 mai 2024), or ISO 8601."""

    LONG = "long"
    ISO = "iso"


def release_store(wf: Workflow) -> service.Repository:
    """The store, once the caller may see hazardous areas and release products."""
    for kind in (Kind.HAZARDOUS_AREA, Kind.RELEASE_PRODUCT):
        disclosure.check_kind_visible(wf.actor, kind)
    return wf.store


def release_filter(
    area: Annotated[Codes, Query(description="hazardous area code; repeat for more")],
    location: Annotated[
        Codes, Query(description="location code (and everything below it); repeat")
    ],
    organisation: Annotated[
        Codes, Query(description="organisation responsible for the area; repeat")
    ],
    start: Annotated[Day | None, Query(description="period start (release date)")] = None,
    end: Annotated[Day | None, Query(description="period end, inclusive")] = None,
) -> service.ReleaseFilter:
    return service.ReleaseFilter(
        hazardous_areas=area or None,
        locations=location or None,
        organisations=organisation or None,
        start=start,
        end=end,
    )


Store = Annotated[service.Repository, Depends(release_store)]
Filter = Annotated[service.ReleaseFilter, Depends(release_filter)]
RegionLevel = Annotated[
    str, Query(pattern=r"^[a-z0-9_]{1,20}$", description="gazetteer level counted as region")
]


@router.get("/areas", summary="Land release balance of each hazardous area, with flags")
def areas(
    request: Request,
    store: Store,
    where: Filter,
    national: National,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict[str, Any]:
    """original = cancelled + reduced + cleared + remaining for each area, in m² (with a
    period: original = released before + cancelled + reduced + cleared + undated +
    remaining); ``flags`` lists the area's and its products' data-quality issues;
    ``totals`` covers every matched area."""
    page = service.area_balances(store, where, offset=offset, limit=limit, config=national.national)
    return {
        "columns": page.columns,
        "areas": page.rows,
        "totals": page.totals,
        "numberMatched": page.matched,
        "numberReturned": len(page.rows),
        "links": page_links(
            request.url, offset, limit, len(page.rows), page.matched, "application/json"
        ),
    }


@router.get("/issues", summary="Data-quality issues of the accounting")
def issues(store: Store, where: Filter, national: National) -> dict[str, Any]:
    """Clipped products, typed-in areas off the geometry, overlaps, undated products …"""
    table = service.issues_table(store, where, config=national.national)
    return {"issues": service.json_records(table)}


@router.get("/report", summary="Land released by year, organisation, region and method")
def report(
    store: Store, where: Filter, national: National, region_level: RegionLevel = "adm1"
) -> dict[str, Any]:
    """The JSON document of ``minewatch release report``: the accounting's totals, every
    table (their sums equal the totals) and the issue counts."""
    return service.report_json(store, where, region_level=region_level, config=national.national)


@router.get(
    "/report/{table}.csv",
    summary="One land release report table as CSV (with a total row)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def report_csv(
    table: Annotated[str, Path(json_schema_extra={"enum": list(service.REPORT_TABLE_NAMES)})],
    store: Store,
    where: Filter,
    national: National,
    region_level: RegionLevel = "adm1",
) -> Response:
    text = service.report_csv(
        store, table, where, region_level=region_level, config=national.national
    )
    headers = {"Content-Disposition": f'attachment; filename="land-release-{table}.csv"'}
    return Response(text, media_type=CSV, headers=headers)


class StatementFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"


MEDIA = {StatementFormat.HTML: "text/html; charset=utf-8", StatementFormat.PDF: "application/pdf"}
Searched = Annotated[
    float | None, Query(gt=0, le=1, description="residual risk: fraction of the area searched")
]
Detection = Annotated[
    float | None, Query(gt=0, le=1, description="residual risk: probability of detection")
]
Confidence = Annotated[float, Query(gt=0, lt=1, description="residual risk: confidence")]


@router.get(
    "/statements/{code}.{fmt}",
    summary="Release statement of a released area (HTML page or PDF certificate)",
    response_class=Response,
    responses={200: {"content": {"text/html": {}, "application/pdf": {}}}, **problems(404)},
)
def statement(
    request: Request,
    code: str,
    fmt: StatementFormat,
    store: Store,
    national: National,
    searched_fraction: Searched = None,
    detection_probability: Detection = None,
    confidence: Confidence = 0.95,
    lang: Annotated[
        str | None,
        Query(max_length=35, description="language; default: the account's, else the browser's"),
    ] = None,
    dates: Annotated[
        DateStyle, Query(description="dates as the language writes them, or ISO 8601")
    ] = DateStyle.LONG,
) -> Response:
    """``…/HA-000004.html`` or ``….pdf``. With ``searched_fraction`` and
    ``detection_probability`` the residual risk is the Poisson zero-find bound; otherwise the
    area's own ``residual_risk`` field, if any. 404 unless the area has land released. In the
    request's language (``lang``, the account's, ``Accept-Language``, the national default)."""
    risk = service.risk_from_search(searched_fraction, detection_probability, confidence)
    found = service.release_statement(store, code, residual_risk=risk, config=national.national)
    disposition = "inline" if fmt is StatementFormat.HTML else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="release-statement-{code}.{fmt}"'}
    locale = request_locale(request, lang)
    headers["Content-Language"] = locale
    headers["Vary"] = "Accept-Language, Cookie"
    document = statement_document(found, fmt.value, locale, dates.value)
    return Response(document, media_type=MEDIA[fmt], headers=headers)
