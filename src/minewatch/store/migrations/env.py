"""Alembic environment: minewatch runs migrations on a connection it hands over in
``config.attributes["connection"]`` (see :mod:`minewatch.store.migrate`)."""

from alembic import context

from minewatch.store.tables import metadata_for

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata_for(connection.dialect.name),
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
