"""OGC API Features documents, parameters and CRS (Part 2) output: HTTP-level behaviour that
does not depend on the storage backend, so it runs on the embedded GeoPackage only
(test_ogc.py runs the queries on both). Synthetic data."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from api_support import Api
from shapely import box

from minewatch.domain.access import local_admin
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.services.records import Draft, Workflow

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
EPSG3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """GeoPackage only (overrides the parametrised fixture)."""
    return f"sqlite:///{tmp_path / 'store.gpkg'}"


def grid_of_areas(api: Api, n: int = 3) -> list[str]:
    """n synthetic 0.1° squares along a row from (30, 50)."""
    drafts = [
        Draft(Kind.HAZARDOUS_AREA, {"status": "open"}, date(2024, 1, 1),
              box(30 + i / 10, 50, 30 + i / 10 + 0.05, 50.05))
        for i in range(n)
    ]  # fmt: skip
    reports = Workflow(api.store, local_admin()).create_drafts(drafts, state=ReportState.APPROVED)
    return [r.item_code or "" for r in reports]


def test_landing_conformance_and_collections(api: Api) -> None:
    anon = api.client()
    landing = anon.get("/ogc").json()
    rels = {link["rel"]: link["href"] for link in landing["links"]}
    assert {"self", "conformance", "data", "service-desc"} <= set(rels)
    assert anon.get(rels["service-desc"]).json()["openapi"].startswith("3.")
    conf = anon.get(rels["conformance"]).json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conf
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in conf
    collections = anon.get(rels["data"]).json()["collections"]
    assert [c["id"] for c in collections] == [
        "hazardous_areas", "release_products", "device_finds", "accidents", "strikes",
        "task_orders",
    ]  # fmt: skip
    one = anon.get("/ogc/collections/hazardous_areas").json()
    assert one["storageCrs"] == CRS84 and EPSG3857 in one["crs"]
    assert any(link["rel"] == "items" for link in one["links"])
    assert anon.get("/ogc/collections/nope").status_code == 404
    assert anon.get("/ogc?f=html").status_code == 400


BAD_PARAMETERS = [
    {"bbox": "1,2,3"},
    {"bbox": "a,b,c,d"},
    {"bbox": "10,0,5,1"},
    {"datetime": "yesterday"},
    {"datetime": "2024-05-01/2024-01-01"},
    {"crs": "EPSG:9999"},
    {"bbox-crs": "EPSG:9999", "bbox": "0,0,1,1"},
    {"bbox": "nan,0,1,1"},
    {"bbox": "0,0,1,1,2"},
    {"unknown": "1"},
    {"f": "xml"},
    {"limit": "0"},
    {"limit": "ten"},
    {"offset": "-1"},
    {"offset": str(2**40)},
]


def test_bad_parameters_are_400_with_an_ogc_exception(api: Api) -> None:
    """OGC API Features answers every invalid parameter with 400 (not FastAPI's 422), and
    its body has the exception's code and description."""
    anon = api.client()
    for params in BAD_PARAMETERS:
        r = anon.get("/ogc/collections/hazardous_areas/items", params=params)
        assert r.status_code == 400, (params, r.status_code)
        body = r.json()
        assert body["code"] == "400" and body["description"], params
    for url in ("/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/collections/accidents"):
        assert anon.get(url, params={"f": "html"}).status_code == 400
    one = "/ogc/collections/hazardous_areas/items/HA-000001"
    assert anon.get(one, params={"crs": "EPSG:9999"}).status_code == 400
    assert anon.get(one, params={"f": "xml"}).status_code == 400
    limit = anon.get("/ogc/collections/hazardous_areas/items?limit=0").json()
    assert "limit" in limit["description"]  # names the parameter


def test_limits_above_the_maximum_are_served_at_the_maximum(api: Api) -> None:
    """Part 1 (/req/core/fc-limit-response-1): a limit over the maximum is not an error."""
    grid_of_areas(api, 3)
    api.settings.max_limit = 2
    r = api.client().get("/ogc/collections/hazardous_areas/items", params={"limit": 10**12})
    assert r.status_code == 200 and r.json()["numberReturned"] == 2


def test_the_openapi_document_says_400_for_ogc_parameters(api: Api) -> None:
    paths = api.client().get("/api/openapi.json").json()["paths"]
    items = paths["/ogc/collections/{collection_id}/items"]["get"]
    assert "400" in items["responses"] and "422" not in items["responses"]
    problem = items["responses"]["400"]["content"]["application/json"]["schema"]
    assert problem == {"$ref": "#/components/schemas/Problem"}
    limit = next(p for p in items["parameters"] if p["name"] == "limit")
    assert limit["schema"]["anyOf"][0]["minimum"] == 1
    reports = paths["/api/reports"]["get"]["responses"]
    assert reports["422"]["content"]["application/json"]["schema"] == problem
    create = paths["/api/reports"]["post"]["responses"]  # FastAPI's own refusals of a body
    assert {"400", "401", "413", "422"} <= set(create)


def test_crs_output_and_bbox_crs(api: Api) -> None:
    codes = grid_of_areas(api, 3)
    anon = api.client()
    url = f"/ogc/collections/hazardous_areas/items/{codes[0]}"
    plain = anon.get(url).json()["geometry"]["coordinates"][0][0][0]
    swapped = anon.get(url, params={"crs": EPSG4326})
    assert swapped.headers["content-crs"] == f"<{EPSG4326}>"
    assert swapped.json()["geometry"]["coordinates"][0][0][0] == plain[::-1]
    mercator = anon.get(url, params={"crs": EPSG3857}).json()["geometry"]["coordinates"][0][0][0]
    assert mercator[0] == pytest.approx(math.radians(plain[0]) * 6378137.0)  # sphere radius
    items = "/ogc/collections/hazardous_areas/items"
    latlon = anon.get(items, params={"bbox": "49,30.06,51,30.27", "bbox-crs": EPSG4326}).json()
    assert [f["id"] for f in latlon["features"]] == codes[1:3]
    metres = "3347000,6420000,3370000,6480000"  # ≈ 30.07–30.27° E, 49.9–50.3° N
    merc = anon.get(items, params={"bbox": metres, "bbox-crs": EPSG3857}).json()
    assert [f["id"] for f in merc["features"]] == codes[1:3]
