"""The application shell: the web UI at /, settings files, the API index (synthetic data)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from minewatch.api.app import create_app
from minewatch.api.settings import ApiSettings, load_settings
from minewatch.errors import InvalidInput
from minewatch.store import SqlRepository


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """GeoPackage only: nothing here touches the data (overrides the parametrised one)."""
    return f"sqlite:///{tmp_path / 'store.gpkg'}"


def test_built_web_ui_is_served_at_root_next_to_the_apis(
    store: SqlRepository, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<title>minewatch UI</title>")
    client = TestClient(create_app(store, ApiSettings(static_dir=site)))
    assert "minewatch UI" in client.get("/").text
    assert client.get("/ogc").json()["links"]
    assert client.get("/api/kinds").status_code == 200


def test_without_a_built_ui_root_points_to_the_apis(store: SqlRepository, tmp_path: Path) -> None:
    client = TestClient(create_app(store, ApiSettings(static_dir=tmp_path / "absent")))
    assert {link["href"] for link in client.get("/").json()["links"]} >= {"/ogc", "/api/docs"}


def test_settings_file_is_validated(tmp_path: Path) -> None:
    good = tmp_path / "server.toml"
    good.write_text('[server]\ntitle = "Atlantis MAC"\nsession_hours = 8\n')
    settings = load_settings(good)
    assert settings.title == "Atlantis MAC" and settings.session_hours == 8
    assert load_settings(None) == ApiSettings()
    bad = tmp_path / "bad.toml"
    bad.write_text("[server]\nsesion_hours = 8\n")
    with pytest.raises(InvalidInput, match="sesion_hours"):
        load_settings(bad)


def test_api_docs_load_swagger_ui_from_the_package(store: SqlRepository, tmp_path: Path) -> None:
    """/api/docs works offline, whatever folder serves the web UI: the page's script,
    stylesheet and icon are the package's own copies of swagger-ui-dist, never a CDN."""
    client = TestClient(create_app(store, ApiSettings(static_dir=tmp_path / "absent")))
    page = client.get("/api/docs")
    assert page.status_code == 200
    assets = re.findall(r"""(?:src|href)="([^"]+)\"""", page.text)
    assert len(assets) == 3 and all(a.startswith("/api/docs/assets/") for a in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert '"validatorUrl": null' in page.text  # Swagger UI's default asks validator.swagger.io
    assert "Apache License" in client.get("/api/docs/assets/LICENSE").text  # shipped beside it
    ogc = {link["rel"]: link["href"] for link in client.get("/ogc").json()["links"]}
    assert ogc["service-doc"].endswith("/api/docs")  # the route keeps the name OGC links to
