"""Open data from the store: HXL CSVs and a public data package, in one command.

Only approved information is published (the store's items are folded from approved reports
only), only the columns of :data:`minewatch.io.hxl.PUBLIC_COLUMNS` leave, and victims appear
only as counts on their accident — never a name, contact or medical detail.

The package is a folder holding ``minewatch_public.gpkg`` (one layer per kind, for QGIS), one
HXL CSV per kind, ``datapackage.json`` (a Frictionless Data descriptor) and a ``README.md``
stating the licence, the publisher, the sources and what every column means.

>>> from datetime import date
>>> from shapely import box
>>> from minewatch.domain.access import local_admin
>>> from minewatch.domain.reports import ReportState
>>> from minewatch.services.records import Draft, Workflow
>>> from minewatch.store import open_store
>>> store = open_store(str(tmp / "demo.gpkg"), create=True)
>>> area = Draft(Kind.HAZARDOUS_AREA, {"status": "open"}, date(2024, 5, 1),
...              box(30, -1, 30.01, -0.99))
>>> _ = Workflow(store, local_admin()).create_drafts([area], state=ReportState.APPROVED)
>>> published = publish_package(store, tmp / "open-data")
>>> sorted(f.name for f in published.files)
['README.md', 'accident.hxl.csv', 'accreditation.hxl.csv', 'datapackage.json',
 'hazardous_area.hxl.csv', 'minewatch_public.gpkg', 'release_product.hxl.csv',
 'risk_education_session.hxl.csv', 'task_order.hxl.csv', 'victim_assistance.hxl.csv']
>>> published.rows[Kind.HAZARDOUS_AREA]
1

The HTTP API hands out the same files: :func:`publish_hxl` for one kind and
:func:`publish_package_zip` for the package as one download.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from minewatch.domain.records import Kind
from minewatch.errors import NotFound
from minewatch.io.hxl import (
    PUBLIC_COLUMNS,
    public_columns,
    public_coverage_table,
    public_table,
    write_hxl_csv,
)
from minewatch.services import disclosure
from minewatch.services.assistance import public_coverage_rows
from minewatch.store.base import ItemQuery, Repository

#: What is published, in this order.
PUBLISHED_KINDS: tuple[Kind, ...] = tuple(PUBLIC_COLUMNS)

DEFAULT_LICENCE = "CC-BY-4.0"
_LICENCE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
}


@dataclass
class Published:
    """The files written and how many rows each public table has.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> published = publish_hxl(store, tmp, kinds=[Kind.ACCIDENT])
    >>> [f.name for f in published.files], published.rows
    (['accident.hxl.csv'], {<Kind.ACCIDENT: 'accident'>: 10})
    """

    files: list[Path] = field(default_factory=list)
    rows: dict[Kind, int] = field(default_factory=dict)


def public_tables(
    store: Repository, kinds: Sequence[Kind] = PUBLISHED_KINDS
) -> dict[Kind, gpd.GeoDataFrame]:
    """Every public table, built from the store's current (approved) state, every frame
    through the personal-data guard before anything else reads it.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> accidents = public_tables(store, [Kind.ACCIDENT])[Kind.ACCIDENT]
    >>> len(accidents), "victim_name" in accidents.columns, list(accidents.columns)[:6]
    (10, False, ['code', 'accident_date', 'device_category', 'device_type', 'during_demining',
     'adm1_name'])
    """

    def public(kind: Kind) -> gpd.GeoDataFrame:
        return disclosure.public_frame(kind, store.items_frame(ItemQuery(kind)))

    for kind in kinds:
        disclosure.check_public_columns(kind, [c.name for c in public_columns(kind)])
    locations = public(Kind.LOCATION)
    victims = public(Kind.VICTIM) if Kind.ACCIDENT in kinds else None
    if victims is not None:
        # Only the counting columns are ever read; drop the rest before anything else.
        victims = pd.DataFrame(
            victims[[c for c in ("accident_code", "outcome", "sex", "age") if c in victims]]
        )
    return {
        kind: public_coverage_table(public_coverage_rows(store))
        if kind is Kind.VICTIM_ASSISTANCE  # counts only: never a record, code or place
        else public_table(kind, public(kind), locations=locations, victims=victims)
        for kind in kinds
    }


def check_published(kinds: Sequence[Kind]) -> None:
    """NotFound naming the kinds that are never published (victims, organisations …).

    Examples
    --------
    >>> check_published([Kind.HAZARDOUS_AREA, Kind.ACCIDENT])
    >>> check_published([Kind.VICTIM])
    Traceback (most recent call last):
    ...
    minewatch.errors.NotFound: victim is not published; published: hazardous_area, accident,
     release_product, risk_education_session, task_order, accreditation, victim_assistance
    """
    unknown = [k for k in kinds if k not in PUBLISHED_KINDS]
    if unknown:
        raise NotFound(
            f"{', '.join(k.value for k in unknown)} is not published; "
            f"published: {', '.join(k.value for k in PUBLISHED_KINDS)}"
        )


def publish_hxl(
    store: Repository, out_dir: Path, kinds: Sequence[Kind] = PUBLISHED_KINDS
) -> Published:
    """One HXL CSV per kind, ``<kind>.hxl.csv``.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> [path] = publish_hxl(store, tmp, kinds=[Kind.HAZARDOUS_AREA]).files
    >>> print(path.read_text().splitlines()[1][:60])
    #x_hazard+code,#x_hazard+name,#x_hazard+class,#x_hazard+type
    """
    check_published(kinds)
    result = Published()
    for kind, table in public_tables(store, kinds).items():
        result.files.append(write_hxl_csv(table, kind, out_dir / f"{kind.value}.hxl.csv"))
        result.rows[kind] = len(table)
    return result


def _write_layers(tables: dict[Kind, gpd.GeoDataFrame], path: Path) -> None:
    if path.exists():
        path.unlink()
    for kind, table in tables.items():
        frame = table.copy()
        frame = frame.set_geometry(frame.geometry)
        frame.to_file(path, layer=kind.value, driver="GPKG", engine="pyogrio")


def _sources(store: Repository) -> list[str]:
    orgs = store.items_frame(ItemQuery(Kind.ORGANISATION))
    if orgs.empty:
        return []
    return sorted(
        f"{r.name} ({r.acronym or r.code})" for r in orgs.itertuples() if getattr(r, "name", None)
    )


def _readme(
    tables: dict[Kind, gpd.GeoDataFrame],
    *,
    licence: str,
    publisher: str,
    sources: list[str],
    generated: datetime,
) -> str:
    url = _LICENCE_URLS.get(licence, "")
    lines = [
        f"# Mine action open data — {publisher}",
        "",
        f"Generated {generated:%Y-%m-%d %H:%M} UTC by minewatch from approved reports only.",
        "",
        "## Licence",
        "",
        f"{licence}{f' ({url})' if url else ''}. Cite as: {publisher}, mine action open data, "
        f"{generated:%Y-%m-%d}.",
        "",
        "## Sources",
        "",
        f"Reports approved by {publisher}, submitted by these organisations:",
        "",
        *([f"- {s}" for s in sources] or ["- (no organisation recorded in the store)"]),
        "",
        "## Personal data",
        "",
        "No personal data is published: victims appear only as counts per accident (killed,",
        "injured, by sex and for children), and victim assistance only as national counts of",
        "survivors per year, kind of assistance and stage (no record, code or place); names,",
        "contacts, medical details and follow-up notes never leave the national database.",
        "",
        "## Files",
        "",
        "- `minewatch_public.gpkg`: one layer per table below (WGS84), for QGIS or GDAL.",
        "- `<table>.hxl.csv`: the same tables as HXL-tagged CSV (header row, hashtag row, data).",
        "- `datapackage.json`: a Frictionless Data descriptor of the CSVs.",
    ]
    for kind, table in tables.items():
        lines += [
            "",
            f"### {kind.value} ({len(table)} rows)",
            "",
            "| column | HXL | meaning |",
            "|---|---|---|",
        ]
        lines += [f"| {c.name} | `{c.tag}` | {c.description} |" for c in public_columns(kind)]
    return "\n".join(lines) + "\n"


def _datapackage(
    tables: dict[Kind, gpd.GeoDataFrame], licence: str, publisher: str
) -> dict[str, object]:
    return {
        "name": "minewatch-public",
        "title": f"Mine action open data — {publisher}",
        "licenses": [{"name": licence, "path": _LICENCE_URLS.get(licence, "")}],
        "resources": [
            {
                "name": kind.value,
                "path": f"{kind.value}.hxl.csv",
                "format": "csv",
                "dialect": {"headerRowCount": 2},
                "schema": {
                    "fields": [
                        {"name": c.name, "description": c.description, "rdfType": c.tag}
                        for c in public_columns(kind)
                    ]
                },
            }
            for kind in tables
        ],
    }


def publish_package(
    store: Repository,
    out_dir: Path,
    *,
    licence: str = DEFAULT_LICENCE,
    publisher: str = "the national mine action authority",
    kinds: Sequence[Kind] = PUBLISHED_KINDS,
    now: datetime | None = None,
) -> Published:
    """The public data package: GeoPackage, HXL CSVs, datapackage.json and README.md.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> import json
    >>> published = publish_package(store, tmp / "open-data", publisher="Synthetic Authority")
    >>> package = json.loads((tmp / "open-data" / "datapackage.json").read_text())
    >>> package["licenses"][0]["name"], [r["name"] for r in package["resources"]]
    ('CC-BY-4.0', ['hazardous_area', 'accident', 'release_product', 'risk_education_session',
     'task_order', 'accreditation', 'victim_assistance'])
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = public_tables(store, kinds)
    result = Published(rows={k: len(t) for k, t in tables.items()})
    gpkg = out_dir / "minewatch_public.gpkg"
    _write_layers(tables, gpkg)
    result.files.append(gpkg)
    for kind, table in tables.items():
        result.files.append(write_hxl_csv(table, kind, out_dir / f"{kind.value}.hxl.csv"))
    generated = now or datetime.now(UTC)
    readme = out_dir / "README.md"
    readme.write_text(
        _readme(
            tables,
            licence=licence,
            publisher=publisher,
            sources=_sources(store),
            generated=generated,
        ),
        encoding="utf-8",
    )
    descriptor = out_dir / "datapackage.json"
    descriptor.write_text(
        json.dumps(_datapackage(tables, licence, publisher), indent=2), encoding="utf-8"
    )
    result.files += [readme, descriptor]
    return result


def publish_package_zip(
    store: Repository,
    zip_path: Path,
    *,
    licence: str = DEFAULT_LICENCE,
    publisher: str = "the national mine action authority",
) -> Published:
    """The public data package as one zip file (what the web UI offers for download); the
    files are written to a temporary folder that is always removed.

    Examples
    --------
    >>> store = demo_store(tmp)
    >>> import zipfile
    >>> published = publish_package_zip(store, tmp / "open-data.zip")
    >>> sorted(zipfile.ZipFile(tmp / "open-data.zip").namelist())
    ['README.md', 'accident.hxl.csv', 'accreditation.hxl.csv', 'datapackage.json',
     'hazardous_area.hxl.csv', 'minewatch_public.gpkg', 'release_product.hxl.csv',
     'risk_education_session.hxl.csv', 'task_order.hxl.csv', 'victim_assistance.hxl.csv']
    """
    with tempfile.TemporaryDirectory(prefix="minewatch-package-") as tmp:
        folder = Path(tmp)
        written = publish_package(store, folder, licence=licence, publisher=publisher)
        with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in written.files:
                zf.write(path, arcname=path.name)
    return Published([zip_path], written.rows)
