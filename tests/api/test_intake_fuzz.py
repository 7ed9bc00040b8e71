"""Schemathesis over the field-data endpoints, harder than the whole-API run: more examples
per operation, multipart uploads included (synthetic data; GeoPackage only, as there)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from api_support import Api
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.gpkg'}"


@pytest.mark.slow
def test_no_generated_field_data_request_causes_a_server_error(api: Api) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", api.app_client().app)
    headers = {"Authorization": f"Bearer {api.tokens['w1']}"}
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().path.startswith(("/api/intake", "/api/forms", "/api/publish"))
    ]
    assert {o.path for o in operations} >= {"/api/intake/submissions", "/api/intake/geodata"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def no_server_error(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        no_server_error()
