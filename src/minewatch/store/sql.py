"""The generic SQL repository both backends share (SQLAlchemy Core).

Backends differ only in how geometry is written, read and searched; they override the
``_encode_geometries``, ``_geometry_select``, ``_decode_geometries``, ``_bbox_clause`` and
``_near_clause`` hooks (see :mod:`minewatch.store.geopackage` and
:mod:`minewatch.store.postgis`). Everything else — reports, codes, item upserts, filters,
paging — is written once here.
"""

from __future__ import annotations

import functools
import math
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
import sqlalchemy as sa
from shapely.geometry.base import BaseGeometry

from minewatch.domain.records import Kind, Record, record_type
from minewatch.domain.reports import Report, ReportAction, ReportState
from minewatch.domain.schema import FieldSpec, build_record, field_specs, plain_column, to_plain
from minewatch.errors import Conflict, InvalidInput, NotFound, StaleVersion
from minewatch.store import migrate
from minewatch.store.account_base import AccountRepository, AttemptCounting
from minewatch.store.base import ItemQuery, NewItems, ReportQuery, Repository
from minewatch.store.tables import (
    GEOMETRY_COLUMN,
    item_columns,
    item_table,
    report_table,
    sequence_table,
)

#: How many values go into one ``IN (...)`` list.
IN_CHUNK = 900


def chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def promote_all(geoms: np.ndarray, geometry_type: str | None) -> np.ndarray:
    """Polygons in a MULTIPOLYGON layer become one-part multipolygons, vectorised."""
    if geometry_type != "MULTIPOLYGON" or not len(geoms):
        return geoms
    out = geoms.copy()
    single = np.flatnonzero(shapely.get_type_id(geoms) == 3)
    if len(single):
        out[single] = shapely.multipolygons(geoms[single], indices=np.arange(len(single)))
    return out


def degree_envelope(lon: float, lat: float, metres: float) -> tuple[float, float, float, float]:
    """A lon/lat box that surely contains every point within ``metres`` of (lon, lat)."""
    dlat = metres / 110_574.0 * 1.01 + 1e-9
    dlon = metres / (111_320.0 * max(math.cos(math.radians(min(abs(lat) + dlat, 89.9))), 1e-6))
    dlon = dlon * 1.01 + 1e-9
    return (lon - dlon, lat - dlat, lon + dlon, lat + dlat)


@functools.lru_cache(maxsize=256)
def _local_equidistant(lon_key: float, lat_key: float) -> pyproj.Transformer:
    crs = pyproj.CRS.from_proj4(
        f"+proj=aeqd +lon_0={lon_key} +lat_0={lat_key} +datum=WGS84 +units=m"
    )
    return pyproj.Transformer.from_crs(4326, crs, always_xy=True)


#: Up to this distance, :func:`within_geodesic_distance` measures in the local tangent plane
#: (error under 0.5 m up to 75° latitude, measured against pyproj's geodesic in the tests).
LOCAL_PLANE_LIMIT_M = 2_000.0
_WGS84_A = 6_378_137.0
_WGS84_E2 = 6.69437999014e-3


def _local_plane(lon: float, lat: float) -> tuple[float, float]:
    """Metres per degree of longitude and latitude at (lon, lat) on the WGS84 ellipsoid, from
    its radii of curvature: the prime vertical N and the meridian M."""
    phi = math.radians(lat)
    w = math.sqrt(1 - _WGS84_E2 * math.sin(phi) ** 2)
    n = _WGS84_A / w
    m = _WGS84_A * (1 - _WGS84_E2) / w**3
    return math.radians(1) * n * math.cos(phi), math.radians(1) * m


def within_geodesic_distance(
    geoms: np.ndarray, lon: float, lat: float, metres: float
) -> np.ndarray:
    """Which geometries lie within ``metres`` of (lon, lat).

    Up to 2 km — the "what lies near this point" questions of field work — it measures in
    the ellipsoid's tangent plane at the point (metres per degree from the WGS84 radii of
    curvature there), so no projection is built per query: against pyproj's geodesic the
    error is a few centimetres at 500 m and under half a metre at 2 km up to 75° latitude.
    Further out it uses an azimuthal equidistant projection centred on the point.
    """
    if not len(geoms):
        return np.zeros(0, dtype=bool)
    if metres <= LOCAL_PLANE_LIMIT_M:
        kx, ky = _local_plane(lon, lat)
        projected = shapely.transform(geoms, lambda xy: (xy - (lon, lat)) * (kx, ky))
        return np.asarray(shapely.dwithin(projected, shapely.Point(0, 0), metres))
    transformer = _local_equidistant(round(lon, 2), round(lat, 2))
    projected = shapely.transform(
        geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )
    x, y = transformer.transform(lon, lat)
    return np.asarray(shapely.dwithin(projected, shapely.Point(x, y), metres))


