"""Treaty monitor: counting states parties over many dates.

Ours: the vectorised count (two ``numpy.searchsorted`` calls over sorted start and withdrawal
dates). Baseline: asking each participant's status on each date and counting, the obvious
loop. Both on the shipped APMBC data; the answers must agree.
"""

from __future__ import annotations

from datetime import date, timedelta

from benchmarks.harness import Result, timed
from minewatch.domain.treaty import CountDefinition, Instrument, StatusKind, status_on
from minewatch.services.treaty import TreatyMonitor

IN_FORCE = {StatusKind.BOUND, StatusKind.WITHDRAWAL_PENDING}


def run(quick: bool) -> list[Result]:
    monitor = TreatyMonitor.load()
    timelines = list(monitor.instruments[Instrument.APMBC].timelines.values())
    step = 30 if quick else 3  # days between query dates, 1997-12-01 to 2026-02-03
    start, end = date(1997, 12, 1), date(2026, 2, 3)
    days = [start + timedelta(days=i) for i in range(0, (end - start).days + 1, step)]

    def ours() -> list[int]:
        return monitor.count(Instrument.APMBC, days, CountDefinition.IN_FORCE).tolist()

    def baseline() -> list[int]:
        return [sum(status_on(t, d).kind in IN_FORCE for t in timelines) for d in days]

    t_ours, fast = timed(ours, repeat=5)
    t_base, slow = timed(baseline, repeat=1)
    if fast != slow:
        raise AssertionError("vectorised and per-status counts disagree")
    ratio = t_base / t_ours
    return [
        Result(
            "treaty",
            f"count states parties on {len(days)} dates ({len(timelines)} participants)",
            t_ours,
            "s",
            "status per participant per date",
            t_base,
            ratio,
            ">= 20x" if not quick else "",
            (ratio >= 20) if not quick else None,
        )
    ]
