"""Persistence: incidents, their raw inputs and every draft version, in SQLite or PostgreSQL.

The raw transcript and the name mapping never leave the machine, or the team's own database;
they live here so that reloading the browser or restarting the app loses nothing. Versions are
append-only: every stage, generation, edit and regeneration is kept, and a save made against an
older version is kept as a conflict instead of overwriting a newer one.

The database is SQLAlchemy's: by default the SQLite file at ``POSTMORTEM_DB`` (or its
per-user default), or any URL in ``POSTMORTEM_DATABASE_URL`` (``postgresql+psycopg://...``).
Its schema is migrated by Alembic when a :class:`Store` opens it. One :class:`Store` is safe to
share between Streamlit's script threads.
"""

from __future__ import annotations

from drafting.store.drafts import Drafts
from drafting.store.location import DB_ENV, URL_ENV, database_url, default_path
from drafting.store.records import (
    ApprovalRecord,
    DraftVersion,
    Incident,
    IncidentSummary,
    RosterState,
    VersionKind,
)
from drafting.store.schema import head, migrations
from drafting.store.signoff import SignOffs

__all__ = [
    "DB_ENV",
    "URL_ENV",
    "ApprovalRecord",
    "DraftVersion",
    "Incident",
    "IncidentSummary",
    "RosterState",
    "Store",
    "VersionKind",
    "database_url",
    "default_path",
    "head",
    "migrations",
]


class Store(Drafts, SignOffs):
    """The store. Opening it creates the database if needed and migrates it to the latest schema.

    Incidents with their raw inputs, rosters, and append-only draft versions come from
    :class:`Drafts`; lint acknowledgements, approvals and exports from :class:`SignOffs`.

    Args:
        location: an SQLite file (a Path, or a path string) or an SQLAlchemy URL (a string
            with ``://``); defaults to :func:`database_url`.
        clock: returns the current time; injectable so tests never depend on the wall clock.

    Attributes:
        path: the SQLite file, or None for other databases.
        location: the database for people to read: the file, or the URL without its password.

    Raises:
        StoreError: the database cannot be reached or opened, cannot be migrated, or is from a
            newer version of the app.
    """
