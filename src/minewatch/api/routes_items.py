"""Items: the approved current state of every kind, as GeoJSON, with filters and paging;
one item with its version as ETag; its history; its state as known on a date.

Victims (and any kind holding personal data) are listed to signed-in staff only, with
personal fields blanked unless the caller holds the personal-data grant.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import Response

from minewatch.api.deps import Workflow
from minewatch.api.errors import HttpProblem, problems
from minewatch.api.geojson import GEOJSON, feature, feature_collection, geometry_plain
from minewatch.api.params import Day, page_links, parse_bbox
from minewatch.api.routes_reports import report_json
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import Kind, record_type
from minewatch.domain.schema import field_specs, record_to_plain
from minewatch.services import disclosure

router = APIRouter(prefix="/api", tags=["items"])

#: A read of items: a bad token (401), a kind the caller may not read (403), none such (404).
LOOKUP = problems(401, 403, 404)

#: An item's code (or id) in a path, e.g. HA-000001.
ItemRef = Annotated[str, Path(examples=["HA-000001"], description="the item's code or id")]


def _where(filters: list[str]) -> dict[str, object]:
    where: dict[str, list[str]] = {}
    for f in filters:
        name, sep, value = f.partition(":")
        if not sep or not name:
            raise HttpProblem(400, "filter {text!r} is not field:value", text=f)
        where.setdefault(name, []).append(value)
    return dict(where)


def _near(text: str) -> tuple[float, float, float]:
    try:
        lon, lat, metres = (float(v) for v in text.split(","))
    except ValueError:
        raise HttpProblem(400, "near is lon,lat,metres") from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90 and 0 <= metres <= 1e7):
        raise HttpProblem(400, "near needs -180≤lon≤180, -90≤lat≤90 and 0≤metres≤10,000 km")
    return lon, lat, metres


@router.get("/kinds", summary="Every kind of item and its fields")
def kinds() -> list[dict[str, Any]]:
    """What forms need: each kind's fields, their storage, allowed values and whether they
    are personal data."""
    return [
        {
            "kind": k.value,
            "code_prefix": record_type(k).code_prefix,
            "geometry_type": record_type(k).geometry_type,
            "fields": [
                {
                    "name": s.name,
                    "storage": s.storage,
                    "many": s.many,
                    "personal": disclosure.is_personal(k, s.name),
                    "values": [m.value for m in s.enum] if s.enum else None,
                }
                for s in field_specs(k).values()
            ],
        }
        for k in Kind
    ]


@router.get(
    "/items/{kind}",
    summary="Items of one kind, as a GeoJSON FeatureCollection",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}}}, **problems(400), **LOOKUP},
)
def list_items(
    kind: Kind,
    wf: Workflow,
    request: Request,
    bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat")] = None,
    near: Annotated[str | None, Query(description="lon,lat,metres")] = None,
    date_from: Day | None = None,
    date_to: Day | None = None,
    where: Annotated[list[str], Query(description="field:value, repeatable")] = [],  # noqa: B006
    code: Annotated[list[str], Query(description="only these codes, repeatable")] = [],  # noqa: B006
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> Response:
    query = ItemQuery(
        kind=kind,
        where=_where(where),
        codes=code or None,
        bbox=parse_bbox(bbox) if bbox else None,
        near=_near(near) if near else None,
        date_from=date_from,
        date_to=date_to,
        limit=limit,
        offset=offset,
    )
    records, matched = wf.list_items_counted(query)
    meta = {
        "numberMatched": matched,
        "numberReturned": len(records),
        "links": page_links(request.url, offset, limit, len(records), matched, GEOJSON),
    }
    return Response(feature_collection(records, meta), media_type=GEOJSON)


@router.get(
    "/items/{kind}/{ref}",
    summary="One item; its version is the ETag",
    response_class=Response,
    responses={
        200: {"content": {GEOJSON: {}}},
        304: {"description": "not modified"},
        **LOOKUP,
    },
)
def get_item(
    kind: Kind,
    ref: ItemRef,
    wf: Workflow,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    record = wf.get_item(kind, ref)
    etag = f'"{record.version}"'
    if if_none_match is not None and etag in {
        t.strip().removeprefix("W/") for t in if_none_match.split(",")
    }:
        return Response(status_code=304, headers={"ETag": etag})
    return Response(feature(record, {}), media_type=GEOJSON, headers={"ETag": etag})


def _state_json(record: Any) -> dict[str, Any]:
    return {
        **record_to_plain(record),
        "geometry": geometry_plain(getattr(record, "geometry", None)),
    }


@router.get(
    "/items/{kind}/{ref}/history",
    summary="Each approved report and the state after it",
    responses=LOOKUP,
)
def history(kind: Kind, ref: ItemRef, wf: Workflow) -> list[dict[str, Any]]:
    return [
        {"report": report_json(e.report), "state": _state_json(e.state)}
        for e in wf.history(kind, ref)
    ]


@router.get(
    "/items/{kind}/{ref}/as-of",
    summary="The item as known on a date",
    responses=problems(400) | LOOKUP,
)
def as_of(
    kind: Kind,
    ref: ItemRef,
    wf: Workflow,
    on: Annotated[
        Day | None, Query(alias="date", description="Date of Information up to this day")
    ] = None,
    known_at: Annotated[datetime | None, Query(description="as recorded by this time")] = None,
) -> dict[str, Any]:
    if on is None and known_at is None:
        raise HttpProblem(400, "give date, known_at or both")
    return _state_json(wf.state_as_of(kind, ref, as_of=on, known_at=known_at))
