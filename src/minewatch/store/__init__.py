"""Storage behind one interface (:class:`minewatch.store.base.Repository`), chosen by URL.

>>> from minewatch.domain.records import Kind
>>> store = open_store(f"sqlite:///{tmp / 'demo.gpkg'}", create=True)
>>> store.count_items(ItemQuery(Kind.HAZARDOUS_AREA))
0
>>> store.close()
"""

from __future__ import annotations

from minewatch.errors import InvalidInput
from minewatch.store.base import ItemQuery, ReportQuery, Repository
from minewatch.store.sql import SqlRepository

__all__ = ["ItemQuery", "ReportQuery", "Repository", "SqlRepository", "open_store"]


def open_store(url: str, *, create: bool = False) -> SqlRepository:
    """The store at ``url``: ``postgresql://…`` for PostGIS, ``sqlite:///path.gpkg`` or a
    bare path for the embedded GeoPackage. With ``create``, make or upgrade its schema;
    otherwise InvalidInput if it is not a current minewatch store."""
    store: SqlRepository
    if url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        from minewatch.store.postgis import PostGISStore

        store = PostGISStore(url)
    else:
        from minewatch.store.geopackage import GeoPackageStore, sqlite_path

        path = sqlite_path(url)
        if not create and not path.exists():
            raise InvalidInput(f"no store at {path}: create it with `minewatch init {path}`")
        if path.parent and not path.parent.exists():
            raise InvalidInput(f"folder {path.parent} does not exist")
        store = GeoPackageStore(url)
    if create:
        store.migrate()
    else:
        store.check_schema()
    return store
