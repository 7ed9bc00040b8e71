"""A ranking in files: the ranked list written as CSV and GeoPackage (:func:`export`), as the
bytes of a download (:func:`ranked_file`), and indicators read back from an earlier run's
GeoPackage (:func:`read_indicators`).

>>> from minewatch.services.priority import PriorityRequest, configured, rank_store
>>> ranked = rank_store(demo_store(tmp), PriorityRequest(config=configured()))
>>> [p.name for p in export(ranked, csv=str(tmp / "ranked.csv"))]
['ranked.csv']
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pyogrio

from minewatch.errors import InvalidInput, Location
from minewatch.io.priority import write_ranked_csv, write_ranked_gpkg


def read_indicators(path: str, layer: str | None = None) -> gpd.GeoDataFrame:
    """Indicators saved by an earlier run (the GeoPackage ``rank`` writes), so that
    scoring, sensitivity and explanations can be redone without recomputing them.

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.services.priority import PriorityRequest, configured, rank, rank_store
    >>> store = demo_store(tmp)
    >>> request = PriorityRequest(config=configured(), as_of=date(2025, 1, 1))
    >>> ranked = rank_store(store, request)
    >>> [path] = export(ranked, gpkg=str(tmp / "ranked.gpkg"))
    >>> again = read_indicators(str(path))
    >>> list(rank(again, request)["code"]) == list(ranked["code"])
    True
    """
    if not Path(path).exists():
        raise InvalidInput("file not found", Location(file=path))
    frame = pyogrio.read_dataframe(path, layer=layer)
    missing = [c for c in ("code", "population", "blockages") if c not in frame]
    if missing:
        raise InvalidInput(f"not an indicators layer: no {missing}", Location(file=path))
    keep = [c for c in frame if not c.startswith(("normalised_", "contribution_"))]
    drop = {"score", "rank", "scenario", "lis_points", "lis_band"}
    frame = frame[[c for c in keep if c not in drop]]
    for column in ("blockage_types", "hazard_types"):
        if column in frame:
            frame[column] = frame[column].fillna("")
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=4326)


def ranked_file(ranked: gpd.GeoDataFrame, form: Literal["csv", "gpkg"]) -> bytes:
    """The ranked list as the bytes of a CSV or GeoPackage file (for a download), written
    by :func:`export`; its maps are drawn by :mod:`minewatch.charts.priority`.

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.services.priority import PriorityRequest, configured, rank_store
    >>> store = demo_store(tmp)
    >>> request = PriorityRequest(config=configured(), as_of=date(2025, 1, 1))
    >>> ranked = rank_store(store, request)
    >>> ranked_file(ranked, "csv").decode().splitlines()[0][:60]
    'code,longitude,latitude,population,settlement_distance_m,roa'
    """
    return _file_bytes(form, lambda path: export(ranked, **{form: str(path)}))


def _file_bytes(suffix: str, write: Callable[[Path], object]) -> bytes:
    """What ``write`` puts in a file, read back: GDAL writes to files, so this goes
    through a temporary folder that is always removed."""
    with tempfile.TemporaryDirectory(prefix="minewatch-priority-") as folder:
        path = Path(folder) / f"priority.{suffix}"
        write(path)
        return path.read_bytes()


def export(
    ranked: gpd.GeoDataFrame, *, csv: str | None = None, gpkg: str | None = None
) -> list[Path]:
    """Write the ranked list as CSV and/or a GeoPackage layer; returns the files written.

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.services.priority import PriorityRequest, configured, rank_store
    >>> store = demo_store(tmp)
    >>> request = PriorityRequest(config=configured(), as_of=date(2025, 1, 1))
    >>> ranked = rank_store(store, request)
    >>> [p.name for p in export(ranked, csv=str(tmp / "ranked.csv"), gpkg=str(tmp / "ranked.gpkg"))]
    ['ranked.csv', 'ranked.gpkg']
    """
    written = []
    if csv:
        written.append(write_ranked_csv(ranked, csv))
    if gpkg:
        written.append(write_ranked_gpkg(ranked, gpkg))
    return written
