"""The interactive API documentation (Swagger UI) at /api/docs, from files in the package.

FastAPI's own page loads Swagger UI's script and stylesheet from a CDN, so on a network with
no internet it stays blank. The web build (``web/scripts/swagger.mjs``) copies the files of
the npm package swagger-ui-dist, with its licence, into ``api/static/swagger``; they are
served here under /api/docs/assets, apart from the web UI, so the explorer works whatever
``static_dir`` serves at /.

>>> from fastapi import FastAPI
>>> from fastapi.testclient import TestClient
>>> from minewatch.api.app import default_static_dir
>>> app = FastAPI(openapi_url="/api/openapi.json", docs_url=None)
>>> install(app, default_static_dir() / "swagger")
>>> page = TestClient(app).get("/api/docs").text
>>> "/api/docs/assets/swagger-ui-bundle.js" in page and "cdn" not in page
True
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

log = logging.getLogger("minewatch.api")

DOCS_PATH = "/api/docs"
ASSETS_PATH = f"{DOCS_PATH}/assets"


def install(app: FastAPI, assets: Path) -> None:
    """Serves Swagger UI for ``app``'s OpenAPI document at /api/docs, its script, stylesheet
    and icon from the folder ``assets``. The route keeps FastAPI's name,
    ``swagger_ui_html``, which the OGC landing page links to as its service-doc."""
    if not (assets / "swagger-ui-bundle.js").is_file():
        # A source checkout before `npm run build`: the page would load and stay blank.
        log.warning("no Swagger UI files in %s: /api/docs needs `npm run build` in web/", assets)
    app.mount(ASSETS_PATH, StaticFiles(directory=assets, check_dir=False), name="swagger_assets")

    @app.get(DOCS_PATH, include_in_schema=False, name="swagger_ui_html")
    def swagger_ui_html(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return get_swagger_ui_html(
            openapi_url=root + (app.openapi_url or ""),
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon-32x32.png",
            # Swagger UI would otherwise send the document's address to validator.swagger.io.
            swagger_ui_parameters={"validatorUrl": None},
        )
