"""Server settings: what a deployment chooses, validated, every default documented.

Read from the ``[server]`` table of a TOML file (``minewatch serve STORE --config
server.toml``); every key is optional.

>>> ApiSettings().session_hours
12.0
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from minewatch.environment import TREATY_DATA_ENV
from minewatch.errors import InvalidInput, Location


class ApiSettings(BaseModel):
    """Settings of the HTTP server."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(default="minewatch", description="Name shown on the OGC API landing page.")
    description: str = Field(
        default="Mine action information published by the national authority.",
        description="Description shown on the OGC API landing page.",
    )
    secure_cookies: bool = Field(
        default=True,
        description="Mark session cookies Secure (sent over HTTPS only; browsers also send "
        "them to http://localhost). Turn off only for plain-HTTP testing on another host.",
    )
    session_hours: float = Field(
        default=12.0, gt=0, description="How long a browser session lasts."
    )
    login_max_failures: int = Field(
        default=5,
        ge=1,
        description="Password checks allowed per account within login_window_seconds, "
        "counted in the store (so shared by every worker process) before the password is "
        "checked; further attempts get 429 unchecked.",
    )
    login_max_per_address: int = Field(
        default=30,
        ge=1,
        description="Password checks allowed per client address within login_window_seconds "
        "(an office behind one NAT address shares it).",
    )
    login_window_seconds: float = Field(
        default=900.0, gt=0, description="The window of both login limits, in seconds."
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or networks (10.0.0.2, 10.0.0.0/24, ::1) of reverse proxies "
        "whose X-Forwarded-For names the client. Empty (the default): the header is "
        "ignored and the TCP peer is the client. Name only proxies that overwrite or append "
        "to the header; see docs/security.md.",
    )
    trusted_origins: list[str] = Field(
        default_factory=list,
        description="Origins (scheme://host:port) other than the server's own that may send "
        "cookie-authenticated changes, e.g. a separately served front end.",
    )
    static_dir: Path | None = Field(
        default=None,
        description="Folder of the built web UI served at /; by default the package's "
        "api/static, when it exists.",
    )
    basemap_tile_url: str | None = Field(
        default=None,
        description="Raster tile URL template ({z}/{x}/{y}) under the web map, e.g. a tile "
        "server on your network. None (the default) keeps the map fully offline on the "
        "bundled Natural Earth countries. The MINEWATCH_TILE_URL environment variable wins.",
    )
    treaty_data_dir: Path | None = Field(
        default=None,
        description="Treaty data directory built by `minewatch treaty import` from newer "
        "saved depositary pages; None (the default) serves the data shipped with minewatch. "
        "The MINEWATCH_TREATY_DATA environment variable fills it when the file does not.",
    )
    basemap_attribution: str = Field(
        default="", description="Attribution text shown on the web map for basemap_tile_url."
    )
    threads: int = Field(
        default=40,
        ge=1,
        le=256,
        description="Threads running requests at once in one process (Starlette's default is "
        "40). Handling is mostly CPU-bound Python, so run more processes (--workers) to use "
        "more cores.",
    )
    default_limit: int = Field(
        default=10, ge=1, description="Features per OGC API page by default."
    )
    max_limit: int = Field(default=10_000, ge=1, description="Largest page a client may ask for.")
    max_request_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=1024,
        description="Largest request body (a report's JSON with its geometry, an edit, a "
        "form) any other endpoint accepts, in bytes; larger ones get 413 before they are "
        "read. 16 MiB holds a polygon at the default limit of 100,000 vertices "
        "(geometry.max_vertices) several times over.",
    )
    max_upload_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=1024,
        description="Largest upload (field-form export or geodata file, with its multipart "
        "envelope) the intake endpoints accept, in bytes; larger ones get 413 before they are "
        "read. 64 MiB holds a Kobo export of tens of thousands of submissions; import bigger "
        "files with the command line.",
    )
    attachments_dir: Path = Field(
        default=Path("attachments"),
        description="Folder where a pull from a field-data server (the intake page's Pull "
        "button, as `minewatch intake pull --attachments`) saves the submissions' files, one "
        "folder per source; relative to the server's working folder.",
    )
    max_upload_features: int = Field(
        default=100_000,
        ge=1,
        description="Most features (geodata) or submissions (field-form export) one upload "
        "may hold; more are refused with 413 before any is checked or written. Import "
        "bigger files with the command line, which has no such limit.",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                ipaddress.ip_network(entry.strip(), strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an address or network") from None
        return value


def load_settings(path: Path | None) -> ApiSettings:
    """Settings from the ``[server]`` table of ``path``, or the defaults; the server's entry
    points call this, so the environment (``MINEWATCH_TREATY_DATA``) is read here and not
    by the services."""
    table: dict[str, Any] = {}
    try:
        if path is not None:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("server", {})
        if "treaty_data_dir" not in table and os.environ.get(TREATY_DATA_ENV):
            table = {**table, "treaty_data_dir": os.environ[TREATY_DATA_ENV]}
        return ApiSettings.model_validate(table)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(f"cannot read settings: {exc}", Location(file=str(path))) from None
    except ValueError as exc:  # pydantic's ValidationError
        raise InvalidInput(str(exc), Location(file=str(path))) from None
