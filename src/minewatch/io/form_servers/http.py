"""One HTTP conversation with a field-data server, its failures told plainly.

Every failure becomes a minewatch error that names the address and what to check, never the
credentials: a network failure or a timeout or a 5xx answer is
:class:`~minewatch.errors.ServerUnavailable`, 401 and 403
:class:`~minewatch.errors.PermissionDenied`, 404 :class:`~minewatch.errors.NotFound`, and an
answer that is not the JSON expected :class:`~minewatch.errors.InvalidInput`. Requests go only
to the configured server's origin (scheme, host and port): a ``next`` link or a file address
elsewhere is not followed with the credentials (a redirect to another host, such as a file
store, is followed by httpx without them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from minewatch.errors import (
    InvalidInput,
    Location,
    NotFound,
    PermissionDenied,
    ServerUnavailable,
)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _shown(url: str) -> str:
    """The address without its query (filters can be long; nothing secret is in either)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def safe_name(text: str) -> str:
    """A file or folder name made of letters, digits, ``.``, ``_`` and ``-`` only.

    >>> safe_name("uuid:0b1c/../photo 1.jpg")
    'uuid_0b1c_.._photo_1.jpg'
    >>> safe_name("..")
    '_'
    """
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", text)
    return "_" if cleaned.strip(".") == "" else cleaned


class ServerClient:
    """Requests to one server: ``headers`` (the credentials) go with every one."""

    def __init__(self, base_url: str, headers: Mapping[str, str], timeout: float, what: str):
        self.base_url = base_url.rstrip("/")
        self.what = what
        self.origin = _origin(self.base_url)
        self._client = httpx.Client(headers=dict(headers), timeout=timeout, follow_redirects=True)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> ServerClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def same_origin(self, url: str) -> bool:
        return _origin(url) == self.origin

    def set_header(self, name: str, value: str) -> None:
        self._client.headers[name] = value

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        if not self.same_origin(url):
            raise InvalidInput(
                "{server} pointed to {address}, another server than {base}; not followed "
                "with the credentials",
                server=self.what,
                address=_shown(url),
                base=self.base_url,
            )
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise self._unreachable(exc, url) from None
        self._check(response, url)
        return response

    def _unreachable(self, exc: httpx.HTTPError, url: str) -> ServerUnavailable:
        if isinstance(exc, httpx.TimeoutException):
            return ServerUnavailable(
                "{server} did not answer in time: {address}", server=self.what, address=_shown(url)
            )
        return ServerUnavailable(
            "cannot reach {server} at {address}: {error}",
            server=self.what,
            address=_shown(url),
            error=type(exc).__name__,
        )

    def _check(self, response: httpx.Response, url: str) -> None:
        status = response.status_code
        if status < 400:
            return
        said = {"server": self.what, "status": status, "address": _shown(url)}
        if status in (401, 403):
            raise PermissionDenied(
                "{server} refused the credentials ({status}) at {address}: check the token "
                "or password and that the account may read this form's submissions",
                **said,
            )
        if status == 404:
            raise NotFound(
                "{server} has nothing at {address} (404): check the address and ids", **said
            )
        if status >= 500:
            raise ServerUnavailable(
                "{server} failed ({status}) at {address}; try again later", **said
            )
        raise InvalidInput("{server} refused the request ({status}) at {address}", **said)

    def json(self, method: str, url: str, **kwargs: Any) -> Any:
        """The JSON answer to a request (InvalidInput naming the address if it is not JSON)."""
        response = self._send(method, url, **kwargs)
        try:
            return response.json()
        except ValueError:
            raise InvalidInput(
                "{server} answered with something that is not JSON",
                Location(file=_shown(str(response.url))),
                server=self.what,
            ) from None

    def download(self, url: str, dest: Path) -> int:
        """Save the file at ``url`` as ``dest``; the number of bytes."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        size = 0
        if not self.same_origin(url):
            raise InvalidInput(
                "a file of {server} is on another server: {address}",
                server=self.what,
                address=_shown(url),
            )
        try:
            with self._client.stream("GET", url) as response:
                self._check(response, url)
                with dest.open("wb") as out:
                    for chunk in response.iter_bytes():
                        out.write(chunk)
                        size += len(chunk)
        except httpx.HTTPError as exc:
            raise self._unreachable(exc, url) from None
        return size


def expect(value: Any, key: str, what: str, url: str) -> list[Any]:
    """``value[key]`` as a list of objects, or InvalidInput naming what was expected."""
    rows = value.get(key) if isinstance(value, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise InvalidInput(
            "{server} answered without a list of submissions in {key!r}",
            Location(file=_shown(url)),
            server=what,
            key=key,
        )
    return rows
