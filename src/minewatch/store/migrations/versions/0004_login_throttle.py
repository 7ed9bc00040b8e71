"""Login attempts counted in the store, so every server process shares one budget.

One row per throttled key (an account or a client address): when its window began and how
many attempts it has seen since. See :mod:`minewatch.store.throttle`.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("window_start", sa.Float(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
    )
    op.create_index("ix_login_throttle_window_start", "login_throttle", ["window_start"])


def downgrade() -> None:
    op.drop_table("login_throttle")
