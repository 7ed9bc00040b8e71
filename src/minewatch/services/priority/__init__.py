"""Prioritise clearance: the use case behind ``minewatch priority`` (and the API).

It gathers the hazardous areas (from a vector layer, or from the store's current records),
computes their indicators in-process or on Dask, scores and ranks them under a scenario of
the national configuration, and writes the ranked list, the grid and the maps. The CLI and
the HTTP API both call :func:`configured`, :func:`rank_store` and the functions below, so
the two cannot disagree about a ranking.

Only areas still to be dealt with are ranked: an area whose status is ``released`` or
``closed`` has nothing left to clear.

>>> from minewatch.priority_config import load_priority_config
>>> config = load_priority_config()
>>> request = PriorityRequest(config=config)
>>> request.scenario_name
'balanced'

The package re-exports its public interface (the CLI and the API call it as one module):
the request (:mod:`.request`), the areas (:mod:`.areas`), ranking (:mod:`.ranking`), reading
a ranking (:mod:`.explain`), the grid (:mod:`.grid`) and files (:mod:`.files`), and the input
types of :mod:`minewatch.io.priority` they take (``PriorityInputs``, ``FileLayer``), which the
CLI and the API may not import from ``io`` themselves.
"""

from minewatch.io.priority import FileLayer, PriorityInputs
from minewatch.services.priority.areas import (
    FINISHED,
    accidents_from_store,
    areas_from_layer,
    areas_from_store,
    open_areas,
    with_store_accidents,
)
from minewatch.services.priority.explain import (
    FROM_STORE,
    INDICATOR_LAYER,
    coverage,
    explain,
    indicator_label,
    sensitivity,
)
from minewatch.services.priority.files import export, ranked_file, read_indicators
from minewatch.services.priority.grid import MAX_GRID_CELLS, check_grid_column, grid
from minewatch.services.priority.ranking import (
    DESCRIPTIVE,
    compute_indicators,
    filter_ranked,
    rank,
    rank_store,
)
from minewatch.services.priority.request import PriorityRequest, configured, with_context

__all__ = [
    "DESCRIPTIVE",
    "FINISHED",
    "FROM_STORE",
    "INDICATOR_LAYER",
    "MAX_GRID_CELLS",
    "FileLayer",
    "PriorityInputs",
    "PriorityRequest",
    "accidents_from_store",
    "areas_from_layer",
    "areas_from_store",
    "check_grid_column",
    "compute_indicators",
    "configured",
    "coverage",
    "explain",
    "export",
    "filter_ranked",
    "grid",
    "indicator_label",
    "open_areas",
    "rank",
    "rank_store",
    "ranked_file",
    "read_indicators",
    "sensitivity",
    "with_context",
    "with_store_accidents",
]