def _db_value(spec: FieldSpec, value: Any) -> Any:
    if value is None:
        return None
    if spec.storage == "json":
        return to_plain(value)
    if spec.name == "id" or spec.enum is not None:
        return to_plain(value)
    return value


def _aware(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; everything minewatch stores is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class SqlRepository(Repository):
    """Reports and items in SQL tables; a subclass supplies the engine and geometry hooks."""

    dialect: str

    def __init__(self, url: str, engine: sa.Engine) -> None:
        self.url = url
        self.engine = engine
        self._local = threading.local()
        self._write_lock = threading.RLock()

    # -- lifecycle ------------------------------------------------------------------------
    def migrate(self) -> None:
        """Create or upgrade the schema to the newest revision."""
        migrate.upgrade(self.engine)

    def check_schema(self) -> None:
        """InvalidInput unless the database is a minewatch store at the current revision."""
        with self.engine.connect() as conn:
            current = migrate.current_revision(conn)
        head = migrate.head_revision()
        if current is None:
            raise InvalidInput(
                f"{self.url} is not a minewatch store yet: run `minewatch init` first"
            )
        if current != head:
            raise InvalidInput(
                f"{self.url} is at schema revision {current}, this minewatch needs {head}: "
                "run `minewatch init` to upgrade it"
            )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if getattr(self._local, "conn", None) is not None:
            yield
            return
        with self._write_lock, self.engine.begin() as conn:
            self._local.conn = conn
            try:
                yield
            finally:
                self._local.conn = None

    @contextmanager
    def _connection(self) -> Iterator[sa.Connection]:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
        else:
            with self.engine.connect() as fresh:
                yield fresh

    def close(self) -> None:
        self.engine.dispose()

    @functools.cached_property
    def _accounts(self) -> AccountRepository:
        from minewatch.store.accounts import AccountStore  # it builds on this class

        return AccountStore(self)

    def accounts(self) -> AccountRepository:
        return self._accounts

    @functools.cached_property
    def _attempts(self) -> AttemptCounting:
        from minewatch.store.throttle import AttemptCounters  # it builds on this class

        return AttemptCounters(self)

    def login_attempts(self) -> AttemptCounting:
        return self._attempts

    def serialise(self, conn: sa.Connection, name: str) -> None:
        """Hold, until ``conn``'s transaction ends, the right to append to ``name`` (a table
        whose next row depends on its last, such as the audit chain), so that writers in
        other processes wait rather than fork it or fail. Each backend says how."""
        raise NotImplementedError

    # -- geometry hooks -------------------------------------------------------------------
    def _encode_geometries(self, geoms: Sequence[BaseGeometry | None]) -> list[Any]:
        raise NotImplementedError

    def _geometry_select(self, table: sa.Table) -> sa.ColumnElement[Any]:
        raise NotImplementedError

    def _decode_geometries(self, values: Sequence[Any]) -> np.ndarray:
        raise NotImplementedError

    def _bbox_clause(
        self, table: sa.Table, bbox: tuple[float, float, float, float]
    ) -> sa.ColumnElement[bool]:
        raise NotImplementedError

    def _near_clause(
        self, table: sa.Table, lon: float, lat: float, metres: float
    ) -> sa.ColumnElement[bool] | None:
        """An exact SQL distance filter, or None if the distance is checked in Python."""
        return None

    # -- codes ----------------------------------------------------------------------------
    def next_codes(self, prefix: str, count: int = 1) -> list[str]:
        if count <= 0:
            return []
        seq = sequence_table(self.dialect)
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        upsert = (
            insert(seq)
            .values(prefix=prefix, last_value=count)
            .on_conflict_do_update(
                index_elements=[seq.c.prefix], set_={"last_value": seq.c.last_value + count}
            )
            .returning(seq.c.last_value)
        )
        with self.transaction(), self._connection() as conn:
            last = conn.execute(upsert).scalar_one()
        return [f"{prefix}-{n:06d}" for n in range(last - count + 1, last + 1)]

    # -- reports --------------------------------------------------------------------------
    def _report_row(self, r: Report) -> dict[str, Any]:
        return {
            "id": str(r.id),
            "code": r.code,
            "kind": r.kind.value,
            "item_id": str(r.item_id),
            "item_code": r.item_code,
            "action": r.action.value,
            "date_of_information": r.date_of_information,
            "state": r.state.value,
            "version": r.version,
            "organisation_code": r.organisation_code,
            "created_by": r.created_by,
            "created_at": r.created_at,
            "submitted_at": r.submitted_at,
            "decided_by": r.decided_by,
            "decided_at": r.decided_at,
            "decision_reason": r.decision_reason,
            "source": r.source,
            "external_id": r.external_id,
            "notes": list(r.notes),
            "changes": to_plain(dict(r.changes)),
            "geometry_wkb": None if r.geometry is None else shapely.to_wkb(r.geometry),
        }

    def _report_from_row(self, row: sa.Row[Any]) -> Report:
        m = row._mapping
        return Report(
            id=uuid.UUID(m["id"]),
            code=m["code"],
            kind=Kind(m["kind"]),
            item_id=uuid.UUID(m["item_id"]),
            item_code=m["item_code"],
            action=ReportAction(m["action"]),
            date_of_information=m["date_of_information"],
            changes=m["changes"] or {},
            geometry=None
            if m["geometry_wkb"] is None
            else shapely.from_wkb(bytes(m["geometry_wkb"])),
            state=ReportState(m["state"]),
            version=m["version"],
            organisation_code=m["organisation_code"],
            created_by=m["created_by"],
            created_at=_aware(m["created_at"]) or datetime.now(UTC),
            submitted_at=_aware(m["submitted_at"]),
            decided_by=m["decided_by"],
            decided_at=_aware(m["decided_at"]),
            decision_reason=m["decision_reason"],
            source=m["source"],
            external_id=m["external_id"],
            notes=tuple(m["notes"] or ()),
        )

    def add_reports(self, reports: Sequence[Report]) -> None:
        if not reports:
            return
        rows = [self._report_row(r) for r in reports]
        with self.transaction(), self._connection() as conn:
            conn.execute(sa.insert(report_table(self.dialect)), rows)

    def add_new_items(self, batch: NewItems) -> None:
        n = len(batch)
        if not n:
            return
        kind = Kind(batch.kind)
        decided = batch.state is ReportState.APPROVED
        submitted = batch.state is not ReportState.DRAFT
        geoms = (
            np.full(n, None, dtype=object)
            if batch.geometries is None
            else np.asarray(batch.geometries, dtype=object)
        )
        report_columns: dict[str, list[Any]] = {
            "id": batch.report_ids,
            "code": batch.report_codes,
            "kind": [kind.value] * n,
            "item_id": batch.item_ids,
            "item_code": batch.item_codes,
            "action": [ReportAction.CREATE.value] * n,
            "date_of_information": batch.dates_of_information,
            "state": [batch.state.value] * n,
            "version": [1] * n,
            "organisation_code": batch.organisation_codes,
            "created_by": [batch.actor] * n,
            "created_at": [batch.at] * n,
            "submitted_at": [batch.at if submitted else None] * n,
            "decided_by": [batch.actor if decided else None] * n,
            "decided_at": [batch.at if decided else None] * n,
            "decision_reason": [None] * n,
            "source": batch.sources,
            "external_id": batch.external_ids,
            "notes": batch.notes,
            "changes": batch.changes,
            "geometry_wkb": shapely.to_wkb(geoms).tolist(),
        }
        with self.transaction(), self._connection() as conn:
            self._bulk_insert(conn, report_table(self.dialect), report_columns, None)
            if decided:
                item_geoms = geoms if record_type(kind).geometry_type else None
                self._bulk_insert(
                    conn, item_table(self.dialect, kind), self._item_columns(batch), item_geoms
                )

    def _item_columns(self, batch: NewItems) -> dict[str, list[Any]]:
        n = len(batch)
        columns: dict[str, list[Any]] = {
            "id": batch.item_ids,
            "code": batch.item_codes,
            "version": [1] * n,
            "date_of_information": batch.dates_of_information,
            "external_id": batch.external_ids,
        }
        specs = field_specs(batch.kind)
        for name, values in batch.item_values.items():
            spec = specs[name]
            if spec.storage == "json" or spec.enum is not None:
                columns[name] = plain_column(values)
            else:
                columns[name] = list(values)
        return columns

    def _bulk_insert(
        self,
        conn: sa.Connection,
        table: sa.Table,
        columns: dict[str, list[Any]],
        geometries: np.ndarray | None,
    ) -> None:
        """Insert rows given column by column; backends override this with their fast path."""
        names = list(columns)
        rows = [
            dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)
        ]
        if geometries is not None:
            geometry_type = record_type(Kind(table.name)).geometry_type
            encoded = self._encode_geometries(
                list(promote_all(np.asarray(geometries, dtype=object), geometry_type))
            )
            for row, blob in zip(rows, encoded, strict=True):
                row[GEOMETRY_COLUMN] = blob
        conn.execute(sa.insert(table), rows)

    def update_report(
        self, report: Report, expected_version: int, expected_state: ReportState
    ) -> None:
        t = report_table(self.dialect)
        row = self._report_row(report)
        stmt = (
            sa.update(t)
            .where(
                t.c.id == row.pop("id"),
                t.c.version == expected_version,
                t.c.state == expected_state.value,
            )
            .values(**row)
        )
        with self.transaction(), self._connection() as conn:
            # The version is compared in the UPDATE itself (compare-and-swap), so a writer
            # that read the same version a moment ago cannot also succeed.
            if conn.execute(stmt).rowcount == 1:
                return
        current = self.get_report(report.id)
        error = StaleVersion if current.version != expected_version else Conflict
        raise error(
            f"report {current.code} changed since you read it (now {current.state}, "
            f"version {current.version}); reload it and try again"
        )

    def _report_select(self) -> sa.Select[Any]:
        return sa.select(report_table(self.dialect))

    def get_report(self, ref: str | uuid.UUID) -> Report:
        t = report_table(self.dialect)
        clause = (
            t.c.id == str(ref)
            if isinstance(ref, uuid.UUID) or _looks_like_uuid(ref)
            else t.c.code == ref
        )
        with self._connection() as conn:
            row = conn.execute(self._report_select().where(clause)).first()
        if row is None:
            raise NotFound(f"no report {ref}")
        return self._report_from_row(row)

    def find_reports_by_external_id(
        self, kind: Kind, external_ids: Iterable[str]
    ) -> dict[str, Report]:
        t = report_table(self.dialect)
        found: dict[str, Report] = {}
        ids = list(dict.fromkeys(external_ids))
        with self._connection() as conn:
            for part in chunks(ids):
                stmt = self._report_select().where(
                    t.c.kind == Kind(kind).value, t.c.external_id.in_(part)
                )
                for row in conn.execute(stmt.order_by(t.c.fid)):
                    report = self._report_from_row(row)
                    found[report.external_id or ""] = report
        return found

    def list_reports(self, query: ReportQuery) -> list[Report]:
        t = report_table(self.dialect)
        stmt = self._report_select()
        if query.state is not None:
            stmt = stmt.where(t.c.state == query.state.value)
        if query.kind is not None:
            stmt = stmt.where(t.c.kind == query.kind.value)
        if query.item_id is not None:
            stmt = stmt.where(t.c.item_id == str(query.item_id))
        if query.organisation_code is not None:
            stmt = stmt.where(t.c.organisation_code == query.organisation_code)
        if query.created_by is not None:
            stmt = stmt.where(t.c.created_by == query.created_by)
        stmt = stmt.order_by(t.c.fid.desc()).offset(query.offset)
        if query.limit is not None:
            stmt = stmt.limit(query.limit)
        with self._connection() as conn:
            return [self._report_from_row(row) for row in conn.execute(stmt)]

    def reports_for_items(
        self, kind: Kind, item_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, list[Report]]:
        t = report_table(self.dialect)
        out: dict[uuid.UUID, list[Report]] = {}
        ids = [str(i) for i in dict.fromkeys(item_ids)]
        with self._connection() as conn:
            for part in chunks(ids):
                stmt = self._report_select().where(
                    t.c.kind == Kind(kind).value, t.c.item_id.in_(part)
                )
                for row in conn.execute(stmt.order_by(t.c.fid)):
                    report = self._report_from_row(row)
                    out.setdefault(report.item_id, []).append(report)
        return out

    # -- items ----------------------------------------------------------------------------
    def _item_rows(self, kind: Kind, records: Sequence[Record]) -> list[dict[str, Any]]:
        columns = item_columns(kind)
        rows = [
            {name: _db_value(spec, getattr(r, name)) for name, spec in columns} for r in records
        ]
        geometry_type = record_type(kind).geometry_type
        if geometry_type:
            geoms = promote_all(
                np.array([getattr(r, "geometry", None) for r in records], dtype=object),
                geometry_type,
            )
            for row, encoded in zip(rows, self._encode_geometries(list(geoms)), strict=True):
                row[GEOMETRY_COLUMN] = encoded
        return rows

    def put_items(self, records: Sequence[Record]) -> None:
        if not records:
            return
        kind = records[0].kind
        if any(r.kind is not kind for r in records):
            raise ValueError("put_items takes records of one kind at a time")
        t = item_table(self.dialect, kind)
        rows = self._item_rows(kind, records)
        with self.transaction(), self._connection() as conn:
            existing: set[str] = set()
            for part in chunks([row["id"] for row in rows]):
                existing.update(conn.execute(sa.select(t.c.id).where(t.c.id.in_(part))).scalars())
            new = [row for row in rows if row["id"] not in existing]
            old = [{**row, "_id": row["id"]} for row in rows if row["id"] in existing]
            if new:
                conn.execute(sa.insert(t), new)
            if old:
                values: dict[str, Any] = {c: sa.bindparam(c) for c in old[0] if c != "_id"}
                conn.execute(sa.update(t).where(t.c.id == sa.bindparam("_id")).values(values), old)

    def _item_select(self, t: sa.Table, kind: Kind) -> sa.Select[Any]:
        cols: list[Any] = [t.c[name] for name, _ in item_columns(kind)]
        if record_type(kind).geometry_type:
            cols.append(self._geometry_select(t).label(GEOMETRY_COLUMN))
        return sa.select(*cols)

    def _filtered(self, query: ItemQuery) -> tuple[sa.Select[Any], sa.Table]:
        kind = Kind(query.kind)
        t = item_table(self.dialect, kind)
        stmt = self._item_select(t, kind)
        specs = field_specs(kind)
        for name, value in query.where.items():
            if name not in t.c or name == GEOMETRY_COLUMN:
                raise InvalidInput(f"{kind.value} has no field {name!r} to filter on")
            spec = specs[name]
            if spec.storage == "json":
                raise InvalidInput(f"cannot filter {kind.value} on the list field {name!r}")
            values = value if isinstance(value, list | tuple | set) else [value]
            stmt = stmt.where(t.c[name].in_([_db_value(spec, v) for v in values]))
        if query.codes is not None:
            stmt = stmt.where(t.c.code.in_(list(query.codes)))
        if query.date_from is not None:
            stmt = stmt.where(t.c.date_of_information >= query.date_from)
        if query.date_to is not None:
            stmt = stmt.where(t.c.date_of_information <= query.date_to)
        has_geometry = record_type(kind).geometry_type is not None
        if (query.bbox or query.near) and not has_geometry:
            raise InvalidInput(f"{kind.value} has no geometry to search by place")
        if query.bbox is not None:
            stmt = stmt.where(self._bbox_clause(t, query.bbox))
        if query.near is not None:
            lon, lat, metres = query.near
            stmt = stmt.where(self._bbox_clause(t, degree_envelope(lon, lat, metres)))
            exact = self._near_clause(t, lon, lat, metres)
            if exact is not None:
                stmt = stmt.where(exact)
        return stmt.order_by(t.c.code), t

    def _needs_python_distance(self, query: ItemQuery) -> bool:
        if query.near is None:
            return False
        t = item_table(self.dialect, Kind(query.kind))
        return self._near_clause(t, *query.near) is None

    def _fetch(
        self, query: ItemQuery
    ) -> tuple[list[str], list[tuple[Any, ...]], np.ndarray | None]:
        stmt, _ = self._filtered(query)
        python_distance = self._needs_python_distance(query)
        if not python_distance:
            stmt = stmt.offset(query.offset)
            if query.limit is not None:
                stmt = stmt.limit(query.limit)
        with self._connection() as conn:
            result = conn.execute(stmt)
            keys = list(result.keys())
            rows = [tuple(r) for r in result]
        geoms: np.ndarray | None = None
        if GEOMETRY_COLUMN in keys:
            gi = keys.index(GEOMETRY_COLUMN)
            geoms = self._decode_geometries([r[gi] for r in rows])
        if python_distance and query.near is not None and geoms is not None:
            keep = np.flatnonzero(within_geodesic_distance(geoms, *query.near))
            end = None if query.limit is None else query.offset + query.limit
            keep = keep[query.offset : end]
            rows = [rows[i] for i in keep]
            geoms = geoms[keep]
        return keys, rows, geoms

    def query_items(self, query: ItemQuery) -> list[Record]:
        keys, rows, geoms = self._fetch(query)
        return self._records(Kind(query.kind), keys, rows, geoms)

    def query_items_counted(self, query: ItemQuery) -> tuple[list[Record], int]:
        """One statement returns the page and, through ``count(*) OVER ()``, the total: one
        round trip instead of two on the hot path of paged APIs."""
        if self._needs_python_distance(query):
            return super().query_items_counted(query)
        stmt, _ = self._filtered(query)
        stmt = stmt.add_columns(sa.func.count().over().label("_matched")).offset(query.offset)
        if query.limit is not None:
            stmt = stmt.limit(query.limit)
        with self._connection() as conn:
            result = conn.execute(stmt)
            keys = list(result.keys())[:-1]
            rows = [tuple(r) for r in result]
        if not rows:  # past the end (or nothing matches): the window saw no rows to count
            return [], self.count_items(query) if query.offset else 0
        matched = int(rows[0][-1])
        rows = [r[:-1] for r in rows]
        geoms = None
        if GEOMETRY_COLUMN in keys:
            gi = keys.index(GEOMETRY_COLUMN)
            geoms = self._decode_geometries([r[gi] for r in rows])
        return self._records(Kind(query.kind), keys, rows, geoms), matched

    def _records(
        self, kind: Kind, keys: list[str], rows: list[tuple[Any, ...]], geoms: np.ndarray | None
    ) -> list[Record]:
        out = []
        for i, row in enumerate(rows):
            values = {
                k: v
                for k, v in zip(keys, row, strict=True)
                if k != GEOMETRY_COLUMN and v is not None
            }
            if geoms is not None:
                values["geometry"] = geoms[i]
            out.append(build_record(kind, values))
        return out

    def count_items(self, query: ItemQuery) -> int:
        if self._needs_python_distance(query):
            return len(self._fetch(ItemQuery(**{**query.__dict__, "limit": None, "offset": 0}))[1])
        stmt, _ = self._filtered(ItemQuery(**{**query.__dict__, "limit": None, "offset": 0}))
        with self._connection() as conn:
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar_one()
            )

    def item_counts(self, kind: Kind) -> dict[str, int]:
        t = item_table(self.dialect, Kind(kind))
        status = t.c.status if "status" in t.c else sa.literal("")
        counts: Counter[str] = Counter()
        with self._connection() as conn:
            stmt = sa.select(status, sa.func.count()).select_from(t).group_by(status)
            for value, count in conn.execute(stmt):
                counts[value or ""] += count
        return dict(counts)

    def report_counts(self) -> dict[tuple[str, str], int]:
        r = report_table(self.dialect)
        stmt = sa.select(r.c.kind, r.c.state, sa.func.count()).group_by(r.c.kind, r.c.state)
        with self._connection() as conn:
            return {(kind, state): int(count) for kind, state, count in conn.execute(stmt)}

    def items_frame(self, query: ItemQuery) -> gpd.GeoDataFrame:
        keys, rows, geoms = self._fetch(query)
        names = [k for k in keys if k != GEOMETRY_COLUMN]
        idx = [keys.index(k) for k in names]
        frame = pd.DataFrame([[row[i] for i in idx] for row in rows], columns=names)
        geometry = geoms if geoms is not None else np.full(len(rows), None, dtype=object)
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=4326), crs=4326)

    def get_item(self, kind: Kind, ref: str | uuid.UUID) -> Record:
        t = item_table(self.dialect, Kind(kind))
        by_id = isinstance(ref, uuid.UUID) or _looks_like_uuid(ref)
        clause = t.c.id == str(ref) if by_id else t.c.code == ref
        stmt = self._item_select(t, Kind(kind)).where(clause)
        with self._connection() as conn:
            result = conn.execute(stmt)
            keys = list(result.keys())
            row = result.first()
        if row is None:
            raise NotFound(f"no {Kind(kind).value} {ref}")
        values = {
            k: v for k, v in zip(keys, row, strict=True) if k != GEOMETRY_COLUMN and v is not None
        }
        if GEOMETRY_COLUMN in keys:
            values["geometry"] = self._decode_geometries([row[keys.index(GEOMETRY_COLUMN)]])[0]
        return build_record(Kind(kind), values)


def _looks_like_uuid(ref: str | uuid.UUID) -> bool:
    try:
        uuid.UUID(str(ref))
    except ValueError:
        return False
    return True
