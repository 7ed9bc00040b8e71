"""Records store benchmarks (issue: mine action records).

(a) Import 100,000 hazardous-area polygons and 1,000,000 device-find points from a
    GeoPackage into the embedded store, against ``ogr2ogr`` copying the same layers to a new
    GeoPackage. Target: at most 3× ogr2ogr's time.
(b) "Which hazardous areas lie within 500 m of this point?" on 100,000 areas: median and p99
    latency, against the same query in PostGIS. Target: median under 5 ms and within 2× of
    PostGIS.
(c) Peak memory of the 1M-point import, in a child process. Target: under 1 GiB.

All data are SYNTHETIC (benchmarks/synthetic_records.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

from benchmarks.harness import Result, timed
from benchmarks.synthetic_records import EXTENT, write_source

AREA_MAPPING = {
    "kind": "hazardous_area",
    "layer": "areas",
    "id_column": "area_id",
    "fields": {"status": "status", "classification": "class", "description": "note"},
}
FIND_MAPPING = {
    "kind": "device_find",
    "layer": "finds",
    "id_column": "find_id",
    "fields": {"category": "category", "depth_cm": "depth_cm", "condition": "condition"},
}

_CHILD = """
import json, sys, time
from benchmarks.harness import peak_rss_mib
from minewatch.domain.access import local_admin
from minewatch.io.mapping import load_mapping
from minewatch.services.imports import import_file
from minewatch.services.records import Workflow
from minewatch.store import open_store
source, target, mappings = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
store = open_store(target, create=True)
workflow = Workflow(store, local_admin("benchmark"))
start = time.perf_counter()
landed = 0
for mapping in mappings:
    landed += import_file(workflow, source, load_mapping(mapping)).landed
store.close()
print(json.dumps({"seconds": time.perf_counter() - start, "landed": landed,
                  "peak_mib": peak_rss_mib()}))
"""


def _import_in_child(
    source: Path, target: Path, mappings: list[dict[str, object]]
) -> dict[str, float]:
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": f"{root / 'src'}:{root}"}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(source), str(target), json.dumps(mappings)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _ogr2ogr(source: Path, target: Path) -> float:
    target.unlink(missing_ok=True)
    seconds, _ = timed(
        lambda: subprocess.run(["ogr2ogr", "-f", "GPKG", str(target), str(source)], check=True)
    )
    return seconds


def _latencies(store: object, points: np.ndarray) -> np.ndarray:
    from minewatch.domain.records import Kind
    from minewatch.store import ItemQuery

    out = []
    for lon, lat in points:
        start = time.perf_counter()
        store.query_items(ItemQuery(Kind.HAZARDOUS_AREA, near=(float(lon), float(lat), 500.0)))  # type: ignore[attr-defined]
        out.append(time.perf_counter() - start)
    return np.array(out) * 1000


def _postgis_store(areas_source: Path) -> tuple[object, str] | None:
    base = os.environ.get("MINEWATCH_TEST_POSTGRES_URL")
    if not base:
        return None
    from urllib.parse import quote

    import sqlalchemy as sa

    from minewatch.domain.access import local_admin
    from minewatch.io.mapping import load_mapping
    from minewatch.services.imports import import_file
    from minewatch.services.records import Workflow
    from minewatch.store import open_store

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = f"{base}?options={quote(f'-csearch_path={schema},public')}"
    store = open_store(url, create=True)
    import_file(Workflow(store, local_admin("benchmark")), areas_source, load_mapping(AREA_MAPPING))
    with store.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql("ANALYZE hazardous_area")
    return store, schema


def run(quick: bool) -> list[Result]:
    n_areas, n_finds, n_queries = (5_000, 50_000, 200) if quick else (100_000, 1_000_000, 1_000)
    work = Path(tempfile.mkdtemp(prefix="mw-bench-store-"))
    results: list[Result] = []
    try:
        source = write_source(work / "source.gpkg", n_areas, n_finds)
        baseline = _ogr2ogr(source, work / "ogr2ogr.gpkg")
        ours = _import_in_child(source, work / "store.gpkg", [AREA_MAPPING, FIND_MAPPING])
        label = f"import {n_areas:,} areas + {n_finds:,} finds"
        results.append(
            Result(
                "store",
                label,
                ours["seconds"],
                "s",
                "ogr2ogr copy",
                baseline,
                baseline / ours["seconds"],
                "≤3× ogr2ogr (ratio ≥ 0.33)",
                ours["seconds"] <= 3 * baseline,
            )
        )
        results.append(
            Result(
                "store",
                "peak memory of that import",
                ours["peak_mib"],
                "MiB",
                target="< 1024 MiB",
                met=ours["peak_mib"] < 1024,
            )
        )
        results += _query_results(work / "store.gpkg", source, n_queries, n_areas)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def _query_results(store_path: Path, source: Path, n_queries: int, n_areas: int) -> list[Result]:
    from minewatch.store import open_store

    rng = np.random.default_rng(11)
    minx, miny, maxx, maxy = EXTENT
    points = np.column_stack(
        [rng.uniform(minx, maxx, n_queries), rng.uniform(miny, maxy, n_queries)]
    )
    embedded = open_store(str(store_path))
    _latencies(embedded, points[:20])  # warm caches
    ours = _latencies(embedded, points)
    embedded.close()
    label = f"areas within 500 m, {n_areas:,} areas"
    out = [Result("store", f"{label}: p99", float(np.percentile(ours, 99)), "ms")]
    pg = _postgis_store(source)
    if pg is None:
        out.insert(
            0,
            Result(
                "store",
                f"{label}: median",
                float(np.median(ours)),
                "ms",
                target="< 5 ms (PostGIS not reachable)",
                met=bool(np.median(ours) < 5),
            ),
        )
        return out
    store, schema = pg
    _latencies(store, points[:20])
    theirs = _latencies(store, points)
    with store.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    store.close()  # type: ignore[attr-defined]
    median, their_median = float(np.median(ours)), float(np.median(theirs))
    out.insert(
        0,
        Result(
            "store",
            f"{label}: median",
            median,
            "ms",
            "PostGIS same query",
            their_median,
            their_median / median,
            "< 5 ms and within 2× of PostGIS (ratio ≥ 0.5)",
            median < 5 and median <= 2 * their_median,
        ),
    )
    out.append(Result("store", f"{label}: p99 PostGIS", float(np.percentile(theirs, 99)), "ms"))
    return out
