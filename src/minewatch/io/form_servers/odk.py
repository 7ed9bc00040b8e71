"""ODK Central: a form's submissions created or changed since a time, with their files.

Documented by ODK (docs.getodk.org/central-api-authentication, central-api-odata-endpoints,
central-api-submission-management): a session is opened with ``POST /v1/sessions``
(``{"email", "password"}`` → ``{"token", …}``) and used as ``Authorization: Bearer <token>``,
then closed with ``DELETE /v1/sessions/<token>``. Submissions come from the form's OData
service, ``GET /v1/projects/<id>/forms/<xmlFormId>.svc/Submissions`` with ``$expand=*``
(repeats nested), ``$filter`` on ``__system/submissionDate`` and ``__system/updatedAt`` (set
by an edit or a review), ``$top``/``$skip`` and, when the server gives one,
``@odata.nextLink``. The answer is ``{"value": [...]}``; each submission has ``__id`` (the
instance ID it was first sent with, kept across edits), ``meta/instanceID`` (this version's)
and ``__system`` (``submissionDate``, ``updatedAt``, ``attachmentsPresent``, ``reviewState``
…). Files are listed by ``GET …/forms/<xmlFormId>/submissions/<instanceId>/attachments``
(``[{"name", "exists"}]``) and fetched from ``…/attachments/<name>``.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

from minewatch.errors import InvalidInput, Location, MinewatchError
from minewatch.io.form_servers import Pulled, newest
from minewatch.io.form_servers.http import ServerClient, expect, safe_name
from minewatch.io.form_servers.kobo import MAX_PAGES


def pull_odk(
    url: str,
    project: int,
    xml_form_id: str,
    email: str,
    password: str,
    *,
    since: str | None,
    files_dir: Path,
    page_size: int = 1000,
    timeout: float = 60.0,
) -> Pulled:
    """Every submission of form ``xml_form_id`` sent or changed at or after ``since`` (all
    when None), and their files saved under ``files_dir``."""
    base = url.rstrip("/")
    form = f"{base}/v1/projects/{project}/forms/{quote(xml_form_id, safe='')}"
    address = f"{form}.svc/Submissions"
    pulled = Pulled(
        "odk",
        address,
        [],
        None,
        attachments_url=f"{form}/submissions/{{instance}}/attachments/{{filename}}",
    )
    with ServerClient(base, {"Accept": "application/json"}, timeout, "ODK Central") as client:
        session = client.json(
            "POST", f"{base}/v1/sessions", json={"email": email, "password": password}
        )
        token = session.get("token") if isinstance(session, dict) else None
        if not isinstance(token, str) or not token:
            raise InvalidInput("ODK Central opened no session (no token)", Location(file=base))
        client.set_header("Authorization", f"Bearer {token}")
        try:
            _pull_pages(client, address, since, page_size, pulled)
            for i, row in enumerate(pulled.submissions):
                _fetch_files(client, form, i, row, files_dir, pulled)
        finally:
            _close_session(client, base, str(token))
    return pulled


def _close_session(client: ServerClient, base: str, token: str) -> None:
    # The session expires by itself: a failure to close it does not undo the pull.
    with contextlib.suppress(MinewatchError):
        client.json("DELETE", f"{base}/v1/sessions/{quote(token, safe='')}")


def _pull_pages(
    client: ServerClient, address: str, since: str | None, page_size: int, pulled: Pulled
) -> None:
    params: dict[str, Any] = {"$expand": "*", "$top": page_size, "$count": "true"}
    if since:
        params["$filter"] = f"__system/submissionDate ge {since} or __system/updatedAt ge {since}"
    skip = 0
    next_url: str | None = None
    while True:
        if next_url:
            page = client.json("GET", next_url)
        else:
            page = client.json("GET", address, params={**params, "$skip": skip})
        pulled.requests += 1
        rows = expect(page, "value", "ODK Central", next_url or address)
        pulled.submissions.extend(rows)
        link = page.get("@odata.nextLink")
        if isinstance(link, str) and link and link != next_url:
            next_url = link
        elif len(rows) >= page_size and not next_url:
            skip += len(rows)
        else:
            break
        if not rows or pulled.requests >= MAX_PAGES:
            break
    pulled.watermark = newest(
        *(
            stamp
            for r in pulled.submissions
            if isinstance(r.get("__system"), dict)
            for stamp in (r["__system"].get("submissionDate"), r["__system"].get("updatedAt"))
        )
    )


def _fetch_files(
    client: ServerClient,
    form: str,
    index: int,
    row: dict[str, Any],
    files_dir: Path,
    pulled: Pulled,
) -> None:
    system = row.get("__system") if isinstance(row.get("__system"), dict) else {}
    instance = row.get("__id")
    if not isinstance(instance, str) or not system or not system.get("attachmentsPresent"):
        return
    listing_url = f"{form}/submissions/{quote(instance, safe='')}/attachments"
    listing = client.json("GET", listing_url)
    pulled.requests += 1
    if not isinstance(listing, list):
        raise InvalidInput(
            "ODK Central answered without a list of attachments", Location(file=listing_url)
        )
    for item in listing:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        name = item["name"]
        if not item.get("exists", True):
            pulled.skipped_files.setdefault(index, {})[name] = "not yet uploaded to the server"
            continue
        dest = files_dir / str(index) / safe_name(name)
        client.download(f"{listing_url}/{quote(name, safe='')}", dest)
        pulled.requests += 1
        pulled.files.setdefault(index, {})[name] = dest
