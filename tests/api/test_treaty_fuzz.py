"""Schemathesis over the treaty monitor's part of the OpenAPI document, with more examples
per operation than the whole-API run in test_openapi_fuzz.py: state names, dates, version ids
and formats drawn at random must never cause a server error (a bad date is a 422, an unknown
state or version a 404). The caller is anonymous, as the public is; the users are synthetic.
"""

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
    """GeoPackage only: the treaty routes read shipped data, never the store."""
    return f"sqlite:///{tmp_path / 'store.gpkg'}"


@pytest.mark.slow
def test_treaty_operations_never_fail_with_a_server_error(api: Api) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", api.app_client().app)
    treaty = schema.include(path_regex="^/api/treaty/")
    operations = [result.ok() for result in treaty.get_all_operations()]
    paths = {operation.path for operation in operations}
    # the regex caught the treaty routes, including the groups, reports and profiles
    assert {
        "/api/treaty/status",
        "/api/treaty/groups",
        "/api/treaty/report/{state}/{year}.{fmt}",
        "/api/treaty/profile/{state}.{fmt}",
    } <= paths, paths
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def no_server_error(case: Any) -> None:
            case.call_and_validate(checks=[not_a_server_error])

        no_server_error()
