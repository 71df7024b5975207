"""Where the store is: paths and URLs, the environment, and failures as one sentence."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from pg import Cluster

from drafting.errors import StoreError
from drafting.store import Store, database_url
from drafting.store.location import sqlite_url

OpenStore = Callable[..., Store]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_database_url_is_postgres_from_the_environment_else_the_sqlite_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("POSTMORTEM_DATABASE_URL", raising=False)
    monkeypatch.setenv("POSTMORTEM_DB", str(tmp_path / "x.sqlite3"))
    assert database_url() == f"sqlite+pysqlite:///{tmp_path}/x.sqlite3"
    monkeypatch.setenv("POSTMORTEM_DATABASE_URL", "postgresql+psycopg://u@db.example/pm")
    assert database_url() == "postgresql+psycopg://u@db.example/pm"


@pytest.mark.parametrize("as_given", [Path, str, sqlite_url])
def test_an_sqlite_file_is_a_path_a_path_string_or_a_url(
    tmp_path: Path, as_given: Callable[[Path], object], open_store: OpenStore
) -> None:
    db = tmp_path / "sub" / "pm.sqlite3"
    store = open_store(as_given(db))
    assert (store.path, store.location) == (db, str(db))
    assert db.exists()


def test_the_default_location_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, open_store: OpenStore
) -> None:
    monkeypatch.delenv("POSTMORTEM_DATABASE_URL", raising=False)
    monkeypatch.setenv("POSTMORTEM_DB", str(tmp_path / "env.sqlite3"))
    assert open_store().path == tmp_path / "env.sqlite3"
    monkeypatch.setenv("POSTMORTEM_DATABASE_URL", sqlite_url(tmp_path / "url.sqlite3"))
    assert open_store().path == tmp_path / "url.sqlite3"


def test_a_postgres_store_has_no_path_and_its_location_hides_the_password(
    pg_cluster: Cluster, open_store: OpenStore
) -> None:
    url = pg_cluster.new_database().replace("postgres@", "postgres:s3cret@")
    store = open_store(url)  # the test cluster trusts 127.0.0.1, so any password will do
    assert store.path is None
    assert "s3cret" not in store.location and "***" in store.location
    assert store.location.endswith(url.rsplit("/", 1)[1])


def test_a_url_without_a_driver_uses_psycopg(pg_cluster: Cluster, open_store: OpenStore) -> None:
    url = pg_cluster.new_database().replace("postgresql+psycopg://", "postgresql://")
    assert open_store(url).location.startswith("postgresql+psycopg://")


def test_an_unreachable_postgres_is_one_sentence_without_the_password() -> None:
    url = f"postgresql+psycopg://pm:s3cret@127.0.0.1:{_closed_port()}/pm?connect_timeout=5"
    with pytest.raises(StoreError) as failed:
        Store(url)
    message = str(failed.value)
    assert message.startswith("The drafts database postgresql+psycopg://pm:***@127.0.0.1:")
    assert "cannot be opened: " in message and message.endswith(".")
    assert "s3cret" not in message and "\n" not in message and "sqlalche.me" not in message


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("nosuchdb://u@host/db", "is for nosuchdb; the store works with SQLite and PostgreSQL"),
        ("mysql+pymysql://u@host/db", "is for mysql; the store works with SQLite and PostgreSQL"),
        ("postgresql+nosuchdriver://u@host/db", "unknown database driver (postgresql+nosuch"),
        ("postgresql+psycopg2://u@host/db", "is not installed (psycopg2)"),
        ("postgresql+psycopg://u@host:notaport/db", "cannot be parsed"),
    ],
)
def test_a_url_the_store_cannot_use_is_one_sentence(url: str, says: str) -> None:
    with pytest.raises(StoreError) as failed:
        Store(url)
    assert says in str(failed.value)
    assert "\n" not in str(failed.value)
