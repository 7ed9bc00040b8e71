"""Beneficiaries by the sector's standard: a risk education session's indirect
beneficiaries (the same sex, age and disability grid as its direct ones). The disability
counts of the grid are keys inside the existing JSON columns and need no change.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from minewatch.store.tables import JsonText

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

JSON_TYPE = JsonText().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("risk_education_session", sa.Column("indirect_beneficiaries", JSON_TYPE))


def downgrade() -> None:
    with op.batch_alter_table("risk_education_session") as batch:
        batch.drop_column("indirect_beneficiaries")
