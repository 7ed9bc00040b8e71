"""The report workflow over HTTP, on both backends (synthetic data)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from api_support import SQUARE, Api


def new_draft(api: Api, user: str = "w1") -> dict:
    body = {
        "kind": "hazardous_area",
        "date_of_information": "2024-05-01",
        "changes": {"status": "open", "hazard_types": ["ap_mines"]},
        "geometry": SQUARE,
    }
    r = api.client(user).post("/api/reports", json=body)
    assert r.status_code == 201, r.text
    return r.json() | {"etag": r.headers["etag"], "location": r.headers["location"]}


def test_draft_edit_submit_approve_publishes_the_item(api: Api) -> None:
    draft = new_draft(api)
    assert draft["state"] == "draft" and draft["etag"] == '"1"'
    assert draft["location"].endswith(f"/api/reports/{draft['code']}")
    assert draft["geometry"]["type"] == "Polygon" and draft["organisation_code"] == "ORG-1"
    w1, rev = api.client("w1"), api.client("rev")
    edit = {"changes": {"status": "open", "name": "Field 7"}, "geometry": SQUARE}
    r = w1.put(f"/api/reports/{draft['code']}", json=edit, headers={"If-Match": draft["etag"]})
    assert (
        r.status_code == 200
        and r.headers["etag"] == '"2"'
        and r.json()["changes"]["name"] == "Field 7"
    )
    assert w1.post(f"/api/reports/{draft['code']}/submit").json()["state"] == "submitted"
    assert w1.post(f"/api/reports/{draft['code']}/approve").status_code == 403  # not a reviewer
    approved = rev.post(f"/api/reports/{draft['code']}/approve").json()
    assert approved["state"] == "approved" and approved["decided_by"] == "rev"
    item = api.client().get(f"/api/items/hazardous_area/{draft['item_code']}")
    assert item.status_code == 200 and item.json()["properties"]["name"] == "Field 7"


def test_stale_edit_gets_412_and_missing_if_match_428(api: Api) -> None:
    draft = new_draft(api)
    w1 = api.client("w1")
    url = f"/api/reports/{draft['code']}"
    body = {"changes": {"status": "suspended"}, "geometry": SQUARE}
    assert w1.put(url, json=body, headers={"If-Match": '"1"'}).status_code == 200
    stale = w1.put(url, json=body, headers={"If-Match": '"1"'})
    assert stale.status_code == 412 and "version 2" in stale.json()["detail"]
    assert w1.put(url, json=body).status_code == 428
    assert w1.put(url, json=body, headers={"If-Match": "*junk*"}).status_code == 412
    assert w1.get(url).json()["changes"]["status"] == "suspended"  # nothing overwritten


def test_concurrent_edits_of_one_version_one_wins_the_rest_get_412(api: Api) -> None:
    """Editors who all hold version N and send at once: one write lands, every other one is
    412 (never 409), however late its loss is found (before or inside the write)."""
    editors = 6
    code = new_draft(api)["code"]
    clients = [api.client("w1") for _ in range(editors)]
    for version in range(1, 6):
        start = threading.Barrier(editors)

        def edit(i: int, version: int = version, start: threading.Barrier = start) -> int:
            body = {"changes": {"status": "open", "name": f"editor {i}"}, "geometry": SQUARE}
            start.wait()
            return (
                clients[i]
                .put(f"/api/reports/{code}", json=body, headers={"If-Match": f'"{version}"'})
                .status_code
            )

        with ThreadPoolExecutor(editors) as pool:
            statuses = sorted(pool.map(edit, range(editors)))
        assert statuses == [200] + [412] * (editors - 1), (version, statuses)
    assert clients[0].get(f"/api/reports/{code}").headers["etag"] == '"6"'


def test_rejection_needs_a_reason_and_reopen_returns_to_draft(api: Api) -> None:
    code = new_draft(api)["code"]
    api.client("w1").post(f"/api/reports/{code}/submit")
    rev = api.client("rev")
    assert rev.post(f"/api/reports/{code}/reject", json={"reason": ""}).status_code == 422
    assert rev.post(f"/api/reports/{code}/reject", json={"reason": "  "}).status_code == 409
    rejected = rev.post(f"/api/reports/{code}/reject", json={"reason": "polygon misses the ridge"})
    assert rejected.json()["decision_reason"] == "polygon misses the ridge"
    reopened = api.client("w1").post(f"/api/reports/{code}/reopen").json()
    assert reopened["state"] == "draft" and reopened["version"] == 2
    # An approved report never changes again.
    api.client("w1").post(f"/api/reports/{code}/submit")
    rev.post(f"/api/reports/{code}/approve")
    again = rev.post(f"/api/reports/{code}/reject", json={"reason": "late"})
    assert again.status_code == 409


def test_reviewer_cannot_approve_own_report(api: Api) -> None:
    code = new_draft(api, "rev")["code"]
    rev = api.client("rev")
    rev.post(f"/api/reports/{code}/submit")
    assert rev.post(f"/api/reports/{code}/approve").status_code == 403
    assert api.client("rev2").post(f"/api/reports/{code}/approve").status_code == 200


def test_bad_input_is_422_with_its_location(api: Api) -> None:
    w1 = api.client("w1")
    base = {"kind": "hazardous_area", "date_of_information": "2024-05-01"}
    r = w1.post("/api/reports", json=base | {"changes": {"status": "on fire"}})
    assert r.status_code == 422 and r.json()["location"]["field"] == "status"
    r = w1.post("/api/reports", json=base | {"geometry": {"type": "Point", "coordinates": [1, 2]}})
    assert r.status_code == 422 and r.json()["location"]["field"] == "geometry"
    r = w1.post("/api/reports", json=base | {"geometry": {"type": "Nonsense"}})
    assert r.status_code == 422 and r.json()["location"]["field"] == "geometry"
    r = w1.post("/api/reports", json=base | {"changes": {"no_such_field": 1}})
    assert r.status_code == 422 and r.json()["location"]["field"] == "no_such_field"
    assert w1.get("/api/reports/RPT-999999").status_code == 404


def test_listing_filters_pages_and_scopes_by_organisation(api: Api) -> None:
    for _ in range(3):
        new_draft(api, "w1")
    new_draft(api, "w2")
    rev = api.client("rev")
    page = rev.get("/api/reports", params={"limit": 2}).json()
    assert page["numberReturned"] == 2 and any(link["rel"] == "next" for link in page["links"])
    nxt = next(link["href"] for link in page["links"] if link["rel"] == "next")
    second = rev.get(nxt).json()
    assert second["numberReturned"] == 2 and not any(
        link["rel"] == "next" for link in second["links"]
    )
    codes = {r["code"] for r in page["reports"]} | {r["code"] for r in second["reports"]}
    assert len(codes) == 4
    mine = api.client("w2").get("/api/reports").json()["reports"]
    assert [r["organisation_code"] for r in mine] == ["ORG-2"]
    by_org = rev.get("/api/reports", params={"organisation_code": "ORG-1", "state": "draft"})
    assert by_org.json()["numberReturned"] == 3
    assert api.client().get("/api/reports").json()["reports"] == []
