"""The review screen's one request: everything a reviewer needs to decide on a report
(:func:`minewatch.services.review_view.review_document`) as JSON: the report, its fields
beside the current and resulting values, both geometries as GeoJSON with a summary of each,
recorded findings and repairs, overlaps, the names of the items it refers to and the
item's reports. Personal values are blanked and marked ``withheld`` without the grant.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter

from minewatch.api.deps import Workflow
from minewatch.api.errors import problems
from minewatch.api.geojson import geometry_plain, geometry_summary
from minewatch.api.routes_reports import ReportCode, report_json
from minewatch.services.review_view import review_document

router = APIRouter(prefix="/api/reports", tags=["reports"], responses=problems(401, 403))


def _note(note: Any) -> dict[str, Any]:
    return {**asdict(note), "area_change_m2": note.area_change_m2}


@router.get(
    "/{code}/review",
    name="review_report",
    summary="Everything needed to decide on one report",
    responses=problems(404),
)
def review(code: ReportCode, wf: Workflow) -> dict[str, Any]:
    doc = review_document(wf, code)
    report = report_json(doc.report, full_geometry=False)
    report.pop("id")  # the screen names reports and items by code, never by UUID
    report.pop("item_id")
    return {
        "report": report,
        "fields": [asdict(f) for f in doc.fields],
        "geometry": {
            "proposed": geometry_plain(doc.proposed),
            "current": geometry_plain(doc.current),
            "proposed_summary": geometry_summary(doc.proposed),
            "current_summary": geometry_summary(doc.current),
        },
        "notes": [_note(n) for n in doc.notes],
        "overlaps": [_note(n) for n in doc.overlaps],
        "history": [
            {
                k: v
                for k, v in report_json(r, full_geometry=False).items()
                if k not in ("id", "item_id", "changes", "geometry_summary")
            }
            for r in doc.history
        ],
        "names": doc.names,
        "newer_information": doc.newer_information.isoformat() if doc.newer_information else None,
        "may_decide": doc.may_decide,
    }
