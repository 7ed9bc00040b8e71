"""The hazardous areas to rank and the accidents beside them: open areas (not released or
closed) from a vector layer or the store, and the store's accidents with their victims counted.

>>> import geopandas as gpd
>>> list(open_areas(gpd.GeoDataFrame({"code": ["A", "B"], "status": ["open", "closed"]}))["code"])
['A']
"""

from __future__ import annotations

import dataclasses
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from minewatch.domain.records import HazardStatus, Kind
from minewatch.errors import InvalidInput
from minewatch.io.priority import PriorityInputs, read_areas
from minewatch.services.priority.request import PriorityRequest

#: Statuses whose areas are no longer ranked.
FINISHED = frozenset({HazardStatus.RELEASED.value, HazardStatus.CLOSED.value})


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
    (10, 15)
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
    >>> from minewatch.services.priority import configured
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
