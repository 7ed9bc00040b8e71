"""Real clients read the OGC API: GDAL's OAPIF driver (``ogrinfo``) and OWSLib, against
uvicorn serving the app on a free port of 127.0.0.1 (synthetic data)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import uvicorn
from api_support import Api
from shapely import Point, box

from minewatch.api.app import create_app
from minewatch.domain.access import local_admin
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.services.records import Draft, Workflow


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """GeoPackage only: the clients see HTTP, which both backends share (the queries behind it
    run on both in test_ogc.py); starting servers and GDAL twice would double the cost."""
    return f"sqlite:///{tmp_path / 'store.gpkg'}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(api: Api) -> Iterator[str]:
    """The OGC API base URL of a live server over ``api``'s store, with 25 areas and 3 finds."""
    drafts = [
        Draft(Kind.HAZARDOUS_AREA, {"status": "open", "name": f"Area {i}"}, date(2024, 1, 1),
              box(30 + i / 10, 50, 30 + i / 10 + 0.05, 50.05))
        for i in range(25)
    ] + [
        Draft(Kind.DEVICE_FIND, {"category": "ap_mine", "model": "PMN-2"}, date(2024, 2, 1),
              Point(30 + i / 10, 50.02))
        for i in range(3)
    ]  # fmt: skip
    Workflow(api.store, local_admin()).create_drafts(drafts, state=ReportState.APPROVED)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(api.store), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}/ogc"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo is not installed")
def test_gdal_oapif_driver_reads_the_layers(served: str) -> None:
    listing = subprocess.run(
        ["ogrinfo", "-ro", "-q", f"OAPIF:{served}"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    for layer in ("hazardous_areas", "device_finds", "accidents", "strikes"):
        assert layer in listing
    # Page size 10 forces GDAL to follow our "next" links through three pages.
    summary = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-oo", "PAGE_SIZE=10", f"OAPIF:{served}", "hazardous_areas"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert "Feature Count: 25" in summary
    assert "Multi Polygon" in summary or "MultiPolygon" in summary
    features = subprocess.run(
        ["ogrinfo", "-ro", "-oo", "PAGE_SIZE=10", "-spat", "30.06", "49", "30.32", "51",
         f"OAPIF:{served}", "hazardous_areas"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert features.count("OGRFeature(hazardous_areas)") == 3
    assert "Area 1" in features and "Area 0" not in features


def test_owslib_reads_collections_and_items(served: str) -> None:
    from owslib.ogcapi.features import Features

    api = Features(served)
    assert any("ogcapi-features-1/1.0/conf/core" in c for c in api.conformance()["conformsTo"])
    ids = [c["id"] for c in api.collections()["collections"]]
    assert "hazardous_areas" in ids and "victims" not in ids
    page = api.collection_items("hazardous_areas", limit=5, bbox=[30.06, 49, 30.32, 51])
    assert page["numberMatched"] == 3 and len(page["features"]) == 3
    finds = api.collection_items("device_finds")
    assert finds["features"][0]["properties"]["model"] == "PMN-2"
    one = api.collection_item("hazardous_areas", "HA-000001")
    assert one["properties"]["name"] == "Area 0"
