"""OGC API – Features, Part 1 (Core, GeoJSON) and Part 2 (CRS by reference).

Public and read-only: only approved items (the store's materialised current state) are
served, always through :mod:`minewatch.services.publication` (which filters for the public),
and no collection may be of a kind that holds personal data (checked at import).

``datetime`` filters on each item's Date of Information, the date the newest approved report
about it describes (not on the record's own date fields such as ``accident_date``): it is
the one date every collection has, and the one "as known on" questions use.

``bbox`` selects items whose bounding box intersects the box (the R-tree/GiST index test).

QGIS, GDAL (``ogrinfo OAPIF:http://host/ogc``) and OWSLib read these collections.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.routing import NoMatchFound

from minewatch.api import crs as crs_mod
from minewatch.api.deps import Context
from minewatch.api.errors import OGC_PREFIX, HttpProblem, problems
from minewatch.api.geojson import GEOJSON, feature, feature_collection
from minewatch.api.params import BBOX_PATTERN, page_links, parse_bbox, parse_interval
from minewatch.domain.queries import ItemQuery
from minewatch.domain.records import Kind, record_type
from minewatch.errors import NotFound
from minewatch.services.disclosure import INTERNAL_KINDS
from minewatch.services.publication import published_item, published_page

JSON = "application/json"
#: FastAPI writes OpenAPI 3.1, so the OGC "oas30" conformance class is not claimed.
OPENAPI = "application/vnd.oai.openapi+json;version=3.1"

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]


@dataclass(frozen=True)
class Collection:
    id: str
    kind: Kind
    title: str
    description: str


COLLECTIONS = {
    c.id: c
    for c in (
        Collection(
            "hazardous_areas",
            Kind.HAZARDOUS_AREA,
            "Hazardous areas",
            "Suspected and confirmed hazardous areas (IMAS 07.11) with status and hazard types.",
        ),
        Collection(
            "release_products",
            Kind.RELEASE_PRODUCT,
            "Release products",
            "Land cancelled, reduced or cleared by land release activities.",
        ),
        Collection(
            "device_finds",
            Kind.DEVICE_FIND,
            "Device finds",
            "Explosive ordnance found, by category, condition and disposal.",
        ),
        Collection(
            "accidents",
            Kind.ACCIDENT,
            "Accidents",
            "Explosive ordnance accidents (no information about the people involved).",
        ),
        Collection(
            "strikes",
            Kind.SCATTERABLE_STRIKE,
            "Scatterable mine strikes",
            "Areas where remotely delivered mines were laid (CCW Amended Protocol II).",
        ),
        Collection(
            "task_orders",
            Kind.TASK_ORDER,
            "Task orders",
            "Task orders to organisations for hazardous areas, with their status and priority.",
        ),
    )
}

if any(c.kind in INTERNAL_KINDS for c in COLLECTIONS.values()):  # pragma: no cover
    raise RuntimeError("a kind holding personal data must never be an OGC API collection")

CollectionId = Annotated[str, Path(examples=list(COLLECTIONS), description="a collection id")]
FeatureId = Annotated[str, Path(examples=["HA-000001"], description="a feature's code")]

GEOJSON_ANSWER: dict[int | str, dict[str, Any]] = {200: {"content": {GEOJSON: {}}}}
ITEM_PARAMS = frozenset({"bbox", "bbox-crs", "crs", "datetime", "limit", "offset", "f"})
#: Declared as the list the collections offer (parse_crs also reads the ``[uri]`` form).
CRS_CHOICES: dict[str, Any] = {"enum": list(crs_mod.SUPPORTED)}


async def _output_format(
    f: Annotated[
        Literal["json", "geojson", "application/json", "application/geo+json"] | None,
        Query(description="the output format; only JSON (GeoJSON for features) is offered"),
    ] = None,
) -> None:
    """Declares ``f`` on every operation; a format other than JSON is 400 (api.errors).
    ``async`` so that FastAPI does not hand it to a thread (see deps.context)."""


router = APIRouter(
    prefix=OGC_PREFIX,
    tags=["OGC API Features"],
    dependencies=[Depends(_output_format)],
    responses=problems(400),
)


def _check_params(request: Request, allowed: frozenset[str]) -> None:
    """400 for an unknown parameter, as Part 1 requires."""
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise HttpProblem(400, "unknown query parameter(s): {names}", names=", ".join(unknown))


def _base(request: Request) -> str:
    return str(request.url_for("ogc_landing")).rstrip("/")


def _collection(collection_id: str) -> Collection:
    found = COLLECTIONS.get(collection_id)
    if found is None:
        raise NotFound("no collection {name!r}; see /ogc/collections", name=collection_id)
    return found


def _collection_json(base: str, c: Collection) -> dict[str, Any]:
    href = f"{base}/collections/{c.id}"
    return {
        "id": c.id,
        "title": c.title,
        "description": c.description,
        "itemType": "feature",
        "crs": list(crs_mod.SUPPORTED),
        "storageCrs": crs_mod.CRS84,
        "links": [
            {"href": href, "rel": "self", "type": JSON, "title": c.title},
            {"href": f"{href}/items", "rel": "items", "type": GEOJSON, "title": c.title},
        ],
    }


@router.get("", name="ogc_landing", summary="OGC API landing page")
def landing(request: Request, ctx: Context) -> JSONResponse:
    _check_params(request, frozenset({"f"}))
    base = _base(request)
    links = [
        {"href": base, "rel": "self", "type": JSON, "title": "this document"},
        {"href": f"{base}/conformance", "rel": "conformance", "type": JSON},
        {"href": f"{base}/collections", "rel": "data", "type": JSON},
    ]
    for route, rel, media_type in (("openapi", "service-desc", OPENAPI),
                                   ("swagger_ui_html", "service-doc", "text/html")):  # fmt: skip
        href = _route_url(request, route)
        if href:
            links.append({"href": href, "rel": rel, "type": media_type})
    return JSONResponse(
        {"title": ctx.settings.title, "description": ctx.settings.description, "links": links}
    )


def _route_url(request: Request, name: str) -> str | None:
    """The URL of the app's route ``name``, or None if the app has no such route."""
    try:
        return str(request.url_for(name))
    except NoMatchFound:
        return None


