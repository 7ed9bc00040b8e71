"""Pulls from KoboToolbox and ODK Central servers: where each source's last pull stopped
(the server's own timestamp, so the next pull asks only for what came or changed since) and
the version (``meta/instanceID``) of each submission it landed, so that an edit made on the
server lands once, as a report updating the same item. See :mod:`minewatch.store.pull_state`.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intake_pull",
        sa.Column("source", sa.Text(), primary_key=True),
        sa.Column("server", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("watermark", sa.Text()),
        sa.Column("pulled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pulled_by", sa.Text(), nullable=False),
        sa.Column("submissions", sa.Integer(), nullable=False),
    )
    op.create_table(
        "intake_pull_version",
        sa.Column("source", sa.Text(), primary_key=True),
        sa.Column("instance_id", sa.Text(), primary_key=True),
        sa.Column("version", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("intake_pull_version")
    op.drop_table("intake_pull")
