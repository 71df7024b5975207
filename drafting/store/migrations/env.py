"""Alembic's entry point for the store: runs on the connection the store hands it.

The store configures Alembic in code (:mod:`drafting.store.schema`), so there is no
``alembic.ini``; the connection comes in ``config.attributes["connection"]``, already in the
transaction the whole upgrade runs in.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from drafting.store.tables import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("The store's migrations run on a connection from drafting.store only.")

# Batch mode: SQLite alters a table by copying it, and Alembic's batch operations do that for us.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
