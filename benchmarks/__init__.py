"""minewatch benchmarks: ``./run bench`` (or ``python -m benchmarks``) runs every module
``benchmarks/bench_*.py`` and prints one table of ratios against baselines measured in the
same run. See :mod:`benchmarks.harness`."""
