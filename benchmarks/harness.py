"""The one shape every benchmark reports in.

A benchmark module ``benchmarks/bench_<name>.py`` defines ``run(quick: bool) -> list[Result]``,
or ``run(quick: bool, size: float) -> list[Result]`` when it can scale its data: ``size`` is
the fraction of the full problem the issue names (``python -m benchmarks`` runs such a module
at ¼, ½ and full size and prints the scale curve). ``quick`` shrinks the data so the whole
suite can be smoke-tested in seconds; the targets the issues name apply to the full run.
Competent baselines are measured in the same run and interleaved with ours
(:func:`interleaved`): wall time and CPU time (this process, its threads and the children it
waited for; a database server's backend where :func:`backend_cpu` can read it), min and
median of the runs. Times come from :func:`timed`; peak memory of a child
process from :func:`peak_rss_mib` (machines are noisy, so only ratios against a baseline
measured in the same run are compared, never absolute times in tests).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

T = TypeVar("T")


@dataclass(frozen=True)
class Result:
    """One line of the table.

    ``ratio`` is how many times better than the baseline we are (baseline / ours for times,
    ours / baseline for throughputs); ``target`` is the condition the issue asks for, and
    ``met`` whether this run met it (None when the target is not a ratio, e.g. on quick runs).
    """

    benchmark: str
    measure: str
    ours: float
    unit: str
    baseline_name: str = ""
    baseline: float | None = None
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    #: CPU seconds beside the wall time (ours, and the baseline's), when measured.
    cpu: float | None = None
    baseline_cpu: float | None = None
    #: Fraction of the full size this line was measured at, and the name of the line across
    #: sizes (the measure without its counts), for the scale curves.
    size: float | None = None
    series: str = ""


@dataclass(frozen=True)
class Timing:
    """Runs of one path: wall and CPU seconds, min and median."""

    wall: float
    wall_min: float
    cpu: float
    cpu_min: float
    runs: int

    def per(self, n: int) -> Timing:
        """The same per unit (e.g. per query) when each run did ``n`` of them."""
        return Timing(self.wall / n, self.wall_min / n, self.cpu / n, self.cpu_min / n, self.runs)


def cpu_seconds() -> float:
    """CPU seconds of this process (all its threads) and of the children it has waited for."""
    t = os.times()  # children's times in clock ticks; our own at the clock's resolution
    return time.process_time() + t.children_user + t.children_system


def backend_cpu(pid: int) -> float:
    """CPU seconds a local process (a PostgreSQL backend serving our connection) has used, from
    /proc; 0.0 where it cannot be read (a remote server, another OS)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def interleaved(
    paths: dict[str, Callable[[], T]],
    repeat: int = 3,
    extra_cpu: dict[str, Callable[[], float]] | None = None,
) -> dict[str, tuple[Timing, T]]:
    """Run each path ``repeat`` times, alternating between them (A B C, A B C, …) so that a
    change of load on a shared machine hits all alike; wall and CPU per path, and each path's
    last answer. ``extra_cpu[name]`` reads a cumulative CPU counter outside this process (a
    database backend) whose growth is added to that path's CPU."""
    walls: dict[str, list[float]] = {k: [] for k in paths}
    cpus: dict[str, list[float]] = {k: [] for k in paths}
    out: dict[str, T] = {}
    extra = extra_cpu or {}
    for _ in range(repeat):
        for name, fn in paths.items():
            outside = extra.get(name, lambda: 0.0)
            c0, x0, w0 = cpu_seconds(), outside(), time.perf_counter()
            out[name] = fn()
            w1, c1, x1 = time.perf_counter(), cpu_seconds(), outside()
            walls[name].append(w1 - w0)
            cpus[name].append(c1 - c0 + x1 - x0)
    return {
        name: (
            Timing(
                float(statistics.median(walls[name])),
                min(walls[name]),
                float(statistics.median(cpus[name])),
                min(cpus[name]),
                repeat,
            ),
            out[name],
        )
        for name in paths
    }


