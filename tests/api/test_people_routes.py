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
