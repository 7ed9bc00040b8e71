"""PostgreSQL roles: an owner that runs migrations, and an application role that cannot
alter tables, switch triggers off or rewrite the audit log.

A superuser can disable any trigger (``ALTER TABLE … DISABLE TRIGGER``, or
``session_replication_role = replica``), and an owner can disable its own tables'; so the
server must connect as neither. :func:`create_roles`, run once as a superuser, makes

* the **owner** (``LOGIN``, no superuser): owns minewatch's tables and functions, has
  ``CREATE`` on the schema, and is the role ``minewatch init`` connects as;
* the **application role** (``LOGIN``, no superuser, owns nothing): reads and writes rows,
  may only ``SELECT`` and ``INSERT`` on ``audit_log``, and cannot ``ALTER``, ``DROP``,
  ``TRUNCATE`` or create anything in the schema. ``minewatch serve`` connects as it.

Tables that later migrations create (run as the owner) reach the application role through
default privileges, and every upgrade narrows the append-only tables' grants again
(:func:`minewatch.store.migrate.narrow_append_only_grants`). It is idempotent.

>>> create_roles("postgresql://postgres@db/minewatch", "minewatch_owner",
...              "minewatch_app")                                # doctest: +SKIP
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from minewatch.errors import InvalidInput, Location
from minewatch.store.migrate import APPEND_ONLY
from minewatch.store.postgis import engine_url
from minewatch.store.tables import metadata_for

#: minewatch's functions (trigger bodies), whose owner must be the owner role too.
FUNCTIONS = ("audit_log_append_only()", "audit_log_chain_check()")
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class RoleReport:
    """What :func:`create_roles` did: the schema it set up and the tables handed over."""

    schema: str
    created: list[str]
    tables: list[str]


def _check_name(name: str, field: str) -> str:
    if not _NAME.match(name):
        raise InvalidInput(
            "a role name is 1–63 lower-case letters, digits or _, not starting with a digit",
            Location(field=field),
        )
    return name


def create_roles(
    superuser_url: str,
    owner: str,
    app: str,
    *,
    owner_password: str | None = None,
    app_password: str | None = None,
) -> RoleReport:
    """Create (or bring up to date) the owner and application roles for the database and
    schema at ``superuser_url`` (the schema is the first of its ``search_path``), hand
    minewatch's existing tables to the owner and grant the application role what it needs.

    Passwords are set when given (None keeps the current one, e.g. for certificate or
    peer authentication)."""
    _check_name(owner, "owner")
    _check_name(app, "app")
    if owner == app:
        raise InvalidInput("the owner and the application role must differ", Location(field="app"))
    engine = sa.create_engine(engine_url(superuser_url))
    try:
        with engine.begin() as conn:
            return _create(conn, owner, app, owner_password, app_password)
    finally:
        engine.dispose()


def _create(
    conn: sa.Connection, owner: str, app: str, owner_pw: str | None, app_pw: str | None
) -> RoleReport:
    if not conn.exec_driver_sql(
        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
    ).scalar():
        raise InvalidInput("creating roles needs a superuser connection (e.g. postgres)")
    schema = str(conn.exec_driver_sql("SELECT current_schema()").scalar())
    database = str(conn.exec_driver_sql("SELECT current_database()").scalar())
    conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
    created = []
    for role, password in ((owner, owner_pw), (app, app_pw)):
        exists = conn.execute(
            sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
        ).scalar()
        if not exists:
            conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
            created.append(role)
        # Whatever the role was before, it gets no power beyond its grants.
        conn.exec_driver_sql(
            f'ALTER ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION '
            "NOBYPASSRLS NOINHERIT"
        )
        if password is not None:
            literal = password.replace("'", "''")
            conn.exec_driver_sql(f"ALTER ROLE \"{role}\" PASSWORD '{literal}'")
    q_schema, q_owner, q_app = f'"{schema}"', f'"{owner}"', f'"{app}"'
    conn.exec_driver_sql(f'GRANT CONNECT ON DATABASE "{database}" TO {q_owner}, {q_app}')
    conn.exec_driver_sql(f"GRANT USAGE, CREATE ON SCHEMA {q_schema} TO {q_owner}")
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {q_schema} TO {q_app}")
    conn.exec_driver_sql(f"REVOKE CREATE ON SCHEMA {q_schema} FROM {q_app}")
    tables = _our_tables(conn, schema)
    for table in tables:
        conn.exec_driver_sql(f'ALTER TABLE {q_schema}."{table}" OWNER TO {q_owner}')
    for function in FUNCTIONS:
        if conn.execute(
            sa.text("SELECT to_regprocedure(:f)"), {"f": f"{schema}.{function}"}
        ).scalar():
            conn.exec_driver_sql(f"ALTER FUNCTION {q_schema}.{function} OWNER TO {q_owner}")
    defaults = f"ALTER DEFAULT PRIVILEGES FOR ROLE {q_owner} IN SCHEMA {q_schema}"
    conn.exec_driver_sql(f"{defaults} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {q_app}")
    conn.exec_driver_sql(f"{defaults} GRANT USAGE, SELECT ON SEQUENCES TO {q_app}")
    for table in tables:
        name = f'{q_schema}."{table}"'
        if table in APPEND_ONLY:
            conn.exec_driver_sql(f"REVOKE ALL ON {name} FROM {q_app}")
            conn.exec_driver_sql(f"GRANT SELECT, INSERT ON {name} TO {q_app}")
        elif table == "alembic_version":
            conn.exec_driver_sql(f"REVOKE ALL ON {name} FROM {q_app}")
            conn.exec_driver_sql(f"GRANT SELECT ON {name} TO {q_app}")
        else:
            conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {name} TO {q_app}")
    conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {q_schema} TO {q_app}")
    return RoleReport(schema, created, tables)


def _our_tables(conn: sa.Connection, schema: str) -> list[str]:
    """minewatch's tables present in ``schema`` (not PostGIS's own, such as
    ``spatial_ref_sys``, which the extension owns)."""
    ours = set(metadata_for("postgresql").tables) | {"alembic_version"}
    present = conn.execute(
        sa.text("SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY tablename"),
        {"s": schema},
    ).scalars()
    return [t for t in present if t in ours]
