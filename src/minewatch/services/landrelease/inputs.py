"""What the accounting reads from the store (:class:`ReleaseInputs`): the hazardous areas a
:class:`ReleaseFilter` selects (by code, by gazetteer entry and those below it, by
organisation) and all their products, with each product's activity type and method.

>>> from datetime import date
>>> ReleaseFilter(start=date(2024, 1, 1), end=date(2024, 12, 31)).locations is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import pandas as pd

from minewatch.domain.records import Kind
from minewatch.errors import InvalidInput, Location
from minewatch.store import ItemQuery, Repository


@dataclass(frozen=True)
class ReleaseFilter:
    """Which hazardous areas and which period to report (see
    :mod:`minewatch.services.landrelease`).

    Examples
    --------
    >>> ReleaseFilter(organisations=["ORG-000002"], start=date(2024, 1, 1)).end is None
    True
    >>> ReleaseFilter(start=date(2024, 6, 1), end=date(2024, 1, 1))
    Traceback (most recent call last):
    ...
    minewatch.errors.InvalidInput: field start: the period starts after it ends
    """

    hazardous_areas: Sequence[str] | None = None
    locations: Sequence[str] | None = None
    organisations: Sequence[str] | None = None
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise InvalidInput("the period starts after it ends", Location(field="start"))


def locations_below(locations: pd.DataFrame, roots: Sequence[str]) -> set[str]:
    """The codes of ``roots`` and every gazetteer entry below them.

    Examples
    --------
    >>> locations = pd.DataFrame({"code": ["LOC-1", "LOC-2", "LOC-3"],
    ...                           "name": ["North", "Hill district", "Valley"],
    ...                           "level": ["adm1", "adm2", "adm2"],
    ...                           "parent_code": [None, "LOC-1", "LOC-1"]})
    >>> sorted(locations_below(locations, ["LOC-1"])), sorted(locations_below(locations, ["LOC-3"]))
    (['LOC-1', 'LOC-2', 'LOC-3'], ['LOC-3'])
    """
    children = locations.groupby("parent_code")["code"].apply(list).to_dict()
    found, frontier = set(roots), list(roots)
    while frontier:
        frontier = [c for p in frontier for c in children.get(p, []) if c not in found]
        found.update(frontier)
    return found


def _frame(store: Repository, kind: Kind) -> gpd.GeoDataFrame:
    return store.items_frame(ItemQuery(kind=kind))


def _plain_columns(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame(frame)
    for column in columns:
        if column not in frame.columns:
            frame[column] = None
    return frame[list(columns)]


@dataclass(frozen=True)
class ReleaseInputs:
    """What the accounting reads from the store, already filtered.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> inputs = load_inputs(store, ReleaseFilter())
    >>> len(inputs.areas), len(inputs.products), list(inputs.locations.columns)
    (5, 3, ['code', 'name', 'level', 'parent_code'])
    """

    areas: gpd.GeoDataFrame
    products: gpd.GeoDataFrame
    locations: pd.DataFrame


def load_inputs(store: Repository, where: ReleaseFilter) -> ReleaseInputs:
    """Approved hazardous areas (filtered) and all their products, with activity type and
    method joined from the land release activities.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> inputs = load_inputs(store, ReleaseFilter(hazardous_areas=["HA-000001"]))
    >>> list(inputs.areas["code"])
    ['HA-000001']
    >>> inputs.products[["code", "product_type", "activity_type"]]
            code product_type     activity_type
    0  RP-000001      reduced  technical_survey
    1  RP-000002    cancelled  technical_survey
    """
    areas = _frame(store, Kind.HAZARDOUS_AREA)
    locations = _plain_columns(
        _frame(store, Kind.LOCATION), ("code", "name", "level", "parent_code")
    )
    keep = pd.Series(True, index=areas.index)
    if where.hazardous_areas is not None:
        keep &= areas["code"].isin(list(where.hazardous_areas))
    if where.locations is not None:
        keep &= areas["location_code"].isin(locations_below(locations, where.locations))
    if where.organisations is not None:
        keep &= areas["organisation_code"].isin(list(where.organisations))
    areas = areas[keep].reset_index(drop=True)
    products = _frame(store, Kind.RELEASE_PRODUCT)
    products = products[products["hazardous_area_code"].isin(areas["code"])]
    activities = _plain_columns(
        _frame(store, Kind.LAND_RELEASE_ACTIVITY), ("code", "activity_type", "method")
    ).set_index("code")
    products = products.join(activities, on="activity_code").reset_index(drop=True)
    return ReleaseInputs(areas=areas, products=products, locations=locations)
