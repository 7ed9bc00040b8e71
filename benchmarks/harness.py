"""The one shape every benchmark reports in.

A benchmark module ``benchmarks/bench_<name>.py`` defines ``run(quick: bool) -> list[Result]``.
``quick`` shrinks the data so the whole suite can be smoke-tested in seconds; the targets the
issues name apply to the full run. Times come from :func:`timed`; peak memory of a child
process from :func:`peak_rss_mib` (machines are noisy, so only ratios against a baseline
measured in the same run are compared, never absolute times in tests).
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

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
    header = ("benchmark", "measure", "ours", "baseline", "ratio", "target", "met")
    rows = [header]
    for r in results:
        base = "" if r.baseline is None else f"{r.baseline:.4g} ({r.baseline_name})"
        rows.append(
            (
                r.benchmark,
                r.measure,
                f"{r.ours:.4g} {r.unit}",
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
