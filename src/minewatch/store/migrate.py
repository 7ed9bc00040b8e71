"""Schema migrations with Alembic, run programmatically on a store's connection."""

from __future__ import annotations

from importlib import resources

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("minewatch.store") / "migrations")
    )
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: sa.Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Bring the database at ``engine`` up to ``revision`` (idempotent)."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)
        if connection.dialect.name == "postgresql":
            narrow_append_only_grants(connection)


#: Tables whose rows no role but the owner may change or remove (the triggers refuse it
#: too; the grant keeps the application role from even trying).
APPEND_ONLY = ("audit_log",)


def narrow_append_only_grants(connection: sa.Connection) -> None:
    """Take UPDATE, DELETE and TRUNCATE on the append-only tables from every role granted
    them, such as the application role through the owner's default privileges (see
    :mod:`minewatch.store.roles`): a table a migration creates would otherwise be open."""
    for table in APPEND_ONLY:
        grantees = connection.execute(
            sa.text(
                "SELECT DISTINCT grantee FROM information_schema.role_table_grants "
                "WHERE table_schema = current_schema() AND table_name = :t "
                "AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE') "
                "AND grantee <> current_user"
            ),
            {"t": table},
        ).scalars()
        for grantee in grantees:
            who = "PUBLIC" if grantee == "PUBLIC" else f'"{grantee}"'
            connection.exec_driver_sql(f'REVOKE UPDATE, DELETE, TRUNCATE ON "{table}" FROM {who}')
