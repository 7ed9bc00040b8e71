"""Victims' personal data: visible only with the grant, never public, never in OGC API
Features, every read audited; report payloads redacted too (synthetic people)."""

from __future__ import annotations

from api_support import Api

from minewatch.domain.records import Kind

PERSON = {"name": "Synthetic Person", "contact": "+000 000", "medical_details": "synthetic"}


def victim(api: Api) -> tuple[str, str]:
    """An approved victim (by medic, who may enter personal data) and its report code."""
    code = api.draft("medic", Kind.VICTIM, sex="female", age=30, **PERSON)
    api.workflow("medic").submit(code)
    item = api.workflow("rev").approve(code).item_code or ""
    return item, code


def test_only_granted_roles_see_personal_fields_and_reads_are_audited(api: Api) -> None:
    item, _ = victim(api)
    for user in ("medic", "admin"):
        got = api.client(user).get(f"/api/items/victim/{item}").json()["properties"]
        assert got["name"] == "Synthetic Person" and got["medical_details"] == "synthetic"
    for user in ("w1", "w2", "rev"):
        got = api.client(user).get(f"/api/items/victim/{item}").json()["properties"]
        assert got["name"] is got["contact"] is got["medical_details"] is None
        assert got["sex"] == "female" and got["age"] == 30
        listed = api.client(user).get("/api/items/victim").json()["features"]
        assert all(f["properties"]["name"] is None for f in listed)
        history = api.client(user).get(f"/api/items/victim/{item}/history").json()
        assert (
            history[0]["state"]["name"] is None and history[0]["report"]["changes"]["name"] is None
        )
    for user in (None, "viewer"):
        assert api.client(user).get(f"/api/items/victim/{item}").status_code == 404
        assert api.client(user).get("/api/items/victim").status_code == 404
    reads = api.accounts.store.list_audit(action="read_personal_data")
    assert {e.actor for e in reads} == {"medic", "admin"}
    assert all(item in e.detail["codes"] for e in reads)
    assert not api.accounts.store.list_audit(action="read_personal_data", actor="rev")


def test_report_payloads_are_redacted_without_the_grant(api: Api) -> None:
    _, report = victim(api)
    assert api.client("rev").get(f"/api/reports/{report}").json()["changes"]["name"] is None
    assert (
        api.client("medic").get(f"/api/reports/{report}").json()["changes"]["name"]
        == "Synthetic Person"
    )
    listed = api.client("w1").get("/api/reports", params={"kind": "victim"}).json()["reports"]
    assert listed and all(r["changes"]["name"] is None for r in listed)


def test_editing_without_the_grant_keeps_what_it_could_not_see(api: Api) -> None:
    code = api.draft("medic", Kind.VICTIM, sex="male", **PERSON)
    w1 = api.client("w1")  # same organisation, no grant
    shown = w1.get(f"/api/reports/{code}")
    assert shown.json()["changes"]["name"] is None
    r = w1.put(
        f"/api/reports/{code}",
        json={"changes": {**shown.json()["changes"], "age": 41}},
        headers={"If-Match": shown.headers["etag"]},
    )
    assert r.status_code == 200 and r.json()["changes"]["name"] is None
    stored = api.store.get_report(code)
    assert stored.changes["name"] == "Synthetic Person" and stored.changes["age"] == 41


def test_no_collection_and_no_ogc_route_exposes_victims(api: Api) -> None:
    victim(api)
    anon = api.client()
    ids = [c["id"] for c in anon.get("/ogc/collections").json()["collections"]]
    assert not any("victim" in i for i in ids)
    assert anon.get("/ogc/collections/victim/items").status_code == 404
    assert anon.get("/ogc/collections/victims/items").status_code == 404
    for cid in ids:
        text = anon.get(f"/ogc/collections/{cid}/items", params={"limit": 1000}).text
        assert "Synthetic Person" not in text
