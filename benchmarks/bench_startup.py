"""CLI startup: how long ``minewatch --help`` takes to answer (issue 13, point 8: under 0.5 s).

Each command runs in a fresh interpreter, as a user's shell runs it, several times; the
median wall time and the median CPU time (user + system, of the child) are reported. The
baseline is measured in the same run: a bare ``python -c "import typer"``, the least any
Typer command line costs. Beside it, a two-command Typer app's ``--help`` and a command's
``--help`` show what Typer's own help rendering adds (rich, click, pydantic); the rest is
minewatch's own (mostly Typer building the parameters of its ~60 commands, which any help
does, and the domain types their options name).

The target is wall time under 0.5 s. On a machine shared with other work wall time follows
the load; CPU time is the steadier figure and shows the same thing (the start was ~3.9 s of
CPU when every heavy library was imported up front).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import minewatch
from benchmarks.harness import Result

NAME = "startup"
TARGET_S = 0.5
COMMANDS: tuple[tuple[str, ...], ...] = (("--help",), ("treaty", "--help"), ("list", "--help"))

_TYPER_APP = """
import typer
app = typer.Typer(add_completion=False)
@app.command()
def hello(name: str = "world") -> None:
    '''Say hello.'''
@app.command()
def bye() -> None:
    '''Say goodbye.'''
app()
"""


def _say(message: str) -> None:
    print(f"  {NAME}: {message}", file=sys.stderr, flush=True)


def _once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh process running ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _median(argv: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median wall and median CPU seconds over ``runs`` fresh processes (after one unmeasured
    run, so that every measured run finds the files in the page cache)."""
    _once(argv, env)
    times = [_once(argv, env) for _ in range(runs)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def run(quick: bool) -> list[Result]:
    runs = 3 if quick else 9
    # The minewatch this run imports, whatever the venv's editable install points at.
    env = {**os.environ, "PYTHONPATH": str(Path(minewatch.__file__).resolve().parents[1])}
    _say(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; median of {runs} runs")
    base_name = 'python -c "import typer"'
    base_wall, base_cpu = _median([sys.executable, "-c", "import typer"], env, runs)
    results = []
    # Typer's own floor: its help for the group, and for a command (which also builds the
    # command's parameters through pydantic, as every subcommand's help here does).
    for args in (("--help",), ("hello", "--help")):
        wall, cpu = _median([sys.executable, "-c", _TYPER_APP, *args], env, runs)
        floor = f"two-command Typer app {' '.join(args)}"
        results += [
            Result(NAME, f"{floor}, wall", wall, "s", base_name, base_wall, base_wall / wall),
            Result(NAME, f"{floor}, CPU", cpu, "s", base_name, base_cpu, base_cpu / cpu),
        ]
    for args in COMMANDS:
        wall, cpu = _median([sys.executable, "-m", "minewatch", *args], env, runs)
        command = " ".join(("minewatch", *args))
        _say(f"{command}: wall {wall:.3f} s, CPU {cpu:.3f} s")
        results += [
            Result(NAME, f"{command}, wall", wall, "s", base_name, base_wall, base_wall / wall,
                   f"< {TARGET_S} s", wall < TARGET_S),
            Result(NAME, f"{command}, CPU", cpu, "s", base_name, base_cpu, base_cpu / cpu,
                   f"< {TARGET_S} s", cpu < TARGET_S),
        ]  # fmt: skip
    return results
