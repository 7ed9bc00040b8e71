"""Items over HTTP: filters, paging, ETag, history and "as known on" (synthetic data)."""

from __future__ import annotations

from datetime import date

from api_support import Api
from shapely import box

from minewatch.domain.records import Kind


def test_listing_filters_and_pages(api: Api) -> None:
    codes = [api.approved(status=s) for s in ("open", "open", "suspended")]
    anon = api.client()
    everything = anon.get("/api/items/hazardous_area").json()
    assert everything["numberMatched"] == 3 and everything["type"] == "FeatureCollection"
    page = anon.get("/api/items/hazardous_area", params={"limit": 2}).json()
    assert [f["id"] for f in page["features"]] == codes[:2] and page["numberMatched"] == 3
    nxt = next(link["href"] for link in page["links"] if link["rel"] == "next")
    assert [f["id"] for f in anon.get(nxt).json()["features"]] == codes[2:]
    opened = anon.get("/api/items/hazardous_area", params={"where": "status:open"}).json()
    assert opened["numberMatched"] == 2
    assert (
        anon.get("/api/items/hazardous_area", params={"bbox": "0,0,1,1"}).json()["numberMatched"]
        == 0
    )
    near = anon.get("/api/items/hazardous_area", params={"near": "30.005,50.005,10"}).json()
    assert near["numberMatched"] == 3
    assert (
        anon.get("/api/items/hazardous_area", params={"code": codes[0]}).json()["numberMatched"]
        == 1
    )
    dated = anon.get("/api/items/hazardous_area", params={"date_from": "2025-01-01"}).json()
    assert dated["numberMatched"] == 0
    for bad in ({"where": "nonsense"}, {"where": "no_field:1"}, {"bbox": "1,2,3"}, {"near": "x"}):
        assert anon.get("/api/items/hazardous_area", params=bad).status_code in (400, 422)
    assert anon.get("/api/items/no_such_kind").status_code == 422


def test_item_etag_is_its_version_and_304_when_unchanged(api: Api) -> None:
    code = api.approved(status="open")
    anon = api.client()
    r = anon.get(f"/api/items/hazardous_area/{code}")
    assert r.headers["etag"] == '"1"' and r.json()["geometry"]["type"] == "MultiPolygon"
    assert (
        anon.get(f"/api/items/hazardous_area/{code}", headers={"If-None-Match": '"1"'}).status_code
        == 304
    )
    wf = api.workflow("w1")
    update = wf.create_draft(
        Kind.HAZARDOUS_AREA,
        {"status": "released"},
        None,
        date_of_information=date(2024, 9, 1),
        item_ref=code,
    )
    wf.submit(update.code or "")
    api.workflow("rev").approve(update.code or "")
    r = anon.get(f"/api/items/hazardous_area/{code}", headers={"If-None-Match": '"1"'})
    assert r.status_code == 200 and r.headers["etag"] == '"2"'
    assert anon.get("/api/items/hazardous_area/HA-999999").status_code == 404


def test_history_and_state_as_known_on_a_date(api: Api) -> None:
    code = api.approved(status="open")
    wf = api.workflow("w1")
    later = wf.create_draft(
        Kind.HAZARDOUS_AREA,
        {"status": "released"},
        box(30.0, 50.0, 30.02, 50.02),
        date_of_information=date(2024, 9, 1),
        item_ref=code,
    )
    wf.submit(later.code or "")
    api.workflow("rev").approve(later.code or "")
    anon = api.client()
    history = anon.get(f"/api/items/hazardous_area/{code}/history").json()
    assert [h["state"]["status"] for h in history] == ["open", "released"]
    assert history[1]["report"]["decided_by"] == "rev"
    before = anon.get(
        f"/api/items/hazardous_area/{code}/as-of", params={"date": "2024-06-01"}
    ).json()
    assert before["status"] == "open" and before["geometry"]["type"] in ("Polygon", "MultiPolygon")
    too_early = anon.get(f"/api/items/hazardous_area/{code}/as-of", params={"date": "2020-01-01"})
    assert too_early.status_code == 404
    assert anon.get(f"/api/items/hazardous_area/{code}/as-of").status_code == 400


def test_item_dates_are_iso_days_only(api: Api) -> None:
    """A number is not a date: pydantic alone would read ``date_from=0`` as 1970-01-01."""
    client = api.client("admin")
    for params in ({"date_from": "0"}, {"date_to": "-3.7e5"}, {"date_from": "2024/05/01"}):
        answer = client.get("/api/items/hazardous_area", params=params)
        assert answer.status_code == 422, (params, answer.text)
    assert client.get("/api/items/hazardous_area", params={"date_from": "2024-05-01"}).is_success


def test_a_code_with_an_invisible_mark_finds_the_item(api: Api) -> None:
    """A code pasted with a right-to-left mark or a byte order mark names the same item; an
    unknown one is answered with its code as the service cleaned it."""
    code = api.approved(status="open")
    anon = api.client()
    pasted = code.replace("-", "\u200f-") + "\ufeff"
    found = anon.get(f"/api/items/hazardous_area/{pasted}")
    assert found.status_code == 200 and found.json()["id"] == code
    assert anon.get(f"/api/items/hazardous_area/{pasted}/history").status_code == 200
    missing = anon.get("/api/items/hazardous_area/HA\u202e-999999")
    assert missing.status_code == 404 and "\u202e" not in missing.text
