"""Accreditation, task orders and victim assistance (issue 18): a table for each of the
three new kinds (task orders are a layer, with their outline), and a land release
activity's task order.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from minewatch.store.tables import JsonText

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

JSON_TYPE = JsonText().with_variant(JSONB(), "postgresql")

#: The tables this revision adds, with their geometry type (None: an attribute table).
LAYERS = [("accreditation", None), ("task_order", "MULTIPOLYGON"), ("victim_assistance", None)]


def _geometry(dialect: str, geometry_type: str) -> sa.types.TypeEngine:
    if dialect == "postgresql":
        from geoalchemy2 import Geometry

        return Geometry(geometry_type, srid=4326, spatial_index=False)
    return sa.LargeBinary()


def _item(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("fid", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.Text(), nullable=False, unique=True),
        sa.Column("code", sa.Text(), nullable=False, unique=True),
        sa.Column("version", sa.Integer()),
        sa.Column("date_of_information", sa.Date()),
        sa.Column("external_id", sa.Text()),
        sa.Column("extra", JSON_TYPE),
        *columns,
    )
    op.create_index(f"ix_{name}_external_id", name, ["external_id"])


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    _item(
        "accreditation",
        sa.Column("organisation_code", sa.Text()),
        sa.Column("methods", JSON_TYPE),
        sa.Column("asset_types", JSON_TYPE),
        sa.Column("valid_from", sa.Date()),
        sa.Column("valid_until", sa.Date()),
        sa.Column("certificate_reference", sa.Text()),
        sa.Column("issuing_authority_code", sa.Text()),
        sa.Column("status", sa.Text()),
        sa.Column("conditions", sa.Text()),
    )
    _item(
        "task_order",
        sa.Column("name", sa.Text()),
        sa.Column("organisation_code", sa.Text()),
        sa.Column("authority_code", sa.Text()),
        sa.Column("hazardous_area_codes", JSON_TYPE),
        sa.Column("activity_type", sa.Text()),
        sa.Column("method", sa.Text()),
        sa.Column("priority_rank", sa.Integer()),
        sa.Column("priority_score", sa.Float()),
        sa.Column("priority_scenario", sa.Text()),
        sa.Column("issue_date", sa.Date()),
        sa.Column("start_date", sa.Date()),
        sa.Column("due_date", sa.Date()),
        sa.Column("status", sa.Text()),
        sa.Column("status_date", sa.Date()),
        sa.Column("status_reason", sa.Text()),
        sa.Column("released_m2", sa.Float()),
        sa.Column("remaining_m2", sa.Float()),
        sa.Column("description", sa.Text()),
        sa.Column("geom", _geometry(dialect, "MULTIPOLYGON")),
    )
    _item(
        "victim_assistance",
        sa.Column("victim_code", sa.Text()),
        sa.Column("organisation_code", sa.Text()),
        sa.Column("services", JSON_TYPE),
        sa.Column("household", JSON_TYPE),
        sa.Column("follow_up_status", sa.Text()),
        sa.Column("last_contact_date", sa.Date()),
        sa.Column("next_follow_up_date", sa.Date()),
        sa.Column("follow_up_notes", sa.Text()),
    )
    op.add_column("land_release_activity", sa.Column("task_order_code", sa.Text()))
    if dialect == "postgresql":
        op.execute("CREATE INDEX ix_task_order_geom ON task_order USING gist (geom)")
    else:
        from minewatch.store import gpkg

        for table, geometry_type in LAYERS:
            for sql, params in gpkg.layer_statements(table, geometry_type, table.replace("_", " ")):
                bind.exec_driver_sql(sql, params)


def downgrade() -> None:
    with op.batch_alter_table("land_release_activity") as batch:
        batch.drop_column("task_order_code")
    bind = op.get_bind()
    for table, geometry_type in LAYERS[::-1]:
        if bind.dialect.name == "sqlite":
            bind.exec_driver_sql("DELETE FROM gpkg_contents WHERE table_name = ?", (table,))
            if geometry_type:
                bind.exec_driver_sql(
                    "DELETE FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
                )
                bind.exec_driver_sql("DELETE FROM gpkg_extensions WHERE table_name = ?", (table,))
                bind.exec_driver_sql(f'DROP TABLE IF EXISTS "rtree_{table}_geom"')
        op.drop_table(table)
