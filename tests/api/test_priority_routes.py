"""Clearance prioritisation over HTTP, on a small SYNTHETIC store whose ranking can be checked
by hand (both backends).

The national configuration (the server's ``--national-config``) has one scenario, ``simple``: blockages 1,
residual risk 1, victims 2, so weight shares 0.25, 0.25 and 0.5, min-max normalised.

========  ==========  ========  =======  ===========================================
area      blockages   residual  victims  score
========  ==========  ========  =======  ===========================================
HA-A      2 (1.0)     4 (1.0)   0 (0)    25 + 25 + 0 = 50
HA-B      1 (0.5)     0 (0)     2 (1.0)  12.5 + 0 + 50 = 62.5
HA-C      0 (0)       4 (1.0)   0 (0)    0 + 25 + 0 = 25
HA-D      released: not ranked
========  ==========  ========  =======  ===========================================

HA-B's two victims come from one accident 500 m from it in 2024 (as of 2025-01-01, the
period is five years and the radius 2 km); the others are over 20 km away.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import rasterio
from api_support import Api
from rasterio.transform import from_origin
from shapely import Point, box

from minewatch.domain.records import (
    Accident,
    Blockage,
    BlockageType,
    HazardousArea,
    HazardStatus,
    Victim,
)

AS_OF = {"as_of": "2025-01-01"}

NATIONAL = """
[priority]
default_scenario = "simple"
[priority.scenarios.simple]
description = "Synthetic test scenario"
weights = { blockages = 1, residual_risk = 1, victims = 2 }
[priority.scenarios.people]
description = "Synthetic: people nearby and blockages"
weights = { population = 1, blockages = 1 }
"""


def _blocked(*kinds: BlockageType) -> tuple[Blockage, ...]:
    return tuple(Blockage(type=k) for k in kinds)


@pytest.fixture
def ranked_api(api: Api, tmp_path: Path) -> Api:
    config = tmp_path / "national.toml"
    config.write_text(NATIONAL, encoding="utf-8")
    api.national_config = config
    api.store.put_items(
        [
            HazardousArea(
                code="HA-A", name="Synthetic A", organisation_code="ORG-1",
                blockages=_blocked(BlockageType.ROAD, BlockageType.WATER), residual_risk=4.0,
                geometry=box(30.0, 50.0, 30.002, 50.002),
            ),
            HazardousArea(
                code="HA-B", name="Synthetic B", organisation_code="ORG-2",
                blockages=_blocked(BlockageType.ROAD), residual_risk=0.0,
                geometry=box(30.3, 50.0, 30.302, 50.002),
            ),
            HazardousArea(
                code="HA-C", name="Synthetic C", organisation_code="ORG-1", residual_risk=4.0,
                geometry=box(30.6, 50.0, 30.602, 50.002),
            ),
            HazardousArea(
                code="HA-D", status=HazardStatus.RELEASED, residual_risk=99.0,
                geometry=box(30.9, 50.0, 30.902, 50.002),
            ),
        ]
    )  # fmt: skip
    api.store.put_items(
        [Accident(code="ACC-1", accident_date=date(2024, 3, 1), geometry=Point(30.301, 50.0065))]
    )
    api.store.put_items(
        [
            Victim(code="VIC-1", accident_code="ACC-1", name="Synthetic Victim Name"),
            Victim(code="VIC-2", accident_code="ACC-1", contact="synthetic-contact-0000"),
        ]
    )
    return api


def test_ranking_matches_the_hand_computed_scores(ranked_api: Api) -> None:
    body = ranked_api.client().get("/api/priority/ranking", params=AS_OF).json()
    assert body["scenario"] == "simple"
    assert body["numberMatched"] == 3
    got = [(a["rank"], a["code"], round(a["score"], 6)) for a in body["areas"]]
    assert got == [(1, "HA-B", 62.5), (2, "HA-A", 50.0), (3, "HA-C", 25.0)]
    first = body["areas"][0]
    assert first["indicators"] == {"blockages": 1.0, "residual_risk": 0.0, "victims": 2.0}
    assert first["name"] == "Synthetic B"
    assert [t["indicator"] for t in first["top_indicators"]] == ["victims", "blockages"]
    assert first["lis_points"] == 1 + 2 * 2  # one blocked road, two recent victims
    sources = {c["indicator"]: (c["source"], c["known"]) for c in body["coverage"]}
    assert sources == {
        "blockages": ("store", 3),
        "residual_risk": ("store", 3),
        "victims": ("store", 3),
    }


def test_paging_and_filters_keep_national_ranks(ranked_api: Api) -> None:
    client = ranked_api.client()
    page = client.get("/api/priority/ranking", params={**AS_OF, "limit": 1, "offset": 1}).json()
    assert [a["code"] for a in page["areas"]] == ["HA-A"]
    assert {link["rel"] for link in page["links"]} == {"self", "next", "prev"}
    org = client.get("/api/priority/ranking", params={**AS_OF, "organisation_code": "ORG-1"})
    assert [(a["rank"], a["code"]) for a in org.json()["areas"]] == [(2, "HA-A"), (3, "HA-C")]
    none = client.get("/api/priority/ranking", params={**AS_OF, "location_code": "LOC-X"})
    assert none.json()["numberMatched"] == 0


def test_explanation_adds_up_to_the_score(ranked_api: Api) -> None:
    body = ranked_api.client("viewer").get("/api/priority/explain/HA-A", params=AS_OF).json()
    assert (body["rank"], body["of"], body["score"]) == (2, 3, 50.0)
    rows = {r["indicator"]: r for r in body["indicators"]}
    assert rows["blockages"]["contribution"] == pytest.approx(25.0)
    assert rows["residual_risk"]["normalised"] == pytest.approx(1.0)
    assert rows["victims"]["weight_share"] == pytest.approx(0.5)
    assert sum(r["contribution"] for r in body["indicators"]) == pytest.approx(50.0)
    missing = ranked_api.client().get("/api/priority/explain/HA-D", params=AS_OF)
    assert missing.status_code == 404  # released areas are not ranked


def test_unknown_scenario_is_a_clear_error(ranked_api: Api) -> None:
    r = ranked_api.client().get("/api/priority/ranking", params={"scenario": "balanced"})
    assert r.status_code == 422
    assert r.json()["location"]["field"] == "scenario"
    assert "simple" in r.json()["detail"]


def test_scenarios_name_layers_but_never_server_paths(ranked_api: Api, tmp_path: Path) -> None:
    body = ranked_api.client().get("/api/priority/scenarios").json()
    assert body["default_scenario"] == "simple"
    simple = next(s for s in body["scenarios"] if s["name"] == "simple")
    assert {w["indicator"]: w["share"] for w in simple["weights"]} == {
        "blockages": 0.25, "residual_risk": 0.25, "victims": 0.5,
    }  # fmt: skip
    assert body["context_layers"]["population"] is False
    assert str(tmp_path) not in str(body)


def _population_raster(path: Path) -> None:
    """Ten people per 0.001° cell around HA-A only (SYNTHETIC)."""
    values = np.full((40, 40), 10.0, dtype=np.float32)
    with rasterio.open(
        path, "w", driver="GTiff", width=40, height=40, count=1, dtype="float32",
        crs="EPSG:4326", transform=from_origin(29.98, 50.02, 0.001, 0.001),
    ) as dst:  # fmt: skip
        dst.write(values, 1)


def test_context_layers_come_from_the_configuration(ranked_api: Api, tmp_path: Path) -> None:
    missing = ranked_api.client().get("/api/priority/ranking", params={"scenario": "people"})
    people = next(c for c in missing.json()["coverage"] if c["indicator"] == "population")
    assert (people["source"], people["known"], people["missing"]) == ("not configured", 0, 3)

    _population_raster(tmp_path / "people.tif")
    config = tmp_path / "national-with-population.toml"
    config.write_text(NATIONAL + '[priority.context]\npopulation = "people.tif"\n')
    ranked_api.national_config = config  # the configuration is read when the server starts
    body = ranked_api.client().get("/api/priority/ranking", params={"scenario": "people"}).json()
    people = next(c for c in body["coverage"] if c["indicator"] == "population")
    assert (people["source"], people["known"]) == ("context", 3)
    values = {a["code"]: a["indicators"]["population"] for a in body["areas"]}
    assert values["HA-A"] > 0 and values["HA-B"] == values["HA-C"] == 0
    assert body["areas"][0]["code"] == "HA-A"  # most people and most blockages


def test_downloads_hold_the_same_ranking(ranked_api: Api, tmp_path: Path) -> None:
    client = ranked_api.client()
    text = client.get("/api/priority/ranking.csv", params=AS_OF)
    assert text.headers["content-type"].startswith("text/csv")
    assert "attachment" in text.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(text.text)))
    assert [(r["rank"], r["code"]) for r in rows] == [("1", "HA-B"), ("2", "HA-A"), ("3", "HA-C")]
    gpkg = client.get("/api/priority/ranking.gpkg", params=AS_OF)
    path = tmp_path / "ranked.gpkg"
    path.write_bytes(gpkg.content)
    with sqlite3.connect(path) as db:
        ranked = db.execute('SELECT code FROM "ranked" ORDER BY "rank"').fetchall()
    assert [c for (c,) in ranked] == ["HA-B", "HA-A", "HA-C"]


def test_map_layers_as_geojson(ranked_api: Api) -> None:
    client = ranked_api.client()
    areas = client.get("/api/priority/ranking.geojson", params=AS_OF)
    assert areas.headers["content-type"] == "application/geo+json"
    props = {f["properties"]["code"]: f["properties"] for f in areas.json()["features"]}
    assert props["HA-B"]["rank"] == 1 and props["HA-B"]["lis_band"] == "low"
    cells = client.get("/api/priority/grid", params={**AS_OF, "resolution": 5}).json()
    assert sum(f["properties"]["n_areas"] for f in cells["features"]) == 3
    assert max(f["properties"]["max_score"] for f in cells["features"]) == pytest.approx(62.5)
    fine = client.get("/api/priority/grid", params={"resolution": 15})  # ~100,000 cells
    assert fine.status_code == 422 and fine.json()["location"]["field"] == "resolution"


def test_maps_as_png_and_offline_html(ranked_api: Api) -> None:
    client = ranked_api.client()
    for path in ("/api/priority/ranking", "/api/priority/grid"):
        png = client.get(f"{path}.png", params={**AS_OF, "resolution": 5})
        assert png.status_code == 200 and png.headers["content-type"] == "image/png"
        assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
        assert png.headers["content-disposition"].startswith("inline; filename=")
        html = client.get(f"{path}.html", params={**AS_OF, "resolution": 5})
        assert html.headers["content-type"].startswith("text/html")
        assert "<script" in html.text and '<script src="http' not in html.text  # offline
    ranked = client.get("/api/priority/ranking.html", params=AS_OF).text
    assert all(code in ranked for code in ("HA-A", "HA-B", "HA-C"))
    assert "Clearance priority" in ranked
    french = client.get(
        "/api/priority/ranking.html", params=AS_OF, headers={"Accept-Language": "fr"}
    ).text
    # plotly writes the title into its JSON: escaped by the json module, as is by orjson
    titled = ("Priorit\\u00e9 de d\\u00e9pollution", "Priorité de dépollution")
    assert any(t in french for t in titled) and "Clearance priority" not in french
    assert all(code in french for code in ("HA-A", "HA-B", "HA-C"))  # codes stay codes
    areas = client.get("/api/priority/grid.html", params={"column": "n_areas", "resolution": 5})
    assert areas.status_code == 200 and "n_areas" in areas.text
    for bad_column in ("victims' names", "cell"):  # the H3 id is no surface to colour
        bad = client.get("/api/priority/grid.png", params={"column": bad_column})
        assert bad.status_code == 422 and bad.json()["location"]["field"] == "column"
        assert "'cell'" not in bad.json()["detail"] and "max_score" in bad.json()["detail"]


def test_sensitivity_reports_every_weight_change(ranked_api: Api) -> None:
    body = ranked_api.client().get("/api/priority/sensitivity", params=AS_OF).json()
    assert body["steps"] == [-0.5, -0.25, 0.25, 0.5]
    assert len(body["perturbations"]) == 3 * 4
    assert [a["code"] for a in body["areas"]] == ["HA-B", "HA-A", "HA-C"]
    # victims at half weight (shares 1/3, 1/3, 1/3): A 66.7 passes B 50, so B's worst is 2
    b = body["areas"][0]
    assert (b["base_rank"], b["best_rank"], b["worst_rank"]) == (1, 1, 2)


def test_victims_leave_only_as_counts(ranked_api: Api) -> None:
    """Even for an administrator with the personal-data grant, no victim's details are read
    (so nothing is audited as such a read) or sent."""
    client = ranked_api.client("admin")
    before = len(ranked_api.accounts.audit_log(ranked_api.actor("admin")))
    paths = ["/api/priority/ranking", "/api/priority/ranking.csv", "/api/priority/explain/HA-B"]
    for path in paths:
        text = client.get(path, params=AS_OF).text
        assert "Victim Name" not in text and "synthetic-contact" not in text
    entries = ranked_api.accounts.audit_log(ranked_api.actor("admin"))
    assert not [e for e in entries[: len(entries) - before] if e.action == "read_personal_data"]


def test_a_store_without_open_areas_says_so(api: Api) -> None:
    r = api.client("viewer").get("/api/priority/ranking")
    assert r.status_code == 422
    assert "no hazardous areas" in r.json()["detail"]
