"""Records store benchmarks (issues 2 and 20), each against a competent baseline measured in
the same run, wall and CPU time, at the sizes ``python -m benchmarks`` asks for (full size:
100,000 hazardous-area polygons and 1,000,000 device-find points).

(a) **Import** the areas and finds from a GeoPackage into the embedded store (a child process:
    its wall, CPU and peak memory), against ``ogr2ogr`` copying the same layers to a new
    GeoPackage, as GDAL ships it and **tuned** as a skilled analyst runs it (one transaction,
    ``-gt unlimited``; no fsync, ``OGR_SQLITE_SYNCHRONOUS=OFF``; a 512 MiB page cache). The
    copies must hold as many features as the store. Target (issue 20): ≤1.5× the tuned
    ``ogr2ogr``; peak memory ≤600 MiB at full size.
(b) **"Which hazardous areas lie within 500 m of this point?"**, median and p99 latency over
    the same random points, on three paths run interleaved: the embedded store; minewatch's
    PostGIS backend; and **raw PostGIS SQL** as an analyst writes it — the same rows and
    columns in a table with a ``geography`` column and a GiST index on it, ``ST_DWithin``
    on geography, one prepared statement over one psycopg connection. CPU per query counts
    the client and, for PostGIS, the server backend serving the connection (read from /proc:
    the server is local). All three must return the same areas (points within a few
    centimetres of 500 m may differ: the store measures in the tangent plane, PostGIS on the
    spheroid; the count of such disagreements is printed). Targets (issue 20): embedded
    median ≤1.5× raw PostGIS; minewatch's PostGIS backend ≤1.3× raw.

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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio

from benchmarks.harness import (
    Result,
    Timing,
    backend_cpu,
    compared,
    interleaved,
    postgis_schema,
)
from benchmarks.synthetic_records import EXTENT, write_source

NAME = "store"
FULL_AREAS, FULL_FINDS = 100_000, 1_000_000
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
#: ogr2ogr as a skilled analyst runs a bulk copy: one transaction, no fsync, a large cache.
TUNED_OGR2OGR = [
    "-gt",
    "unlimited",
    "--config",
    "OGR_SQLITE_SYNCHRONOUS",
    "OFF",
    "--config",
    "OGR_SQLITE_CACHE",
    "512",
]

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
landed = 0
for mapping in mappings:
    landed += import_file(workflow, source, load_mapping(mapping)).landed
store.close()
print(json.dumps({"landed": landed, "peak_mib": peak_rss_mib()}))
"""


def _say(message: str) -> None:
    print(f"  {NAME}: {message}", file=sys.stderr, flush=True)


def _import_in_child(source: Path, target: Path) -> dict[str, float]:
    """Import both layers into a new embedded store in a child process (whose CPU counts as
    ours once it is waited for)."""
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": f"{root / 'src'}:{root}"}
    for leftover in target.parent.glob(target.name + "*"):
        leftover.unlink()
    mappings = json.dumps([AREA_MAPPING, FIND_MAPPING])
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(source), str(target), mappings],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _ogr2ogr(source: Path, target: Path, options: list[str]) -> int:
    """Copy every layer with ogr2ogr; the number of features the copy holds."""
    target.unlink(missing_ok=True)
    subprocess.run(
        ["ogr2ogr", *options, "-f", "GPKG", str(target), str(source)],
        check=True,
        capture_output=True,
    )
    return sum(pyogrio.read_info(target, layer=name)["features"] for name in ("areas", "finds"))


def _import_results(work: Path, source: Path, size: float, judge: bool) -> list[Result]:
    features = sum(pyogrio.read_info(source, layer=n)["features"] for n in ("areas", "finds"))
    runs = interleaved(
        {
            "ours": lambda: _import_in_child(source, work / "store.gpkg"),
            "ogr2ogr tuned": lambda: _ogr2ogr(source, work / "tuned.gpkg", TUNED_OGR2OGR),
            "ogr2ogr default": lambda: _ogr2ogr(source, work / "plain.gpkg", []),
        }
    )
    ours, child = runs["ours"]
    tuned, tuned_count = runs["ogr2ogr tuned"]
    plain, plain_count = runs["ogr2ogr default"]
    if not child["landed"] == tuned_count == plain_count == features:
        raise AssertionError(
            f"import landed {child['landed']}, ogr2ogr copied {tuned_count} / {plain_count} "
            f"of {features} features"
        )
    _say(f"import: ours {ours.wall:.1f} s, tuned ogr2ogr {tuned.wall:.1f} s")
    label = f"import {features:,} features (areas + finds)"
    return [
        compared(
            NAME,
            label,
            ours,
            "ogr2ogr tuned",
            tuned,
            target="≤1.5× tuned ogr2ogr, wall and CPU",
            limit=1.5,
            judge=judge,
            size=size,
            series="import into the embedded store",
        ),
        compared(
            NAME,
            f"{label}, against ogr2ogr's defaults",
            ours,
            "ogr2ogr default",
            plain,
            size=size,
            series="import, against ogr2ogr's defaults",
        ),
        Result(
            NAME,
            "peak memory of that import",
            child["peak_mib"],
            "MiB",
            target="≤600 MiB at full size",
            met=child["peak_mib"] <= 600 if judge else None,
            size=size,
            series="import peak memory",
        ),
    ]


