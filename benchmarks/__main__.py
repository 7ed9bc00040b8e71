"""Run every benchmark module and print one table:
``python -m benchmarks [--quick] [--only NAME] [--size F] [--sizes 0.25,0.5,1] [--plots DIR]``."""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import inspect
import json
import pkgutil
import sys
from pathlib import Path

import benchmarks
from benchmarks.curves import format_curves, plot_curves
from benchmarks.harness import Result, format_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmarks against competent baselines measured in the same run, "
        "wall and CPU time, with scale curves.",
    )
    parser.add_argument("--quick", action="store_true", help="small data, for a smoke test")
    parser.add_argument("--only", action="append", default=[], help="run only bench_NAME")
    parser.add_argument(
        "--size",
        type=float,
        default=1.0,
        help="full size as a fraction of the size the issues name (default 1: the full run)",
    )
    parser.add_argument(
        "--sizes",
        default="0.25,0.5,1",
        help="fractions of --size at which benchmarks that scale are run, for the scale "
        "curves (default 0.25,0.5,1; '1' runs the full size only)",
    )
    parser.add_argument("--plots", type=Path, help="write the scale curves as PNG here")
    parser.add_argument(
        "--json",
        type=Path,
        help="write every result here too (python -m benchmarks.curves "
        "FILE --plots DIR draws them again)",
    )
    args = parser.parse_args(argv)
    fractions = [float(f) for f in args.sizes.split(",") if f]
    names = sorted(
        m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_")
    )
    if args.only:
        names = [n for n in names if n.removeprefix("bench_") in args.only]
    results: list[Result] = []
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        if "size" in inspect.signature(module.run).parameters:
            for fraction in fractions:
                size = args.size * fraction
                print(f"running {name} at size {size:g} …", file=sys.stderr, flush=True)
                results.extend(module.run(quick=args.quick, size=size))
        else:
            print(f"running {name} …", file=sys.stderr, flush=True)
            results.extend(module.run(quick=args.quick))
    print(format_table(results))
    curves = format_curves(results)
    if curves:
        print("\nScale curves (growth: exponent between the smallest and the full size)")
        print(curves)
    if args.json:
        args.json.write_text(json.dumps([dataclasses.asdict(r) for r in results], indent=1))
    if args.plots:
        for path in plot_curves(results, args.plots):
            print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
