"""The web UI's own routes: configuration (the optional tile URL), the offline basemap, map
layers as known on a date, and the dashboard figures with their access rules. Synthetic data."""

from __future__ import annotations

from datetime import date

import pytest
from api_support import Api
from shapely import Point, box

from minewatch.domain.records import Kind


def approve(api: Api, kind: Kind, changes: dict[str, object], geometry: object, day: date) -> str:
    wf = api.workflow("w1")
    report = wf.create_draft(kind, changes, geometry, date_of_information=day)
    wf.submit(report.code or "")
    return api.workflow("rev2").approve(report.code or "").item_code or ""


def test_config_is_offline_by_default_and_takes_a_tile_url(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MINEWATCH_TILE_URL", raising=False)
    body = api.client().get("/api/web/config").json()
    assert body["basemap"]["tile_url"] is None
    assert body["basemap"]["countries"] == "/api/web/basemap.geojson"
    monkeypatch.setenv("MINEWATCH_TILE_URL", "http://tiles.example.internal/{z}/{x}/{y}.png")
    body = api.client().get("/api/web/config").json()
    assert body["basemap"]["tile_url"] == "http://tiles.example.internal/{z}/{x}/{y}.png"


def test_tile_url_from_server_settings(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MINEWATCH_TILE_URL", raising=False)
    api.settings = api.settings.model_copy(
        update={
            "basemap_tile_url": "https://gis.local/{z}/{x}/{y}.png",
            "basemap_attribution": "NMAC",
        }
    )
    basemap = api.client().get("/api/web/config").json()["basemap"]
    assert basemap == {
        "tile_url": "https://gis.local/{z}/{x}/{y}.png",
        "attribution": "NMAC",
        "countries": "/api/web/basemap.geojson",
    }


def test_basemap_is_the_bundled_countries(api: Api) -> None:
    response = api.client().get("/api/web/basemap.geojson")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    countries = response.json()["features"]
    assert len(countries) > 150
    assert {"name", "iso3"} <= set(countries[0]["properties"])


def test_layer_as_of_folds_each_item_to_the_date(api: Api) -> None:
    code = approve(
        api,
        Kind.HAZARDOUS_AREA,
        {"status": "open", "name": "A"},
        box(30, 50, 30.01, 50.01),
        date(2022, 1, 10),
    )
    wf = api.workflow("w1")
    update = wf.create_draft(
        Kind.HAZARDOUS_AREA,
        {"status": "released"},
        None,
        date_of_information=date(2023, 6, 1),
        item_ref=code,
    )
    wf.submit(update.code or "")
    api.workflow("rev2").approve(update.code or "")
    client = api.client()

    def status_on(day: str) -> list[str]:
        fc = client.get(f"/api/web/layers/hazardous_area?date={day}").json()
        return [f["properties"]["status"] for f in fc["features"]]

    assert status_on("2021-12-31") == []  # not yet known
    assert status_on("2022-06-01") == ["open"]
    assert status_on("2024-01-01") == ["released"]
    far = client.get("/api/web/layers/hazardous_area?date=2024-01-01&bbox=10,10,11,11").json()
    assert far["features"] == []


def test_victims_layer_as_of_is_not_public(api: Api) -> None:
    assert api.client().get("/api/web/layers/victim?date=2024-01-01").status_code == 404


def test_land_release_figures(api: Api) -> None:
    area = approve(
        api,
        Kind.HAZARDOUS_AREA,
        {"status": "open", "classification": "CHA"},
        box(30, 50, 30.01, 50.01),
        date(2022, 1, 10),
    )
    approve(
        api,
        Kind.RELEASE_PRODUCT,
        {"product_type": "cleared", "release_date": "2023-04-02", "hazardous_area_code": area},
        box(30, 50, 30.005, 50.005),
        date(2023, 4, 2),
    )
    body = api.client().get("/api/web/dashboard/land-release").json()  # public
    [areas] = body["hazardous_areas"]
    assert (areas["progress"], areas["status"], areas["classification"], areas["count"]) == (
        "partly_released", "open", "CHA", 1)  # fmt: skip
    assert areas["original_m2"] == pytest.approx(797_400, rel=0.001)  # 0.01° square at 50° N
    assert areas["remaining_m2"] == pytest.approx(areas["original_m2"] * 3 / 4, rel=0.01)
    [released] = body["released_by_year"]
    assert (released["year"], released["product_type"], released["count"]) == (2023, "cleared", 1)
    assert released["area_m2"] == pytest.approx(areas["original_m2"] / 4, rel=0.01)
    assert body["released_undated"] is None
    bal = body["balance"]  # the accounting: the product lies inside the area
    assert bal["original_m2"] == pytest.approx(areas["original_m2"], abs=0.1)
    assert bal["remaining_m2"] == pytest.approx(areas["remaining_m2"], abs=0.1)
    assert bal["cleared_m2"] == pytest.approx(released["area_m2"], abs=0.1)
    assert bal["original_m2"] == pytest.approx(
        bal["cancelled_m2"] + bal["reduced_m2"] + bal["cleared_m2"] + bal["remaining_m2"]
    )


def test_yearly_release_figures_add_up_to_the_accounting(api: Api) -> None:
    """Overlapping products count once and parts outside the area not at all, in the yearly
    figures as in the balance (summing the products' own polygons would count 1.5 × the land
    here)."""
    area = approve(
        api,
        Kind.HAZARDOUS_AREA,
        {"status": "open", "classification": "CHA"},
        box(30, 50, 30.01, 50.01),
        date(2022, 1, 10),
    )
    for day, geometry in (
        (date(2023, 4, 2), box(30, 50, 30.005, 50.01)),  # the west half
        (date(2024, 6, 1), box(30.0025, 50, 30.0125, 50.01)),  # overlaps it, overhangs east
    ):
        approve(
            api,
            Kind.RELEASE_PRODUCT,
            {"product_type": "cleared", "release_date": day.isoformat(),
             "hazardous_area_code": area},
            geometry,
            day,
        )  # fmt: skip
    body = api.client().get("/api/web/dashboard/land-release").json()
    by_year = {row["year"]: row["area_m2"] for row in body["released_by_year"]}
    bal = body["balance"]
    assert sorted(by_year) == [2023, 2024]
    assert by_year[2024] == pytest.approx(by_year[2023], rel=1e-6)  # the east half, once
    assert sum(by_year.values()) == pytest.approx(bal["cleared_m2"], abs=0.2)
    assert bal["remaining_m2"] == pytest.approx(0, abs=1e-3)
    # Its register status still says open; the dashboard counts it as released.
    [row] = body["hazardous_areas"]
    assert (row["progress"], row["status"], row["remaining_m2"]) == ("released", "open", 0)
    # The map colours it by the same accounting: released today, partly released after the
    # first product, not released before it.
    progress = api.client().get("/api/web/release-progress").json()
    assert progress == {"date": None, "progress": {area: "released"}}
    then = api.client().get("/api/web/release-progress", params={"date": "2023-12-31"}).json()
    assert then["progress"] == {area: "partly_released"}
    before = api.client().get("/api/web/release-progress", params={"date": "2022-12-31"}).json()
    assert before["progress"] == {area: "not_released"}
    assert api.client().get("/api/web/release-progress?date=yesterday").status_code in (400, 422)


def test_casualties_for_staff_only_and_without_personal_data(api: Api) -> None:
    accident = approve(
        api, Kind.ACCIDENT, {"accident_date": "2022-05-05"}, Point(30, 50), date(2022, 5, 5)
    )
    for sex, age, kind, outcome in [
        ("female", 9, "civilian", "injured"),
        ("male", 34, "deminer", "injured"),
        ("male", None, "civilian", "injured"),
        ("unknown", None, None, None),  # nothing recorded: unknown, never civilian or injured
    ]:
        approve(
            api,
            Kind.VICTIM,
            {
                key: value
                for key, value in {
                    "accident_code": accident,
                    "sex": sex,
                    "age": age,
                    "victim_type": kind,
                    "outcome": outcome,
                    "name": "Synthetic Person",
                }.items()
                if value is not None  # not recorded: the record's default
            },
            None,
            date(2022, 5, 6),
        )
    assert api.client().get("/api/web/dashboard/casualties").status_code in (401, 404)
    response = api.client("w2").get("/api/web/dashboard/casualties")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 4
    assert "Synthetic Person" not in response.text
    bands = {
        (r["sex"], r["age_band"], r["category"], r["outcome"]): r["count"] for r in body["rows"]
    }
    assert bands == {
        ("female", "child", "civilian", "injured"): 1,
        ("male", "adult", "deminer", "injured"): 1,
        ("male", "unknown", "civilian", "injured"): 1,
        ("unknown", "unknown", "unknown", "unknown"): 1,
    }
    assert {r["year"] for r in body["rows"]} == {2022}  # the accident's year, not the report's


def test_treaty_timeline_and_status(api: Api) -> None:
    client = api.client()
    timeline = client.get("/api/web/dashboard/treaty/timeline?step_days=365").json()
    apmbc = next(
        s
        for s in timeline["series"]
        if s["instrument"] == "apmbc" and s["definition"] == "in-force"
    )
    assert len(apmbc["counts"]) == len(timeline["dates"])
    assert apmbc["counts"][0] == 0 and max(apmbc["counts"]) > 150
    status = client.get("/api/web/dashboard/treaty/status?instrument=apmbc&date=2010-01-01").json()
    by_iso3 = {s["iso3"]: s["status"] for s in status["states"]}
    assert by_iso3["NOR"] == "bound" and by_iso3["USA"] == "not bound"
    assert sum(status["counts"].values()) == len(status["states"])


def test_residual_curves_from_design_specs(api: Api) -> None:
    client = api.client()
    query = "mines=500&sd_failure=0.05&sd_timing=fixed:1d&days=10"
    body = client.get(f"/api/web/dashboard/residual?{query}").json()
    curve = body["curve"]
    assert curve["days"][0] == 0 and curve["days"][-1] == 10
    assert curve["expected_live"][0] == 500  # all live when laid
    # after the self-destruct time only the failures remain: 5 % of 500, no self-deactivation
    assert curve["expected_live"][-1] == pytest.approx(25)
    assert all(
        lo <= mid <= hi
        for lo, mid, hi in zip(
            curve["prob_any_live_lower"],
            curve["prob_any_live"],
            curve["prob_any_live_upper"],
            strict=True,
        )
    )
    with_sda = client.get(
        f"/api/web/dashboard/residual?{query}&sda_failure=0.1&sda_timing=fixed:5d"
    ).json()
    assert with_sda["curve"]["expected_live"][-1] == pytest.approx(2.5)
    bad = client.get("/api/web/dashboard/residual?mines=5&sd_failure=often&sd_timing=fixed:1d")
    assert bad.status_code == 422
    assert bad.json()["location"]["field"] == "self_destruct"
