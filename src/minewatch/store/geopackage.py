"""The embedded default: one SQLite file laid out as a GeoPackage, which QGIS and GDAL open
directly. Geometry is GeoPackage binary with its bounding box in the R-tree; exact
predicates run in shapely (see DESIGN.md for the measurements behind this choice)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from shapely.geometry.base import BaseGeometry

from minewatch.store import gpkg
from minewatch.store.sql import SqlRepository
from minewatch.store.tables import GEOMETRY_COLUMN


def sqlite_path(url: str) -> Path:
    """The file a ``sqlite:///…`` URL or a bare path names."""
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else Path(url)


class GeoPackageStore(SqlRepository):
    dialect = "sqlite"

    def __init__(self, url: str) -> None:
        self.path = sqlite_path(url)
        engine = sa.create_engine(
            f"sqlite:///{self.path}",
            connect_args={"check_same_thread": False, "timeout": 30},
        )
        sa.event.listen(engine, "connect", _on_connect)
        super().__init__(f"sqlite:///{self.path}", engine)

    def close(self) -> None:
        # Fold the write-ahead log back into the file, so the .gpkg alone is complete.
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except sa.exc.OperationalError:
            pass
        super().close()

    def _encode_geometries(self, geoms: Sequence[BaseGeometry | None]) -> list[Any]:
        return gpkg.encode_geometries(np.asarray(geoms, dtype=object))

    def _geometry_select(self, table: sa.Table) -> sa.ColumnElement[Any]:
        return table.c[GEOMETRY_COLUMN]

    def _decode_geometries(self, values: Sequence[Any]) -> np.ndarray:
        return gpkg.decode_geometries(values)

    def _bbox_clause(
        self, table: sa.Table, bbox: tuple[float, float, float, float]
    ) -> sa.ColumnElement[bool]:
        minx, miny, maxx, maxy = bbox
        rtree = sa.table(
            f"rtree_{table.name}_{GEOMETRY_COLUMN}",
            sa.column("id"),
            sa.column("minx"),
            sa.column("maxx"),
            sa.column("miny"),
            sa.column("maxy"),
        )
        candidates = sa.select(rtree.c.id).where(
            rtree.c.minx <= maxx, rtree.c.maxx >= minx, rtree.c.miny <= maxy, rtree.c.maxy >= miny
        )
        return table.c.fid.in_(candidates)


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    gpkg.register_functions(dbapi_conn)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()
