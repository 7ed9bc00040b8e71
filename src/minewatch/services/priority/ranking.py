"""Ranking: the indicators of every area (in-process or on Dask; the last store rankings'
kept, :data:`_RECENT`), scored and ranked under a scenario, and a ranked list filtered.

>>> from datetime import date
>>> from minewatch.services.priority import PriorityRequest, configured
>>> store = demo_store(tmp)
>>> list(rank_store(store, PriorityRequest(config=configured(), as_of=date(2025, 1, 1)))["rank"])
[1, 2, 3, 4, 5]
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np

from minewatch.analysis import priority as analysis
from minewatch.errors import InvalidInput, Location
from minewatch.scale.priority import indicators_dask, indicators_in_process
from minewatch.services.priority.areas import areas_from_store, with_store_accidents
from minewatch.services.priority.request import PriorityRequest
from minewatch.services.recent import RecentResults, digest_frame, file_stamp

#: Record fields carried beside the indicators, so a ranked list says what each area is.
DESCRIPTIVE = ("name", "status", "classification", "organisation_code", "location_code")


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
    >>> from datetime import date
    >>> from minewatch.services.priority import configured
    >>> store = demo_store(tmp)
    >>> request = PriorityRequest(config=configured(), as_of=date(2025, 1, 1))
    >>> ranked = rank_store(store, request)
    >>> ranked[["code", "rank", "score"]].round(2)
            code  rank  score
    2  HA-000003     1  15.79
    0  HA-000001     2   9.62
    3  HA-000004     3   8.45
    1  HA-000002     4   7.69
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
    >>> from datetime import date
    >>> from minewatch.services.priority import configured
    >>> store = demo_store(tmp)
    >>> request = with_store_accidents(
    ...     store, PriorityRequest(config=configured(), as_of=date(2025, 1, 1)))
    >>> indicators = compute_indicators(areas_from_store(store), request, progress=None)
    >>> indicators[["code", "accidents", "victims", "area_m2"]].round()
            code  accidents  victims    area_m2
    0  HA-000001        2.0      3.0   907863.0
    1  HA-000002        2.0      3.0   258143.0
    2  HA-000003        2.0      3.0   327358.0
    3  HA-000004        2.0      3.0   112216.0
    4  HA-000005        2.0      3.0  1087502.0
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
    >>> import dataclasses
    >>> from datetime import date
    >>> from minewatch.services.priority import configured
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


def filter_ranked(ranked: gpd.GeoDataFrame, **equal: str | None) -> gpd.GeoDataFrame:
    """The rows of a ranked list whose fields equal the values given (None: any). Ranks
    stay those of the whole list, so a province's areas show their national rank.

    Examples
    --------
    >>> from datetime import date
    >>> from minewatch.services.priority import configured
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