def compared(
    benchmark: str,
    measure: str,
    ours: Timing,
    baseline_name: str,
    baseline: Timing,
    *,
    unit: str = "s",
    target: str = "",
    limit: float | None = None,
    judge: bool = True,
    size: float | None = None,
    series: str = "",
) -> Result:
    """One line comparing medians: ratio = baseline / ours (above 1: we are faster), met when
    ours ≤ ``limit`` × baseline in wall time (None when ``judge`` is false, e.g. quick runs)."""
    return Result(
        benchmark,
        measure,
        ours.wall,
        unit,
        baseline_name,
        baseline.wall,
        baseline.wall / ours.wall if ours.wall else None,
        target,
        (ours.wall <= limit * baseline.wall) if (judge and limit is not None) else None,
        cpu=ours.cpu,
        baseline_cpu=baseline.cpu,
        size=size,
        series=series or measure,
    )


def timed(fn: Callable[[], T], repeat: int = 1) -> tuple[float, T]:
    """Best wall time in seconds over ``repeat`` calls of ``fn``, and its last result."""
    best = float("inf")
    out: T
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB: the kernel's VmHWM, because
    ``ru_maxrss`` carries a parent's peak into a child started by fork and exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def format_table(results: list[Result]) -> str:
    """The results as an aligned text table."""
    header = ("benchmark", "measure", "ours (CPU)", "baseline (CPU)", "ratio", "target", "met")
    rows = [header]
    for r in results:
        base = (
            ""
            if r.baseline is None
            else f"{r.baseline:.4g}{_cpu(r.baseline_cpu)} ({r.baseline_name})"
        )
        rows.append(
            (
                r.benchmark,
                r.measure,
                f"{r.ours:.4g} {r.unit}{_cpu(r.cpu)}",
                base,
                "" if r.ratio is None else f"{r.ratio:.2f}x",
                r.target,
                {True: "yes", False: "NO", None: ""}[r.met],
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows
    )


def _cpu(seconds: float | None) -> str:
    return "" if seconds is None else f" ({seconds:.4g} CPU)"


@contextmanager
def postgis_schema(prefix: str) -> Iterator[str | None]:
    """A PostGIS URL (``MINEWATCH_TEST_POSTGRES_URL``) whose search_path is a fresh schema,
    dropped on exit; None when no server is configured."""
    base = os.environ.get("MINEWATCH_TEST_POSTGRES_URL")
    if not base:
        yield None
        return
    import sqlalchemy as sa

    schema = f"{prefix}_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema},public')}"
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()


_SAMPLER = """
import select, sys, psutil
root, me, peak = psutil.Process(int(sys.argv[1])), psutil.Process(), 0
while not select.select([sys.stdin], [], [], 0.5)[0]:
    total = 0
    for p in [root, *root.children(recursive=True)]:
        if p.pid != me.pid:
            try:
                total += p.memory_full_info().pss
            except psutil.Error:
                pass
    peak = max(peak, total)
print(peak / 2**20)
"""


@contextmanager
def tree_peak_mib() -> Iterator[list[float]]:
    """Peak memory of this process and every process it starts (worker pools), in MiB,
    appended to the yielded list on exit.

    Sums PSS (shared pages split between the processes sharing them, so a forked worker's
    pages are not counted twice), sampled every 0.5 s by a separate process: a sampling
    thread here would change how the code under test starts its workers. Reading PSS walks
    every page table (about 60 ms of CPU per GiB-sized process here), so never wrap a timed
    run in this: measure memory in a run of its own.
    """
    sampler = subprocess.Popen(
        [sys.executable, "-c", _SAMPLER, str(os.getpid())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    out: list[float] = []
    try:
        yield out
    finally:
        stdout, _ = sampler.communicate("stop\n")
        out.append(float(stdout))


def reset_peak_rss() -> bool:
    """Restart this process's peak resident memory (VmHWM, read by :func:`peak_rss_mib`) from
    its current size; False where the kernel does not offer it (not Linux)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True
