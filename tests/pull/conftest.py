"""A local server that answers as KoboToolbox's API v2 and ODK Central's API do, and
SYNTHETIC submissions of minewatch's accident form for it to serve.

The answers are built from the servers' public documentation, not recorded from a server:
KoboToolbox's data endpoint ("Using the API data endpoint",
https://support.kobotoolbox.org/data_endpoint.html; pages of at most 1,000 results with
``count``/``next``/``previous``/``results``, https://community.kobotoolbox.org/t/74610;
``Authorization: Token``, https://kc.kobotoolbox.org/api/v1/) and ODK Central's
(https://docs.getodk.org/central-api-authentication/, central-api-odata-endpoints/,
central-api-submission-management/: ``POST /v1/sessions``, the OData ``Submissions`` document
with ``__id``, ``__system`` and ``@odata.nextLink``, ``$top``/``$skip``/``$filter``, the
attachments list ``[{"name", "exists"}]``). Every person, place, code and ID is invented.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

KOBO_TOKEN = "synthetic-kobo-token-0123456789abcdef"
ODK_EMAIL = "pull@example.org"
ODK_PASSWORD = "synthetic-central-password"
ASSET = "aSyntheticAsset0001"
PROJECT = 3
FORM = "minewatch_accident"


@dataclass
class Replay:
    """What the server holds and how it misbehaves; ``log`` lists every request."""

    kobo: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    odk: dict[tuple[int, str], list[dict[str, Any]]] = field(default_factory=dict)
    odk_files: dict[str, dict[str, bytes]] = field(default_factory=dict)  # instance → files
    files: dict[str, bytes] = field(default_factory=dict)  # path → bytes (Kobo downloads)
    log: list[tuple[str, str, dict[str, list[str]], dict[str, str]]] = field(default_factory=list)
    fault: str | None = None  # "malformed", "500", "drop", "nojson-list"
    base: str = ""


def _since(query: dict[str, list[str]]) -> str | None:
    raw = query.get("query", [None])[0]
    if not raw:
        return None
    return json.loads(raw).get("_submission_time", {}).get("$gte")


def _kobo_rows(rows: list[dict[str, Any]], query: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The data endpoint's ``query`` (``_submission_time`` ≥, ``_id`` in) and ``fields`` (a
    JSON list of names: only those keys of each result), as KoboToolbox's MongoDB query does."""
    raw = query.get("query", [None])[0]
    wanted = json.loads(raw) if raw else {}
    assert set(wanted) <= {"_submission_time", "_id"}, wanted
    since = _since(query)
    if since:
        rows = [r for r in rows if r["_submission_time"] >= since]
    if "_id" in wanted:
        ids = wanted["_id"]["$in"]
        rows = [r for r in rows if r["_id"] in ids]
    fields = query.get("fields", [None])[0]
    if fields:
        names = json.loads(fields)
        rows = [{k: v for k, v in r.items() if k in names} for r in rows]
    return rows


def _odk_filter(query: dict[str, list[str]]) -> str | None:
    raw = query.get("$filter", [None])[0]
    if not raw:
        return None
    m = re.fullmatch(
        r"__system/submissionDate ge (\S+) or __system/updatedAt ge (\S+)", raw.strip()
    )
    assert m and m.group(1) == m.group(2), raw
    return m.group(1)


