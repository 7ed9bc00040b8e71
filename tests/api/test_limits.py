"""Limits on what one user can send, refused with a 4xx that names the limit and with
nothing written: vertices per geometry (the national configuration's
``geometry.max_vertices``), request body size, features or submissions per upload; and the
reviewer queue answers without shipping the polygons (synthetic data)."""

from __future__ import annotations

import json
import time
from types import ModuleType

import numpy as np
import pytest
import shapely
from api_support import SQUARE, Api

from minewatch.api.geojson import geojson_positions
from minewatch.api.settings import ApiSettings
from minewatch.domain.geometry import GeometryRules, check_geometries
from minewatch.store import ReportQuery

MILLION = 1_000_000


def circle(vertices: int) -> dict[str, object]:
    """A GeoJSON polygon of about 1 km across at 30° E, 50° N with this many vertices."""
    angle = np.linspace(0, 2 * np.pi, vertices - 1, endpoint=False)
    ring = np.c_[30 + 0.01 * np.cos(angle), 50 + 0.01 * np.sin(angle)].round(7).tolist()
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def report(geometry: object) -> dict[str, object]:
    return {
        "kind": "hazardous_area",
        "date_of_information": "2024-03-01",
        "changes": {"name": "Synthetic area", "status": "open"},
        "geometry": geometry,
    }


@pytest.fixture(scope="module")
def million() -> bytes:
    return json.dumps(report(circle(MILLION))).encode()


def test_a_million_vertex_polygon_is_refused_quickly_naming_the_limit(
    api: Api, million: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    w1 = api.client("w1")
    started = time.perf_counter()
    too_big = w1.post("/api/reports", content=million, headers={"content-type": "application/json"})
    body_seconds = time.perf_counter() - started
    assert too_big.status_code == 413, too_big.text
    assert f"{ApiSettings().max_request_bytes:,} bytes" in too_big.json()["detail"]

    api.settings = ApiSettings(max_request_bytes=64 * 1024 * 1024)  # let the body in

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the GeoJSON was parsed before its vertices were counted")

    monkeypatch.setattr(shapely, "from_geojson", never)
    refused = api.client("w1").post(
        "/api/reports", content=million, headers={"content-type": "application/json"}
    )
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["location"]["field"] == "geometry"
    assert "1,000,000 vertices, more than the 100,000 allowed" in problem["detail"]
    assert "geometry.max_vertices" in problem["detail"]
    assert api.store.list_reports(ReportQuery()) == []
    # Before the limits this took 14 s and stored the polygon. Refusing the body takes well
    # under a second (a generous bound: the machines running the tests are shared); the
    # vertex count is checked before GEOS parses anything (``never`` above), so what is left
    # is reading 40 MB of JSON, whose time depends on the machine's load.
    assert body_seconds < 10, body_seconds


def test_a_geometry_at_the_limit_is_accepted(api: Api) -> None:
    rules = GeometryRules(max_vertices=50)
    check = check_geometries([None], rules=rules)  # an empty check still runs
    assert check.rejected.tolist() == [True]
    at_limit = circle(50)
    assert geojson_positions(at_limit) == 50
    from shapely.geometry import shape

    polygon = shape(at_limit)
    assert not check_geometries([polygon], rules=rules).rejected[0]
    over = check_geometries([shape(circle(51))], rules=rules)
    assert over.rejected[0] and over.findings[0].rule.value == "too_many_vertices"
    created = api.client("w1").post("/api/reports", json=report(circle(5_000)))
    assert created.status_code == 201, created.text


def test_an_upload_with_a_huge_polygon_is_refused_and_writes_nothing(
    api: Api, million: bytes
) -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "huge", "status": "open"},
                "geometry": json.loads(million)["geometry"],
            }
        ],
    }
    answer = api.client("w1").post(
        "/api/intake/geodata",
        files={"file": ("huge.geojson", json.dumps(collection).encode())},
        data={"kind": "hazardous_area"},
    )
    assert answer.status_code == 422, answer.text[:500]
    [rejected] = answer.json()["rejected"]
    assert rejected["field"] == "geometry" and "geometry.max_vertices" in rejected["reason"]
    assert api.store.list_reports(ReportQuery()) == []


def test_uploads_with_too_many_features_or_submissions(api: Api, sf: ModuleType) -> None:
    api.settings = ApiSettings(max_upload_features=3)
    areas = sf.hazard_areas_geojson([(f"Area {i}", "open") for i in range(4)])
    answer = api.client("w1").post(
        "/api/intake/geodata",
        files={"file": ("areas.geojson", areas)},
        data={"kind": "hazardous_area", "keep_going": "true"},
    )
    assert answer.status_code == 422, answer.text
    assert "more than 3 features" in answer.json()["detail"]
    assert "max_upload_features" in answer.json()["detail"]
    upload = sf.kobo_hazard_upload("ORG-1", [f"uuid:limit-{i}" for i in range(4)])
    answer = api.client("w1").post("/api/intake/submissions", files={"file": upload})
    assert answer.status_code == 422 and "more than 3 submissions" in answer.json()["detail"]
    assert api.store.list_reports(ReportQuery()) == []
    three = sf.hazard_areas_geojson([(f"Area {i}", "open") for i in range(3)])
    answer = api.client("w1").post(
        "/api/intake/geodata",
        files={"file": ("three.geojson", three)},
        data={"kind": "hazardous_area"},
    )
    assert answer.status_code == 200 and answer.json()["landed"] == 3, answer.text


def test_the_review_queue_sends_summaries_not_polygons(api: Api) -> None:
    w1 = api.client("w1")
    code = w1.post("/api/reports", json=report(circle(20_000))).json()["code"]
    w1.post("/api/reports", json=report(SQUARE))
    listing = w1.get("/api/reports")
    assert listing.status_code == 200
    entries = {r["code"]: r for r in listing.json()["reports"]}
    summary = entries[code]["geometry_summary"]
    assert "geometry" not in entries[code]
    assert summary["type"] == "Polygon" and summary["vertices"] == 20_000
    west, south, east, north = summary["bbox"]
    assert 29.98 < west < east < 30.02 and 49.98 < south < north < 50.02
    # an ellipse with 0.01° semi-axes at 50° N: π × 0.716 km × 1.112 km ≈ 2.50 km²
    assert 2.45e6 < summary["area_m2"] < 2.55e6
    assert len(listing.content) < 10_000
    single = w1.get(f"/api/reports/{code}").json()
    assert len(single["geometry"]["coordinates"][0]) == 20_000
