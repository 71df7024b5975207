"""The store's Alembic revisions: ``0002`` is schema 2 of the SQL-era store, then one per change."""
