"""Every item keeps ``extra``: what a migrated source row held beyond the fields it mapped to
(``minewatch migrate run``), as JSON (TEXT in the GeoPackage, JSONB in PostGIS).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from minewatch.store.tables import JsonText

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

JSON_TYPE = JsonText().with_variant(JSONB(), "postgresql")

#: The item tables as of this revision.
ITEM_TABLES = [
    "organisation",
    "location",
    "hazardous_area",
    "land_release_activity",
    "release_product",
    "device_find",
    "accident",
    "victim",
    "risk_education_session",
    "quality_management_visit",
    "scatterable_strike",
]


def upgrade() -> None:
    for table in ITEM_TABLES:
        op.add_column(table, sa.Column("extra", JSON_TYPE, nullable=True))


def downgrade() -> None:
    for table in ITEM_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("extra")
