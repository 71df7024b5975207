"""Upgrading in place: SQL-era SQLite files, and the Alembic revisions on both backends."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from drafting.errors import StoreError, VersionConflict
from drafting.store import RosterState, Store, VersionKind, head, migrations
from drafting.store.schema import alembic_config
from drafting.store.tables import metadata

SCHEMA2 = Path(__file__).resolve().parent / "fixtures" / "schema2.sqlite3"
OpenStore = Callable[..., Store]


@pytest.fixture
def schema2(tmp_path: Path) -> Path:
    """A copy of the drafts database the SQL-era store wrote (see fixtures/make_schema2.py)."""
    copy = tmp_path / "pm.sqlite3"
    shutil.copyfile(SCHEMA2, copy)
    return copy


def _columns(db: Path, table: str) -> dict[str, tuple[str, bool, str | None]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(f"PRAGMA table_info({table})").fetchall()
    return {r[1]: (r[2], bool(r[3]), r[4]) for r in rows}


def test_a_schema_2_file_is_upgraded_in_place_and_everything_stays_readable(
    schema2: Path, open_store: OpenStore
) -> None:
    store = open_store(schema2)
    assert store.schema_version() == head() == 3
    assert [(i.id, i.title, i.approved, i.team) for i in store.list_incidents()] == [
        (2, "Stale cache", False, None),
        (1, "DNS outage", True, None),
    ]
    dns = store.get_incident(1)
    assert (dns.timezone, dns.incident_date, dns.notes, dns.author) == (
        "Europe/Lisbon",
        dns.incident_date,
        "on-call notes",
        None,
    )
    assert str(dns.incident_date) == "2026-02-27"
    assert store.load_roster(1) == RosterState(
        mapping={"Ana Ribeiro": "Person 1"},
        roles={"Person 1": "On-call engineer"},
        decisions={"Ana Ribeiro": "confirmed", "Friday": "dismissed"},
    )
    kinds = [v.kind for v in store.versions(1)]
    assert kinds == ["stage", "generation", "edit", "relabel", "approval"]
    assert store.labelled_roles(1, 3) == {"Person 1": "On-call engineer"}
    assert store.labelled_roles(1, 5) == {"Person 1": "Incident commander"}
    approval = store.latest_approval(1)
    assert approval is not None
    assert (approval.version_id, approval.reviewer, approval.verified) == (5, "Reviewer One", False)
    assert store.acknowledgements(1) == {
        "summary:blame:careless": "a direct quote, kept on purpose"
    }
    assert store.exports(1) == [(5, "markdown"), (2, "json")]


def test_the_upgrade_adds_the_new_columns_and_back_fills_each_head(
    schema2: Path, open_store: OpenStore
) -> None:
    store = open_store(schema2)
    incidents, approvals = _columns(schema2, "incidents"), _columns(schema2, "approvals")
    assert {"author", "team", "head_version"} <= set(incidents)
    assert {"reviewer_id", "verified"} <= set(approvals)
    assert approvals["verified"][1] is True  # NOT NULL
    with sqlite3.connect(schema2) as conn:
        indexes = {r[1] for r in conn.execute("PRAGMA index_list(incidents)")}
        stamped = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    assert "ix_incidents_team" in indexes
    assert stamped == [("0003",)]
    assert user_version == 3  # an SQL-era app now refuses the file as newer than itself
    assert (store.head_version(1), store.head_version(2)) == (5, 6)
    latest = store.latest_version(1)
    assert latest is not None and latest.kind is VersionKind.APPROVAL
    saved = store.add_version(1, VersionKind.EDIT, "{}", expected_head=5)
    with pytest.raises(VersionConflict):
        store.add_version(1, VersionKind.EDIT, "{}", expected_head=5)
    assert store.head_version(1) == saved


def test_a_schema_1_file_gets_the_roles_column_then_every_revision(
    tmp_path: Path, open_store: OpenStore
) -> None:
    db = tmp_path / "pm.sqlite3"
    [(version, sql), *_] = migrations()
    with sqlite3.connect(db) as conn:
        conn.executescript(f"{sql}\nPRAGMA user_version = {version};")
        conn.execute(
            "INSERT INTO incidents (title, created_at, updated_at) VALUES ('Old', ?, ?)",
            ("2025-01-01T00:00:00+00:00",) * 2,
        )
    assert "roles_json" not in _columns(db, "draft_versions")
    store = open_store(db)
    assert "roles_json" in _columns(db, "draft_versions")
    assert store.schema_version() == head()
    assert store.list_incidents()[0].title == "Old"


def test_the_migrations_create_exactly_the_tables_the_store_queries(
    store: Store, store_url: str
) -> None:
    engine = sa.create_engine(store_url)
    try:
        with engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_the_newest_revision_downgrades_to_the_baseline_and_upgrades_again(
    store: Store, store_url: str, open_store: OpenStore
) -> None:
    incident = store.create_incident("A", "text", team="payments")
    store.add_version(incident, VersionKind.GENERATION, "{}")
    engine = sa.create_engine(store_url)
    try:
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0002")
            assert "head_version" not in {
                c["name"] for c in sa.inspect(conn).get_columns("incidents")
            }
    finally:
        engine.dispose()
    again = open_store(store_url)
    assert again.schema_version() == head()
    assert again.get_incident(incident).title == "A"
    assert again.head_version(incident) is not None


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    db = tmp_path / "pm.sqlite3"
    db.write_bytes(b"this is not an SQLite database, just some bytes" * 100)
    with pytest.raises(StoreError, match=r"^The drafts database .*pm\.sqlite3 cannot be opened: "):
        Store(db)


def test_stores_opening_a_new_database_at_once_migrate_it_once(store_url: str) -> None:
    start = threading.Barrier(3)
    outcomes: list[object] = []

    def open_() -> None:
        start.wait()
        try:
            store = Store(store_url)
            outcomes.append(store.schema_version())
            store.close()
        except BaseException as err:  # reported by the assertion below
            outcomes.append(err)

    threads = [threading.Thread(target=open_) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == [head()] * 3
