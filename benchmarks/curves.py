"""Scale curves: the lines a benchmark measured at ¼, ½ and full size, as a table and as
PNG plots (time against size, ours beside the baseline, on log-log axes so that a linear
cost is a line of slope 1)."""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

from benchmarks.harness import Result


def series(results: list[Result]) -> dict[tuple[str, str], list[Result]]:
    """Lines measured at more than one size, by (benchmark, series), smallest size first."""
    groups: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for r in results:
        if r.size is not None:
            groups[(r.benchmark, r.series or r.measure)].append(r)
    return {
        key: sorted(rows, key=lambda r: r.size or 0.0)
        for key, rows in groups.items()
        if len(rows) > 1
    }


def _slope(rows: list[Result], value: str) -> str:
    """The growth exponent between the smallest and the full size (1.0 = linear)."""
    first, last = rows[0], rows[-1]
    a, b = getattr(first, value), getattr(last, value)
    if not a or not b or first.size == last.size or not first.size or not last.size:
        return ""
    return f"{math.log(b / a) / math.log(last.size / first.size):.2f}"


def format_curves(results: list[Result]) -> str:
    """One row per (benchmark, series, size): ours and the baseline, wall and CPU, the ratio,
    and the growth exponent of each over the sizes measured."""
    header = ("benchmark", "series", "size", "ours", "ours CPU", "baseline", "base CPU", "ratio")
    rows = [header]
    for (bench, name), lines in series(results).items():
        for r in lines:
            rows.append(
                (
                    bench,
                    name,
                    f"{r.size:g}",
                    f"{r.ours:.4g} {r.unit}",
                    "" if r.cpu is None else f"{r.cpu:.4g}",
                    "" if r.baseline is None else f"{r.baseline:.4g} ({r.baseline_name})",
                    "" if r.baseline_cpu is None else f"{r.baseline_cpu:.4g}",
                    "" if r.ratio is None else f"{r.ratio:.2f}x",
                )
            )
        base = _slope(lines, "baseline") if lines[-1].baseline is not None else ""
        rows.append((bench, name, "growth", _slope(lines, "ours"), "", base, "", ""))
    if len(rows) == 1:
        return ""
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows
    )


def plot_curves(results: list[Result], folder: Path) -> list[Path]:
    """One PNG per benchmark, a panel per series: wall time of ours and of the baseline (solid)
    and their CPU time (dashed) against size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_bench: dict[str, list[tuple[str, list[Result]]]] = defaultdict(list)
    for (bench, name), lines in series(results).items():
        if all(r.baseline is not None for r in lines):  # a curve beside its baseline
            by_bench[bench].append((name, lines))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for bench, panels in by_bench.items():
        cols = min(len(panels), 3)
        rows = -(-len(panels) // cols)
        fig, axes = plt.subplots(rows, cols, figsize=(4.4 * cols, 3.6 * rows), squeeze=False)
        for ax in axes.flat[len(panels) :]:
            ax.set_visible(False)
        for ax, (name, lines) in zip(axes.flat, panels, strict=False):
            sizes = [r.size for r in lines]
            ax.plot(sizes, [r.ours for r in lines], "o-", color="C0", label="minewatch")
            if all(r.cpu is not None for r in lines):
                ax.plot(sizes, [r.cpu for r in lines], "o--", color="C0", label="minewatch CPU")
            if all(r.baseline is not None for r in lines):
                label = lines[-1].baseline_name
                ax.plot(sizes, [r.baseline for r in lines], "s-", color="C1", label=label)
                if all(r.baseline_cpu is not None for r in lines):
                    ax.plot(
                        sizes, [r.baseline_cpu for r in lines], "s--", color="C1", label="its CPU"
                    )
            ax.set_xscale("log", base=2)
            ax.set_yscale("log")
            ax.set_xlabel("size (fraction of full)")
            ax.set_ylabel(lines[0].unit)
            ax.set_title(name, fontsize=9, wrap=True)
            ax.legend(fontsize=7)
        fig.suptitle(f"{bench} (synthetic data)")
        fig.tight_layout()
        path = folder / f"bench-{bench}.png"
        fig.savefig(path, dpi=90)
        plt.close(fig)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Print the scale curves of results saved with ``python -m benchmarks --json`` (one
    file or several) and, with ``--plots DIR``, draw them."""
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m benchmarks.curves")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--plots", type=Path)
    args = parser.parse_args(argv)
    results = [Result(**row) for f in args.files for row in json.loads(f.read_text())]
    print(format_curves(results))
    if args.plots:
        for path in plot_curves(results, args.plots):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
