"""What every part of the store shares: the file, its migrations, connections and the clock."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from drafting.store.schema import connect, default_path, migrate, schema_version


def _now() -> datetime:
    return datetime.now(UTC)


class StoreBase:
    """The connection, the clock and the schema every part of the store shares.

    Args:
        path: the database file; defaults to :func:`default_path`.
        clock: returns the current time; injectable so tests never depend on the wall clock.

    Raises:
        StoreError: the file cannot be opened, or is from a newer version of the app.
    """

    def __init__(self, path: Path | str | None = None, *, clock: Callable[[], datetime] = _now):
        self.path = Path(path) if path is not None else default_path()
        self._clock = clock
        migrate(self.path)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with connect(self.path) as conn:
            yield conn

    def schema_version(self) -> int:
        """The schema version the file is at."""
        return schema_version(self.path)

    def _stamp(self) -> str:
        return self._clock().isoformat()

    def _touch(self, conn: sqlite3.Connection, incident_id: int) -> None:
        conn.execute(
            "UPDATE incidents SET updated_at = ? WHERE id = ?", (self._stamp(), incident_id)
        )
