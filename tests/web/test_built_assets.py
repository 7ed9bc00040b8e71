"""The built web UI committed under api/static is current: its build stamp holds the hash
of the web/ sources it was built from (web/scripts/stamp.mjs computes it the same way), so
editing a source without running ``npm run build`` fails here. That nothing built loads
anything from another host is tests/test_offline.py's job (it reads every served file)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from minewatch.api.app import default_static_dir

REPO_ROOT = Path(__file__).resolve().parents[2]
WEB = REPO_ROOT / "web"
SKIP = {"node_modules", "dist", ".vite"}


def sources_hash(root: Path) -> tuple[str, int]:
    """SHA-256 over every file under ``root`` but build output, in sorted path order."""
    paths = sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not SKIP.intersection(p.relative_to(root).parts)
    )
    digest = hashlib.sha256()
    for rel in paths:
        digest.update(rel.encode() + b"\0")
        digest.update((root / rel).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest(), len(paths)


def test_built_assets_match_the_web_sources() -> None:
    if not WEB.is_dir():
        pytest.skip("no web/ sources beside this installation")
    stamp_file = default_static_dir() / "build-stamp.json"
    assert stamp_file.exists(), "no built web UI: run `npm ci && npm run build` in web/"
    stamp = json.loads(stamp_file.read_text())
    digest, count = sources_hash(WEB)
    assert stamp["sources_sha256"] == digest, (
        "the built web UI in src/minewatch/api/static is older than web/ "
        f"(hash of {count} source files differs): run `npm run build` in web/ and commit"
    )


def test_every_page_is_built() -> None:
    static = default_static_dir()
    pages = sorted(p.name for p in static.glob("*.html"))
    expected = {"index.html", "login.html", "dashboard.html", "priority.html", "treaty.html"}
    assert expected | {
        "account.html",
        "admin.html",
        "intake.html",
        "qm.html",
        "landrelease.html",
    } <= set(pages)
    if WEB.is_dir():  # every page of the sources, and nothing else
        assert pages == sorted(p.name for p in WEB.glob("*.html"))
    assert list((static / "assets").glob("maplibre-gl-worker-*.mjs")), "the map worker is bundled"
