"""Schemathesis over the OpenAPI document: the answers are what the document says they are.

Every operation, for an anonymous caller and for an administrator, with requests that fit
the document (positive) and requests that break it (negative): no server error; every
status, content type, header and body as documented; requests that break the document are
refused. Requests that fit it are accepted, except on the operations in
:data:`SCHEMA_CANNOT_SAY`, whose valid inputs depend on each other, on configuration or on a
small language the document cannot state.

Runs in-process on the embedded GeoPackage with a few fixed (derandomised) examples per
operation to stay under a minute; a longer run against ``minewatch serve`` is in docs/api.md.
Synthetic data.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from api_support import Api
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from shapely import box

from minewatch.domain.access import local_admin
from minewatch.domain.records import Kind
from minewatch.domain.reports import ReportState
from minewatch.services.records import Draft, Workflow

CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

#: Answers to well-formed requests that are not about the request's shape: a stale or
#: missing ``If-Match`` (412, 428) is a precondition, like a missing resource (404).
#: Generated text has no NUL: record fields and decisions refuse it (422) on both stores, and
#: on PostGIS every text that reaches the store does, which the document does not state on
#: each string (docs/api.md says it once).
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"allow-x00": False},
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "412", "428"]
            },
            "negative_data_rejection": {
                "expected-statuses": ["400", "401", "403", "404", "409", "412", "413", "422"]
            },
        },
    }
)

#: Operations whose valid requests the OpenAPI document cannot describe whole, and why: a
#: request that fits the document may still be refused with 400 or 422 naming the field.
SCHEMA_CANNOT_SAY = {
    "POST /api/account/password": "the current password must be the right one (422 naming it)",
    "POST /api/users": "usernames and passwords follow rules the answer names "
    "(GET /api/account/password-rules)",
    "PATCH /api/users/{username}": "passwords follow the password rules",
    "POST /api/reports": "changes are checked against the kind's fields (GET /api/kinds)",
    "PUT /api/reports/{code}": "changes are checked against the kind's fields",
    "GET /api/items/{kind}": "where, near and bbox are small languages; dates before 1900",
    "GET /api/items/{kind}/{ref}/as-of": "date or known_at, at least one",
    "POST /api/intake/submissions": "the file's contents are read by its format",
    "POST /api/intake/geodata": "the file's contents are read by its format",
    "POST /api/intake/geodata/preview": "the file's contents are read by its format",
    "POST /api/migration/plan": "the archive's contents are read by its format",
    "POST /api/migration/mapping": "the mapping is TOML that the migration's model checks",
    "POST /api/migration/run": "the archive is read by its format, the mapping as TOML",
    "POST /api/entry-forms/{kind}/geometry": "a GeoJSON geometry's coordinates must make one",
    "GET /api/landrelease/areas": "a period's start comes before its end",
    "GET /api/landrelease/issues": "a period's start comes before its end",
    "GET /api/landrelease/report": "a period's start comes before its end",
    "GET /api/landrelease/report/{table}.csv": "a period's start comes before its end",
    "GET /api/landrelease/statements/{code}.{fmt}": "searched fraction and detection "
    "probability come together",
    "GET /api/priority/ranking": "scenarios are named by the national configuration; as_of "
    "from 1900",
    "GET /api/priority/ranking.{form}": "scenarios are named by the national configuration",
    "GET /api/priority/explain/{code}": "scenarios are named by the national configuration",
    "GET /api/priority/sensitivity": "scenarios are named by the national configuration",
    "GET /api/priority/grid": "scenarios are named by the national configuration",
    "GET /api/priority/grid.{form}": "columns depend on the grid; scenarios on configuration",
    "POST /api/tasks": "its areas and organisation must exist; scenarios are named by the "
    "national configuration",
    "POST /api/tasks/{code}/status": "the move must be one the task's status allows",
    "GET /api/qm/sampling-plan": "the AQL must be one of ISO 2859-1's preferred values",
    "GET /api/qm/zero-find": "searched fraction × detection probability must not round to 0",
    "GET /api/treaty/status": "dates from 1900 to 2999",
    "GET /api/treaty/count": "dates from 1900 to 2999",
    "GET /api/treaty/compare": "dates from 1900 to 2999",
    "GET /api/treaty/deadlines": "dates from 1900 to 2999",
    "GET /api/treaty/policy/{name}/versions": "dates from 1900 to 2999",
    "GET /api/treaty/policy/{name}/diff": "the two versions must exist",
    "GET /api/web/dashboard/treaty/status": "dates from 1900",
    "GET /api/web/layers/{kind}": "a bbox's edges come in order",
    "GET /api/web/dashboard/residual": "failure and timing specs are a small language "
    "(e.g. beta:2,38)",
    "GET /ogc/collections/{collection_id}/items": "a bbox's edges and an interval's ends "
    "come in order",
}


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """GeoPackage only: these checks exercise the HTTP layer, which both backends share."""
    return f"sqlite:///{tmp_path / 'store.gpkg'}"


def _can_be_broken(operation: Any) -> bool:
    """Whether some request breaks the document: a body, a constrained parameter or a required
    one outside the path (any text is a valid free-text parameter, so Hypothesis would search
    in vain)."""
    definition = operation.definition.raw
    if definition.get("requestBody"):
        return True
    for parameter in definition.get("parameters", []):
        constraints = set(parameter["schema"]) - {"title", "description", "examples", "default"}
        if constraints != {"type"} or parameter["schema"]["type"] != "string":
            return True
        if parameter.get("required") and parameter["in"] != "path":
            return True
    return False


@pytest.mark.slow
@pytest.mark.parametrize("caller", ["anonymous", "admin"])
def test_answers_match_the_openapi_document(api: Api, caller: str) -> None:
    Workflow(api.store, local_admin()).create_drafts(
        [Draft(Kind.HAZARDOUS_AREA, {"status": "open"}, date(2024, 1, 1), box(30, 50, 30.1, 50.1))],
        state=ReportState.APPROVED,
    )
    api.draft("w1")
    headers: dict[str, str] = {}
    pinned: dict[str, dict[str, Any]] = {}
    if caller == "admin":
        headers = {"Authorization": f"Bearer {api.tokens['admin']}"}
        # Fuzzing must not revoke the token it runs with, nor disable the administrator.
        spare = api.accounts.issue_token(api.actor("admin"), "spare")[0]
        pinned = {"token_id": {"token_id": spare}, "{username}": {"username": "viewer"}}
    schema = schemathesis.openapi.from_asgi(
        "/api/openapi.json", api.app_client().app, config=CONFIG
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 70
    assert set(SCHEMA_CANNOT_SAY) <= {op.label for op in operations}
    failures: list[str] = []
    for operation in operations:
        path_parameters = next((v for k, v in pinned.items() if k in operation.path), None)
        modes = [GenerationMode.POSITIVE]
        if _can_be_broken(operation):
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:
            checks = list(CONFORMANCE)
            if mode is GenerationMode.NEGATIVE:
                checks.append(negative_data_rejection)
            elif operation.label not in SCHEMA_CANNOT_SAY:
                checks.append(positive_data_acceptance)
            failure = _first_failure(
                operation.as_strategy(generation_mode=mode, path_parameters=path_parameters),
                headers,
                checks,
            )
            if failure:
                failures.append(f"{caller} {mode.value} {operation.label}: {failure}")
    assert not failures, "\n\n".join(failures)


def _first_failure(strategy: Any, headers: dict[str, str], checks: list[Any]) -> str | None:
    """What the first request from ``strategy`` that fails a check got wrong, if any did."""

    @given(case=strategy)
    @settings(
        max_examples=2,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def conforms(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=checks)

    try:
        conforms()
    except (AssertionError, BaseExceptionGroup) as exc:  # Schemathesis's failures
        return str(exc)
    except Unsatisfiable:  # no request breaks the document after all
        pass
    return None


def test_query_dates_are_read_only_as_the_document_writes_them(api: Api) -> None:
    """``format: date`` is YYYY-MM-DD: a number is not a Unix time (pydantic alone read
    ``date=0`` as 1970-01-01), nor is a date-time a date."""
    admin = api.client("admin")
    for url in (
        "/api/treaty/count?date=0",
        "/api/treaty/compare?date=-3.7e-251",
        "/api/landrelease/issues?start=1700000000",
        "/api/audit?since=2024-01-01T00:00:00",
        "/api/web/layers/hazardous_area?date=20240101",
    ):
        answer = admin.get(url)
        assert answer.status_code == 422, url
        assert "YYYY-MM-DD" in answer.json()["description"], url
    assert admin.get("/api/treaty/count?date=2024-01-01").status_code == 200
    assert admin.get("/api/landrelease/issues?start=2024-01-01&area=HA-000001").status_code == 200
