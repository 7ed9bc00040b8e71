"""The initial layout: one table per kind of item, reports and code sequences.

This file is a frozen snapshot of the layout of minewatch 0.1; later changes go in new
revisions. In SQLite it also makes the file a GeoPackage (core tables, each item table a
layer with its R-tree), so QGIS and GDAL open it directly.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

from minewatch.store.tables import JsonText

JSON_TYPE = JsonText().with_variant(JSONB(), "postgresql")

#: (table, geometry type or None for an attribute table), as of this revision.
LAYERS = [
    ("organisation", None),
    ("location", "MULTIPOLYGON"),
    ("hazardous_area", "MULTIPOLYGON"),
    ("land_release_activity", "MULTIPOLYGON"),
    ("release_product", "MULTIPOLYGON"),
    ("device_find", "POINT"),
    ("accident", "POINT"),
    ("victim", None),
    ("risk_education_session", "POINT"),
    ("quality_management_visit", "POINT"),
    ("scatterable_strike", "POLYGON"),
]


def _geometry(dialect: str, geometry_type: str) -> sa.types.TypeEngine:
    if dialect == "postgresql":
        from geoalchemy2 import Geometry

        return Geometry(geometry_type, srid=4326, spatial_index=False)
    return sa.LargeBinary()


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    op.create_table(
        "accident",
        sa.Column("fid", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text(), nullable=False, unique=True),
        sa.Column("code", sa.Text(), nullable=False, unique=True),
        sa.Column("version", sa.Integer()),
        sa.Column("date_of_information", sa.Date()),
        sa.Column("external_id", sa.Text()),
        sa.Column("accident_date", sa.Date()),
        sa.Column("device_category", sa.Text()),
        sa.Column("hazardous_area_code", sa.Text()),
        sa.Column("location_code", sa.Text()),
        sa.Column("during_demining", sa.Boolean()),
        sa.Column("description", sa.Text()),
        sa.Column("geom", _geometry(dialect, "POINT")),
    )
    op.create_index("ix_accident_external_id", "accident", ["external_id"])
    op.create_table(
        "code_sequence",
        sa.Column("prefix", sa.Text(), primary_key=True),
        sa.Column("last_value", sa.Integer(), nullable=False),
    )
    op.create_table(
        "device_find",
        sa.Column("fid", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text(), nullable=False, unique=True),
        sa.Column("code", sa.Text(), nullable=False, unique=True),
        sa.Column("version", sa.Integer()),
        sa.Column("date_of_information", sa.Date()),
        sa.Column("external_id", sa.Text()),
        sa.Column("category", sa.Text()),
        sa.Column("model", sa.Text()),
        sa.Column("quantity", sa.Integer()),
        sa.Column("depth_cm", sa.Float()),
        sa.Column("condition", sa.Text()),
        sa.Column("disposal", sa.Text()),
        sa.Column("hazardous_area_code", sa.Text()),
        sa.Column("activity_code", sa.Text()),
        sa.Column("found_date", sa.Date()),
        sa.Column("geom", _geometry(dialect, "POINT")),
    )
    op.create_index("ix_device_find_external_id", "device_find", ["external_id"])
    op.create_table(
        "hazardous_area",
        sa.Column("fid", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text(), nullable=False, unique=True),
        sa.Column("code", sa.Text(), nullable=False, unique=True),
        sa.Column("version", sa.Integer()),
        sa.Column("date_of_information", sa.Date()),
        sa.Column("external_id", sa.Text()),
        sa.Column("name", sa.Text()),
        sa.Column("classification", sa.Text()),
        sa.Column("status", sa.Text()),
        sa.Column("hazard_types", JSON_TYPE),
        sa.Column("location_code", sa.Text()),
        sa.Column("organisation_code", sa.Text()),
        sa.Column("evidence", JSON_TYPE),
        sa.Column("blockages", JSON_TYPE),
        sa.Column("beneficiaries", JSON_TYPE),
        sa.Column("reported_area_m2", sa.Float()),
        sa.Column("residual_risk", sa.Float()),
        sa.Column("strike_code", sa.Text()),
        sa.Column("description", sa.Text()),
        sa.Column("geom", _geometry(dialect, "MULTIPOLYGON")),
    )
    op.create_index("ix_hazardous_area_external_id", "hazardous_area", ["external_id"])
    op.create_table(
        "land_release_activity",
        sa.Column("fid", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text(), nullable=False, unique=True),
        sa.Column("code", sa.Text(), nullable=False, unique=True),
        sa.Column("version", sa.Integer()),
        sa.Column("date_of_information", sa.Date()),
        sa.Column("external_id", sa.Text()),
        sa.Column("activity_type", sa.Text()),
        sa.Column("method", sa.Text()),
        sa.Column("hazardous_area_code", sa.Text()),
        sa.Column("organisation_code", sa.Text()),
        sa.Column("start_date", sa.Date()),
        sa.Column("end_date", sa.Date()),
        sa.Column("description", sa.Text()),
        sa.Column("geom", _geometry(dialect, "MULTIPOLYGON")),
    )
    op.create_index(
        "ix_land_release_activity_external_id", "land_release_activity", ["external_id"]
    )
    op.create_table(
        "location",
        sa.Column("fid", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text(), nullable=False, unique=True),
        sa.Column("code", sa.Text(), nullable=False, unique=True),
        sa.Column("version", sa.Integer()),
        sa.Column("date_of_information", sa.Date()),
        sa.Column("external_id", sa.Text()),
        sa.Column("name", sa.Text()),
        sa.Column("level", sa.Text()),
        sa.Column("parent_code", sa.Text()),
        sa.Column("pcode", sa.Text()),
        sa.Column("geom", _geometry(dialect, "MULTIPOLYGON")),
    )
    op.create_index("ix_location_external_id", "location", ["external_id"])
    op.create_table(
        "organisation",
        sa.Column("fid", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text(), nullable=False, unique=True),
        sa.Column("code", sa.Text(), nullable=False, unique=True),
        sa.Column("version", sa.Integer()),
        sa.Column("date_of_information", sa.Date()),
        sa.Column("external_id", sa.Text()),
        sa.Column("name", sa.Text()),
        sa.Column("acronym", sa.Text()),
        sa.Column("organisation_type", sa.Text()),
        sa.Column("country", sa.Text()),
    )
    op.create_index("ix_organisation_external_id", "organisation", ["external_id"])
    op.create_table(
        "quality_management_visit",
        sa.Column("fid", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text(), nullable=False, unique=True),
        sa.Column("code", sa.Text(), nullable=False, unique=True),
        sa.Column("version", sa.Integer()),
        sa.Column("date_of_information", sa.Date()),
        sa.Column("external_id", sa.Text()),
        sa.Column("visit_date", sa.Date()),
        sa.Column("visit_type", sa.Text()),
        sa.Column("organisation_code", sa.Text()),
        sa.Column("activity_code", sa.Text()),
        sa.Column("non_conformities", JSON_TYPE),
        sa.Column("geom", _geometry(dialect, "POINT")),
    )
    op.create_index(
        "ix_quality_management_visit_external_id", "quality_management_visit", ["external_id"]
    )
    op.create_table(
        "release_product",
        sa.Column("fid", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text(), nullable=False, unique=True),
        sa.Column("code", sa.Text(), nullable=False, unique=True),
        sa.Column("version", sa.Integer()),
        sa.Column("date_of_information", sa.Date()),
        sa.Column("external_id", sa.Text()),
        sa.Column("product_type", sa.Text()),
        sa.Column("activity_code", sa.Text()),
        sa.Column("hazardous_area_code", sa.Text()),
        sa.Column("organisation_code", sa.Text()),
        sa.Column("release_date", sa.Date()),
        sa.Column("reported_area_m2", sa.Float()),
        sa.Column("geom", _geometry(dialect, "MULTIPOLYGON")),
    )
    op.create_index("ix_release_product_external_id", "release_product", ["external_id"])
    op.create_table(
        "report",
        sa.Column("fid", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text(), nullable=False, unique=True),
        sa.Column("code", sa.Text(), nullable=False, unique=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("item_id", sa.Text(), nullable=False),
        sa.Column("item_code", sa.Text()),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("date_of_information", sa.Date(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("organisation_code", sa.Text()),
        sa.Column("created_by", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("decided_by", sa.Text()),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decision_reason", sa.Text()),
        sa.Column("source", sa.Text()),
        sa.Column("external_id", sa.Text()),
        sa.Column("notes", JSON_TYPE),
        sa.Column("changes", JSON_TYPE, nullable=False),
        sa.Column("geometry_wkb", sa.LargeBinary()),
    )
    op.create_index("ix_report_state", "report", ["state"])
    op.create_index("ix_report_item", "report", ["item_id"])
    op.create_index("ix_report_external_id", "report", ["kind", "external_id"])
    op.create_table(
        "risk_education_session",
        sa.Column("fid", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text(), nullable=False, unique=True),
        sa.Column("code", sa.Text(), nullable=False, unique=True),
        sa.Column("version", sa.Integer()),
        sa.Column("date_of_information", sa.Date()),
        sa.Column("external_id", sa.Text()),
        sa.Column("session_date", sa.Date()),
        sa.Column("organisation_code", sa.Text()),
        sa.Column("location_code", sa.Text()),
        sa.Column("method", sa.Text()),
        sa.Column("beneficiaries", JSON_TYPE),
        sa.Column("geom", _geometry(dialect, "POINT")),
    )
    op.create_index(
        "ix_risk_education_session_external_id", "risk_education_session", ["external_id"]
    )
    op.create_table(
        "scatterable_strike",
        sa.Column("fid", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text(), nullable=False, unique=True),
        sa.Column("code", sa.Text(), nullable=False, unique=True),
        sa.Column("version", sa.Integer()),
        sa.Column("date_of_information", sa.Date()),
        sa.Column("external_id", sa.Text()),
        sa.Column("mine_type", sa.Text()),
        sa.Column("mine_count", sa.Integer()),
        sa.Column("laid_at", sa.DateTime(timezone=True)),
        sa.Column("self_destruct_period_hours", sa.Float()),
        sa.Column("delivery_system", sa.Text()),
        sa.Column("hazardous_area_code", sa.Text()),
        sa.Column("geom", _geometry(dialect, "POLYGON")),
    )
    op.create_index("ix_scatterable_strike_external_id", "scatterable_strike", ["external_id"])
    op.create_table(
        "victim",
        sa.Column("fid", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text(), nullable=False, unique=True),
        sa.Column("code", sa.Text(), nullable=False, unique=True),
        sa.Column("version", sa.Integer()),
        sa.Column("date_of_information", sa.Date()),
        sa.Column("external_id", sa.Text()),
        sa.Column("accident_code", sa.Text()),
        sa.Column("victim_type", sa.Text()),
        sa.Column("sex", sa.Text()),
        sa.Column("age", sa.Integer()),
        sa.Column("outcome", sa.Text()),
        sa.Column("activity_at_time", sa.Text()),
        sa.Column("name", sa.Text()),
        sa.Column("contact", sa.Text()),
        sa.Column("medical_details", sa.Text()),
    )
    op.create_index("ix_victim_external_id", "victim", ["external_id"])
    if dialect == "postgresql":
        for table, geometry_type in LAYERS:
            if geometry_type:
                op.execute(f"CREATE INDEX ix_{table}_geom ON {table} USING gist (geom)")
    else:
        from minewatch.store import gpkg

        for sql, params in gpkg.core_statements():
            bind.exec_driver_sql(sql, params)
        for table, geometry_type in LAYERS + [("report", None), ("code_sequence", None)]:
            for sql, params in gpkg.layer_statements(table, geometry_type, table.replace("_", " ")):
                bind.exec_driver_sql(sql, params)


def downgrade() -> None:
    for table, _ in LAYERS[::-1]:
        op.drop_table(table)
    op.drop_table("report")
    op.drop_table("code_sequence")
