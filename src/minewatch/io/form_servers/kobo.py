"""KoboToolbox's API v2: a project's submissions since a time, with their files.

Documented by KoboToolbox ("Using the API data endpoint", support.kobotoolbox.org/
data_endpoint.html, and the announcement of 1,000-result pages,
community.kobotoolbox.org/t/74610): ``GET /api/v2/assets/<uid>/data/?format=json`` with
``Authorization: Token <token>``, answered ``{"count", "next", "previous", "results"}``; at
most 1,000 results a page, the rest through ``next``; ``query`` takes a MongoDB-style filter,
e.g. ``{"_submission_time": {"$gte": "2024-08-01T10:00:00"}}``. Each result carries
``_submission_time`` and its files in ``_attachments`` (``filename``, ``download_url``,
``mimetype``, ``question_xpath``).

The data endpoint documents no filter on the time of an edit, so an incremental pull sees the
submissions sent since the last one; an edit made on the server to an older submission is
seen by a full pull (``since=None``), which lands only the versions not landed yet.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

from minewatch.io.form_servers import Pulled, newest
from minewatch.io.form_servers.http import ServerClient, expect, safe_name

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
) -> Pulled:
    """Every submission of project ``asset`` sent at or after ``since`` (all when None),
    and their files saved under ``files_dir``."""
    base = url.rstrip("/")
    address = f"{base}/api/v2/assets/{asset}/data/"
    params: dict[str, Any] = {"format": "json", "limit": page_size, "sort": '{"_id": 1}'}
    if since:
        params["query"] = json.dumps({"_submission_time": {"$gte": since}})
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    pulled = Pulled("kobo", address, [], None)
    with ServerClient(base, headers, timeout, "KoboToolbox") as client:
        next_url: str | None = address
        first = True
        while next_url:
            page = client.json("GET", next_url, params=params if first else None)
            pulled.requests += 1
            rows = expect(page, "results", "KoboToolbox", next_url)
            pulled.submissions.extend(rows)
            following = page.get("next")
            if following is not None and not isinstance(following, str):
                following = None
            if following == next_url or pulled.requests >= MAX_PAGES:
                break
            next_url, first = following, False
        pulled.watermark = newest(*(r.get("_submission_time") for r in pulled.submissions))
        for i, row in enumerate(pulled.submissions):
            _fetch_files(client, i, row, files_dir, pulled)
    return pulled


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
