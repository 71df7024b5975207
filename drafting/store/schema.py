"""Where the database lives, its versioned migrations, and opening a connection to it.

The schema version is ``PRAGMA user_version``; ``drafting/store/migrations/NNNN_*.sql`` move it
forward one step each, every step in one transaction with its version bump.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from drafting.errors import StoreError
from drafting.settings import default_db_path

DB_ENV = "POSTMORTEM_DB"
_MIGRATIONS_PACKAGE = "drafting.store.migrations"


def default_path() -> Path:
    """``POSTMORTEM_DB`` if set, else the per-user default from :mod:`drafting.settings`."""
    configured = os.environ.get(DB_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    return default_db_path()


def migrations() -> list[tuple[int, str]]:
    """The bundled migrations as ``(version, sql)``, in version order."""
    found: list[tuple[int, str]] = []
    for entry in resources.files(_MIGRATIONS_PACKAGE).iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(found)


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection in a transaction (committed on success, rolled back on error), then closed.

    Raises:
        StoreError: the file cannot be opened or a statement failed.
    """
    try:
        conn = sqlite3.connect(path, timeout=10)
    except sqlite3.Error as err:
        raise StoreError(f"The drafts database {path} cannot be opened: {err}.") from err
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    try:
        with conn:
            yield conn
    except sqlite3.DatabaseError as err:
        raise StoreError(f"The drafts database {path} failed: {err}.") from err
    finally:
        conn.close()


def schema_version(path: Path) -> int:
    """The schema version the file is at (0 for a new file)."""
    with connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(path: Path) -> None:
    """Create the folder and file if needed and apply every pending migration.

    Raises:
        StoreError: the folder cannot be created, a migration failed, or the file is from a
            newer version of the app.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(f"The drafts database folder {path.parent} cannot be created.") from err
    pending = migrations()
    latest = pending[-1][0] if pending else 0
    current = schema_version(path)
    if current > latest:
        raise StoreError(
            f"The drafts database {path} is at schema {current}, newer than this app "
            f"({latest}); upgrade the app or point {DB_ENV} elsewhere."
        )
    for version, sql in pending:
        if version > current:
            _apply(path, version, sql)


def _apply(path: Path, version: int, sql: str) -> None:
    # executescript commits first, so the migration and its version bump go in one transaction.
    script = f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;"
    conn = sqlite3.connect(path)
    try:
        conn.executescript(script)
    except sqlite3.Error as err:
        conn.rollback()
        raise StoreError(
            f"Migrating the drafts database to schema {version} failed: {err}."
        ) from err
    finally:
        conn.close()
