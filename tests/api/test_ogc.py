"""OGC API Features Part 1 (Core, GeoJSON) and Part 2 (CRS) behaviour (synthetic data)."""

from __future__ import annotations

from datetime import date

from api_support import Api
from shapely import Point, box

from minewatch.domain.access import local_admin
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.services.records import Draft, Workflow

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
EPSG3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"


def grid_of_areas(api: Api, n: int = 12) -> list[str]:
    """n synthetic 0.1° squares along a row from (30, 50), one per month of 2024."""
    drafts = [
        Draft(
            Kind.HAZARDOUS_AREA,
            {"status": "open"},
            date(2024, 1 + i % 12, 1),
            box(30 + i / 10, 50, 30 + i / 10 + 0.05, 50.05),
        )
        for i in range(n)
    ]
    reports = Workflow(api.store, local_admin()).create_drafts(drafts, state=ReportState.APPROVED)
    return [r.item_code or "" for r in reports]


def test_items_paging_bbox_and_datetime(api: Api) -> None:
    codes = grid_of_areas(api)
    anon = api.client()
    url = "/ogc/collections/hazardous_areas/items"
    first = anon.get(url, params={"limit": 5})
    assert first.headers["content-type"] == "application/geo+json"
    assert first.headers["content-crs"] == f"<{CRS84}>"
    page = first.json()
    assert page["numberMatched"] == 12 and page["numberReturned"] == 5
    assert [f["id"] for f in page["features"]] == codes[:5]
    seen, nxt = [], url + "?limit=5"
    while nxt:
        body = anon.get(nxt).json()
        seen += [f["id"] for f in body["features"]]
        nxt = next((link["href"] for link in body["links"] if link["rel"] == "next"), None)
    assert seen == codes
    last = anon.get(url, params={"limit": 5, "offset": 10}).json()
    assert any(link["rel"] == "prev" for link in last["links"]) and last["numberReturned"] == 2
    boxed = anon.get(url, params={"bbox": "30.06,49,30.32,51"}).json()
    assert [f["id"] for f in boxed["features"]] == codes[1:4]
    spring = anon.get(url, params={"datetime": "2024-03-01/2024-05-31"}).json()
    assert spring["numberMatched"] == 3
    open_start = anon.get(url, params={"datetime": "../2024-02-01T00:00:00Z"}).json()
    assert open_start["numberMatched"] == 2
    instant = anon.get(url, params={"datetime": "2024-12-01"}).json()
    assert instant["numberMatched"] == 1
    feature = anon.get(f"{url}/{codes[0]}").json()
    assert feature["id"] == codes[0] and feature["geometry"]["type"] == "MultiPolygon"
    assert any(link["rel"] == "collection" for link in feature["links"])
    assert anon.get(f"{url}/HA-999999").status_code == 404
    assert anon.get(f"{url}/DF-000001").status_code == 404


def test_only_approved_items_are_published(api: Api) -> None:
    api.draft("w1")
    api.submitted("w1")
    wf = Workflow(api.store, local_admin())
    wf.create_drafts(
        [Draft(Kind.DEVICE_FIND, {"category": "ap_mine"}, date(2024, 1, 1), Point(30, 50))],
        state=ReportState.APPROVED,
    )
    anon = api.client()
    assert anon.get("/ogc/collections/hazardous_areas/items").json()["numberMatched"] == 0
    finds = anon.get("/ogc/collections/device_finds/items").json()
    assert (
        finds["numberMatched"] == 1 and finds["features"][0]["properties"]["category"] == "ap_mine"
    )
