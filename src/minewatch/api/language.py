"""The language a request is answered in: its ``lang`` parameter, else the signed-in
account's choice, else the first shipped language of ``Accept-Language``, else the national
default, else English (``vocabulary.negotiate.choose_locale``). Error answers, documents
(statements, charts) and the vocabulary all ask here, so one request never mixes languages.
"""

from __future__ import annotations

from starlette.requests import Request

from minewatch.domain.access import PUBLIC
from minewatch.vocabulary.negotiate import choose_locale


def request_locale(request: Request, lang: str | None = None) -> str:
    """The shipped language to answer ``request`` in (``lang``: a route's own parameter,
    else the query's ``lang``). Never fails: an error handler calls it."""
    chosen = lang or request.query_params.get("lang") or None
    default = "en"
    ctx = getattr(request.app.state, "ctx", None)
    if ctx is not None:
        default = ctx.configuration.national.display.default_language
        actor = getattr(request.state, "actor", None)
        if not chosen and actor is not None and actor != PUBLIC:
            try:
                chosen = ctx.accounts.language_of(actor)
            except Exception:  # an error answer must not fail on the account store
                chosen = None
    return choose_locale(chosen, request.headers.get("accept-language"), default=default)
