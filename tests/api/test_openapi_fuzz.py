"""Schemathesis over the OpenAPI document: no generated request may cause a server error.

Runs in-process on the embedded GeoPackage as an administrator (who reaches every
operation), with a few examples per operation to stay fast; a longer run is
``schemathesis run http://127.0.0.1:8000/api/openapi.json -c not_a_server_error -n 60
-H "Authorization: Bearer $TOKEN"`` against ``minewatch serve`` (docs/api.md). Synthetic data.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from api_support import Api
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from shapely import box

from minewatch.domain.access import local_admin
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.services.records import Draft, Workflow


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """GeoPackage only: fuzzing exercises the HTTP layer, which both backends share."""
    return f"sqlite:///{tmp_path / 'store.gpkg'}"


@pytest.mark.slow
def test_no_generated_request_causes_a_server_error(api: Api) -> None:
    Workflow(api.store, local_admin()).create_drafts(
        [Draft(Kind.HAZARDOUS_AREA, {"status": "open"}, date(2024, 1, 1), box(30, 50, 30.1, 50.1))],
        state=ReportState.APPROVED,
    )
    api.draft("w1")
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", api.app_client().app)
    headers = {"Authorization": f"Bearer {api.tokens['admin']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 25
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
        def no_server_error(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        no_server_error()
