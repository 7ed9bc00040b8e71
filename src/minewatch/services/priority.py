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
"""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import pyogrio

from minewatch.analysis import priority as analysis
from minewatch.analysis.h3grid import h3_grid
from minewatch.domain.records import HazardStatus, Kind
from minewatch.errors import InvalidInput, Location
from minewatch.io.priority import (
    FileLayer,
    PriorityInputs,
    read_areas,
    write_ranked_csv,
    write_ranked_gpkg,
)
from minewatch.priority_config import (
    DISTANCE_LAYERS,
    PriorityConfig,
    load_priority_config,
)
from minewatch.scale.priority import indicators_dask, indicators_in_process
from minewatch.services.recent import RecentResults, digest_frame, file_stamp

#: Statuses whose areas are no longer ranked.
FINISHED = frozenset({HazardStatus.RELEASED.value, HazardStatus.CLOSED.value})


#: Record fields carried beside the indicators, so a ranked list says what each area is.
DESCRIPTIVE = ("name", "status", "classification", "organisation_code", "location_code")

#: Where each indicator comes from: the store's own records, or a context layer.
FROM_STORE = frozenset({"accidents", "victims", "blockages", "residual_risk", "beneficiaries"})
INDICATOR_LAYER = {"population": "population", "agricultural_share": "agriculture"} | dict(
    DISTANCE_LAYERS
)

#: The most H3 cells a grid may hold (about 20 MB of GeoJSON): a fine resolution over a
#: country would not fit in a response (resolution 15 cells are about 1 m²).
MAX_GRID_CELLS = 50_000


@dataclass(frozen=True)
class PriorityRequest:
    """What to rank and how. ``dask`` is None (in-process), ``"local"`` (Dask's threads) or
    a scheduler address such as ``"tcp://10.0.0.5:8786"``.

    Examples
    --------
    >>> request = PriorityRequest(config=configured(), scenario="casualties")
    >>> request.scenario_name, request.dask
    ('casualties', None)
    """

    config: PriorityConfig
    inputs: PriorityInputs = field(default_factory=PriorityInputs)
    scenario: str | None = None
    as_of: date = field(default_factory=date.today)
    dask: str | None = None
    npartitions: int | None = None

    @property
    def scenario_name(self) -> str:
        return self.scenario or self.config.default_scenario


def indicator_label(indicator: str) -> str:
    """What an indicator measures, for people (e.g. "Distance to nearest road").

    Examples
    --------
    >>> indicator_label("road_distance_m"), indicator_label("victims")
    ('Distance to nearest road', 'Victims of those accidents')
    """
    return analysis.INDICATOR_LABELS[indicator][0]


def explain(ranked: pd.DataFrame, code: str, request: PriorityRequest) -> pd.DataFrame:
    """Why one area of a ranking scored what it did: each indicator's value, normalised
    value, weight share and contribution (they add up to the score).

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> request = PriorityRequest(config=configured(), as_of=date(2025, 1, 1))
    >>> ranked = rank_store(store, request)
    >>> why = explain(ranked, "HA-000003", request)
    >>> list(why.columns)
    ['indicator', 'label', 'value', 'unit', 'normalised', 'weight_share', 'contribution',
     'share_of_score']
    >>> round(float(why["contribution"].sum()), 6) == round(float(ranked["score"].iloc[0]), 6)
    True
    """
    return analysis.explain(ranked, code, request.config)


def sensitivity(ranked: pd.DataFrame, request: PriorityRequest) -> analysis.SensitivityResult:
    """How the ranking moves when each weight of the request's scenario moves alone.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> request = PriorityRequest(config=configured(), as_of=date(2025, 1, 1))
    >>> ranked = rank_store(store, request)
    >>> result = sensitivity(ranked, request)
    >>> type(result).__name__
    'SensitivityResult'
    """
    return analysis.sensitivity(ranked, request.config, request.scenario)


def configured(path: str | Path | None = None) -> PriorityConfig:
    """The prioritisation configuration in the file at ``path`` (a prioritisation TOML, or
    a national one with a [priority] section), else the shipped illustrative defaults.

    The server and the CLI's store commands take it from the national configuration
    through :mod:`minewatch.services.context` instead; this reads a file a user names.

    >>> configured().default_scenario
    'balanced'
    """
    return load_priority_config(path) if path else load_priority_config()


def with_context(inputs: PriorityInputs, config: PriorityConfig) -> PriorityInputs:
    """``inputs`` completed by the configuration's context files, for every layer (and the
    population raster) that ``inputs`` does not name itself.

    Examples
    --------
    >>> from minewatch.io.priority import PriorityInputs
    >>> inputs = with_context(PriorityInputs(), configured())
    >>> inputs.population, inputs.layers   # the shipped configuration names no context files
    (None, {})
    """
    files = config.context
    layers: dict[str, Any] = {n: FileLayer.parse(v) for n, v in files.layers().items()}
    layers.update(inputs.layers)
    return PriorityInputs(inputs.population or files.population, layers)


def open_areas(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The areas still to be dealt with (status not released or closed).

    Examples
    --------
    >>> import geopandas as gpd
    >>> frame = gpd.GeoDataFrame({"code": ["A", "B", "C"], "status": ["open", "Released", "closed"]})
    >>> list(open_areas(frame)["code"])
    ['A']
    """
    if "status" not in frame:
        return frame
    finished = frame["status"].astype(str).str.lower().isin(FINISHED)
    return frame.loc[~finished.to_numpy()]


