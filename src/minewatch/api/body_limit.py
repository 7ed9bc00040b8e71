"""The request body limit, refused with a Problem that names it.

Every request body is limited to ``ApiSettings.max_request_bytes`` while it arrives
(Starlette's ``RequestBodyLimitMiddleware``; a router may set its own, larger limit with
FastAPI's ``max_body_size``, as the intake router does with ``max_upload_bytes``). Starlette
answers an oversized body with a bare ``Content Too Large``; :class:`NamedBodyLimit` turns
that into the JSON every other error has, with the limit in bytes, so a client knows what
to send instead.

>>> from fastapi import FastAPI
>>> from fastapi.testclient import TestClient
>>> app = FastAPI()
>>> @app.post("/echo")
... def echo(body: dict) -> dict:
...     return body
>>> install(app, 1024)
>>> answer = TestClient(app).post("/echo", json={"text": "x" * 2000})
>>> answer.status_code, answer.json()["detail"]
(413, 'the request body is larger than the 1,024 bytes this server accepts here')
"""

from __future__ import annotations

import json

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY, RequestBodyLimitMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from minewatch.vocabulary.catalogue import translate
from minewatch.vocabulary.formats import format_number
from minewatch.vocabulary.negotiate import choose_locale


def too_large(limit: int | None, locale: str | None = None) -> str:
    """The message of a refused body, in ``locale``.

    >>> too_large(1_048_576, "fr")
    'le corps de la requête dépasse les 1\u202f048\u202f576 octets que ce serveur accepte ici'
    """
    if limit is None:
        return translate("the request body is larger than this server accepts here", locale)
    return translate(
        "the request body is larger than the {limit} bytes this server accepts here",
        locale,
        limit=format_number(limit, locale, digits=0),
    )


class NamedBodyLimit:
    """Replaces Starlette's plain-text 413 with a Problem naming the limit in force (the
    router's, when it set one), read from the request scope where Starlette keeps it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        replaced = False

        async def send_named(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return  # the plain-text body of the response already replaced
            if message["type"] == "http.response.start" and message["status"] == 413:
                headers = Headers(raw=message.get("headers", []))
                if headers.get("content-type", "").startswith("text/plain"):
                    replaced = True
                    asked = Headers(scope=scope).get("accept-language")
                    text = too_large(scope.get(MAX_BODY_SIZE_SCOPE_KEY), choose_locale(None, asked))
                    body = json.dumps({"detail": text, "code": "413", "description": text})
                    data = body.encode()
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 413,
                            "headers": [
                                (b"content-type", b"application/json"),
                                (b"content-length", str(len(data)).encode()),
                            ],
                        }
                    )
                    await send({"type": "http.response.body", "body": data})
                    return
            await send(message)

        await self.app(scope, receive, send_named)


def install(app: FastAPI, max_request_bytes: int) -> None:
    """Limit every request body of ``app`` to ``max_request_bytes`` (routers may raise it)
    and name the limit when a body is refused."""
    app.add_middleware(RequestBodyLimitMiddleware, max_body_size=max_request_bytes)
    app.add_middleware(NamedBodyLimit)  # added last, so it wraps the limit
