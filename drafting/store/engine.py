"""One SQLAlchemy engine per store, and database failures turned into one clear sentence.

SQLite files get short-lived connections (no pool) usable from any of Streamlit's threads, with
foreign keys on and a busy timeout; every transaction starts with an explicit ``BEGIN`` (Python's
sqlite3 module would otherwise start them late and never around PRAGMAs and DDL). Other databases
get a pool whose connections are checked before use.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool, StaticPool

from drafting.errors import StoreError
from drafting.store.location import Location

SUPPORTED = ("sqlite", "postgresql")  # what the migrations are written and tested for
BUSY_TIMEOUT_SECONDS = 10
# A transaction's opening statement on SQLite, chosen per connection with this execution option:
# "BEGIN IMMEDIATE" takes the write lock at once (migrations), so two first opens queue.
SQLITE_BEGIN = "sqlite_begin"


def make_engine(location: Location) -> Engine:
    """The engine for ``location``.

    Raises:
        StoreError: the URL names a driver that does not exist or is not installed.
    """
    backend = location.url.get_backend_name()
    if backend not in SUPPORTED:
        raise StoreError(
            f"The database URL {location.description} is for {backend}; the store works with "
            "SQLite and PostgreSQL only."
        )
    options: dict[str, Any] = {"pool_pre_ping": True}
    if location.is_sqlite:
        options["connect_args"] = {
            "check_same_thread": False,
            "timeout": BUSY_TIMEOUT_SECONDS,
        }
        # In-memory SQLite is one connection; a file is opened per transaction.
        options["poolclass"] = NullPool if location.path else StaticPool
    try:
        engine = create_engine(location.url, **options)
    except NoSuchModuleError as err:
        raise StoreError(
            f"The database URL {location.description} names an unknown database driver "
            f"({location.url.drivername})."
        ) from err
    except ImportError as err:
        raise StoreError(
            f"The database driver for {location.description} is not installed ({err.name})."
        ) from err
    except (SQLAlchemyError, ValueError, TypeError) as err:
        raise StoreError(
            f"The database URL {location.description} is not usable: {reason(err)}."
        ) from err
    if location.is_sqlite:
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: object) -> None:
    dbapi_connection.isolation_level = None  # we say BEGIN ourselves (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql(conn.get_execution_options().get(SQLITE_BEGIN, "BEGIN"))


def reason(err: BaseException) -> str:
    """The first line of the driver's own message, without SQLAlchemy's SQL and links."""
    source = err.orig if isinstance(err, DBAPIError) and err.orig is not None else err
    lines = [line.strip() for line in str(source).splitlines() if line.strip()]
    first = lines[0] if lines else type(source).__name__
    if first.startswith("(") and ") " in first:  # "(sqlite3.OperationalError) ..."
        first = first.split(") ", 1)[1]
    return first.rstrip(".")
