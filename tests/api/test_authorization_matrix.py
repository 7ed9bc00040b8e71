"""Every role against every endpoint, including other organisations' drafts and personal
data (synthetic users and records).

Each row names an endpoint, how to prepare what it acts on, and the status each caller must
get: ``anon`` (nobody signed in), ``viewer`` (a signed-in public viewer), ``w1`` (data worker
of ORG-1, the author's organisation), ``w2`` (data worker of ORG-2), ``rev`` (reviewer) and
``admin``. A changing request gets fresh data for every caller, so rows do not interfere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any

from api_support import PASSWORD, SQUARE, Api
from shapely.geometry import shape

from minewatch.domain.records import Kind

CALLERS = ("anon", "viewer", "w1", "w2", "rev", "admin")


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # may contain {code}, {item}, {victim}, {user}
    prepare: str  # what {code} is: draft | submitted | rejected | none
    expect: tuple[int, int, int, int, int, int]  # in CALLERS order
    body: dict[str, Any] | None = None
    headers: dict[str, str] | None = None
    upload: str | None = None  # a multipart upload: which file (see _upload); body = its form


NEW_DRAFT = {
    "kind": "hazardous_area",
    "date_of_information": "2024-05-01",
    "organisation_code": "ORG-1",
    "geometry": SQUARE,
}
EVIDENCE = {"type": "eo_seen", "source": "told"}
ALL_OK = (200,) * 6
STAFF_ONLY = (404, 404, 200, 200, 200, 200)
ORG_1 = (404, 404, 200, 404, 200, 200)
REVIEW = (404, 404, 403, 404, 200, 200)
ADMIN = (401, 403, 403, 403, 403, 200)

MATRIX = [
    Row("GET", "/api/auth/me", "none", ALL_OK),
    Row("GET", "/api/kinds", "none", ALL_OK),
    Row("GET", "/api/vocabulary?lang=fr", "none", ALL_OK),
    Row("PUT", "/api/account/language", "none", (401, 200, 200, 200, 200, 200), {"language": "fr"}),
    Row("GET", "/api/items/hazardous_area", "none", ALL_OK),
    Row("GET", "/api/items/hazardous_area/{item}", "none", ALL_OK),
    Row("GET", "/api/items/hazardous_area/{item}/history", "none", ALL_OK),
    Row("GET", "/api/items/hazardous_area/{item}/as-of?date=2030-01-01", "none", ALL_OK),
    Row("GET", "/api/items/victim", "none", STAFF_ONLY),
    Row("GET", "/api/items/victim/{victim}", "none", STAFF_ONLY),
    Row("GET", "/api/items/victim/{victim}/history", "none", STAFF_ONLY),
    Row("GET", "/api/reports", "none", ALL_OK),
    Row("GET", "/api/reports/{code}", "draft", ORG_1),
    Row("POST", "/api/reports", "none", (401, 403, 201, 403, 201, 201), NEW_DRAFT),
    Row(
        "PUT",
        "/api/reports/{code}",
        "draft",
        ORG_1,
        {"changes": {"status": "open"}, "geometry": SQUARE},
        {"If-Match": '"1"'},
    ),
    Row("POST", "/api/reports/{code}/submit", "draft", ORG_1),
    Row("POST", "/api/reports/{code}/approve", "submitted", REVIEW),
    Row("POST", "/api/reports/{code}/reject", "submitted", REVIEW, {"reason": "synthetic"}),
    Row("POST", "/api/reports/{code}/reopen", "rejected", ORG_1),
    Row("GET", "/api/users", "none", ADMIN),
    Row(
        "POST",
        "/api/users",
        "none",
        (401, 403, 403, 403, 403, 201),
        {"username": "{user}", "password": "synthetic passphrase", "role": "reviewer"},
    ),
    Row("PATCH", "/api/users/w2", "none", ADMIN, {"personal_data": True}),
    Row("GET", "/api/audit", "none", ADMIN),
    Row("GET", "/api/audit?about=report&since=2020-01-01&until=2030-12-31&limit=5", "none", ADMIN),
    Row("GET", "/api/audit/actions", "none", ADMIN),
    Row("GET", "/api/account/password-rules", "none", ALL_OK),
    Row(
        "POST",
        "/api/account/password",
        "none",
        (401, 200, 200, 200, 200, 200),
        {"current_password": PASSWORD, "new_password": "another synthetic passphrase"},
    ),
    Row("GET", "/api/auth/tokens", "none", (401, 200, 200, 200, 200, 200)),
    Row("POST", "/api/auth/tokens", "none", (401, 201, 201, 201, 201, 201), {"label": "x"}),
    Row("GET", "/ogc/collections/hazardous_areas/items", "none", ALL_OK),
    Row("GET", "/ogc/collections/hazardous_areas/items/{item}", "none", ALL_OK),
    Row("GET", "/api/forms", "none", (401, 403, 200, 200, 200, 200)),
    Row("GET", "/api/forms/minewatch_accident.xlsx", "none", (401, 403, 200, 200, 200, 200)),
    # An export of ORG-1's submissions: another organisation's worker is refused each one
    # (all or nothing here, so that the refusal is the answer's status).
    Row(
        "POST",
        "/api/intake/submissions",
        "none",
        (401, 403, 200, 422, 200, 200),
        {"keep_going": "false"},
        upload="kobo",
    ),
    Row(
        "POST",
        "/api/intake/geodata",
        "none",
        (401, 403, 200, 200, 200, 200),
        {"kind": "hazardous_area", "id_column": "fid"},
        upload="geojson",
    ),
    Row("GET", "/api/publish", "none", ALL_OK),
    Row("GET", "/api/publish/accident.hxl.csv", "none", ALL_OK),
    Row("GET", "/api/publish/victim.hxl.csv", "none", (404,) * 6),
    Row("GET", "/api/publish/package.zip", "none", ALL_OK),
    # Prioritisation ranks approved, published areas only (victims only as counts): all read it.
    Row("GET", "/api/priority/scenarios", "none", ALL_OK),
    Row("GET", "/api/priority/ranking", "none", ALL_OK),
    Row("GET", "/api/priority/ranking.geojson", "none", ALL_OK),
    Row("GET", "/api/priority/ranking.csv", "none", ALL_OK),
    Row("GET", "/api/priority/ranking.gpkg", "none", ALL_OK),
    Row("GET", "/api/priority/ranking.png", "none", ALL_OK),
    Row("GET", "/api/priority/ranking.html", "none", ALL_OK),
    Row("GET", "/api/priority/explain/{item}", "none", ALL_OK),
    Row("GET", "/api/priority/sensitivity", "none", ALL_OK),
    Row("GET", "/api/priority/grid", "none", ALL_OK),
    Row("GET", "/api/priority/grid.png", "none", ALL_OK),
    Row("GET", "/api/priority/grid.html", "none", ALL_OK),
    # the treaty monitor: published, sourced records, the same for everyone
    Row("GET", "/api/treaty/states", "none", ALL_OK),
    Row("GET", "/api/treaty/status?state=Poland&date=2026-02-03", "none", ALL_OK),
    Row("GET", "/api/treaty/count?date=2026-02-03&format=csv", "none", ALL_OK),
    Row("GET", "/api/treaty/compare?date=2026-02-03", "none", ALL_OK),
    Row("GET", "/api/treaty/deadlines?date=2026-01-01", "none", ALL_OK),
    Row("GET", "/api/treaty/entry-into-force?instrument=ccw-ap2", "none", ALL_OK),
    Row("GET", "/api/treaty/policy", "none", ALL_OK),
    Row("GET", "/api/treaty/policy/us/versions", "none", ALL_OK),
    Row("GET", "/api/treaty/policy/us/us-2025-12", "none", ALL_OK),
    Row("GET", "/api/treaty/policy/us/diff?before=us-2022-06&after=us-2025-12", "none", ALL_OK),
    # Quality management and land release: pure calculators and published figures, open to all.
    Row("GET", "/api/qm/sampling-plan?lot_size=1200&aql=1.0", "none", ALL_OK),
    Row("GET", "/api/qm/accept-on-zero?units=400&clean_fraction=0.99", "none", ALL_OK),
    Row("GET", "/api/qm/zero-find?searched_fraction=0.1&detection_probability=0.9", "none", ALL_OK),
    Row("GET", "/api/qm/classification-settings", "none", ALL_OK),
    Row("POST", "/api/qm/classify", "none", ALL_OK, {"evidence": [EVIDENCE]}),
    Row("GET", "/api/qm/classify/{item}", "none", ALL_OK),
    Row("GET", "/api/landrelease/areas", "none", ALL_OK),
    Row("GET", "/api/landrelease/issues", "none", ALL_OK),
    Row("GET", "/api/landrelease/report", "none", ALL_OK),
    Row("GET", "/api/landrelease/report/by_year.csv", "none", ALL_OK),
    Row("GET", "/api/landrelease/statements/{code}.html", "released", ALL_OK),
    Row("GET", "/api/landrelease/statements/{code}.pdf", "released", ALL_OK),
    Row("GET", "/api/landrelease/statements/{item}.pdf", "none", (404,) * 6),  # nothing released
]


def _upload(sf: ModuleType, what: str, unique: str) -> dict[str, tuple[str, bytes]]:
    """A fresh file for each caller, so that no upload is skipped as already imported."""
    if what == "kobo":
        return {"file": sf.kobo_hazard_upload("ORG-1", [f"uuid:{unique}"])}
    feature = {
        "type": "Feature",
        "properties": {"fid": unique, "name": "synthetic upload"},
        "geometry": SQUARE,
    }
    return {"file": ("areas.geojson", json.dumps(feature).encode())}


def _prepared(api: Api, what: str) -> str:
    makers: dict[str, Callable[[], str]] = {
        "none": lambda: "",
        "draft": lambda: api.draft("w1"),
        "submitted": lambda: api.submitted("w1"),
        "rejected": lambda: _rejected(api),
        "released": lambda: _released(api),
    }
    return makers[what]()


def _rejected(api: Api) -> str:
    code = api.submitted("w1")
    api.workflow("rev").reject(code, "synthetic reason")
    return code


def _released(api: Api) -> str:
    """An approved hazardous area with an approved clearance over all of it."""
    area = api.approved("w1")
    wf = api.workflow("w1")
    changes = {"product_type": "cleared", "hazardous_area_code": area, "release_date": "2024-04-01"}
    report = wf.create_draft(
        Kind.RELEASE_PRODUCT, changes, shape(SQUARE), date_of_information=date(2024, 4, 1)
    )
    wf.submit(report.code or "")
    api.workflow("rev2").approve(report.code or "")
    return area


def _fill(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    return value


def test_every_role_against_every_endpoint(api: Api, sf: ModuleType) -> None:
    item = api.approved("w1")
    victim = api.approved("medic", Kind.VICTIM, name="Synthetic Person")
    mismatches = []
    for n, row in enumerate(MATRIX):
        for caller, expected in zip(CALLERS, row.expect, strict=True):
            names = {"item": item, "victim": victim, "code": _prepared(api, row.prepare)}
            names["user"] = f"u{n}{caller}"
            client = api.client(None if caller == "anon" else caller)
            if row.upload:
                files = _upload(sf, row.upload, names["user"])
                r = client.request(row.method, row.path, data=row.body, files=files)
            else:
                r = client.request(
                    row.method,
                    _fill(row.path, names),
                    json=_fill(row.body, names),
                    headers=row.headers,
                )
            if r.status_code != expected:
                mismatches.append(f"{caller} {row.method} {row.path}: {r.status_code} ≠ {expected}")
    assert not mismatches, "\n".join(mismatches)


def test_other_organisations_drafts_are_invisible_in_listings(api: Api) -> None:
    api.draft("w1")
    api.draft("w2")
    for user, orgs in (("w1", {"ORG-1"}), ("w2", {"ORG-2"}), ("rev", {"ORG-1", "ORG-2"})):
        listed = api.client(user).get("/api/reports", params={"organisation_code": "ORG-1"}).json()
        seen = {r["organisation_code"] for r in listed["reports"]}
        assert seen <= orgs, user
    assert api.client("viewer").get("/api/reports").json()["reports"] == []
