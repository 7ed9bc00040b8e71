"""What the web UI needs beyond the REST API: its configuration (the optional basemap tile
URL), the bundled offline basemap, map layers "as known on a date" and dashboard figures.

Every figure comes from :mod:`minewatch.services.dashboard`, which applies the same
disclosure rules as the rest of the API (casualties need a signed-in staff member).
"""

from __future__ import annotations

import os
from datetime import date
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from minewatch.api.deps import Context, Workflow
from minewatch.api.errors import HttpProblem, problems
from minewatch.api.geojson import GEOJSON, feature_collection
from minewatch.api.params import BBOX_PATTERN, Day, parse_bbox
from minewatch.domain.records import Kind
from minewatch.domain.treaty import Instrument
from minewatch.services import dashboard

router = APIRouter(prefix="/api/web", tags=["web UI"])

#: Reads of the store as the caller: a bad token, a kind they may not see (or none such).
STAFF = problems(401, 403, 404)

#: Environment variable that overrides the ``basemap_tile_url`` server setting.
TILE_URL_ENV = "MINEWATCH_TILE_URL"


@router.get("/config", summary="Settings the web UI reads at start-up")
def config(ctx: Context) -> dict[str, Any]:
    """The basemap: the bundled offline countries unless a tile URL is configured (the
    ``MINEWATCH_TILE_URL`` environment variable wins over the server setting)."""
    tiles = os.environ.get(TILE_URL_ENV) or ctx.settings.basemap_tile_url
    return {
        "title": ctx.settings.title,
        "basemap": {
            "tile_url": tiles or None,
            "attribution": ctx.settings.basemap_attribution if tiles else "Natural Earth",
            "countries": "/api/web/basemap.geojson",
        },
        "layers": [k.value for k in dashboard.kinds_on_map()],
    }


@router.get(
    "/basemap.geojson",
    summary="The bundled low-detail world basemap (Natural Earth 1:110m, public domain)",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}}}},
)
def basemap() -> Response:
    item = resources.files("minewatch.data") / "world" / "countries_110m.geojson"
    return Response(
        item.read_bytes(), media_type=GEOJSON, headers={"Cache-Control": "public, max-age=86400"}
    )


@router.get(
    "/layers/{kind}",
    summary="A map layer as known on a date (GeoJSON)",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}}}, **problems(400), **STAFF},
)
def layer_as_of(
    kind: Kind,
    wf: Workflow,
    on: Annotated[Day, Query(alias="date", description="Date of Information up to this day")],
    bbox: Annotated[
        str | None, Query(pattern=BBOX_PATTERN, description="minlon,minlat,maxlon,maxlat")
    ] = None,
) -> Response:
    records = dashboard.layer_as_of(wf, kind, on, parse_bbox(bbox) if bbox else None)
    meta = {"numberReturned": len(records), "date": on.isoformat()}
    return Response(feature_collection(records, meta), media_type=GEOJSON)


@router.get(
    "/release-progress",
    summary="Each hazardous area's release progress, by code (the map's colours)",
    responses={**problems(400)},
)
def release_progress(
    wf: Workflow,
    on: Annotated[
        Day | None, Query(alias="date", description="as released by this day (default: today)")
    ] = None,
) -> dict[str, Any]:
    """``released``, ``partly_released`` or ``not_released`` for each area, from the land
    release accounting: the numbers of the dashboard and the land release page."""
    return {
        "date": on.isoformat() if on else None,
        "progress": dashboard.release_progress_by_area(wf, on),
    }


@router.get(
    "/dashboard/land-release",
    summary="Hazardous areas and land released by year",
    responses=STAFF,
)
def land_release(wf: Workflow) -> dict[str, Any]:
    return dashboard.land_release(wf)


@router.get(
    "/dashboard/casualties",
    summary="Casualties by year, sex, age and type (staff)",
    responses=STAFF,
)
def casualties(wf: Workflow) -> dict[str, Any]:
    return dashboard.casualties(wf)


@router.get("/dashboard/treaty/timeline", summary="States parties over time")
def treaty_timeline(
    step_days: Annotated[int, Query(ge=1, le=366)] = 30,
) -> dict[str, Any]:
    return dashboard.treaty_timeline(step_days)


@router.get(
    "/dashboard/treaty/status",
    summary="Every state's treaty status on a date",
    responses=problems(400),
)
def treaty_status(
    instrument: Instrument = Instrument.APMBC,
    on: Annotated[Day | None, Query(alias="date")] = None,
) -> dict[str, Any]:
    day = on or date.today()
    if day < date(1900, 1, 1):
        raise HttpProblem(400, "date is before any treaty")
    return dashboard.treaty_status(instrument.value, day)


@router.get("/dashboard/residual", summary="Residual-hazard decay curves of a strike")
def residual(
    mines: Annotated[int, Query(ge=1, le=10_000_000, description="mines in the strike")],
    sd_failure: Annotated[str, Query(max_length=100, description="e.g. beta:2,38")],
    sd_timing: Annotated[str, Query(max_length=100, description="e.g. uniform:4h,40h")],
    sda_failure: Annotated[str | None, Query(max_length=100)] = None,
    sda_timing: Annotated[str | None, Query(max_length=100)] = None,
    days: Annotated[float | None, Query(gt=0, le=36_500)] = None,
) -> dict[str, Any]:
    """Expected live mines and P(at least one live) over time with credible intervals
    (the model of docs/residual-hazard.md; specs as in ``minewatch residual``)."""
    return dashboard.residual_curve(
        mines,
        sd_failure=sd_failure,
        sd_timing=sd_timing,
        sda_failure=sda_failure or None,
        sda_timing=sda_timing or None,
        days=days,
    )
