"""What every part of the store shares: the engine, its migrations, transactions and the clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.util import CommandError
from sqlalchemy import Connection, CursorResult, update
from sqlalchemy.exc import SQLAlchemyError

from drafting.errors import StoreError
from drafting.store import schema
from drafting.store.engine import SQLITE_BEGIN, make_engine, reason
from drafting.store.location import resolve
from drafting.store.tables import incidents


def _now() -> datetime:
    return datetime.now(UTC)


class StoreBase:
    """The engine, the clock and the schema every part of the store shares.

    Args:
        location: an SQLite file (a Path or path string) or an SQLAlchemy URL (a string with
            ``://``); defaults to :func:`~drafting.store.location.database_url`.
        clock: returns the current time; injectable so tests never depend on the wall clock.

    Raises:
        StoreError: the database cannot be reached or opened, cannot be migrated, or is from a
            newer version of the app.
    """

    def __init__(self, location: Path | str | None = None, *, clock: Callable[[], datetime] = _now):
        resolved = resolve(location)
        self.path: Path | None = resolved.path
        self.location: str = resolved.description
        self._clock = clock
        if resolved.path is not None:
            _make_folder(resolved.path)
        self._engine = make_engine(resolved)
        try:
            with self._connect(begin="BEGIN IMMEDIATE", failure="cannot be opened") as conn:
                schema.upgrade(conn, self.location)
        except StoreError:
            self._engine.dispose()
            raise
        except CommandError as err:  # a broken migration: only a bad install gets here
            self._engine.dispose()
            raise StoreError(
                f"Migrating the drafts database {self.location} failed: {err}."
            ) from err

    def close(self) -> None:
        """Close the store's pooled connections (a later call opens new ones)."""
        self._engine.dispose()

    @contextmanager
    def _connect(self, *, begin: str = "BEGIN", failure: str = "failed") -> Iterator[Connection]:
        """A connection in a transaction: committed on success, rolled back on any error.

        ``begin`` opens an SQLite transaction; ``failure`` says what went wrong in the error.

        Raises:
            StoreError: the database cannot be reached or a statement failed.
        """
        try:
            with self._engine.connect() as conn:
                conn = conn.execution_options(**{SQLITE_BEGIN: begin})
                with conn.begin():
                    yield conn
        except SQLAlchemyError as err:
            message = f"The drafts database {self.location} {failure}: {reason(err)}."
            raise StoreError(message) from err

    def schema_version(self) -> int:
        """The schema number the database is at (see :mod:`drafting.store.schema`)."""
        with self._connect() as conn:
            return schema.current_version(conn)

    def _stamp(self) -> str:
        return self._clock().isoformat()

    def _touch(self, conn: Connection, incident_id: int) -> None:
        conn.execute(
            update(incidents).where(incidents.c.id == incident_id).values(updated_at=self._stamp())
        )


def new_id(result: CursorResult[Any]) -> int:
    """The id the database gave the row an insert just added."""
    key = result.inserted_primary_key
    if key is None:  # only an insert of several rows has none
        raise StoreError("The drafts database did not return the new row's id.")
    return int(key[0])


def _make_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(f"The drafts database folder {path.parent} cannot be created.") from err
