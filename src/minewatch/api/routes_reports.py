"""Reports: the workflow over HTTP. Create a draft, edit it (``If-Match`` its version, 412
when stale), submit, approve, reject with a reason, reopen; list with filters and paging.

The report's version is its ETag, so a client that edits a draft someone else changed in
the meantime gets 412 Precondition Failed instead of silently overwriting their work.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import BaseModel, Field

from minewatch.api.deps import Workflow
from minewatch.api.errors import HttpProblem, Problem, problems
from minewatch.api.geojson import geometry_plain, geometry_summary, parse_geometry
from minewatch.domain.queries import ReportQuery
from minewatch.domain.records import Kind
from minewatch.domain.reports import Report, ReportState
from minewatch.domain.schema import to_plain

#: Reports are never public: every route needs a caller who may see or change them.
router = APIRouter(prefix="/api/reports", tags=["reports"], responses=problems(401, 403))

#: A report's code in a path, e.g. RPT-000001.
ReportCode = Annotated[str, Path(examples=["RPT-000001"], description="the report's code or id")]


class ReportIn(BaseModel):
    """A new draft: the item's kind, the date its information describes, the field values it
    sets and, for kinds with a place, a GeoJSON geometry (WGS84 longitude/latitude)."""

    kind: Kind
    date_of_information: date
    changes: dict[str, Any] = Field(default_factory=dict)
    geometry: dict[str, Any] | None = None
    item: str | None = Field(None, description="code or id of the item this report updates")
    organisation_code: str | None = None
    source: str | None = None
    external_id: str | None = None


class ReportEdit(BaseModel):
    """A draft's new content; it replaces the old content whole."""

    changes: dict[str, Any] = Field(default_factory=dict)
    geometry: dict[str, Any] | None = None
    date_of_information: date | None = None


class Rejection(BaseModel):
    reason: str = Field(min_length=1, description="what the author must correct")


def report_json(report: Report, *, full_geometry: bool = True) -> dict[str, Any]:
    """A report as plain JSON: its geometry as GeoJSON, or for lists (``full_geometry``
    false) as a ``geometry_summary`` without vertices."""
    shape: dict[str, Any] = (
        {"geometry": geometry_plain(report.geometry)}
        if full_geometry
        else {"geometry_summary": geometry_summary(report.geometry)}
    )
    return {
        "id": str(report.id),
        "code": report.code,
        "kind": report.kind.value,
        "item_id": str(report.item_id),
        "item_code": report.item_code,
        "action": report.action.value,
        "date_of_information": report.date_of_information.isoformat(),
        "state": report.state.value,
        "version": report.version,
        "organisation_code": report.organisation_code,
        "created_by": report.created_by,
        "created_at": to_plain(report.created_at),
        "submitted_at": to_plain(report.submitted_at),
        "decided_by": report.decided_by,
        "decided_at": to_plain(report.decided_at),
        "decision_reason": report.decision_reason,
        "source": report.source,
        "external_id": report.external_id,
        "notes": list(report.notes),
        "changes": to_plain(dict(report.changes)),
        **shape,
    }


#: A workflow step: no such report, or one the workflow cannot move that way (409).
TRANSITION = problems(404, 409)


def _answer(response: Response, report: Report) -> dict[str, Any]:
    response.headers["ETag"] = f'"{report.version}"'
    return report_json(report)


def _version(if_match: str) -> int:
    tag = if_match.strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise HttpProblem(
            412, "If-Match {value!r} is not a version this server issued", value=if_match
        )
    return int(tag)


@router.post("", status_code=201, summary="Create a draft report", responses=problems(404, 409))
def create(body: ReportIn, wf: Workflow, response: Response, request: Request) -> dict[str, Any]:
    report = wf.create_draft(
        body.kind,
        body.changes,
        parse_geometry(body.geometry, max_vertices=wf.rules.max_vertices),
        date_of_information=body.date_of_information,
        item_ref=body.item,
        organisation_code=body.organisation_code,
        source=body.source,
        external_id=body.external_id,
    )
    response.headers["Location"] = str(request.url_for("get_report", code=report.code))
    return _answer(response, report)


@router.get("", summary="List reports the caller may see, newest first")
def list_reports(
    wf: Workflow,
    request: Request,
    state: ReportState | None = None,
    kind: Kind | None = None,
    organisation_code: str | None = None,
    created_by: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> dict[str, Any]:
    query = ReportQuery(
        state=state,
        kind=kind,
        organisation_code=organisation_code,
        created_by=created_by,
        limit=limit + 1,  # one more than asked tells whether there is a next page
        offset=offset,
    )
    reports = wf.list_reports(query)
    links = [{"rel": "self", "href": str(request.url)}]
    if len(reports) > limit:
        nxt = request.url.include_query_params(offset=offset + limit, limit=limit)
        links.append({"rel": "next", "href": str(nxt)})
    if offset:
        prev = request.url.include_query_params(offset=max(0, offset - limit), limit=limit)
        links.append({"rel": "prev", "href": str(prev)})
    shown = reports[:limit]
    return {
        # The queue shows many reports: their outlines stay on the single-report route.
        "reports": [report_json(r, full_geometry=False) for r in shown],
        "numberReturned": len(shown),
        "links": links,
    }


@router.get("/{code}", name="get_report", summary="One report", responses=problems(404))
def get_report(code: ReportCode, wf: Workflow, response: Response) -> dict[str, Any]:
    return _answer(response, wf.read_report(code))


@router.put(
    "/{code}",
    summary="Replace a draft's content",
    responses=problems(404, 409, 428)
    | {412: {"model": Problem, "description": "the draft changed since the If-Match version"}},
)
def edit(
    code: ReportCode,
    body: ReportEdit,
    wf: Workflow,
    response: Response,
    if_match: Annotated[str | None, Header(description="the version (ETag) you edited")] = None,
) -> dict[str, Any]:
    if if_match is None:
        raise HttpProblem(428, "send If-Match with the version (ETag) of the draft you edited")
    # The version is compared where the draft is written, in the same transaction and the
    # UPDATE's own condition; a stale version found there is 412 too (api.errors).
    report = wf.edit_draft(
        code,
        body.changes,
        parse_geometry(body.geometry, max_vertices=wf.rules.max_vertices),
        expected_version=_version(if_match),
        date_of_information=body.date_of_information,
    )
    return _answer(response, report)


@router.post("/{code}/submit", summary="Submit a draft for review", responses=TRANSITION)
def submit(code: ReportCode, wf: Workflow, response: Response) -> dict[str, Any]:
    return _answer(response, wf.submit(code))


@router.post(
    "/{code}/approve",
    summary="Approve a submitted report (not your own)",
    responses=TRANSITION,
)
def approve(code: ReportCode, wf: Workflow, response: Response) -> dict[str, Any]:
    return _answer(response, wf.approve(code))


@router.post(
    "/{code}/reject", summary="Reject a submitted report, saying why", responses=TRANSITION
)
def reject(code: ReportCode, body: Rejection, wf: Workflow, response: Response) -> dict[str, Any]:
    return _answer(response, wf.reject(code, body.reason))


@router.post("/{code}/reopen", summary="Return a rejected report to draft", responses=TRANSITION)
def reopen(code: ReportCode, wf: Workflow, response: Response) -> dict[str, Any]:
    return _answer(response, wf.reopen(code))
