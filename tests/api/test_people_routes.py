"""The casualty table over HTTP: staff only, JSON and CSV, no personal data. Synthetic data."""

from __future__ import annotations

from api_support import Api

from minewatch.domain.records import Kind


def _programme(api: Api) -> None:
    accident = api.approved("w1", Kind.ACCIDENT, accident_date="2023-05-01", device_type="av_mine")
    api.approved("w1", Kind.VICTIM, accident_code=accident, sex="female", age=8,
                 outcome="killed", victim_type="civilian", name="Synthetic Person")  # fmt: skip
    api.approved("w1", Kind.VICTIM, accident_code=accident, name="Synthetic Person")


def test_casualty_table_for_staff(api: Api) -> None:
    _programme(api)
    assert api.client().get("/api/casualties").status_code in (401, 404)
    assert api.client("viewer").get("/api/casualties.csv").status_code == 404
    response = api.client("w2").get("/api/casualties?year=2023")
    assert response.status_code == 200
    body = response.json()
    assert body["years"] == [2023]
    totals = {(r["dimension"], r["value"]): r for r in body["rows"] if r["total"]}
    assert totals["total", "recorded"]["killed"] == 1
    assert totals["total", "recorded"]["unknown"] == 1  # never injured
    assert totals["category", "unknown"]["total"] == 1  # never civilian
    assert totals["device_type", "av_mine"]["total"] == 2
    assert body["shares"] == [
        {"year": 2023, "civilian": 1.0, "child_of_civilians": 1.0, "female": 1.0}
    ]
    assert "Synthetic Person" not in response.text
    csv = api.client("w2").get("/api/casualties.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "2023,total,recorded,1,0,1,2" in csv.text.splitlines()


def test_casualty_table_refuses_a_bad_year(api: Api) -> None:
    assert api.client("w2").get("/api/casualties?year=abc").status_code == 422


def test_beneficiaries_for_anyone_and_the_grid_refused_over_http(api: Api) -> None:
    api.approved(
        "w1",
        Kind.RISK_EDUCATION_SESSION,
        session_date="2024-02-04",
        beneficiaries={
            "girls": 4,
            "boys": 2,
            "girls_with_disability": 1,
            "boys_with_disability": 0,
        },
        indirect_beneficiaries={"women": 6},
    )
    body = api.client().get("/api/beneficiaries?year=2024").json()
    rows = {r["reach"]: r for r in body["rows"]}
    assert (rows["direct"]["total"], rows["direct"]["with_disability"]) == (6, 1)
    assert (rows["indirect"]["total"], rows["indirect"]["disability_not_recorded"]) == (6, 6)
    csv = api.client().get("/api/beneficiaries.csv")
    assert csv.status_code == 200 and "2024,direct,1,4,2,0,0,6," in csv.text
    refused = api.client("w1").post(
        "/api/reports",
        json={
            "kind": "risk_education_session",
            "date_of_information": "2024-04-05",
            "changes": {"beneficiaries": {"boys": 2, "boys_with_disability": 5}},
        },
    )
    assert refused.status_code in (400, 422), refused.text
    assert "boys_with_disability" in refused.text


def test_assistance_coverage_for_staff(api: Api) -> None:
    accident = api.approved("w1", Kind.ACCIDENT, accident_date="2023-05-01")
    victim = api.approved("w1", Kind.VICTIM, accident_code=accident, sex="male", age=30,
                          disability=True, name="Synthetic Person")  # fmt: skip
    api.approved("w1", Kind.VICTIM_ASSISTANCE, victim_code=victim,
                 services=[{"assistance_type": "medical", "status": "received",
                            "received_date": "2023-05-02", "referred_date": "2023-05-01"}],
                 household={"women": 2}, follow_up_notes="Synthetic note")  # fmt: skip
    assert api.client().get("/api/assistance/coverage").status_code in (401, 404)
    response = api.client("w2").get("/api/assistance/coverage?year=2023")
    assert response.status_code == 200
    rows = {(r["assistance_type"], r["stage"]): r for r in response.json()["rows"]}
    received = rows["medical", "received"]
    assert (received["people"], received["male"], received["with_disability"]) == (1, 1, 1)
    assert response.json()["household"][0]["women"] == 2
    assert "Synthetic" not in response.text
    csv = api.client("w2").get("/api/assistance/coverage.csv")
    assert "2023,medical,received,1,0,1,0,0,1,0,1,0,0" in csv.text
