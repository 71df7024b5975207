"""Where the database is: ``POSTMORTEM_DATABASE_URL``, else the SQLite file at ``POSTMORTEM_DB``.

A location is a :class:`~pathlib.Path` or path string (an SQLite file) or an SQLAlchemy URL
string (anything with ``://``). It resolves to the URL to connect to, the SQLite file if there is
one, and a description fit to show a user (the file, or the URL with its password masked).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from drafting.errors import StoreError
from drafting.settings import default_db_path

DB_ENV = "POSTMORTEM_DB"
URL_ENV = "POSTMORTEM_DATABASE_URL"
# The PostgreSQL driver we ship (psycopg 3), used when a URL names no driver (``postgresql://``).
_DEFAULT_DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}


def default_path() -> Path:
    """``POSTMORTEM_DB`` if set, else the per-user default from :mod:`drafting.settings`."""
    configured = os.environ.get(DB_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    return default_db_path()


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of an SQLite file."""
    return URL.create("sqlite+pysqlite", database=str(path)).render_as_string()


def database_url() -> str:
    """``POSTMORTEM_DATABASE_URL`` if set, else the URL of the file at :func:`default_path`."""
    configured = os.environ.get(URL_ENV, "").strip()
    return configured if configured else sqlite_url(default_path())


@dataclass(frozen=True)
class Location:
    """A resolved location: the URL to connect to, the SQLite file (or None), and a description."""

    url: URL
    path: Path | None
    description: str

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"


def resolve(location: Path | str | None) -> Location:
    """Resolve a Store's ``location`` argument (None: :func:`database_url`).

    Raises:
        StoreError: the URL cannot be parsed.
    """
    if location is None:
        location = database_url()
    if isinstance(location, Path) or "://" not in location:
        file = Path(location).expanduser()
        return Location(make_url(sqlite_url(file)), file, str(file))
    try:
        url = make_url(location)
    except (ArgumentError, ValueError) as err:
        raise StoreError(f"The database URL in {URL_ENV} cannot be parsed: {err}.") from err
    url = url.set(drivername=_DEFAULT_DRIVERS.get(url.drivername, url.drivername))
    path = _sqlite_file(url)
    description = str(path) if path else url.render_as_string(hide_password=True)
    return Location(url, path, description)


def _sqlite_file(url: URL) -> Path | None:
    """The file of an SQLite URL; None for other databases and in-memory SQLite."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)
