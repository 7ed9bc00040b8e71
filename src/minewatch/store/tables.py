"""The relational layout, derived from the domain's field specifications.

One table per kind of item (named as the kind, e.g. ``hazardous_area``) holding its current
state, with a geometry column ``geom`` where the kind has a geometry; one ``report`` table;
one ``code_sequence`` table. The same :class:`sqlalchemy.MetaData` serves both backends:
only the geometry column's type differs (GeoPackage binary in SQLite, PostGIS geometry).

Migrations (``store/migrations``) freeze the layout at each version; a test checks that the
migrated database matches what this module derives, so a field added to the domain without
a migration fails the suite.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from minewatch.domain.records import RECORD_TYPES, Kind, record_type
from minewatch.domain.schema import FieldSpec, field_specs

GEOMETRY_COLUMN = "geom"
SRID = 4326


class JsonText(sa.types.TypeDecorator[Any]):
    """JSON kept as TEXT: GeoPackage allows only its own column type names, JSON not among them."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Any:
        return None if value is None else json.loads(value)


JsonType = JsonText().with_variant(JSONB(), "postgresql")


def _column_type(spec: FieldSpec) -> Any:
    return {
        "text": sa.Text(),
        "integer": sa.Integer(),
        "real": sa.Float(),
        "boolean": sa.Boolean(),
        "date": sa.Date(),
        "datetime": sa.DateTime(timezone=True),
        "json": JsonType,
    }[spec.storage]


def geometry_column_type(dialect: str, geometry_type: str) -> Any:
    """The geometry column's type: PostGIS ``geometry(<type>, 4326)`` or a GeoPackage blob."""
    if dialect == "postgresql":
        from geoalchemy2 import Geometry

        return Geometry(geometry_type, srid=SRID, spatial_index=False)
    from minewatch.store.gpkg import GeometryBlob

    return GeometryBlob(geometry_type)


def item_columns(kind: Kind) -> list[tuple[str, FieldSpec]]:
    """The non-geometry columns of a kind's table, in order, with their specs."""
    return [(n, s) for n, s in field_specs(kind).items() if s.storage != "geometry"]


def _item_table(metadata: sa.MetaData, kind: Kind, dialect: str) -> sa.Table:
    cols: list[sa.Column[Any]] = [
        sa.Column("fid", sa.Integer, primary_key=True, autoincrement=True)
    ]
    for name, spec in item_columns(kind):
        if name == "id":
            cols.append(sa.Column("id", sa.Text, nullable=False, unique=True))
        elif name == "code":
            cols.append(sa.Column("code", sa.Text, nullable=False, unique=True))
        else:
            cols.append(sa.Column(name, _column_type(spec)))
    geometry_type = record_type(kind).geometry_type
    if geometry_type:
        cols.append(sa.Column(GEOMETRY_COLUMN, geometry_column_type(dialect, geometry_type)))
    table = sa.Table(kind.value, metadata, *cols)
    sa.Index(f"ix_{kind.value}_external_id", table.c.external_id)
    return table


