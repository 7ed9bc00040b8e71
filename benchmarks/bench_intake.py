"""Field-data intake: reading and mapping a KoboToolbox CSV export of the hazardous area form
(SYNTHETIC submissions), against the bare cost of reading the same file with pandas."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pandas as pd

from benchmarks.harness import Result, timed
from minewatch.io.forms import parse_export

HEADER = [
    "survey/survey_date",
    "survey/organisation_code",
    "survey/area_name",
    "survey/classification",
    "survey/hazard_types",
    "boundary/boundary_method",
    "boundary/area",
    "blockages",
    "beneficiaries/girls",
    "beneficiaries/boys",
    "beneficiaries/women",
    "beneficiaries/men",
    "meta/instanceID",
    "_uuid",
    "_index",
]


def _write(path: Path, n: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEADER)
        for i in range(n):
            lat, lon = 50 + (i % 1000) * 1e-3, 30 + (i // 1000) * 1e-3
            ring = ";".join(
                f"{lat + dy:.6f} {lon + dx:.6f} 0 5"
                for dy, dx in ((0, 0), (0, 5e-4), (5e-4, 5e-4), (5e-4, 0), (0, 0))
            )
            uid = f"00000000-0000-4000-8000-{i:012d}"
            writer.writerow(
                [
                    "2024-05-01",
                    "ORG-000001",
                    f"Synthetic area {i}",
                    "SHA",
                    "ap_mines uxo_axo",
                    "shape",
                    ring,
                    "agriculture road",
                    1,
                    2,
                    3,
                    4,
                    f"uuid:{uid}",
                    uid,
                    i + 1,
                ]
            )


def run(quick: bool) -> list[Result]:
    n = 300 if quick else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kobo_hazard.csv"
        _write(path, n)
        base, _ = timed(lambda: pd.read_csv(path, sep=";", dtype=str), repeat=3)
        ours, parsed = timed(lambda: parse_export(path), repeat=1 if not quick else 3)
    assert len(parsed.accepted) == n, parsed.rejected[:3]
    return [
        Result(
            benchmark="intake",
            measure=f"parse+map+validate {n} Kobo CSV submissions",
            ours=n / ours,
            unit="submissions/s",
            baseline_name="pandas.read_csv alone",
            baseline=n / base,
            ratio=base / ours,
            target="informational (fraction of bare CSV read speed)",
        )
    ]
