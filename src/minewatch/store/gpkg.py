"""GeoPackage essentials for the embedded store, written by hand because Python's own
``sqlite3`` cannot load SpatiaLite on this platform (see DESIGN.md) and no maintained library
writes GeoPackage *into an open SQLite connection*.

Covers exactly what the OGC GeoPackage 1.3 encoding standard requires of a vector store:
the core metadata tables, the binary geometry header, the R-tree spatial index extension with
its triggers, and the ``ST_*`` SQL functions those triggers call (registered on every
connection, as GDAL does).

>>> from shapely import Point
>>> import numpy as np
>>> blob = encode_geometries(np.array([Point(30.5, 50.25)]))[0]
>>> blob[:2], decode_geometries([blob])[0].wkt
(b'GP', 'POINT (30.5 50.25)')
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
import sqlalchemy as sa

#: PRAGMA application_id of a GeoPackage ("GPKG") and the version we write (1.3.0).
APPLICATION_ID = 0x47504B47
USER_VERSION = 10300

_HEADER_WITH_ENVELOPE = struct.Struct("<2sBBi4d")
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_EMPTY_FLAG = 0b10000
_FLAGS_XY_ENVELOPE_LE = 0b00000011  # little endian, envelope [minx, maxx, miny, maxy]


class GeometryBlob(sa.types.UserDefinedType[bytes]):
    """A GeoPackage geometry column: a blob declared with its geometry type name, as the
    standard asks (e.g. ``geom MULTIPOLYGON``)."""

    cache_ok = True

    def __init__(self, geometry_type: str = "GEOMETRY") -> None:
        self.geometry_type = geometry_type

    def get_col_spec(self, **kw: Any) -> str:
        return self.geometry_type


def encode_geometries(geoms: np.ndarray | Sequence[Any], srs_id: int = 4326) -> list[bytes | None]:
    """GeoPackage binary blobs for an array of shapely geometries (None stays None).

    Every blob carries its XY envelope, so the R-tree triggers read bounds from the header
    without parsing WKB.
    """
    arr = np.asarray(geoms, dtype=object)
    out: list[bytes | None] = [None] * len(arr)
    present = np.flatnonzero(~shapely.is_missing(arr)) if len(arr) else np.array([], dtype=int)
    if not len(present):
        return out
    chosen = arr[present]
    wkbs = shapely.to_wkb(chosen, byte_order=1, flavor="iso")
    bounds = shapely.bounds(chosen)
    empty = shapely.is_empty(chosen)
    pack = _HEADER_WITH_ENVELOPE.pack
    for i, wkb, (minx, miny, maxx, maxy), is_empty in zip(
        present.tolist(), wkbs, bounds.tolist(), empty.tolist(), strict=True
    ):
        if is_empty:
            out[i] = struct.pack("<2sBBi", b"GP", 0, _EMPTY_FLAG | 1, srs_id) + wkb
        else:
            out[i] = pack(b"GP", 0, _FLAGS_XY_ENVELOPE_LE, srs_id, minx, maxx, miny, maxy) + wkb
    return out


def header_length(blob: bytes) -> int:
    """Bytes before the WKB in a GeoPackage geometry blob."""
    return 8 + _ENVELOPE_BYTES[(blob[3] >> 1) & 0b111]


def decode_geometries(blobs: Sequence[bytes | None]) -> np.ndarray:
    """Shapely geometries from GeoPackage blobs (None stays None), vectorised."""
    wkbs = [None if b is None else bytes(b[header_length(b) :]) for b in blobs]
    return shapely.from_wkb(np.array(wkbs, dtype=object))


def _envelope(blob: bytes | None) -> tuple[float, float, float, float] | None:
    """(minx, maxx, miny, maxy) from the header, or by parsing the WKB if it has none."""
    if blob is None or blob[3] & _EMPTY_FLAG:
        return None
    if (blob[3] >> 1) & 0b111:
        order = "<" if blob[3] & 1 else ">"
        return struct.unpack_from(f"{order}4d", blob, 8)
    geom = shapely.from_wkb(bytes(blob[header_length(blob) :]))
    minx, miny, maxx, maxy = shapely.bounds(geom).tolist()
    return (minx, maxx, miny, maxy)


def register_functions(conn: sqlite3.Connection) -> None:
    """Register the SQL functions GeoPackage R-tree triggers call."""

    def is_empty(blob: bytes | None) -> int | None:
        return None if blob is None else int(_envelope(blob) is None)

    def coord(index: int) -> Any:
        def fn(blob: bytes | None) -> float | None:
            env = _envelope(blob)
            return None if env is None else env[index]

        return fn

    conn.create_function("ST_IsEmpty", 1, is_empty, deterministic=True)
    for name, index in (("ST_MinX", 0), ("ST_MaxX", 1), ("ST_MinY", 2), ("ST_MaxY", 3)):
        conn.create_function(name, 1, coord(index), deterministic=True)


CORE_TABLES_SQL = [
    """CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
        srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
        organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
        definition TEXT NOT NULL, description TEXT)""",
    """CREATE TABLE IF NOT EXISTS gpkg_contents (
        table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
        identifier TEXT UNIQUE, description TEXT DEFAULT '',
        last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""",
    """CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
        table_name TEXT NOT NULL, column_name TEXT NOT NULL,
        geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
        z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""",
    """CREATE TABLE IF NOT EXISTS gpkg_extensions (
        table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
        definition TEXT NOT NULL, scope TEXT NOT NULL,
        CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))""",
]

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)

SRS_ROWS = [
    (
        "Undefined cartesian SRS",
        -1,
        "NONE",
        -1,
        "undefined",
        "undefined cartesian coordinate reference system",
    ),
    (
        "Undefined geographic SRS",
        0,
        "NONE",
        0,
        "undefined",
        "undefined geographic coordinate reference system",
    ),
    (
        "WGS 84 geodetic",
        4326,
        "EPSG",
        4326,
        _WGS84_WKT,
        "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid",
    ),
]


def core_statements() -> list[tuple[str, tuple[Any, ...]]]:
    """SQL that makes an SQLite database a GeoPackage (idempotent)."""
    stmts: list[tuple[str, tuple[Any, ...]]] = [
        (f"PRAGMA application_id = {APPLICATION_ID}", ()),
        (f"PRAGMA user_version = {USER_VERSION}", ()),
    ]
    stmts += [(sql, ()) for sql in CORE_TABLES_SQL]
    stmts += [
        ("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)", row) for row in SRS_ROWS
    ]
    return stmts


def layer_statements(
    table: str, geometry_type: str | None, description: str, column: str = "geom", pk: str = "fid"
) -> list[tuple[str, tuple[Any, ...]]]:
    """SQL registering ``table`` in gpkg_contents, and for a feature table its geometry
    column, R-tree index and the triggers that keep the index current."""
    if geometry_type is None:
        return [
            (
                "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description) "
                "VALUES (?, 'attributes', ?, ?)",
                (table, table, description),
            )
        ]
    rtree = f"rtree_{table}_{column}"
    stmts: list[tuple[str, tuple[Any, ...]]] = [
        (
            "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
            "VALUES (?, 'features', ?, ?, 4326)",
            (table, table, description),
        ),
        (
            "INSERT OR REPLACE INTO gpkg_geometry_columns VALUES (?, ?, ?, 4326, 0, 0)",
            (table, column, geometry_type),
        ),
        (
            "INSERT OR REPLACE INTO gpkg_extensions VALUES (?, ?, 'gpkg_rtree_index', "
            "'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
            (table, column),
        ),
        (
            f'CREATE VIRTUAL TABLE IF NOT EXISTS "{rtree}" USING rtree(id, minx, maxx, miny, maxy)',
            (),
        ),
    ]
    stmts += [(sql, ()) for sql in rtree_trigger_sql(table, column, pk)]
    return stmts


def rtree_trigger_sql(t: str, c: str, i: str) -> list[str]:
    """The R-tree triggers of the GeoPackage 1.3 spec (Annex F.3), for table t, column c, pk i."""
    r = f"rtree_{t}_{c}"
    bbox = f'ST_MinX(NEW."{c}"), ST_MaxX(NEW."{c}"), ST_MinY(NEW."{c}"), ST_MaxY(NEW."{c}")'
    return [
        f'''CREATE TRIGGER IF NOT EXISTS "{r}_insert" AFTER INSERT ON "{t}"
            WHEN (new."{c}" NOT NULL AND NOT ST_IsEmpty(NEW."{c}"))
            BEGIN INSERT OR REPLACE INTO "{r}" VALUES (NEW."{i}", {bbox}); END''',
        f'''CREATE TRIGGER IF NOT EXISTS "{r}_update1" AFTER UPDATE OF "{c}" ON "{t}"
            WHEN OLD."{i}" = NEW."{i}" AND (NEW."{c}" NOTNULL AND NOT ST_IsEmpty(NEW."{c}"))
            BEGIN INSERT OR REPLACE INTO "{r}" VALUES (NEW."{i}", {bbox}); END''',
        f'''CREATE TRIGGER IF NOT EXISTS "{r}_update2" AFTER UPDATE OF "{c}" ON "{t}"
            WHEN OLD."{i}" = NEW."{i}" AND (NEW."{c}" ISNULL OR ST_IsEmpty(NEW."{c}"))
            BEGIN DELETE FROM "{r}" WHERE id = OLD."{i}"; END''',
        f'''CREATE TRIGGER IF NOT EXISTS "{r}_update3" AFTER UPDATE ON "{t}"
            WHEN OLD."{i}" != NEW."{i}" AND (NEW."{c}" NOTNULL AND NOT ST_IsEmpty(NEW."{c}"))
            BEGIN DELETE FROM "{r}" WHERE id = OLD."{i}";
            INSERT OR REPLACE INTO "{r}" VALUES (NEW."{i}", {bbox}); END''',
        f'''CREATE TRIGGER IF NOT EXISTS "{r}_update4" AFTER UPDATE ON "{t}"
            WHEN OLD."{i}" != NEW."{i}" AND (NEW."{c}" ISNULL OR ST_IsEmpty(NEW."{c}"))
            BEGIN DELETE FROM "{r}" WHERE id IN (OLD."{i}", NEW."{i}"); END''',
        f'''CREATE TRIGGER IF NOT EXISTS "{r}_delete" AFTER DELETE ON "{t}"
            WHEN old."{c}" NOT NULL
            BEGIN DELETE FROM "{r}" WHERE id = OLD."{i}"; END''',
    ]
