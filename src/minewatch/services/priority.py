"""Prioritise clearance: the use case behind ``minewatch priority`` (and the API).

It gathers the hazardous areas (from a vector layer, or from the store's current records),
computes their indicators in-process or on Dask, scores and ranks them under a scenario of
the national configuration, and writes the ranked list, the grid and the maps.

Only areas still to be dealt with are ranked: an area whose status is ``released`` or
``closed`` has nothing left to clear.

>>> from minewatch.priority_config import load_priority_config
>>> config = load_priority_config()
>>> request = PriorityRequest(config=config)
>>> request.scenario_name
'balanced'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from minewatch.analysis import priority as analysis
from minewatch.analysis.h3grid import h3_grid
from minewatch.domain.records import HazardStatus, Kind
from minewatch.errors import InvalidInput, Location
from minewatch.io.priority import (
    PriorityInputs,
    read_areas,
    write_ranked_csv,
    write_ranked_gpkg,
)
from minewatch.priority_config import PriorityConfig
from minewatch.scale.priority import indicators_dask, indicators_in_process

#: Statuses whose areas are no longer ranked.
FINISHED = frozenset({HazardStatus.RELEASED.value, HazardStatus.CLOSED.value})


@dataclass(frozen=True)
class PriorityRequest:
    """What to rank and how. ``dask`` is None (in-process), ``"local"`` (Dask's threads) or
    a scheduler address such as ``"tcp://10.0.0.5:8786"``."""

    config: PriorityConfig
    inputs: PriorityInputs = field(default_factory=PriorityInputs)
    scenario: str | None = None
    as_of: date = field(default_factory=date.today)
    dask: str | None = None
    npartitions: int | None = None

    @property
    def scenario_name(self) -> str:
        return self.scenario or self.config.default_scenario


def open_areas(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The areas still to be dealt with (status not released or closed)."""
    if "status" not in frame:
        return frame
    finished = frame["status"].astype(str).str.lower().isin(FINISHED)
    return frame.loc[~finished.to_numpy()]


def areas_from_layer(path: str, layer: str | None = None) -> gpd.GeoDataFrame:
    """Open hazardous areas from a vector layer (e.g. a GeoPackage export of IMSMA)."""
    return open_areas(read_areas(path, layer))


def areas_from_store(repository: Any) -> gpd.GeoDataFrame:
    """Open hazardous areas as currently recorded in a minewatch store (approved reports)."""
    from minewatch.store.base import ItemQuery

    frame = repository.items_frame(ItemQuery(kind=Kind.HAZARDOUS_AREA))
    frame = frame[frame.geometry.notna()]
    if "code" not in frame or frame.empty:
        raise InvalidInput("the store holds no hazardous areas with a geometry")
    return open_areas(frame)


def accidents_from_store(repository: Any) -> gpd.GeoDataFrame:
    """Accidents from the store with a ``victims`` column counted from victim records."""
    from minewatch.store.base import ItemQuery

    accidents = repository.items_frame(ItemQuery(kind=Kind.ACCIDENT))
    accidents = accidents[accidents.geometry.notna()]
    victims = repository.items_frame(ItemQuery(kind=Kind.VICTIM))
    counts = (
        victims["accident_code"].value_counts()
        if "accident_code" in victims
        else pd.Series(dtype=np.int64)
    )
    code = accidents["code"] if "code" in accidents else pd.Series([], dtype=str)
    accidents = accidents.assign(victims=code.map(counts).fillna(0).to_numpy(dtype=np.float64))
    return gpd.GeoDataFrame(accidents, geometry="geometry", crs=4326)


def compute_indicators(
    areas: gpd.GeoDataFrame, request: PriorityRequest, progress: Callable[[int], None] | None
) -> gpd.GeoDataFrame:
    """Indicators of every area, in-process or on Dask as the request says."""
    if areas.empty:
        raise InvalidInput("no open hazardous areas to prioritise")
    duplicated = areas["code"].astype(str).duplicated()
    if duplicated.any():
        first = str(areas["code"].astype(str)[duplicated.to_numpy()].iloc[0])
        raise InvalidInput(f"hazardous area code {first} appears twice", Location(field="code"))
    request.inputs.check()
    areas = areas.reset_index(drop=True)
    if request.dask is None:
        return indicators_in_process(areas, request.inputs, request.config, request.as_of, progress)
    client = None if request.dask == "local" else request.dask
    return indicators_dask(
        areas,
        request.inputs,
        request.config,
        request.as_of,
        client=client,
        npartitions=request.npartitions,
        progress=progress,
    )


def rank(indicators: gpd.GeoDataFrame, request: PriorityRequest) -> gpd.GeoDataFrame:
    """The ranked list (best first) under the request's scenario."""
    scored = analysis.score(indicators, request.config, request.scenario)
    return gpd.GeoDataFrame(scored, geometry="geometry", crs=4326)


def grid(ranked: gpd.GeoDataFrame, config: PriorityConfig, resolution: int | None = None) -> Any:
    """The H3 grid view of a ranked list."""
    return h3_grid(ranked, config.grid.resolution if resolution is None else resolution)


def read_indicators(path: str, layer: str | None = None) -> gpd.GeoDataFrame:
    """Indicators saved by an earlier run (the GeoPackage ``rank`` writes), so that
    scoring, sensitivity and explanations can be redone without recomputing them."""
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


def export(
    ranked: gpd.GeoDataFrame,
    *,
    csv: str | None = None,
    gpkg: str | None = None,
    png: str | None = None,
    html: str | None = None,
) -> list[Path]:
    """Write the ranked list and its maps wherever asked; returns the files written."""
    from minewatch.charts import priority as charts

    written = []
    if csv:
        written.append(write_ranked_csv(ranked, csv))
    if gpkg:
        written.append(write_ranked_gpkg(ranked, gpkg))
    if png:
        written.append(charts.ranking_map_png(ranked, png))
    if html:
        written.append(charts.ranking_map_html(ranked, html))
    return written
