"""The CLI and the API accept and refuse the same inputs under one national configuration.

Both doors build their context with :func:`minewatch.services.context.open_context`; this
test sends the same SYNTHETIC inputs through each, under a national configuration that
differs from the shipped defaults in every section the doors use (geometry rules, national
boundary, classification thresholds, priority settings), and compares what each accepted,
repaired and refused. Under the shipped defaults the answers differ, which shows the file
was applied rather than ignored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from api_support import Api, run_cli

from minewatch.domain.records import Kind
from minewatch.store import ReportQuery, open_store

BOUNDARY = [[30.0, 50.0], [30.2, 50.0], [30.2, 50.2], [30.0, 50.2], [30.0, 50.0]]
NATIONAL = """
[geometry]
national_boundary = "boundary.geojson"
max_vertex_gap_m = 300.0
vertex_gap_severity = "error"

[classification]
sha_threshold = 0.7
cha_threshold = 0.95

[priority]
default_scenario = "livelihoods"
"""


def _square(lon: float, lat: float, side: float) -> list[list[list[float]]]:
    return [
        [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    ]


#: name -> geometry: inside the boundary; outside it; inside but with 1.4 km edges (over the
#: configured 300 m gap, an error here, fine under the defaults); a bow tie to be repaired.
FEATURES: dict[str, dict[str, Any]] = {
    "inside": {"type": "Polygon", "coordinates": _square(30.05, 50.05, 0.002)},
    "outside": {"type": "Polygon", "coordinates": _square(31.05, 50.05, 0.002)},
    "long_edges": {"type": "Polygon", "coordinates": _square(30.1, 50.1, 0.02)},
    "bow_tie": {
        "type": "Polygon",
        "coordinates": [
            [[30.15, 50.15], [30.152, 50.152], [30.152, 50.15], [30.15, 50.152], [30.15, 50.15]]
        ],
    },
}
EVIDENCE = [{"type": "marking", "source": "seen"}, {"type": "scrap", "source": "told"}]


@pytest.fixture
def national(tmp_path: Path) -> Path:
    boundary = {"type": "Polygon", "coordinates": [BOUNDARY]}
    (tmp_path / "boundary.geojson").write_text(json.dumps(boundary))
    path = tmp_path / "national.toml"
    path.write_text(NATIONAL)
    return path


def _geojson(tmp_path: Path, name: str, geometry: dict[str, Any]) -> Path:
    path = tmp_path / f"{name}.geojson"
    feature = {"type": "Feature", "properties": {"name": name}, "geometry": geometry}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def _cli(*args: str, config: Path | None) -> tuple[int, str]:
    return run_cli(*args, national_config=config)


def _cli_outcomes(tmp_path: Path, url: str, config: Path | None) -> dict[str, str]:
    """Each feature imported alone through ``minewatch import``: accepted, repaired or
    refused (with the rule that refused it)."""
    outcomes = {}
    for name, geometry in FEATURES.items():
        code, out = _cli(
            "import", str(_geojson(tmp_path, name, geometry)), "-s", url,
            "--kind", "hazardous_area", "--state", "draft", config=config,
        )  # fmt: skip
        outcomes[name] = _verdict(code == 0, out)
    return outcomes


def _api_outcomes(api: Api) -> dict[str, str]:
    """Each feature sent as a new draft report to ``POST /api/reports``."""
    client = api.client("admin")
    outcomes = {}
    for name, geometry in FEATURES.items():
        body = {
            "kind": "hazardous_area",
            "date_of_information": "2024-03-01",
            "changes": {"name": name},
            "geometry": geometry,
        }
        answer = client.post("/api/reports", json=body)
        assert answer.status_code in (201, 422), answer.text
        outcomes[name] = _verdict(answer.status_code == 201, answer.text)
    return outcomes


def _verdict(accepted: bool, text: str) -> str:
    if not accepted:
        for rule, said in (("outside", "outside the national boundary"), ("vertex_gap", "apart")):
            if said in text:
                return f"refused: {rule}"
        return "refused"
    return "repaired" if "repair" in text.lower() else "accepted"


def _repaired_in_store(url: str) -> set[str]:
    with open_store(url) as store:
        reports = store.list_reports(ReportQuery(kind=Kind.HAZARDOUS_AREA))
    return {str(r.changes.get("name")) for r in reports if any("repair" in n for n in r.notes)}


def test_geometry_rules_and_boundary_are_the_same_through_both_doors(
    api: Api, national: Path, tmp_path: Path, store_url: str
) -> None:
    api.national_config = national
    through_api = _api_outcomes(api)
    cli_store = (
        f"sqlite:///{tmp_path / 'cli.gpkg'}" if store_url.startswith("sqlite") else store_url
    )
    open_store(cli_store, create=True).close()
    through_cli = _cli_outcomes(tmp_path, cli_store, national)
    assert through_api["inside"] == "accepted"
    assert through_api["outside"] == "refused: outside"
    assert through_api["long_edges"] == "refused: vertex_gap"
    assert through_cli == through_api, (through_cli, through_api)
    # The bow tie was repaired the same way, and the repair recorded, through both doors.
    assert "bow_tie" in _repaired_in_store(cli_store)
    assert "bow_tie" in _repaired_in_store(store_url)


def test_without_the_file_both_doors_use_the_shipped_defaults(
    api: Api, tmp_path: Path, store_url: str
) -> None:
    through_api = _api_outcomes(api)
    cli_store = f"sqlite:///{tmp_path / 'cli.gpkg'}"
    open_store(cli_store, create=True).close()
    through_cli = _cli_outcomes(tmp_path, cli_store, None)
    assert through_api["outside"] == through_api["long_edges"] == "accepted"
    assert through_cli == through_api


def test_classification_and_priority_settings_are_the_same_through_both_doors(
    api: Api, national: Path
) -> None:
    api.national_config = national
    code, out = _cli("qm", "classify", "--evidence", json.dumps(EVIDENCE), "-f", "json",
                     config=national)  # fmt: skip
    assert code == 0, out
    [by_cli] = json.loads(out)
    by_api = api.client().post("/api/qm/classify", json={"evidence": EVIDENCE}).json()
    assert (by_cli["sha_threshold"], by_cli["cha_threshold"]) == (0.7, 0.95)
    assert by_api["suggestion"] == by_cli["suggestion"]
    assert (by_api["sha_threshold"], by_api["cha_threshold"]) == (0.7, 0.95)
    code, shipped = _cli("qm", "classify", "--evidence", json.dumps(EVIDENCE), "-f", "json",
                         config=None)  # fmt: skip
    assert json.loads(shipped)[0]["sha_threshold"] == 0.3  # the file was applied, not ignored
    scenarios = api.client("admin").get("/api/priority/scenarios").json()
    assert scenarios["default_scenario"] == "livelihoods"


def test_a_bad_national_configuration_fails_both_doors_naming_the_key(
    api: Api, tmp_path: Path, store_url: str
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[geometry]\nmax_vertex_gap_m = -1\n")
    code, out = _cli("list", "hazardous_area", "-s", store_url, config=bad)
    assert code != 0 and "max_vertex_gap_m" in out and "Traceback" not in out
    api.national_config = bad
    with pytest.raises(Exception, match="max_vertex_gap_m"):
        api.client()
