"""What a prioritisation request costs over HTTP. On the SYNTHETIC demo store (``minewatch
demo``: 40 areas) and, on a full run, the same generator with 2,000 areas, each
``/api/priority`` route is timed (best of five, through the in-process client) twice: afresh
(the kept indicators forgotten before each request, so it reads the areas and computes
every indicator) and kept (the indicators of the same store state reused, as when the
Priorities page asks for a ranking, then its map, sensitivity and grid). The baseline, in the
same run, is listing the same hazardous areas as GeoJSON (``/api/items/hazardous_area``), the
cheapest request that reads them all. There is no target.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi.testclient import TestClient

from benchmarks.harness import Result, timed
from minewatch.api.app import create_app
from minewatch.domain.access import local_admin
from minewatch.services.demo import load_demo
from minewatch.services.recent import forget_recent_results
from minewatch.services.records import Workflow
from minewatch.store import open_store

ROUTES = (
    "/api/priority/ranking?limit=20",
    "/api/priority/ranking.geojson",
    "/api/priority/explain/HA-000004",
    "/api/priority/sensitivity",
    "/api/priority/grid",
    "/api/priority/ranking.gpkg",
)


def _store(folder: Path, areas: int) -> str:
    url = f"sqlite:///{folder / f'demo{areas}.gpkg'}"
    repo = open_store(url, create=True)
    load_demo(Workflow(repo, local_admin("benchmark")), areas=areas)
    repo.close()
    return url


def _get(client: TestClient, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code} {response.text[:200]}")


def _measure(url: str, areas: int) -> list[Result]:
    client = TestClient(create_app(url))
    listing = f"/api/items/hazardous_area?limit={areas}"
    _get(client, listing)  # warm: first requests build caches
    baseline, _ = timed(lambda: _get(client, listing), repeat=5)
    results = []
    for route in ROUTES:
        _get(client, route)
        afresh, _ = timed(
            lambda route=route: (forget_recent_results(), _get(client, route)), repeat=5
        )
        kept, _ = timed(lambda route=route: _get(client, route), repeat=5)
        for how, seconds in (("afresh", afresh), ("kept", kept)):
            results.append(
                Result(
                    benchmark=f"priority_api ({areas} areas)",
                    measure=f"GET {route.split('?')[0].removeprefix('/api/priority')} {how}",
                    ours=seconds * 1000,
                    unit="ms",
                    baseline_name="list the areas",
                    baseline=baseline * 1000,
                    ratio=baseline / seconds,
                )
            )
    return results


def run(quick: bool) -> list[Result]:
    sizes = (40,) if quick else (40, 2000)
    with tempfile.TemporaryDirectory(prefix="minewatch-bench-priority-api-") as folder:
        return [r for n in sizes for r in _measure(_store(Path(folder), n), n)]
