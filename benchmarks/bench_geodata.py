"""Reading geodata for an import: GeoPackage → mapped, checked batches.

The store-import benchmark (issue 2, 8a) allows 3× ogr2ogr's time for the whole import; this
measures the reading share of it (Arrow batches, column mapping, per-feature geometry
rules) against ``ogr2ogr`` copying the same synthetic file, and the peak memory of reading a
point layer in a child process (8c: under 1 GiB). It also compares the vectorised
:func:`~minewatch.domain.area.ellipsoidal_area` with calling
``pyproj.Geod.geometry_area_perimeter`` on each polygon.

The data are synthetic: random squares and points around 30–35°E 45–50°N.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from benchmarks.harness import Result, timed
from minewatch.domain.area import ellipsoidal_area
from minewatch.domain.geometry import WGS84
from minewatch.io.geodata import load_mapping, read_batches

AREA_MAPPING = {
    "kind": "hazardous_area",
    "id_column": "HAZ_ID",
    "fields": {"status": {"column": "STATUS", "values": {"Open": "open", "Closed": "closed"}}},
}
POINT_MAPPING = {
    "kind": "device_find",
    "id_column": "FIND_ID",
    "fields": {"category": "CAT", "depth_cm": "DEPTH"},
}

#: The peak resident memory of this process alone. VmHWM belongs to the process image, so
#: unlike ``ru_maxrss`` (kept across fork and exec on Linux) it does not start from the
#: parent's size.
_PEAK = """
def peak_mib():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

#: Run in a child process so its peak memory is the reading's alone.
_MEMORY_PROBE = (
    _PEAK
    + """
import json, sys
from minewatch.io.geodata import load_mapping, read_batches
mapping = load_mapping(json.loads(sys.argv[2]))
rows = sum(len(b.checked()) for b in read_batches(sys.argv[1], mapping, layer="finds"))
print(json.dumps({"rows": rows, "peak_mib": peak_mib()}))
"""
)
_IMPORT_ONLY = (
    _PEAK
    + """
import json
import minewatch.io.geodata
print(json.dumps({"peak_mib": peak_mib()}))
"""
)


def _make_file(path: Path, areas: int, points: int) -> None:
    rng = np.random.default_rng(2)
    centres = shapely.points(rng.uniform(30, 35, areas), rng.uniform(45, 50, areas))
    area_frame = gpd.GeoDataFrame(
        {
            "HAZ_ID": [f"SYN-A{i}" for i in range(areas)],
            "STATUS": rng.choice(["Open", "Closed"], areas),
        },
        geometry=shapely.buffer(centres, 0.003, quad_segs=4),
        crs="EPSG:4326",
    )
    pyogrio.write_dataframe(area_frame, path, layer="areas")
    point_frame = gpd.GeoDataFrame(
        {
            "FIND_ID": [f"SYN-F{i}" for i in range(points)],
            "CAT": rng.choice(["ap_mine", "av_mine", "uxo"], points),
            "DEPTH": rng.uniform(0, 30, points),
        },
        geometry=shapely.points(rng.uniform(30, 35, points), rng.uniform(45, 50, points)),
        crs="EPSG:4326",
    )
    pyogrio.write_dataframe(point_frame, path, layer="finds")


def _read_everything(path: Path) -> int:
    rows = 0
    for layer, mapping in (("areas", AREA_MAPPING), ("finds", POINT_MAPPING)):
        for batch in read_batches(path, load_mapping(mapping), layer=layer):
            rows += len(batch.checked())
    return rows


def _child_peak(script: str, *args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", script, *args], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run(quick: bool) -> list[Result]:
    areas, points = (2_000, 20_000) if quick else (100_000, 1_000_000)
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "synthetic.gpkg"
        _make_file(source, areas, points)
        label = f"{areas:,} areas + {points:,} points"
        ours, rows = timed(lambda: _read_everything(source))
        assert rows == areas + points
        if shutil.which("ogr2ogr"):
            copy = Path(folder) / "copy.gpkg"
            baseline, _ = timed(
                lambda: subprocess.run(
                    ["ogr2ogr", "-f", "GPKG", str(copy), str(source)],
                    check=True,
                    capture_output=True,
                )
            )
            ratio = baseline / ours
            results.append(
                Result(
                    "geodata",
                    f"read+map+check {label}",
                    ours,
                    "s",
                    "ogr2ogr copy",
                    baseline,
                    ratio,
                    "reading ≤ 1× ogr2ogr (import budget 3×)",
                    None if quick else ours <= baseline,
                )
            )
        probe = _child_peak(_MEMORY_PROBE, str(source), json.dumps(POINT_MAPPING))
        floor = _child_peak(_IMPORT_ONLY)
        results.append(
            Result(
                "geodata",
                f"peak memory reading {points:,} points",
                probe["peak_mib"],
                "MiB",
                "imports only",
                floor["peak_mib"],
                None,
                "< 1024 MiB",
                None if quick else probe["peak_mib"] < 1024,
            )
        )
    polygons = shapely.buffer(
        shapely.points(np.linspace(30, 35, areas), np.linspace(45, 50, areas)), 0.003, quad_segs=4
    )
    ours_area, _ = timed(lambda: ellipsoidal_area(polygons))
    per_polygon, _ = timed(lambda: [WGS84.geometry_area_perimeter(p) for p in polygons])
    results.append(
        Result(
            "geodata",
            f"ellipsoidal area of {areas:,} polygons",
            ours_area,
            "s",
            "Geod per polygon",
            per_polygon,
            per_polygon / ours_area,
            "≥ 1×",
            per_polygon >= ours_area,
        )
    )
    return results
