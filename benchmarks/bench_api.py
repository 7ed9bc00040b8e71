"""OGC API Features throughput and tail latency: minewatch against pygeoapi.

Both servers run under uvicorn with one worker process (and minewatch also as an operator
starts it for production, ``minewatch serve --workers 0``: one worker per core; issue 20's
targets apply to it: ≥6× pygeoapi's requests per second, p99 under 100 ms at 50 clients,
≤1 ms of server CPU per request, the CPU of every worker counted), at the same ``nice`` level, on
127.0.0.1, serving the same synthetic hazardous areas (100,000 on the full run, 5,000 on the
quick one). A bounded load loop (httpx, 50 concurrent clients, a fixed number of requests)
asks each for ``/collections/hazardous_areas/items?bbox=…`` with the same sequence of random
0.2° boxes (the default page of 10 features, with ``numberMatched``), after a warm-up.

The baseline is pygeoapi 0.21 with its PostgreSQL provider reading the very table minewatch's
PostGIS store keeps. (pygeoapi's SQLite/GeoPackage provider cannot run here: it needs to load
the SpatiaLite extension, and this Python's ``sqlite3`` cannot load extensions; see
DESIGN.md.) minewatch is measured on the same PostGIS table and on its embedded GeoPackage
store holding the same records. Target: at least 3× pygeoapi's requests per second.

Run: ``python -m benchmarks --only api [--quick]`` (needs MINEWATCH_TEST_POSTGRES_URL).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlparse

import httpx  # only to wait for servers to come up
import numpy as np
import shapely
import sqlalchemy as sa

from benchmarks.harness import Result
from minewatch.domain.records import HazardousArea, HazardStatus, HazardType
from minewatch.store import open_store

CONCURRENCY = 50
EXTENT = (30.0, 45.0, 40.0, 55.0)  # a 10° × 10° synthetic programme area
BOX_DEGREES = 0.2
PYGEOAPI = "pygeoapi 0.21 (PostgreSQL provider, same table)"
SERVED_PG = "minewatch serve --workers 0 (one per core, PostGIS)"
SERVED_GPKG = "minewatch serve --workers 0 (one per core, GeoPackage)"


def synthetic_areas(n: int, seed: int = 7) -> list[HazardousArea]:
    """n synthetic hazardous areas: random 100–800 m quadrilaterals over EXTENT."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = EXTENT
    x = rng.uniform(minx, maxx, n)
    y = rng.uniform(miny, maxy, n)
    w, h = rng.uniform(0.001, 0.008, n), rng.uniform(0.001, 0.008, n)
    polygons = shapely.box(x, y, x + w, y + h)
    statuses = list(HazardStatus)
    start = date(2015, 1, 1)
    return [
        HazardousArea(
            code=f"HA-{i + 1:06d}",
            version=1,
            date_of_information=start + timedelta(days=int(i % 3000)),
            name=f"Synthetic area {i + 1}",
            status=statuses[i % len(statuses)],
            hazard_types=(HazardType.AP_MINES,),
            geometry=shapely.MultiPolygon([polygons[i]]),
            reported_area_m2=float(w[i] * h[i] * 1e10),
        )
        for i in range(n)
    ]


def load(url: str, areas: list[HazardousArea], batch: int = 10_000) -> None:
    with open_store(url, create=True) as store:
        for start in range(0, len(areas), batch):
            with store.transaction():
                store.put_items(areas[start : start + batch])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgis_schema(base: str) -> Iterator[tuple[str, str]]:
    """A fresh schema: (store URL whose search_path is it, schema name); dropped after."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema},public')}", schema
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a server has used so far: the process and its worker processes
    (``serve --workers`` starts them as children)."""
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