def _report_table(metadata: sa.MetaData) -> sa.Table:
    table = sa.Table(
        "report",
        metadata,
        sa.Column("fid", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text, nullable=False, unique=True),
        sa.Column("code", sa.Text, nullable=False, unique=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("item_id", sa.Text, nullable=False),
        sa.Column("item_code", sa.Text),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("date_of_information", sa.Date, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("organisation_code", sa.Text),
        sa.Column("created_by", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("decided_by", sa.Text),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decision_reason", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("external_id", sa.Text),
        sa.Column("notes", JsonType),
        sa.Column("changes", JsonType, nullable=False),
        sa.Column("geometry_wkb", sa.LargeBinary),
    )
    sa.Index("ix_report_item", table.c.item_id)
    sa.Index("ix_report_state", table.c.state)
    sa.Index("ix_report_external_id", table.c.kind, table.c.external_id)
    return table


@functools.cache
def metadata_for(dialect: str) -> sa.MetaData:
    """All minewatch tables for a dialect name (``sqlite`` or ``postgresql``)."""
    metadata = sa.MetaData()
    for kind in RECORD_TYPES:
        _item_table(metadata, kind, dialect)
    _report_table(metadata)
    sa.Table(
        "code_sequence",
        metadata,
        sa.Column("prefix", sa.Text, primary_key=True),
        sa.Column("last_value", sa.Integer, nullable=False),
    )
    _account_tables(metadata)
    _pull_tables(metadata)
    return metadata


def _pull_tables(metadata: sa.MetaData) -> None:
    """Where each pull from a KoboToolbox or ODK Central server stopped, and the version of
    each submission it landed (revision 0010, store/pull_state.py). No credentials: they are
    configuration, read when a pull runs."""
    sa.Table(
        "intake_pull",
        metadata,
        sa.Column("source", sa.Text, primary_key=True),
        sa.Column("server", sa.Text, nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("watermark", sa.Text),
        sa.Column("pulled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pulled_by", sa.Text, nullable=False),
        sa.Column("submissions", sa.Integer, nullable=False),
    )
    sa.Table(
        "intake_pull_version",
        metadata,
        sa.Column("source", sa.Text, primary_key=True),
        sa.Column("instance_id", sa.Text, primary_key=True),
        sa.Column("version", sa.Text, nullable=False),
    )


def _account_tables(metadata: sa.MetaData) -> None:
    """Users, API tokens, browser sessions and the append-only audit log (revisions 0002
    and 0003).

    Secrets are never stored: passwords as argon2 hashes, tokens and session ids as SHA-256
    digests. None of these tables is registered as a GeoPackage layer, so QGIS does not list
    them."""
    when = sa.DateTime(timezone=True)
    sa.Table(
        "app_user",
        metadata,
        sa.Column("fid", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.Text, nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("organisation_code", sa.Text),
        sa.Column("personal_data", sa.Boolean, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.Column("language", sa.Text),
    )
    sa.Table(
        "api_token",
        metadata,
        sa.Column("fid", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token_hash", sa.Text, nullable=False, unique=True),
        sa.Column("username", sa.Text, nullable=False),
        sa.Column("label", sa.Text),
        sa.Column("created_at", when, nullable=False),
        sa.Column("expires_at", when),
        sa.Column("revoked_at", when),
    )
    sa.Table(
        "user_session",
        metadata,
        sa.Column("fid", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_hash", sa.Text, nullable=False, unique=True),
        sa.Column("username", sa.Text, nullable=False),
        sa.Column("csrf_token", sa.Text, nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.Column("expires_at", when, nullable=False),
    )
    audit = sa.Table(
        "audit_log",
        metadata,
        sa.Column("fid", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", when, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("target", sa.Text),
        sa.Column("detail", JsonType),
        # The hash chain (revision 0003, see store/audit_chain.py).
        sa.Column("seq", sa.Integer),
        sa.Column("prev_hash", sa.Text),
        sa.Column("entry_hash", sa.Text),
    )
    sa.Index("ix_audit_log_target", audit.c.target)
    sa.Index("ix_audit_log_seq", audit.c.seq, unique=True)
    # Login attempts per account or client address (revision 0004, store/throttle.py).
    throttle = sa.Table(
        "login_throttle",
        metadata,
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("window_start", sa.Float, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
    )
    sa.Index("ix_login_throttle_window_start", throttle.c.window_start)


def item_table(dialect: str, kind: Kind) -> sa.Table:
    return metadata_for(dialect).tables[Kind(kind).value]


def report_table(dialect: str) -> sa.Table:
    return metadata_for(dialect).tables["report"]


def sequence_table(dialect: str) -> sa.Table:
    return metadata_for(dialect).tables["code_sequence"]


def account_table(dialect: str, name: str) -> sa.Table:
    """One of ``app_user``, ``api_token``, ``user_session``, ``audit_log``,
    ``login_throttle``, ``intake_pull``, ``intake_pull_version``."""
    return metadata_for(dialect).tables[name]
