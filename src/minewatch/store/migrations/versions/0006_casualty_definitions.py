"""Casualties by the Landmine Monitor's definitions: a victim's disability (yes, no or not
recorded) and an accident's device type (the Monitor's casualty device types).

Existing rows keep their values; the new columns are empty (not recorded), which the
casualty figures count as unknown. (Victim types and outcomes gained ``unknown`` and the
Monitor's categories as codes only: those columns are text and need no change.)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("victim", sa.Column("disability", sa.Boolean()))
    op.add_column("accident", sa.Column("device_type", sa.Text()))


def downgrade() -> None:
    with op.batch_alter_table("accident") as batch:
        batch.drop_column("device_type")
    with op.batch_alter_table("victim") as batch:
        batch.drop_column("disability")
