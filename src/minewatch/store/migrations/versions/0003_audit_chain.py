"""The audit log becomes a hash chain that cannot be rewritten, even by REPLACE.

Each entry gains its position in the chain (``seq``), the previous entry's hash and its own
(see :mod:`minewatch.store.audit_chain`); existing entries are chained in the order they
were written. The database then refuses any entry that does not follow the last one, so no
writer can fork the chain, and in SQLite any insert over an existing entry: ``REPLACE`` and
``INSERT OR REPLACE`` delete the old row without firing a DELETE trigger (unless the
connection turned on ``recursive_triggers``), which is how revision 0002's triggers were
bypassed. Upserts still meet the UPDATE trigger.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

from minewatch.store.audit_chain import GENESIS, entry_hash
from minewatch.store.tables import JsonText

JSON_TYPE = JsonText().with_variant(JSONB(), "postgresql")
CHAIN_BROKEN = "audit_log is append-only: an entry must follow the last one in the chain"
EXISTS = "audit_log is append-only: an entry cannot be replaced"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
        WHEN NEW.fid IN (SELECT fid FROM audit_log)
          OR NEW.seq IN (SELECT seq FROM audit_log)
        BEGIN SELECT RAISE(ABORT, '{EXISTS}'); END""",
    f"""CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
        WHEN NEW.entry_hash IS NULL
          OR NEW.seq IS NOT coalesce((SELECT max(seq) FROM audit_log), 0) + 1
          OR NEW.prev_hash IS NOT coalesce(
               (SELECT entry_hash FROM audit_log WHERE seq IS NOT NULL
                ORDER BY seq DESC LIMIT 1), '{GENESIS}')
        BEGIN SELECT RAISE(ABORT, '{CHAIN_BROKEN}'); END""",
]

# The function reads the log through a fixed search_path (this schema, then the catalogue,
# temporary tables last), so a caller's own ``audit_log`` cannot stand in for the real one.
POSTGRES_TRIGGERS = [
    f"""CREATE FUNCTION audit_log_chain_check() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE last_seq bigint; last_hash text;
        BEGIN
          SELECT seq, entry_hash INTO last_seq, last_hash FROM audit_log
           WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
          IF NEW.entry_hash IS NULL
             OR NEW.seq IS DISTINCT FROM coalesce(last_seq, 0) + 1
             OR NEW.prev_hash IS DISTINCT FROM coalesce(last_hash, '{GENESIS}') THEN
            RAISE EXCEPTION '{CHAIN_BROKEN}';
          END IF;
          RETURN NEW;
        END $$""",
    """DO $$ BEGIN EXECUTE format(
         'ALTER FUNCTION audit_log_chain_check() SET search_path = %I, pg_catalog, pg_temp',
         current_schema()); END $$""",
    """CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
       FOR EACH ROW EXECUTE FUNCTION audit_log_chain_check()""",
]


def _chain_existing_entries(conn: sa.Connection) -> None:
    log = sa.table(
        "audit_log",
        sa.column("fid", sa.Integer()),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("actor", sa.Text()),
        sa.column("action", sa.Text()),
        sa.column("target", sa.Text()),
        sa.column("detail", JSON_TYPE),
        sa.column("seq", sa.Integer()),
        sa.column("prev_hash", sa.Text()),
        sa.column("entry_hash", sa.Text()),
    )
    rows = conn.execute(
        sa.select(log.c.fid, log.c.at, log.c.actor, log.c.action, log.c.target, log.c.detail)
        .order_by(log.c.fid)
    ).all()
    prev, values = GENESIS, []
    for seq, (fid, at, actor, action, target, detail) in enumerate(rows, start=1):
        digest = entry_hash(seq, at, actor, action, target, detail, prev)
        values.append({"b_fid": fid, "seq": seq, "prev_hash": prev, "entry_hash": digest})
        prev = digest
    if values:
        conn.execute(
            sa.update(log).where(log.c.fid == sa.bindparam("b_fid")).values(
                seq=sa.bindparam("seq"),
                prev_hash=sa.bindparam("prev_hash"),
                entry_hash=sa.bindparam("entry_hash"),
            ),
            values,
        )


def upgrade() -> None:
    conn = op.get_bind()
    postgres = conn.dialect.name == "postgresql"
    op.add_column("audit_log", sa.Column("seq", sa.Integer()))
    op.add_column("audit_log", sa.Column("prev_hash", sa.Text()))
    op.add_column("audit_log", sa.Column("entry_hash", sa.Text()))
    # Revision 0002's triggers refuse the updates that chain the existing entries.
    if postgres:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
    else:
        op.execute("DROP TRIGGER audit_log_no_update")
    _chain_existing_entries(conn)
    if postgres:
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change")
    else:
        op.execute(
            """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
               BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"""
        )
    op.create_index("ix_audit_log_seq", "audit_log", ["seq"], unique=True)
    for sql in POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS:
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_chain ON audit_log")
        op.execute("DROP FUNCTION audit_log_chain_check()")
    else:
        op.execute("DROP TRIGGER audit_log_chain")
        op.execute("DROP TRIGGER audit_log_no_replace")
    op.drop_index("ix_audit_log_seq", "audit_log")
    for column in ("entry_hash", "prev_hash", "seq"):
        op.drop_column("audit_log", column)
