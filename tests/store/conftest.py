"""The store's fixtures: every store test runs on SQLite and on a throwaway PostgreSQL cluster."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pg import Cluster, start_cluster

from drafting.store import Store
from drafting.store.location import sqlite_url


class FakeClock:
    """A clock that advances one minute per reading, so ordering never depends on real time."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database: an SQLite file, or a new schema on the test cluster."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "drafts" / "pm.sqlite3")
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_schema()


@pytest.fixture
def open_store() -> Iterator[Callable[..., Store]]:
    """Opens stores like ``Store(...)`` and closes their connections after the test."""
    opened: list[Store] = []

    def open_(*args: object, **kwargs: object) -> Store:
        store = Store(*args, **kwargs)  # type: ignore[arg-type]
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


@pytest.fixture
def store(store_url: str, open_store: Callable[..., Store]) -> Store:
    return open_store(store_url, clock=FakeClock())
