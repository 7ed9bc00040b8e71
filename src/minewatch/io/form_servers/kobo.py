"""KoboToolbox's API v2: a project's submissions since a time, with their files.

Documented by KoboToolbox ("Using the API data endpoint", support.kobotoolbox.org/
data_endpoint.html, and the announcement of 1,000-result pages,
community.kobotoolbox.org/t/74610): ``GET /api/v2/assets/<uid>/data/?format=json`` with
``Authorization: Token <token>``, answered ``{"count", "next", "previous", "results"}``; at
most 1,000 results a page, the rest through ``next``; ``query`` takes a MongoDB-style filter,
e.g. ``{"_submission_time": {"$gte": "2024-08-01T10:00:00"}}``. Each result carries
``_submission_time`` and its files in ``_attachments`` (``filename``, ``download_url``,
``mimetype``, ``question_xpath``).

The data endpoint documents no filter on the time of an edit (``_submission_time`` stays the
first version's; an edit gives the submission a new ``meta/instanceID`` and keeps
``meta/rootUuid``). So an incremental pull asks twice: the submissions sent since the last
pull, and a list of every submission's IDs alone (the endpoint's ``fields`` parameter, a JSON
list of names, as KoboToolbox's ``ParsedInstance.query_mongo`` takes it); the IDs whose
version differs from the one landed (``landed_versions``) are then fetched whole, by
``query={"_id": {"$in": [...]}}``. A full pull (``since=None``) asks for everything.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from minewatch.io.form_exports.rows import kobo_versions
from minewatch.io.form_servers import Pulled, newest
from minewatch.io.form_servers.http import ServerClient, expect, safe_name

#: What the listing of versions asks for: the fields that say which version a submission is.
VERSION_FIELDS = ("_id", "_uuid", "meta/instanceID", "meta/rootUuid")
#: Edited submissions fetched by ``_id`` this many at a time (the query rides in the address).
EDITS_PER_REQUEST = 100

#: Pages followed at most in one pull (1,000 submissions each): a server that keeps sending
#: ``next`` is not followed forever.
MAX_PAGES = 10_000


def pull_kobo(
    url: str,
    asset: str,
    token: str,
    *,
    since: str | None,
    files_dir: Path,
    page_size: int = 1000,
    timeout: float = 60.0,
    landed_versions: Callable[[list[str]], Mapping[str, str]] | None = None,
) -> Pulled:
    """Every submission of project ``asset`` sent at or after ``since`` (all when None),
    and, when ``landed_versions`` says which version of each submission landed (its ID for
    good → version), the older ones edited since; their files saved under ``files_dir``."""
    base = url.rstrip("/")
    address = f"{base}/api/v2/assets/{asset}/data/"
    params: dict[str, Any] = {"format": "json", "limit": page_size, "sort": '{"_id": 1}'}
    if since:
        params["query"] = json.dumps({"_submission_time": {"$gte": since}})
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    pulled = Pulled("kobo", address, [], None)
    with ServerClient(base, headers, timeout, "KoboToolbox") as client:
        pulled.submissions = _pages(client, address, params, pulled)
        pulled.watermark = newest(*(r.get("_submission_time") for r in pulled.submissions))
        if since and landed_versions is not None:
            pulled.submissions += _edited(client, address, page_size, landed_versions, pulled)
        for i, row in enumerate(pulled.submissions):
            _fetch_files(client, i, row, files_dir, pulled)
    return pulled


def _pages(
    client: ServerClient, address: str, params: dict[str, Any], pulled: Pulled
) -> list[dict[str, Any]]:
    """Every result of one query, following each page's ``next``."""
    rows: list[dict[str, Any]] = []
    next_url: str | None = address
    first = True
    while next_url:
        page = client.json("GET", next_url, params=params if first else None)
        pulled.requests += 1
        rows.extend(expect(page, "results", "KoboToolbox", next_url))
        following = page.get("next")
        if following is not None and not isinstance(following, str):
            following = None
        if following == next_url or pulled.requests >= MAX_PAGES:
            break
        next_url, first = following, False
    return rows


def _edited(
    client: ServerClient,
    address: str,
    page_size: int,
    landed_versions: Callable[[list[str]], Mapping[str, str]],
    pulled: Pulled,
) -> list[dict[str, Any]]:
    """The submissions, not among those already fetched, whose version on the server is not
    the one landed: listed by their IDs alone, then fetched whole."""
    fields = json.dumps(list(VERSION_FIELDS))
    listing = _pages(
        client,
        address,
        {"format": "json", "limit": page_size, "sort": '{"_id": 1}', "fields": fields},
        pulled,
    )
    fetched = {row.get("_id") for row in pulled.submissions}
    versions = {row.get("_id"): kobo_versions(row) for row in listing}
    landed = landed_versions([i for i, _ in versions.values() if i])
    wanted = [
        key
        for key, (instance, version) in versions.items()
        if key not in fetched and instance is not None and landed.get(instance, version) != version
    ]
    rows: list[dict[str, Any]] = []
    for start in range(0, len(wanted), EDITS_PER_REQUEST):
        chunk = wanted[start : start + EDITS_PER_REQUEST]
        query = json.dumps({"_id": {"$in": chunk}})
        rows += _pages(
            client,
            address,
            {"format": "json", "limit": page_size, "sort": '{"_id": 1}', "query": query},
            pulled,
        )
    return rows


def _fetch_files(
    client: ServerClient, index: int, row: dict[str, Any], files_dir: Path, pulled: Pulled
) -> None:
    attachments = row.get("_attachments")
    if not isinstance(attachments, list):
        return
    for item in attachments:
        if not isinstance(item, dict) or item.get("is_deleted"):
            continue
        name = str(item.get("filename") or item.get("media_file_basename") or "")
        name = PurePosixPath(name).name
        link = item.get("download_url")
        if not name:
            continue
        if not isinstance(link, str) or not link:
            pulled.skipped_files.setdefault(index, {})[name] = "no download address"
            continue
        if not client.same_origin(link):
            pulled.skipped_files.setdefault(index, {})[name] = "on another server"
            continue
        dest = files_dir / str(index) / safe_name(name)
        client.download(link, dest)
        pulled.requests += 1
        pulled.files.setdefault(index, {})[name] = dest
