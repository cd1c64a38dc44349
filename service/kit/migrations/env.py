"""Alembic environment: always run programmatically with a connection handed in."""

from __future__ import annotations

from alembic import context

from service.kit.registry import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable from the alembic CLI
    raise RuntimeError("run migrations through service.kit.engine.migrate()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