# -- the radius query -------------------------------------------------------------------------


def _store_path(store: Any, points: np.ndarray) -> Callable[[], tuple[list[float], list[set[str]]]]:
    """Each point's query through a minewatch store: latencies (ms) and the codes found."""
    from minewatch.domain.records import Kind
    from minewatch.store import ItemQuery

    def run() -> tuple[list[float], list[set[str]]]:
        latencies, found = [], []
        for lon, lat in points:
            start = time.perf_counter()
            records = store.query_items(
                ItemQuery(Kind.HAZARDOUS_AREA, near=(float(lon), float(lat), 500.0))
            )
            latencies.append((time.perf_counter() - start) * 1000)
            found.append({r.code for r in records})
        return latencies, found

    return run


class _RawPostGIS:
    """An analyst's PostGIS: the store's rows copied into a table with a geography column and a
    GiST index on it, queried with ST_DWithin on geography through one prepared statement."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        self.conn.autocommit = True
        with self.conn.cursor() as cur:
            cur.execute(
                "CREATE TABLE raw_area AS SELECT *, geom::geography AS geog FROM hazardous_area"
            )
            cur.execute("CREATE INDEX raw_area_geog ON raw_area USING gist (geog)")
            cur.execute("ANALYZE raw_area")
            cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = "
                "'hazardous_area' AND table_schema = current_schema() AND column_name <> 'geom' "
                "ORDER BY ordinal_position"
            )
            columns = [row[0] for row in cur.fetchall()]
            cur.execute("SELECT pg_backend_pid()")
            self.pid = int(cur.fetchone()[0])  # type: ignore[index]
        self.sql = (
            f"SELECT {', '.join(columns)}, ST_AsBinary(geom) FROM raw_area "
            "WHERE ST_DWithin(geog, ST_MakePoint(%s, %s)::geography, %s)"
        )
        self.code = columns.index("code")

    def path(self, points: np.ndarray) -> Callable[[], tuple[list[float], list[set[str]]]]:
        import shapely

        def run() -> tuple[list[float], list[set[str]]]:
            latencies, found = [], []
            for lon, lat in points:
                start = time.perf_counter()
                rows = self.conn.execute(
                    self.sql, (float(lon), float(lat), 500.0), prepare=True
                ).fetchall()
                shapely.from_wkb([row[-1] for row in rows])  # the client gets geometries too
                latencies.append((time.perf_counter() - start) * 1000)
                found.append({row[self.code] for row in rows})
            return latencies, found

        return run


def _backend_pids(store: Any) -> Callable[[], float]:
    """CPU seconds of the PostgreSQL backends serving a minewatch store's reads: its read
    pool and the connections it keeps for compiled reads (store/sql/prepared.py)."""

    def read() -> float:
        raws = [record.dbapi_connection for record in list(store.read_engine.pool._pool.queue)]
        lean = getattr(store, "_lean_reads", None)
        if lean is not None:
            raws += [proxied.dbapi_connection for proxied in list(lean._open)]
        return sum(backend_cpu(raw.info.backend_pid) for raw in raws if raw is not None)

    return read


def _query_results(
    store_path: Path, source: Path, n_queries: int, n_areas: int, size: float, judge: bool
) -> list[Result]:
    from minewatch.domain.access import local_admin
    from minewatch.io.mapping import load_mapping
    from minewatch.services.imports import import_file
    from minewatch.services.records import Workflow
    from minewatch.store import open_store

    rng = np.random.default_rng(11)
    minx, miny, maxx, maxy = EXTENT
    points = np.column_stack(
        [rng.uniform(minx, maxx, n_queries), rng.uniform(miny, maxy, n_queries)]
    )
    embedded = open_store(str(store_path))
    label = f"areas within 500 m, {n_areas:,} areas"
    with postgis_schema("bench_store") as url:
        paths: dict[str, Callable[[], tuple[list[float], list[set[str]]]]] = {
            "embedded": _store_path(embedded, points)
        }
        extra: dict[str, Callable[[], float]] = {}
        if url is not None:
            pg = open_store(url, create=True)
            import_file(Workflow(pg, local_admin("benchmark")), source, load_mapping(AREA_MAPPING))
            with pg.engine.begin() as conn:  # type: ignore[attr-defined]
                conn.exec_driver_sql("ANALYZE hazardous_area")
            raw = _RawPostGIS(url)
            paths["minewatch PostGIS"] = _store_path(pg, points)
            paths["raw PostGIS"] = raw.path(points)
            extra = {
                "minewatch PostGIS": _backend_pids(pg),
                "raw PostGIS": lambda: backend_cpu(raw.pid),
            }
        for fn in paths.values():  # warm caches, prepare statements, fill pools
            fn()
        runs = interleaved(paths, extra_cpu=extra)
        if url is not None:
            raw.conn.close()
            pg.close()
    embedded.close()
    out = []

    def latency(name: str) -> tuple[Timing, list[float], list[set[str]]]:
        timing, (latencies, found) = runs[name]
        median = float(np.median(latencies)) / 1000
        cpu = timing.cpu / n_queries
        return (
            Timing(median, median, cpu, timing.cpu_min / n_queries, timing.runs),
            latencies,
            found,
        )

    ours, ours_ms, ours_found = latency("embedded")
    out.append(
        Result(
            NAME,
            f"{label}: p99 embedded",
            float(np.percentile(ours_ms, 99)),
            "ms",
            size=size,
            series="radius p99 embedded",
        )
    )
    if "raw PostGIS" not in runs:
        _say("PostGIS not configured (MINEWATCH_TEST_POSTGRES_URL): no baseline for the query")
        out.insert(
            0,
            Result(
                NAME,
                f"{label}: median embedded",
                ours.wall * 1000,
                "ms",
                cpu=ours.cpu * 1000,
                size=size,
                series="radius median embedded",
            ),
        )
        return out
    theirs, raw_ms, raw_found = latency("raw PostGIS")
    backend, pg_ms, pg_found = latency("minewatch PostGIS")
    differ_embedded = sum(a != b for a, b in zip(ours_found, raw_found, strict=True))
    differ_pg = sum(a != b for a, b in zip(pg_found, raw_found, strict=True))
    if differ_embedded > n_queries // 100 or differ_pg:
        raise AssertionError(
            f"answers differ from raw PostGIS: embedded on {differ_embedded}, "
            f"minewatch PostGIS on {differ_pg} of {n_queries} points"
        )
    ms = lambda t: Timing(t.wall * 1000, t.wall_min * 1000, t.cpu * 1000, t.cpu_min * 1000, t.runs)  # noqa: E731
    out = [
        compared(
            NAME,
            f"{label}: median embedded",
            ms(ours),
            "raw PostGIS ST_DWithin geography+GiST",
            ms(theirs),
            unit="ms",
            target="≤1.5× raw PostGIS",
            limit=1.5,
            judge=judge,
            size=size,
            series="radius median, embedded",
        ),
        compared(
            NAME,
            f"{label}: median minewatch PostGIS backend",
            ms(backend),
            "raw PostGIS ST_DWithin geography+GiST",
            ms(theirs),
            unit="ms",
            target="≤1.3× raw PostGIS",
            limit=1.3,
            judge=judge,
            size=size,
            series="radius median, PostGIS backend",
        ),
        *out,
        Result(
            NAME,
            f"{label}: p99 minewatch PostGIS",
            float(np.percentile(pg_ms, 99)),
            "ms",
            size=size,
            series="radius p99 PostGIS backend",
        ),
        Result(
            NAME,
            f"{label}: p99 raw PostGIS",
            float(np.percentile(raw_ms, 99)),
            "ms",
            size=size,
            series="radius p99 raw PostGIS",
        ),
        Result(
            NAME,
            f"{label}: points whose answer differs from raw PostGIS (embedded)",
            differ_embedded,
            "points",
            target=f"≤1% of {n_queries}",
        ),
    ]
    return out


def run(quick: bool, size: float = 1.0) -> list[Result]:
    scale = size * (0.05 if quick else 1.0)
    n_areas, n_finds = max(int(FULL_AREAS * scale), 100), max(int(FULL_FINDS * scale), 1_000)
    n_queries = 200 if quick else 1_000
    judge = not quick and size >= 1.0
    work = Path(tempfile.mkdtemp(prefix="mw-bench-store-"))
    try:
        source = write_source(work / "source.gpkg", n_areas, n_finds)
        results = []
        if shutil.which("ogr2ogr"):
            results += _import_results(work, source, size, judge)
        else:
            _import_in_child(source, work / "store.gpkg")
            _say("ogr2ogr not found: no import baseline")
        results += _query_results(work / "store.gpkg", source, n_queries, n_areas, size, judge)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results
