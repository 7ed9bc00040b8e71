"""The HTTP server: REST API, OGC API Features and (when built) the web UI, in one process.

>>> from fastapi.testclient import TestClient
>>> open_context(str(tmp / "demo.gpkg"), create=True).close()   # a new, empty store
>>> app = create_app(str(tmp / "demo.gpkg"))
>>> with TestClient(app) as client:   # what uvicorn.run(app) or `minewatch serve` would serve
...     [c["id"] for c in client.get("/ogc/collections").json()["collections"]]
['hazardous_areas', 'release_products', 'device_finds', 'accidents', 'strikes', 'task_orders']

Routers live one per resource (``routes_reports``, ``routes_items``, ``ogc``, ``auth``,
``routes_users``); errors are translated in :mod:`minewatch.api.errors` only.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from minewatch import __version__
from minewatch.api import (
    auth,
    body_limit,
    docs_ui,
    errors,
    ogc,
    routes_account,
    routes_accreditation,
    routes_forms,
    routes_intake,
    routes_items,
    routes_landrelease,
    routes_migration,
    routes_people,
    routes_priority,
    routes_pull,
    routes_qm,
    routes_reports,
    routes_review,
    routes_tasks,
    routes_treaty,
    routes_treaty_reports,
    routes_users,
    routes_vocabulary,
    routes_web,
)
from minewatch.api.deps import ApiContext
from minewatch.api.settings import ApiSettings
from minewatch.services.context import Repository, open_context
from minewatch.services.login import LoginBudget, LoginGuard

log = logging.getLogger("minewatch.api")


def default_static_dir() -> Path:
    return Path(str(resources.files("minewatch.api") / "static"))


def create_app(
    store: str | Repository,
    settings: ApiSettings | None = None,
    *,
    national_config: str | Path | None = None,
) -> FastAPI:
    """The application serving the store at ``store`` (a URL or an open repository; a URL
    is opened here and closed when the server stops) under the national configuration at
    ``national_config`` (None: the shipped defaults), built by the same composition root as
    the CLI's (:func:`minewatch.services.context.open_context`)."""
    settings = settings or ApiSettings()
    core = open_context(store, national_config)
    ctx = ApiContext(
        core=core,
        settings=settings,
        throttle=LoginGuard(
            core.store,
            LoginBudget(
                settings.login_max_failures,
                settings.login_max_per_address,
                settings.login_window_seconds,
            ),
        ),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        ctx.accounts.prepare_logins()
        if not ctx.accounts.has_admin():
            log.warning(auth.NO_ADMIN)
        yield
        core.close()

    app = FastAPI(
        title=f"{settings.title} API",
        version=__version__,
        description="Reports, items, their history, accounts and OGC API Features. "
        "Authenticate with a session cookie (browser) or `Authorization: Bearer <token>`.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # docs_ui serves it from the package's files, not a CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    # The client's address (for the login throttle) and scheme come from X-Forwarded-For
    # and X-Forwarded-Proto only when the peer is a configured proxy; uvicorn's own
    # middleware, applied here (not by `uvicorn --proxy-headers`, which by default trusts
    # 127.0.0.1) so that the one setting governs every way the app is served.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
    errors.install(app)
    body_limit.install(app, settings.max_request_bytes)  # the intake router sets its own
    for module in (
        auth,
        routes_users,
        routes_review,
        routes_reports,
        routes_items,
        ogc,
        routes_web,
    ):
        app.include_router(module.router)
    app.include_router(routes_intake.router, max_body_size=settings.max_upload_bytes)
    app.include_router(routes_migration.router, max_body_size=settings.max_upload_bytes)
    app.include_router(routes_priority.router)
    app.include_router(routes_pull.router)
    app.include_router(routes_treaty.router)
    app.include_router(routes_treaty_reports.router)
    app.include_router(routes_account.router)
    app.include_router(routes_qm.router)
    app.include_router(routes_landrelease.router)
    app.include_router(routes_vocabulary.router)
    app.include_router(routes_people.router)
    app.include_router(routes_forms.router)
    app.include_router(routes_accreditation.router)
    app.include_router(routes_tasks.router)
    docs_ui.install(app, default_static_dir() / "swagger")
    _serve_front_end(app, settings.static_dir or default_static_dir())
    return app


def _serve_front_end(app: FastAPI, folder: Path) -> None:
    """The built web UI at /, when there is one; otherwise a small index of the APIs."""
    if folder.is_dir() and any(folder.iterdir()):
        app.mount("/", StaticFiles(directory=folder, html=True), name="static")
        return

    @app.get("/", include_in_schema=False)
    def index() -> dict[str, Any]:
        return {
            "title": "minewatch",
            "links": [
                {"rel": "service-doc", "href": "/api/docs"},
                {"rel": "service-desc", "href": "/api/openapi.json"},
                {"rel": "data", "href": "/ogc", "title": "OGC API Features"},
            ],
        }


def app_from_environment() -> FastAPI:
    """The app for ``MINEWATCH_STORE`` (with ``MINEWATCH_SERVER_CONFIG`` and the national
    configuration of ``MINEWATCH_CONFIG``): the factory uvicorn calls in each worker process
    when serving with several workers. The environment is read here, at the entry point,
    and nowhere below it."""
    import os

    from minewatch.api.settings import load_settings
    from minewatch.environment import NATIONAL_CONFIG_ENV

    config = os.environ.get("MINEWATCH_SERVER_CONFIG")
    return create_app(
        os.environ["MINEWATCH_STORE"],
        load_settings(Path(config) if config else None),
        national_config=os.environ.get(NATIONAL_CONFIG_ENV) or None,
    )
