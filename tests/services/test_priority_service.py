"""Prioritising from the store's current records (SYNTHETIC records), on both backends."""

from __future__ import annotations

import os
import time
from datetime import date

import numpy as np
import rasterio
from affine import Affine
from shapely import Point, box

from minewatch.domain.records import (
    Accident,
    Blockage,
    BlockageType,
    HazardousArea,
    HazardStatus,
    HazardType,
    Victim,
)
from minewatch.io.priority import PriorityInputs
from minewatch.priority_config import load_priority_config
from minewatch.services import priority as service
from minewatch.services.priority import ranking
from minewatch.store import SqlRepository


def test_rank_open_areas_from_the_store(store: SqlRepository) -> None:
    blocked = (Blockage(type=BlockageType.ROAD), Blockage(type=BlockageType.WATER, note="well"))
    store.put_items(
        [
            HazardousArea(
                code="HA-000001", status=HazardStatus.OPEN, blockages=blocked,
                residual_risk=4.0, hazard_types=(HazardType.AP_MINES,),
                geometry=box(30.0, 50.0, 30.002, 50.002),
            ),
            HazardousArea(code="HA-000002", geometry=box(30.3, 50.0, 30.302, 50.002)),
            HazardousArea(
                code="HA-000003", status=HazardStatus.RELEASED,
                geometry=box(30.1, 50.0, 30.11, 50.01),
            ),
        ]
    )  # fmt: skip
    store.put_items(
        [
            Accident(code="ACC-000001", accident_date=date(2024, 3, 1),
                     geometry=Point(30.001, 50.005)),
        ]
    )  # fmt: skip
    store.put_items(
        [
            Victim(code="VIC-000001", accident_code="ACC-000001"),
            Victim(code="VIC-000002", accident_code="ACC-000001"),
        ]
    )  # fmt: skip
    areas = service.areas_from_store(store)
    assert sorted(areas["code"]) == ["HA-000001", "HA-000002"]  # released: not ranked
    accidents = service.accidents_from_store(store)
    assert accidents["victims"].tolist() == [2.0]

    request = service.PriorityRequest(
        config=load_priority_config(),
        inputs=PriorityInputs(layers={"accidents": accidents}),
        as_of=date(2025, 1, 1),
    )
    ranked = service.rank(service.compute_indicators(areas, request, None), request)
    assert ranked["code"].tolist() == ["HA-000001", "HA-000002"]
    top = ranked.iloc[0]
    assert (top["accidents"], top["victims"], top["blockages"]) == (1.0, 2.0, 2.0)
    assert top["blockage_types"] == "road;water"
    assert top["lis_points"] == 2 + 2 + 2 * 2  # AP mines, two blockages, two victims


def _counting_computations(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = service.compute_indicators

    def counted(areas, request, progress):
        calls.append(len(areas))
        return real(areas, request, progress)

    monkeypatch.setattr(ranking, "compute_indicators", counted)  # where rank_store finds it
    return calls


def test_store_rankings_reuse_indicators_until_something_they_depend_on_changes(
    store: SqlRepository, monkeypatch, tmp_path
) -> None:
    calls = _counting_computations(monkeypatch)
    store.put_items(
        [
            HazardousArea(code="HA-000001", geometry=box(30.0, 50.0, 30.002, 50.002)),
            HazardousArea(code="HA-000002", geometry=box(30.3, 50.0, 30.302, 50.002)),
        ]
    )
    config = load_priority_config()
    request = service.PriorityRequest(config=config, as_of=date(2025, 1, 1))
    first = service.rank_store(store, request)
    again = service.rank_store(store, request)
    other = service.rank_store(store, service.PriorityRequest(config, scenario="livelihoods",
                                                               as_of=date(2025, 1, 1)))  # fmt: skip
    assert calls == [2]  # the same indicators, scored again
    assert first["code"].tolist() == again["code"].tolist()
    assert other["scenario"].iloc[0] == "livelihoods"

    store.put_items(
        [Accident(code="ACC-000001", accident_date=date(2024, 3, 1),
                  geometry=Point(30.001, 50.005))]
    )  # fmt: skip
    with_accident = service.rank_store(store, request)
    assert calls == [2, 2] and with_accident.set_index("code").loc["HA-000001", "accidents"] == 1
    service.rank_store(store, service.PriorityRequest(config, as_of=date(2025, 1, 2)))
    assert calls == [2, 2, 2]  # another day counts accidents back from another day

    store.put_items([HazardousArea(code="HA-000003", geometry=box(30.5, 50.0, 30.502, 50.002))])
    assert len(service.rank_store(store, request)) == 3 and calls[-1] == 3

    raster = tmp_path / "people.tif"
    _write_people(raster, 1.0)
    people = service.PriorityRequest(
        config, inputs=PriorityInputs(population=str(raster)), as_of=date(2025, 1, 1)
    )
    before = service.rank_store(store, people).set_index("code")["population"]
    _write_people(raster, 2.0)  # the file replaced: its size or time changes
    os.utime(raster, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    after = service.rank_store(store, people).set_index("code")["population"]
    assert (after == 2 * before).all() and before.sum() > 0 and len(calls) == 6


def _write_people(path, value: float) -> None:
    profile = {
        "driver": "GTiff", "height": 100, "width": 100, "count": 1, "dtype": "float32",
        "crs": "EPSG:4326", "transform": Affine(0.01, 0, 29.9, 0, -0.01, 50.5),
    }  # fmt: skip
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.full((1, 100, 100), value, dtype=np.float32))
