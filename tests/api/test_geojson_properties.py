"""Feature properties are written by orjson straight from a record's fields
(api/geojson.properties); they must be the JSON of ``record_to_plain``, key for key and in
the same order, for every kind the OGC API publishes (the synthetic demo's records, and
values the demo lacks: times, unicode, nested grids with unknowns, free-form extras)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime

import pytest

from minewatch.api.geojson import properties
from minewatch.api.ogc import COLLECTIONS
from minewatch.domain.access import local_admin
from minewatch.domain.records import HazardousArea, HazardType, Record
from minewatch.domain.schema import build_record, record_to_plain
from minewatch.services.demo import load_demo
from minewatch.services.records import Workflow
from minewatch.store import ItemQuery, Repository, open_store


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Repository:
    store = open_store(str(tmp_path_factory.mktemp("demo") / "demo.gpkg"), create=True)
    load_demo(Workflow(store, local_admin()), areas=12)
    return store


def _same(record: Record) -> None:
    text = properties(record)
    plain = record_to_plain(record)
    assert list(json.loads(text).items()) == list(plain.items())


def test_every_published_kind_as_record_to_plain(demo: Repository) -> None:
    seen = 0
    for collection in COLLECTIONS.values():
        for record in demo.query_items(ItemQuery(collection.kind)):
            _same(record)
            seen += 1
    assert seen > 50


def test_values_the_demo_lacks() -> None:
    area = HazardousArea(
        code="HA-000009",
        id=uuid.UUID("01900000-0000-7000-8000-000000000001"),
        date_of_information=date(2024, 2, 29),
        name="Champ « Est » – поле 3 – حقل",
        hazard_types=(HazardType.AP_MINES, HazardType.UXO_AXO),
        reported_area_m2=1e16,
        extra={"source_row": 7, "note": "ünïcode", "nested": {"list": [1, 2.5, None]}},
    )
    _same(area)
    _same(build_record("hazardous_area", {"code": "HA-1", "beneficiaries": {"girls": 3}}))
    stamped = _records_with_datetimes()
    assert stamped
    for record in stamped:
        _same(record)


def _records_with_datetimes() -> list[Record]:
    """A record of each published kind with a datetime field, set to an aware instant."""
    from minewatch.domain.schema import field_specs

    out = []
    for collection in COLLECTIONS.values():
        specs = field_specs(collection.kind)
        times = [n for n, s in specs.items() if s.storage == "datetime"]
        if times:
            when = datetime(2025, 3, 1, 12, 30, 15, 250, tzinfo=UTC)
            out.append(build_record(collection.kind, dict.fromkeys(times, when)))
    return out
