"""Reports sent as JSON with hostile values — NaN and infinite numbers, numbers beyond any
column, negative counts, NUL in text, impossible coordinates — are answered 201 or 4xx on
both stores, never 5xx, and a refused report is not stored (synthetic data)."""

from __future__ import annotations

import json
from typing import Any

from api_support import Api
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minewatch.store import ReportQuery

_NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(["NaN", "Infinity", "1e400", "-1", "12", ""]),
)
_TEXT = st.text(max_size=12) | st.sampled_from(["\x00", "a\x00b", "\ufffd"])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=_TEXT,
    area=_NUMBER,
    girls=_NUMBER,
    source=_TEXT | st.none(),
    lon=st.floats(allow_nan=True, allow_infinity=True),
    lat=st.floats(allow_nan=True, allow_infinity=True),
)
def test_no_hostile_report_value_causes_a_server_error(
    api: Api, name: str, area: Any, girls: Any, source: str | None, lon: float, lat: float
) -> None:
    body = {
        "kind": "hazardous_area",
        "date_of_information": "2024-03-01",
        "changes": {
            "name": name,
            "status": "open",
            "reported_area_m2": area,
            "beneficiaries": {"girls": girls},
        },
        "source": source,
        "geometry": {"type": "Point", "coordinates": [lon, lat]} if lon != lat else None,
    }
    before = len(api.store.list_reports(ReportQuery(limit=10_000)))
    # json.dumps writes NaN and Infinity as JavaScript does; FastAPI's parser reads them.
    answer = api.client("w1").post(
        "/api/reports", content=json.dumps(body), headers={"content-type": "application/json"}
    )
    assert answer.status_code < 500, answer.text
    after = len(api.store.list_reports(ReportQuery(limit=10_000)))
    assert after == before + (1 if answer.status_code == 201 else 0)


def test_text_with_nul_in_a_decision_or_note_is_refused(api: Api) -> None:
    code = api.submitted("w1")
    answer = api.client("rev").post(f"/api/reports/{code}/reject", json={"reason": "bad\x00"})
    assert answer.status_code == 422, answer.text
    assert api.workflow("rev").get_report(code).state.value == "submitted"


def test_nul_in_a_login_or_account_is_a_client_error(api: Api) -> None:
    anonymous = api.client()
    for username in ("adm\x00in", "\x00"):
        answer = anonymous.post("/api/login", json={"username": username, "password": "x\x00"})
        assert 400 <= answer.status_code < 500, answer.text


def test_nul_anywhere_else_is_a_client_error_on_both_stores(api: Api) -> None:
    """Filters and accounts reach the store without passing the record fields' checks;
    PostgreSQL cannot hold NUL (SQLite can), and either way it is not a server error."""
    answers = [
        api.client("w1").get("/api/reports", params={"created_by": "w\x001"}),
        api.client("w1").get("/api/items/hazardous_area", params={"where": "name:a\x00"}),
        api.client("admin").post(
            "/api/users",
            json={"username": "nul\x00", "password": "synthetic passphrase 9", "role": "reviewer"},
        ),
    ]
    assert [a.status_code < 500 for a in answers] == [True] * 3, [a.text for a in answers]
