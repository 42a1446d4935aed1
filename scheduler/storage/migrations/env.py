"""Alembic environment: runs on the connection the program hands over.

The program always calls Alembic with ``config.attributes["connection"]`` set,
so migrations run inside its own transaction on SQLite and PostgreSQL alike.
``render_as_batch`` lets SQLite alter tables by copy-and-move.
"""

from __future__ import annotations

from alembic import context

from scheduler.model import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run only through scheduler.storage.migrations")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
