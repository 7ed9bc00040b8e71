"""Migrating a File Geodatabase (issue 16): ``minewatch migrate run`` on a SYNTHETIC IMSMA
Core-like geodatabase (benchmarks/synthetic_filegdb.py: hazards with coded-value domains,
activities and victims joined by relationship classes) against ``ogr2ogr`` copying the same
geodatabase to a GeoPackage. Target: at most 3× ogr2ogr's time (ratio ≥ 0.33), peak memory
under 1.5 GiB. Both run as child processes, interleaved (three runs each, medians); CPU (user +
system) is printed beside wall time, since these machines are shared. Full size: 100,000
hazards, 300,000 activities, 50,000 accidents with ~75,000 victims; ``--size`` scales all
four.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import Result, compared, interleaved

HERE = Path(__file__).resolve().parent
FULL = (100_000, 300_000, 50_000)
QUICK_SCALE = 0.01  # --quick: 1,000 hazards, 3,000 activities, 500 accidents at size 1

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


def _migrate_in_child(source: Path, store: Path) -> dict[str, float]:
    """``migrate run`` into a new store in a child process (its CPU counts once waited for)."""
    for leftover in store.parent.glob(store.name + "*"):
        leftover.unlink()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(source), str(store.parent / "mapping.toml"), str(store)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _ogr2ogr(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    subprocess.run(["ogr2ogr", "-f", "GPKG", str(target), str(source)], check=True)


def run(quick: bool = False, size: float = 1.0) -> list[Result]:
    scale = size * (QUICK_SCALE if quick else 1.0)
    counts = tuple(max(int(n * scale), 10) for n in FULL)
    hazards, activities, accidents = counts
    if shutil.which("ogr2ogr") is None:
        return [Result("migrate", "skipped: needs GDAL's ogr2ogr", 0, "")]
    judge = not quick and size >= 1.0
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
        runs = interleaved(
            {
                "ours": lambda: _migrate_in_child(source, work / "store.gpkg"),
                "ogr2ogr": lambda: _ogr2ogr(source, work / "copy.gpkg"),
            }
        )
    (timing, ours), (copy, _) = runs["ours"], runs["ogr2ogr"]
    rows = hazards + activities + accidents
    label = f"{hazards:,} hazards, {activities:,} activities, {accidents:,} accidents + victims"
    return [
        compared(
            "migrate",
            f"FileGDB → store ({label}; {ours['landed']:,} landed, {ours['rejected']} rejected)",
            timing,
            "ogr2ogr → GPKG",
            copy,
            target="≤ 3× ogr2ogr (ratio ≥ 0.33)",
            limit=3.0,
            judge=judge,
            size=size,
            series="migrate a FileGDB",
        ),
        Result("migrate", "of which planning (wall, last run)", ours["plan"], "s", size=size),
        Result(
            "migrate",
            "peak memory of the migration",
            ours["peak_mib"],
            "MiB",
            target="< 1536 MiB",
            met=ours["peak_mib"] < 1536 if judge else None,
            size=size,
            series="migrate peak memory",
        ),
        Result("migrate", "rows per second", rows / timing.wall, "rows/s", size=size),
    ]
