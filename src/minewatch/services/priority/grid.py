"""The H3 grid view of a ranked list, refused when it would hold more than
:data:`MAX_GRID_CELLS` cells, and the grid columns a map can colour.

>>> MAX_GRID_CELLS
50000
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import h3
import pandas as pd

from minewatch.analysis.h3grid import h3_grid
from minewatch.errors import InvalidInput, Location
from minewatch.priority_config import PriorityConfig

#: The most H3 cells a grid may hold (about 20 MB of GeoJSON): a fine resolution over a
#: country would not fit in a response (resolution 15 cells are about 1 m²).
MAX_GRID_CELLS = 50_000


def grid(ranked: gpd.GeoDataFrame, config: PriorityConfig, resolution: int | None = None) -> Any:
    """The H3 grid view of a ranked list; InvalidInput when the resolution is so fine that
    the areas would cover more than :data:`MAX_GRID_CELLS` cells.

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.services.priority import PriorityRequest, configured, rank_store
    >>> store = demo_store(tmp)
    >>> request = PriorityRequest(config=configured(), as_of=date(2025, 1, 1))
    >>> ranked = rank_store(store, request)
    >>> cells = grid(ranked, request.config)
    >>> len(cells), list(cells.columns)
    (5, ['cell', 'n_areas', 'area_m2', 'residual_risk', 'population', 'max_score', 'mean_score',
     'geometry'])
    >>> grid(ranked, request.config, resolution=15)
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field resolution: resolution 15 would give about 3,00... cells
     (at most 50,000); choose a coarser one
    """
    resolution = config.grid.resolution if resolution is None else resolution
    if "area_m2" in ranked:
        area = float(pd.to_numeric(ranked["area_m2"], errors="coerce").fillna(0).sum())
        cells = area / h3.average_hexagon_area(resolution, unit="m^2") + len(ranked)
        if cells > MAX_GRID_CELLS:
            raise InvalidInput(
                f"resolution {resolution} would give about {cells:,.0f} cells "
                f"(at most {MAX_GRID_CELLS:,}); choose a coarser one",
                Location(field="resolution"),
            )
    return h3_grid(ranked, resolution)


def check_grid_column(cells: gpd.GeoDataFrame, column: str) -> None:
    """InvalidInput unless ``column`` is one of the grid's surfaces: its numeric columns
    (not the H3 cell id or the polygons), what a map can colour.

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.services.priority import PriorityRequest, configured, rank_store
    >>> store = demo_store(tmp)
    >>> request = PriorityRequest(config=configured(), as_of=date(2025, 1, 1))
    >>> ranked = rank_store(store, request)
    >>> cells = grid(ranked, request.config)
    >>> check_grid_column(cells, "max_score")
    >>> check_grid_column(cells, "cell")
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field column: column must be one of ['n_areas', 'area_m2',
     'residual_risk', 'population', 'max_score', 'mean_score']
    """
    surfaces = [c for c in cells if c != "geometry" and pd.api.types.is_numeric_dtype(cells[c])]
    if column not in surfaces:
        raise InvalidInput(f"column must be one of {surfaces}", Location(field="column"))
