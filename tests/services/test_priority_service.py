"""Prioritising from the store's current records (SYNTHETIC records), on both backends."""

from __future__ import annotations

from datetime import date

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