def areas_from_layer(path: str, layer: str | None = None) -> gpd.GeoDataFrame:
    """Open hazardous areas from a vector layer (e.g. a GeoPackage export of IMSMA).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> frame = gpd.GeoDataFrame({"code": ["HA-1", "HA-2"], "status": ["open", "released"]},
    ...                          geometry=[box(30, -1, 30.01, -0.99), box(31, -1, 31.01, -0.99)],
    ...                          crs=4326)
    >>> frame.to_file(tmp / "areas.gpkg")
    >>> list(areas_from_layer(str(tmp / "areas.gpkg"))["code"])
    ['HA-1']
    """
    return open_areas(read_areas(path, layer))


def areas_from_store(repository: Any) -> gpd.GeoDataFrame:
    """Open hazardous areas as currently recorded in a minewatch store (approved reports).

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> areas = areas_from_store(store)
    >>> len(areas), sorted(set(areas["status"]))
    (5, ['open'])
    """
    from minewatch.store.base import ItemQuery

    frame = repository.items_frame(ItemQuery(kind=Kind.HAZARDOUS_AREA))
    frame = frame[frame.geometry.notna()]
    if "code" not in frame or frame.empty:
        raise InvalidInput("the store holds no hazardous areas with a geometry")
    return open_areas(frame)


def accidents_from_store(repository: Any) -> gpd.GeoDataFrame:
    """Accidents from the store with a ``victims`` column counted from victim records.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> accidents = accidents_from_store(store)
    >>> len(accidents), int(accidents["victims"].sum())
    (10, 10)
    """
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


def with_store_accidents(repository: Any, request: PriorityRequest) -> PriorityRequest:
    """The request with the store's accidents as its accident layer, unless it names one.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> request = with_store_accidents(store, PriorityRequest(config=configured()))
    >>> len(request.inputs.layers["accidents"])
    10
    """
    if "accidents" in request.inputs.layers:
        return request
    layers = {**request.inputs.layers, "accidents": accidents_from_store(repository)}
    inputs = PriorityInputs(request.inputs.population, layers)
    return dataclasses.replace(request, inputs=inputs)


def rank_store(
    repository: Any,
    request: PriorityRequest,
    progress: Callable[[int], None] | None = None,
) -> gpd.GeoDataFrame:
    """The store's open hazardous areas ranked under the request's scenario, with their
    accidents from the store and the context layers the request (or the configuration)
    names. The indicators of the last rankings are kept (:data:`_RECENT`), so asking
    again, or under another scenario, only scores them again.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> request = PriorityRequest(config=configured(), as_of=date(2025, 1, 1))
    >>> ranked = rank_store(store, request)
    >>> ranked[["code", "rank", "score"]].round(2)
            code  rank  score
    2  HA-000003     1   5.26
    0  HA-000001     2   4.35
    3  HA-000004     3   3.19
    1  HA-000002     4   2.43
    4  HA-000005     5   0.00
    """
    if request.as_of.year < 1900:
        raise InvalidInput("as_of must be after 1900", Location(field="as_of"))
    request.config.scenario(request.scenario)  # unknown scenario: fail before computing
    areas = areas_from_store(repository)
    request = with_store_accidents(repository, request)
    indicators = _RECENT.get_or_compute(
        _indicator_key(areas, request), lambda: compute_indicators(areas, request, progress)
    )
    return rank(indicators, request)


