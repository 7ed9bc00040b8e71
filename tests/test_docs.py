"""The user documentation builds, strictly, and every page is reachable from the nav."""

from __future__ import annotations

from pathlib import Path

import yaml  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]


def nav_pages(nav: list[object]) -> set[str]:
    pages: set[str] = set()
    for entry in nav:
        for value in entry.values() if isinstance(entry, dict) else [entry]:
            pages |= nav_pages(value) if isinstance(value, list) else {str(value)}
    return pages


def test_every_page_is_in_the_nav() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    on_disk = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}
    assert on_disk == nav_pages(config["nav"])


def test_docs_build_strictly(docs_site: Path) -> None:
    """``mkdocs build --strict`` succeeds (the fixture fails with mkdocs' complaints)."""
    assert (docs_site / "index.html").is_file()
