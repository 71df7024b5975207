"""The database's schema version and bringing it to head with Alembic.

Revisions live in ``migrations/versions/`` (an Alembic script directory inside the package, so no
``alembic.ini`` is needed). Their ids are schema numbers: ``0002`` is the baseline, equal to
schema 2 of the SQL-era store, whose files counted versions in ``PRAGMA user_version``. Such a
file is brought to schema 2 by the old SQL (``legacy/``), stamped ``0002`` and upgraded like any
other. After an upgrade an SQLite file's ``user_version`` is the head's number, so an SQL-era
app refuses it as newer instead of writing to it unaware of the new columns.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from drafting.errors import StoreError
from drafting.store.location import DB_ENV, URL_ENV

BASELINE = "0002"
_LEGACY_PACKAGE = "drafting.store.legacy"
_SCRIPTS = Path(__file__).resolve().parent / "migrations"
# Any constant: serialises concurrent first opens of one PostgreSQL database.
_PG_LOCK_KEY = 0x706D5F7374


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the store's migrations, running on ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> int:
    """The schema number of the newest migration this app has."""
    return int(_scripts().get_current_head() or 0)


def migrations() -> list[tuple[int, str]]:
    """The SQL-era migrations as ``(user_version, sql)``, in order; they lead to the baseline."""
    found: list[tuple[int, str]] = []
    for entry in resources.files(_LEGACY_PACKAGE).iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(found)


def current_version(conn: Connection) -> int:
    """The schema number the database is at (0 when it is empty)."""
    revision = MigrationContext.configure(conn).get_current_revision()
    if revision is not None:
        return int(revision) if revision.isdigit() else -1
    return _user_version(conn)


def upgrade(conn: Connection, description: str) -> None:
    """Bring the database to head, in ``conn``'s transaction.

    Raises:
        StoreError: the database is from a newer version of the app.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    config = alembic_config(conn)
    revision = MigrationContext.configure(conn).get_current_revision()
    if revision is None:
        _from_sql_era(conn, config, description)
    else:
        _refuse_if_newer(revision, description)
    command.upgrade(config, "head")
    if conn.dialect.name == "sqlite" and _user_version(conn) != head():
        conn.exec_driver_sql(f"PRAGMA user_version = {head()}")


def _refuse_if_newer(revision: str, description: str) -> None:
    if revision not in {s.revision for s in _scripts().walk_revisions()}:
        raise _newer(description, revision)


def _newer(description: str, found: object) -> StoreError:
    return StoreError(
        f"The drafts database {description} is at schema {found}, newer than this app "
        f"({head()}); upgrade the app or point {URL_ENV} or {DB_ENV} elsewhere."
    )


def _user_version(conn: Connection) -> int:
    if conn.dialect.name != "sqlite":
        return 0
    return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())


def _from_sql_era(conn: Connection, config: Config, description: str) -> None:
    """Bring an SQL-era SQLite file (``user_version`` 1 or 2) to the baseline and stamp it."""
    current = _user_version(conn)
    if current == 0:
        return  # an empty database: the baseline revision creates the tables
    if current > int(BASELINE):
        raise _newer(description, current)
    for version, sql in migrations():
        if version > current:
            for statement in _statements(sql):
                conn.exec_driver_sql(statement)
    command.stamp(config, BASELINE)


def _statements(script: str) -> list[str]:
    """The statements of an SQL script (the legacy files hold nothing but DDL and comments)."""
    found: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            found.append(pending.strip())
            pending = ""
    return found