@router.get("/conformance", summary="Conformance classes")
def conformance(request: Request) -> JSONResponse:
    _check_params(request, frozenset({"f"}))
    return JSONResponse({"conformsTo": CONFORMANCE})


@router.get("/collections", summary="Published collections")
def collections(request: Request) -> JSONResponse:
    _check_params(request, frozenset({"f"}))
    base = _base(request)
    return JSONResponse(
        {
            "links": [{"href": f"{base}/collections", "rel": "self", "type": JSON}],
            "collections": [_collection_json(base, c) for c in COLLECTIONS.values()],
            "crs": list(crs_mod.SUPPORTED),
        }
    )


@router.get("/collections/{collection_id}", summary="One collection", responses=problems(404))
def collection(request: Request, collection_id: CollectionId) -> JSONResponse:
    _check_params(request, frozenset({"f"}))
    return JSONResponse(_collection_json(_base(request), _collection(collection_id)))


@router.get(
    "/collections/{collection_id}/items",
    summary="Features of a collection",
    response_class=Response,
    responses=GEOJSON_ANSWER | problems(404),
)
def items(
    request: Request,
    ctx: Context,
    collection_id: CollectionId,
    bbox: Annotated[
        str | None,
        Query(pattern=BBOX_PATTERN, description="minx,miny,maxx,maxy (in bbox-crs)"),
    ] = None,
    bbox_crs: Annotated[
        str | None,
        Query(alias="bbox-crs", json_schema_extra=CRS_CHOICES, description="CRS of bbox"),
    ] = None,
    crs: Annotated[
        str | None,
        Query(json_schema_extra=CRS_CHOICES, description="CRS of the output geometries"),
    ] = None,
    datetime_: Annotated[
        str | None,
        Query(alias="datetime", description="instant or interval on the Date of Information"),
    ] = None,
    limit: Annotated[int | None, Query(ge=1)] = None,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> Response:
    _check_params(request, ITEM_PARAMS)
    c = _collection(collection_id)
    out_crs = crs_mod.parse_crs(crs, "crs")
    page = min(limit or ctx.settings.default_limit, ctx.settings.max_limit)
    first, last = parse_interval(datetime_) if datetime_ else (None, None)
    box = None
    if bbox is not None:
        box = crs_mod.bbox_to_crs84(parse_bbox(bbox), crs_mod.parse_crs(bbox_crs, "bbox-crs"))
    query = ItemQuery(
        kind=c.kind, bbox=box, date_from=first, date_to=last, limit=page, offset=offset
    )
    records, matched = published_page(ctx.store, query)
    base = _base(request)
    links = page_links(request.url, offset, page, len(records), matched, GEOJSON)
    links.append({"href": f"{base}/collections/{c.id}", "rel": "collection", "type": JSON})
    meta = {
        "numberMatched": matched,
        "numberReturned": len(records),
        "timeStamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "links": links,
    }
    body = feature_collection(records, meta, crs_mod.reproject(out_crs))
    return Response(body, media_type=GEOJSON, headers={"Content-Crs": f"<{out_crs}>"})


@router.get(
    "/collections/{collection_id}/items/{feature_id}",
    summary="One feature",
    response_class=Response,
    responses=GEOJSON_ANSWER | problems(404),
)
def item(
    request: Request,
    ctx: Context,
    collection_id: CollectionId,
    feature_id: FeatureId,
    crs: Annotated[
        str | None,
        Query(json_schema_extra=CRS_CHOICES, description="CRS of the output geometry"),
    ] = None,
) -> Response:
    _check_params(request, frozenset({"f", "crs"}))
    c = _collection(collection_id)
    out_crs = crs_mod.parse_crs(crs, "crs")
    if not feature_id.startswith(f"{record_type(c.kind).code_prefix}-"):
        raise NotFound("no feature {feature} in {collection}", feature=feature_id, collection=c.id)
    record = published_item(ctx.store, c.kind, feature_id)
    href = f"{_base(request)}/collections/{c.id}"
    links = [
        {"href": str(request.url), "rel": "self", "type": GEOJSON},
        {"href": href, "rel": "collection", "type": JSON},
    ]
    body = feature(record, {"links": links}, crs_mod.reproject(out_crs))
    return Response(
        body,
        media_type=GEOJSON,
        headers={"Content-Crs": f"<{out_crs}>", "ETag": f'"{record.version}"'},
    )
