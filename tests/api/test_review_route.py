"""GET /api/reports/{code}/review: the review screen's document over HTTP (synthetic data)."""

from __future__ import annotations

import json
import re
from datetime import date

from api_support import Api

from minewatch.domain.records import Kind
from minewatch.services.disclosure import withheld_fields

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[30, 50], [30.01, 50.01], [30.01, 50], [30, 50.01], [30, 50]]],
}


def test_the_review_document_of_a_repaired_redraw(api: Api) -> None:
    w1 = api.client("w1")
    created = api.draft("w1", name="Synthetic hill")
    api.workflow("w1").submit(created)
    item = api.workflow("rev").approve(created).item_code
    sent = w1.post(
        "/api/reports",
        json={
            "kind": "hazardous_area",
            "date_of_information": "2024-06-01",
            "item": item,
            "changes": {"status": "suspended"},
            "geometry": BOWTIE,
        },
    ).json()
    w1.post(f"/api/reports/{sent['code']}/submit").raise_for_status()
    answer = api.client("rev").get(f"/api/reports/{sent['code']}/review")
    assert answer.status_code == 200
    doc = answer.json()
    assert not UUID.search(json.dumps(doc)), "the review screen names things by code"
    assert doc["report"]["code"] == sent["code"] and doc["may_decide"] is True
    [repair] = doc["notes"]
    assert repair["severity"] == "repaired" and repair["area_before_m2"] == 0
    assert repair["area_after_m2"] > 300_000
    geometry = doc["geometry"]
    assert geometry["proposed"]["type"] == "MultiPolygon"
    assert geometry["current"]["type"] == "Polygon"
    assert geometry["proposed_summary"]["area_m2"] > 300_000
    status = next(f for f in doc["fields"] if f["field"] == "status")
    assert (status["change"], status["current"], status["after"], status["enum"]) == (
        "changed",
        "open",
        "suspended",
        "HazardStatus",
    )
    assert [(h["code"], h["state"]) for h in doc["history"]] == [
        (created, "approved"),
        (sent["code"], "submitted"),
    ]
    # the author may read it but not decide; another organisation and the public get 404
    assert w1.get(f"/api/reports/{sent['code']}/review").json()["may_decide"] is False
    for user in ("w2", "viewer", None):
        assert api.client(user).get(f"/api/reports/{sent['code']}/review").status_code in (
            401,
            404,
        )


def test_a_victim_report_is_withheld_alike_for_every_reviewer_without_the_grant(api: Api) -> None:
    code = api.draft("medic", Kind.VICTIM, sex="female", name="Synthetic Person", contact="+000")
    api.workflow("medic").submit(code)
    for user in ("rev", "rev2", "w1"):
        doc = api.client(user).get(f"/api/reports/{code}/review").json()
        assert "Synthetic Person" not in json.dumps(doc) and "+000" not in json.dumps(doc)
        withheld = {f["field"] for f in doc["fields"] if f["change"] == "withheld"}
        assert withheld == set(withheld_fields(api.actor(user), "victim"))
        assert {"name", "contact", "medical_details"} <= withheld
    granted = api.client("admin").get(f"/api/reports/{code}/review").json()
    assert "Synthetic Person" in json.dumps(granted)
    reads = api.accounts.store.list_audit(action="read_personal_data")
    assert {e.actor for e in reads} == {"admin"}
    assert date(2024, 3, 1).isoformat() == granted["report"]["date_of_information"]
