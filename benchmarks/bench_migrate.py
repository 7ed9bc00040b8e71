"""Migrating a File Geodatabase (issue 16): ``minewatch migrate run`` on a SYNTHETIC IMSMA
Core-like geodatabase (benchmarks/synthetic_filegdb.py: hazards with coded-value domains,
activities and victims joined by relationship classes) against ``ogr2ogr`` copying the same
geodatabase to a GeoPackage. Target: at most 3× ogr2ogr's time (ratio ≥ 0.33), peak memory
under 1.5 GiB. Both run as child processes; CPU (user + system) is printed beside wall time,
since these machines are shared. Full size: 100,000 hazards, 300,000 activities, 50,000
accidents with ~75,000 victims.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness import Result

HERE = Path(__file__).resolve().parent
FULL = (100_000, 300_000, 50_000)
QUICK = (1_000, 3_000, 500)

_CHILD = """
import json, resource, sys, time
from minewatch.domain.access import local_admin
from minewatch.services.migration import migrate, plan_migration
from minewatch.services.records import Workflow
from minewatch.store import open_store
source, mapping, store = sys.argv[1:4]
start = time.perf_counter()
plan_migration(source, mapping)
planned = time.perf_counter() - start
workflow = Workflow(open_store(store, create=True), local_admin("bench"))
outcome = migrate(workflow, source, mapping, keep_going=True)
usage = resource.getrusage(resource.RUSAGE_SELF)
peak = next(int(l.split()[1]) / 1024 for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"wall": time.perf_counter() - start, "plan": planned,
                  "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": peak,
                  "landed": outcome.landed, "rejected": len(outcome.rejected)}))
"""


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(quick: bool = False) -> list[Result]:
    hazards, activities, accidents = QUICK if quick else FULL
    if shutil.which("ogr2ogr") is None:
        return [Result("migrate", "skipped: needs GDAL's ogr2ogr", 0, "")]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "archive.gdb"
        subprocess.run(
            [
                "/usr/bin/python3",
                str(HERE / "synthetic_filegdb.py"),
                str(source),
                str(hazards),
                str(activities),
                str(accidents),
            ],
            check=True,
        )
        cpu0, start = _child_cpu(), time.perf_counter()
        subprocess.run(["ogr2ogr", "-f", "GPKG", str(work / "copy.gpkg"), str(source)], check=True)
        copy_wall, copy_cpu = time.perf_counter() - start, _child_cpu() - cpu0
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                _CHILD,
                str(source),
                str(work / "mapping.toml"),
                str(work / "store.gpkg"),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        ours = json.loads(done.stdout.strip().splitlines()[-1])
    rows = hazards + activities + accidents
    size = f"{hazards:,} hazards, {activities:,} activities, {accidents:,} accidents + victims"
    ratio = copy_wall / ours["wall"]
    return [
        Result(
            "migrate",
            f"FileGDB → store, wall ({size}; {ours['landed']:,} landed, {ours['rejected']} rejected)",
            ours["wall"],
            "s",
            "ogr2ogr → GPKG",
            copy_wall,
            ratio,
            "≥ 0.33 (≤ 3× ogr2ogr)",
            None if quick else ratio >= 1 / 3,
        ),
        Result(
            "migrate",
            "FileGDB → store, CPU (user+sys)",
            ours["cpu"],
            "s",
            "ogr2ogr CPU",
            copy_cpu,
            copy_cpu / ours["cpu"],
            "",
        ),
        Result("migrate", "of which planning (wall)", ours["plan"], "s"),
        Result(
            "migrate",
            "peak memory of the migration",
            ours["peak_mib"],
            "MiB",
            target="< 1536 MiB",
            met=None if quick else ours["peak_mib"] < 1536,
        ),
        Result("migrate", "rows per second", rows / ours["wall"], "rows/s"),
    ]