#: The indicators of the last two store rankings. Why: the Priorities page asks in turn for
#: a ranking, its map layer, its sensitivity and its grid, and a user switches scenarios;
#: each would otherwise recompute the indicators of every open area, the costly part (tens
#: of seconds for a country with context layers), while scoring takes milliseconds. Two: a
#: country's indicators, with their polygons, are some hundreds of MB.
_RECENT = RecentResults[gpd.GeoDataFrame](size=2)


def _indicator_key(areas: gpd.GeoDataFrame, request: PriorityRequest) -> bytes:
    """A digest of what the indicators depend on: the areas' content, the indicator
    settings (not the scenarios: scoring comes after), the day, and each context input
    (files by path, size and modification time; frames by content)."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(request.config.indicators.model_dump_json().encode())
    digest.update(request.as_of.isoformat().encode())
    digest_frame(digest, areas)
    if request.inputs.population is not None:
        digest.update(file_stamp(request.inputs.population))
    for name in sorted(request.inputs.layers):
        source = request.inputs.layers[name]
        digest.update(f"layer {name}".encode())
        if isinstance(source, gpd.GeoDataFrame):
            digest_frame(digest, source)
        else:
            digest.update(file_stamp(source.path) + str(source.layer).encode())
    return digest.digest()


def compute_indicators(
    areas: gpd.GeoDataFrame, request: PriorityRequest, progress: Callable[[int], None] | None
) -> gpd.GeoDataFrame:
    """Indicators of every area, in-process or on Dask as the request says, with the
    area's :data:`DESCRIPTIVE` fields beside them when the areas have them.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> request = with_store_accidents(
    ...     store, PriorityRequest(config=configured(), as_of=date(2025, 1, 1)))
    >>> indicators = compute_indicators(areas_from_store(store), request, progress=None)
    >>> indicators[["code", "accidents", "victims", "area_m2"]].round()
            code  accidents  victims    area_m2
    0  HA-000001        2.0      2.0   907897.0
    1  HA-000002        2.0      2.0   258153.0
    2  HA-000003        2.0      2.0   327358.0
    3  HA-000004        2.0      2.0   112217.0
    4  HA-000005        2.0      2.0  1087511.0
    """
    if areas.empty:
        raise InvalidInput("no open hazardous areas to prioritise")
    duplicated = areas["code"].astype(str).duplicated()
    if duplicated.any():
        first = str(areas["code"].astype(str)[duplicated.to_numpy()].iloc[0])
        raise InvalidInput(f"hazardous area code {first} appears twice", Location(field="code"))
    request.inputs.check()
    areas = areas.reset_index(drop=True)
    if request.dask is None:
        frame = indicators_in_process(
            areas, request.inputs, request.config, request.as_of, progress
        )
    else:
        frame = indicators_dask(
            areas,
            request.inputs,
            request.config,
            request.as_of,
            client=None if request.dask == "local" else request.dask,
            npartitions=request.npartitions,
            progress=progress,
        )
    return _described(frame, areas)


def _described(indicators: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    by_code = areas.assign(code=areas["code"].astype(str)).set_index("code")
    codes = indicators["code"].astype(str)
    extra = {c: codes.map(by_code[c]).to_numpy() for c in DESCRIPTIVE if c in by_code}
    return indicators.assign(**extra) if extra else indicators


def rank(indicators: gpd.GeoDataFrame, request: PriorityRequest) -> gpd.GeoDataFrame:
    """The ranked list (best first) under the request's scenario.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> request = PriorityRequest(config=configured(), as_of=date(2025, 1, 1))
    >>> indicators = compute_indicators(areas_from_store(store), request, progress=None)
    >>> list(rank(indicators, request)["code"])
    ['HA-000003', 'HA-000001', 'HA-000004', 'HA-000002', 'HA-000005']
    >>> casualties = dataclasses.replace(request, scenario="casualties")
    >>> list(rank(indicators, casualties)["code"])
    ['HA-000001', 'HA-000002', 'HA-000003', 'HA-000004', 'HA-000005']
    """
    scored = analysis.score(indicators, request.config, request.scenario)
    return gpd.GeoDataFrame(scored, geometry="geometry", crs=4326)


def coverage(ranked: pd.DataFrame, request: PriorityRequest) -> list[dict[str, Any]]:
    """For each indicator the scenario weights: its weight share, how many areas have a
    value, and where values come from (``store``, ``context`` or ``not configured``), so a
    reader sees which criteria could not count. Unknown values score as the configuration's
    ``missing`` policy says.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> request = PriorityRequest(config=configured(), as_of=date(2025, 1, 1))
    >>> ranked = rank_store(store, request)
    >>> [(row["indicator"], row["source"]) for row in coverage(ranked, request)]
    [('population', 'not configured'), ('settlement_distance_m', 'not configured'),
     ('road_distance_m', 'not configured'), ('school_distance_m', 'not configured'),
     ('health_distance_m', 'not configured'), ('water_distance_m', 'not configured'),
     ('agricultural_share', 'not configured'), ('accidents', 'store'), ('victims', 'store'),
     ('blockages', 'store'), ('residual_risk', 'store'), ('beneficiaries', 'store')]
    """
    weights = request.config.scenario(request.scenario).weights
    total = sum(weights.values())
    rows = []
    for name, weight in weights.items():
        if weight <= 0:
            continue
        layer = INDICATOR_LAYER.get(name)
        named = layer == "population" and request.inputs.population is not None
        named = named or (layer is not None and layer in request.inputs.layers)
        source = "store" if name in FROM_STORE else "context" if named else "not configured"
        known = int(pd.to_numeric(ranked[name], errors="coerce").notna().sum())
        rows.append(
            {
                "indicator": name,
                "label": analysis.INDICATOR_LABELS[name][0],
                "unit": analysis.INDICATOR_LABELS[name][1],
                "weight_share": weight / total,
                "source": source,
                "known": known,
                "missing": len(ranked) - known,
            }
        )
    return rows


def filter_ranked(ranked: gpd.GeoDataFrame, **equal: str | None) -> gpd.GeoDataFrame:
    """The rows of a ranked list whose fields equal the values given (None: any). Ranks
    stay those of the whole list, so a province's areas show their national rank.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> request = PriorityRequest(config=configured(), as_of=date(2025, 1, 1))
    >>> ranked = rank_store(store, request)
    >>> filter_ranked(ranked, name="Demo field 4", status=None)[["code", "name", "rank"]]
            code          name  rank
    3  HA-000004  Demo field 4     3
    """
    keep = np.ones(len(ranked), dtype=bool)
    for column, value in equal.items():
        if value is not None:
            present = column in ranked
            keep &= ranked[column].astype(str).eq(value).to_numpy() if present else False
    return ranked.loc[keep]


def grid(ranked: gpd.GeoDataFrame, config: PriorityConfig, resolution: int | None = None) -> Any:
    """The H3 grid view of a ranked list; InvalidInput when the resolution is so fine that
    the areas would cover more than :data:`MAX_GRID_CELLS` cells.

    Examples
    --------
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
    minewatch.errors.InvalidInput: field resolution: resolution 15 would give about 3,008,047 cells
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


def read_indicators(path: str, layer: str | None = None) -> gpd.GeoDataFrame:
    """Indicators saved by an earlier run (the GeoPackage ``rank`` writes), so that
    scoring, sensitivity and explanations can be redone without recomputing them.

    Examples
    --------
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
    >>> store = demo_store(tmp)
    >>> request = PriorityRequest(config=configured(), as_of=date(2025, 1, 1))
    >>> ranked = rank_store(store, request)
    >>> ranked_file(ranked, "csv").decode().splitlines()[0][:60]
    'code,longitude,latitude,population,settlement_distance_m,roa'
    """
    return _file_bytes(form, lambda path: export(ranked, **{form: str(path)}))


def check_grid_column(cells: gpd.GeoDataFrame, column: str) -> None:
    """InvalidInput unless ``column`` is one of the grid's surfaces: its numeric columns
    (not the H3 cell id or the polygons), what a map can colour.

    Examples
    --------
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