@contextmanager
def server(args: list[str], env: dict[str, str], ready_url: str) -> Iterator[int]:
    """A server subprocess, niced like every contender, running until the block ends."""
    proc = subprocess.Popen(
        ["nice", "-n", "5", sys.executable, *args],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                if httpx.get(ready_url, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server at {ready_url} did not start")
            time.sleep(0.3)
        yield proc.pid  # `nice` execs the interpreter, so this is the server itself
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def minewatch_serve(store_url: str, port: int, workers: int) -> list[str]:
    """``minewatch serve --workers N``, as an operator starts it (N = 0: one per core)."""
    code = (
        "import sys; from minewatch.cli import main; "
        f"sys.argv = ['minewatch', 'serve', {store_url!r}, '--port', '{port}', "
        f"'--workers', '{workers}']; main()"
    )
    return ["-c", code]


def minewatch_server(store_url: str, port: int) -> list[str]:
    code = (
        "import uvicorn; from minewatch.api.app import create_app; "
        f"uvicorn.run(create_app({store_url!r}), host='127.0.0.1', port={port}, "
        "log_level='warning', access_log=False)"
    )
    return ["-c", code]


def pygeoapi_config(folder: Path, base: str, schema: str, port: int) -> dict[str, str]:
    """Write pygeoapi's configuration and OpenAPI document; return its environment."""
    db = urlparse(base)
    config = folder / "pygeoapi.yml"
    config.write_text(
        f"""server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  language: en-US
  limits: {{default_items: 10, max_items: 10000}}
  map: {{url: 'https://tile.example/{{z}}/{{x}}/{{y}}.png', attribution: none}}
logging: {{level: ERROR}}
metadata:
  identification: {{title: bench, description: synthetic, keywords: [bench],
    keywords_type: theme, terms_of_service: none, url: 'http://example.org'}}
  license: {{name: CC-BY 4.0, url: 'https://creativecommons.org/licenses/by/4.0/'}}
  provider: {{name: bench, url: 'http://example.org'}}
  contact: {{name: bench}}
resources:
  hazardous_areas:
    type: collection
    title: Hazardous areas
    description: synthetic
    keywords: [bench]
    extents:
      spatial: {{bbox: [-180, -90, 180, 90], crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'}}
    providers:
      - type: feature
        name: PostgreSQL
        data: {{host: {db.hostname}, port: {db.port or 5432}, dbname: {db.path.lstrip("/")},
          user: {db.username}, password: '{db.password or ""}', search_path: [{schema}, public]}}
        id_field: code
        table: hazardous_area
        geom_field: geom
""",
        encoding="utf-8",
    )
    openapi = folder / "pygeoapi-openapi.yml"
    env = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run(
        [
            str(Path(sys.executable).with_name("pygeoapi")),
            "openapi",
            "generate",
            str(config),
            "--output-file",
            str(openapi),
        ],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    return env


def random_boxes(count: int, seed: int = 11) -> list[str]:
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = EXTENT
    x = rng.uniform(minx, maxx - BOX_DEGREES, count)
    y = rng.uniform(miny, maxy - BOX_DEGREES, count)
    return [
        f"{a:.5f},{b:.5f},{a + BOX_DEGREES:.5f},{b + BOX_DEGREES:.5f}"
        for a, b in zip(x, y, strict=True)
    ]


class _Connection:
    """A minimal HTTP/1.1 keep-alive GET client over asyncio streams: the load generator
    shares the machine with the servers, so it must cost far less per request than they do
    (httpx spends ~5 ms of CPU per request here, as much as the server it measures)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        request = f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: application/geo+json\r\n\r\n"
        self.writer.write(request.encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {
            k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)
        }
        if "content-length" not in headers:
            raise RuntimeError(f"response without Content-Length: {head!r}")
        body = await self.reader.readexactly(int(headers["content-length"]))
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _load_loop(items_url: str, boxes: list[str]) -> tuple[float, np.ndarray]:
    url = urlparse(items_url)
    targets = [f"{url.path}?bbox={b}" for b in boxes]
    latencies = np.zeros(len(targets))
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(targets)):
        queue.put_nowait(i)

    async def client() -> None:
        conn = _Connection(url.hostname or "127.0.0.1", url.port or 80)
        try:
            while not queue.empty():
                i = queue.get_nowait()
                start = time.perf_counter()
                status, body = await conn.get(targets[i])
                latencies[i] = time.perf_counter() - start
                if status != 200 or b'"numberMatched"' not in body:
                    raise RuntimeError(f"{items_url}: {status} {body[:300]!r}")
        finally:
            conn.close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CONCURRENCY)))
    return len(targets) / (time.perf_counter() - began), latencies


def measure(items_url: str, boxes: list[str]) -> tuple[float, float]:
    """(requests per second, p99 latency in ms) for the boxes, after a warm-up."""
    asyncio.run(_load_loop(items_url, boxes[: CONCURRENCY * 2]))
    rate, latencies = asyncio.run(_load_loop(items_url, boxes))
    return rate, float(np.percentile(latencies, 99) * 1000)


def run(quick: bool) -> list[Result]:
    base = os.environ.get("MINEWATCH_TEST_POSTGRES_URL")
    if not base:
        raise RuntimeError("bench_api needs MINEWATCH_TEST_POSTGRES_URL (./run bench sets it)")
    n = 5_000 if quick else 100_000
    boxes = random_boxes(400 if quick else 2_000)
    areas = synthetic_areas(n)
    results: dict[str, tuple[float, float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp, postgis_schema(base) as (pg_url, schema):
        gpkg_url = f"sqlite:///{Path(tmp) / 'bench.gpkg'}"
        load(gpkg_url, areas)
        load(pg_url, areas)
        contenders = {
            "minewatch (PostGIS)": (pg_url, None),
            "minewatch (GeoPackage)": (gpkg_url, None),
            SERVED_PG: (pg_url, None),
            SERVED_GPKG: (gpkg_url, None),
            PYGEOAPI: (None, schema),
        }
        for name, (store_url, pg_schema) in contenders.items():
            port = free_port()
            root = f"http://127.0.0.1:{port}"
            if store_url is not None and name in (SERVED_PG, SERVED_GPKG):
                args, env, items = minewatch_serve(store_url, port, 0), {}, f"{root}/ogc"
            elif store_url is not None:
                args, env, items = minewatch_server(store_url, port), {}, f"{root}/ogc"
            else:
                env = pygeoapi_config(Path(tmp), base, str(pg_schema), port)
                args, items = ["-m", "uvicorn", "pygeoapi.starlette_app:APP", "--port", str(port),
                               "--workers", "1", "--no-access-log", "--log-level", "warning"], root  # fmt: skip
            items_url = f"{items}/collections/hazardous_areas/items"
            with server(args, env, items_url) as pid:
                cpu = cpu_seconds(pid)
                rate, p99 = measure(items_url, boxes)
                cpu_ms = (cpu_seconds(pid) - cpu) * 1000 / (len(boxes) + 2 * CONCURRENCY)
                results[name] = (rate, p99, cpu_ms)
    return _results(results, n, quick)


def _results(results: dict[str, tuple[float, float, float]], n: int, quick: bool) -> list[Result]:
    base_rate, base_p99, base_cpu = results[PYGEOAPI]
    out = []
    for name in ("minewatch (PostGIS)", "minewatch (GeoPackage)", SERVED_PG, SERVED_GPKG):
        rate, p99, cpu = results[name]
        ratio = rate / base_rate
        served = name in (SERVED_PG, SERVED_GPKG)  # issue 20's targets: one worker per core
        out.append(
            Result("api", f"OGC items bbox, {n} areas, {name}: throughput", rate, "req/s",
                   PYGEOAPI, base_rate, ratio, "≥6×" if served else "≥3×",
                   None if quick else ratio >= (6.0 if served else 3.0))
        )  # fmt: skip
        out.append(
            Result("api", f"OGC items bbox, {n} areas, {name}: p99 at {CONCURRENCY} clients", p99,
                   "ms", PYGEOAPI, base_p99, base_p99 / p99, "< 100 ms" if served else "",
                   (None if quick else p99 < 100) if served else None)
        )  # fmt: skip
        # CPU per request is steadier than wall time on a machine shared with other work.
        out.append(
            Result("api", f"OGC items bbox, {n} areas, {name}: server CPU per request", cpu,
                   "ms", PYGEOAPI, base_cpu, base_cpu / cpu, "≤ 1 ms" if served else "",
                   (None if quick else cpu <= 1.0) if served else None)
        )  # fmt: skip
    return out