class _Handler(BaseHTTPRequestHandler):
    replay: Replay

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: Any, raw: bytes | None = None) -> None:
        data = raw if raw is not None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if raw is None else "image/jpeg")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _faulty(self) -> bool:
        fault = self.replay.fault
        if fault == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return True
        if fault == "500":
            self._send(500, {"detail": "Internal Server Error"})
            return True
        if fault == "malformed":
            data = b"<html><body>502 Bad Gateway</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return True
        return False

    def _route(self, method: str) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        self.replay.log.append((method, parts.path, query, dict(self.headers)))
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"null") if length else None
        if self._faulty():
            return
        path = unquote(parts.path)
        if path.startswith("/api/v2/"):
            self._kobo(path, query)
        elif path.startswith("/v1/"):
            self._odk(method, path, query, body)
        else:
            self._send(404, {"detail": "Not found."})

    do_GET = lambda self: self._route("GET")  # noqa: E731
    do_POST = lambda self: self._route("POST")  # noqa: E731
    do_DELETE = lambda self: self._route("DELETE")  # noqa: E731

    # -- KoboToolbox ------------------------------------------------------------------------
    def _kobo(self, path: str, query: dict[str, list[str]]) -> None:
        if self.headers.get("Authorization") != f"Token {KOBO_TOKEN}":
            self._send(401, {"detail": "Invalid token."})
            return
        if path in self.replay.files:
            self._send(200, None, raw=self.replay.files[path])
            return
        m = re.fullmatch(r"/api/v2/assets/([^/]+)/data/", path)
        if not m or m.group(1) not in self.replay.kobo:
            self._send(404, {"detail": "Not found."})
            return
        rows = _kobo_rows(self.replay.kobo[m.group(1)], query)
        start = int(query.get("start", ["0"])[0])
        limit = min(int(query.get("limit", ["100"])[0]), 1000)
        page = rows[start : start + limit]
        nxt = None
        if start + limit < len(rows):
            q = {k: v[0] for k, v in query.items()}
            q.update(start=str(start + limit), limit=str(limit))
            from urllib.parse import urlencode

            nxt = f"{self.replay.base}{path}?{urlencode(q)}"
        prev = None if start == 0 else f"{self.replay.base}{path}?start={max(0, start - limit)}"
        self._send(200, {"count": len(rows), "next": nxt, "previous": prev, "results": page})

    # -- ODK Central ------------------------------------------------------------------------
    def _odk(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> None:
        if method == "POST" and path == "/v1/sessions":
            if body == {"email": ODK_EMAIL, "password": ODK_PASSWORD}:
                self._send(
                    200,
                    {
                        "createdAt": "2024-08-03T10:00:00.000Z",
                        "expiresAt": "2024-08-04T10:00:00.000Z",
                        "token": "synthetic-session-token",
                    },
                )
            else:
                self._send(
                    401,
                    {
                        "code": 401.2,
                        "message": "Could not authenticate with the provided credentials.",
                    },
                )
            return
        if self.headers.get("Authorization") != "Bearer synthetic-session-token":
            self._send(401, {"code": 401.2, "message": "Could not authenticate."})
            return
        if method == "DELETE" and path.startswith("/v1/sessions/"):
            self._send(200, {"success": True})
            return
        m = re.fullmatch(r"/v1/projects/(\d+)/forms/([^/]+)\.svc/Submissions", path)
        if m and (int(m.group(1)), m.group(2)) in self.replay.odk:
            self._odata(path, self.replay.odk[(int(m.group(1)), m.group(2))], query)
            return
        m = re.fullmatch(
            r"/v1/projects/\d+/forms/[^/]+/submissions/([^/]+)/attachments(?:/(.+))?", path
        )
        if m and m.group(1) in self.replay.odk_files:
            files = self.replay.odk_files[m.group(1)]
            if m.group(2) is None:
                self._send(200, [{"name": n, "exists": True} for n in files])
            elif m.group(2) in files:
                self._send(200, None, raw=files[m.group(2)])
            else:
                self._send(404, {"code": 404.1, "message": "Could not find the resource."})
            return
        self._send(
            404, {"code": 404.1, "message": "Could not find the resource you were looking for."}
        )

    def _odata(self, path: str, rows: list[dict[str, Any]], query: dict[str, list[str]]) -> None:
        since = _odk_filter(query)
        if since:
            rows = [
                r
                for r in rows
                if r["__system"]["submissionDate"] >= since
                or (r["__system"].get("updatedAt") or "") >= since
            ]
        skip = int(query.get("$skip", ["0"])[0])
        top = int(query.get("$top", ["1000"])[0])
        page = rows[skip : skip + top]
        answer: dict[str, Any] = {
            "@odata.context": f"{self.replay.base}{path.rsplit('/', 1)[0]}/$metadata#Submissions",
            "value": page,
        }
        if query.get("$count") == ["true"]:
            answer["@odata.count"] = len(rows)
        if skip + top < len(rows):
            from urllib.parse import urlencode

            q = {k: v[0] for k, v in query.items()}
            q["$skip"] = str(skip + top)
            answer["@odata.nextLink"] = f"{self.replay.base}{path}?{urlencode(q)}"
        self._send(200, answer)


@pytest.fixture
def replay() -> Iterator[Replay]:
    state = Replay()
    handler = type("Handler", (_Handler,), {"replay": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


# -- SYNTHETIC submissions of the accident form ------------------------------------------------


def kobo_accident(
    replay: Replay, n: int, sent: str, *, sex: str = "female", version: int = 0, photo: bool = False
) -> dict[str, Any]:
    """A KoboToolbox API v2 result (group paths as keys, repeats as lists); ``version`` > 0 is
    an edit made on the server: a new ``meta/instanceID`` and ``_uuid``, the first in
    ``meta/rootUuid``, the previous in ``meta/deprecatedID``."""
    root = f"uuid:5a1e0000-0000-4000-8000-{n:012d}"
    current = root if version == 0 else f"uuid:5a1e0000-0000-4000-9{version:03d}-{n:012d}"
    row: dict[str, Any] = {
        "_id": 7000 + n,
        "formhub/uuid": "synthetic0formhub",
        "start": f"{sent[:10]}T07:00:00.000+03:00",
        "end": f"{sent[:10]}T07:20:00.000+03:00",
        "accident/accident_date": "2024-08-01",
        "accident/organisation_code": "ORG-000002",
        "accident/accident_location": f"48.{600 + n} 35.2 152.0 4.5",
        "accident/device_category": "ap_mine",
        "accident/during_demining": "no",
        "accident/description": f"Synthetic accident {n}, version {version}.",
        "victims": [
            {
                "victims/victim_type": "civilian",
                "victims/victim_sex": sex,
                "victims/victim_age": "34",
                "victims/victim_outcome": "injured",
            }
        ],
        "__version__": "vSynthetic",
        "meta/instanceID": current,
        "meta/rootUuid": root,
        "_xform_id_string": FORM,
        "_uuid": current.removeprefix("uuid:"),
        "_attachments": [],
        "_status": "submitted_via_web",
        "_geolocation": [48.6, 35.2],
        "_submission_time": sent,
        "_tags": [],
        "_notes": [],
        "_validation_status": {},
        "_submitted_by": "synthetic_enumerator",
    }
    if version:
        row["meta/deprecatedID"] = root
    if photo:
        path = f"/api/v2/assets/{ASSET}/data/{7000 + n}/attachments/{n}/"
        replay.files[path] = b"\xff\xd8synthetic-jpeg-" + str(n).encode()
        row["_attachments"] = [
            {
                "download_url": f"{replay.base}{path}",
                "mimetype": "image/jpeg",
                "filename": f"synthetic_enumerator/attachments/formhub0/{current[5:]}/scene-{n}.jpg",
                "question_xpath": "accident/photo",
                "uid": f"attSynthetic{n}",
            }
        ]
    return row


def odk_accident(
    n: int,
    sent: str,
    *,
    updated: str | None = None,
    sex: str = "female",
    version: int = 0,
    victims: int = 1,
    files: int = 0,
) -> dict[str, Any]:
    """An ODK Central OData submission with ``$expand=*``; ``version`` > 0 is an edit: a new
    ``meta/instanceID``, the first kept as ``__id``, ``__system/updatedAt`` set."""
    root = f"uuid:0d1c0000-0000-4000-8000-{n:012d}"
    current = root if version == 0 else f"uuid:0d1c0000-0000-4000-9{version:03d}-{n:012d}"
    return {
        "__id": root,
        "__system": {
            "submissionDate": sent,
            "updatedAt": updated,
            "submitterId": "12",
            "submitterName": "Synthetic Enumerator",
            "attachmentsPresent": files,
            "attachmentsExpected": files,
            "status": None,
            "reviewState": "edited" if version else None,
            "deviceId": None,
            "edits": version,
            "formVersion": "2026112401",
        },
        "meta": {"instanceID": current},
        "accident": {
            "accident_date": "2024-08-01",
            "organisation_code": "ORG-000002",
            "accident_location": {"type": "Point", "coordinates": [35.2, 48.6 + n / 1000, 152.0]},
            "device_category": "ap_mine",
            "during_demining": "no",
            "description": f"Synthetic accident {n}, version {version}.",
        },
        "victims@odata.navigationLink": f"Submissions('{root}')/victims",
        "victims": [
            {
                "__id": f"v{n}-{k}",
                "victim_type": "civilian",
                "victim_sex": sex,
                "victim_age": 30 + k,
                "victim_outcome": "injured",
            }
            for k in range(1, victims + 1)
        ],
    }
