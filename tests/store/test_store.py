"""The store on a real database: a temporary SQLite file and a throwaway PostgreSQL database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import FakeClock

from drafting.errors import StoreError
from drafting.store import (
    RosterState,
    Store,
    VersionKind,
    default_path,
    head,
    migrations,
)

OpenStore = Callable[..., Store]


def _count(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def test_opening_creates_the_database_and_migrates_to_the_latest_schema(
    store_url: str, open_store: OpenStore
) -> None:
    store = open_store(store_url)
    assert store.schema_version() == head() == 3
    assert store.path is None or store.path.exists()


def test_reopening_keeps_everything_and_does_not_rerun_migrations(
    store_url: str, open_store: OpenStore
) -> None:
    first = open_store(store_url, clock=FakeClock())
    incident = first.create_incident("DNS outage", "[21:02] <monitor> ALERT", timezone="UTC")
    again = open_store(store_url)
    assert again.get_incident(incident).transcript == "[21:02] <monitor> ALERT"
    assert again.schema_version() == first.schema_version()


def test_a_database_from_a_newer_app_is_refused_with_one_sentence(
    store_url: str, open_store: OpenStore
) -> None:
    open_store(store_url).close()
    engine = sa.create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match=r"^The drafts database .* is at schema 9999, newer than"):
        open_store(store_url)


def test_an_sql_era_file_newer_than_schema_2_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "pm.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 999")
    with pytest.raises(StoreError, match="newer than this app"):
        Store(db)


def test_an_unopenable_path_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError):
        Store(blocker / "sub" / "pm.sqlite3")


def test_incident_round_trips_all_raw_inputs(store: Store) -> None:
    incident_id = store.create_incident(
        "Stale cache",
        "Ana Ribeiro  8:31 AM\nold prices",
        notes="on-call notes",
        users_json='[{"id": "U1"}]',
        incident_date=date(2026, 2, 27),
        timezone="Europe/Lisbon",
    )
    got = store.get_incident(incident_id)
    assert (got.title, got.transcript, got.notes, got.users_json) == (
        "Stale cache",
        "Ana Ribeiro  8:31 AM\nold prices",
        "on-call notes",
        '[{"id": "U1"}]',
    )
    assert (got.incident_date, got.timezone, got.template) == (
        date(2026, 2, 27),
        "Europe/Lisbon",
        "comprehensive",
    )
    assert (got.author, got.team) == (None, None)


def test_update_renames_and_changes_the_template(store: Store) -> None:
    incident = store.create_incident("A", "text")
    store.update_incident(incident, title="B", template="brief")
    store.update_incident(incident)
    got = store.get_incident(incident)
    assert (got.title, got.template) == ("B", "brief")


def test_missing_incident_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no stored incident 42"):
        store.get_incident(42)


def test_list_shows_most_recently_updated_first_with_approval_state(store: Store) -> None:
    a = store.create_incident("A", "text a")
    b = store.create_incident("B", "text b")
    version = store.add_version(a, VersionKind.GENERATION, "{}")
    store.record_approval(a, version, "Reviewer One")
    listed = store.list_incidents()
    assert [(i.id, i.approved) for i in listed] == [(a, True), (b, False)]


def test_roster_state_round_trips_and_defaults_to_empty(
    store: Store, store_url: str, open_store: OpenStore
) -> None:
    incident = store.create_incident("A", "text")
    assert store.load_roster(incident) == RosterState()
    state = RosterState(
        mapping={"Ana Ribeiro": "Person 1"},
        roles={"Person 1": "Support lead"},
        decisions={"Mei": "confirmed", "Friday": "dismissed"},
    )
    store.save_roster(incident, state)
    assert open_store(store_url).load_roster(incident) == state
    assert store.load_roster(incident + 1) == RosterState()


def test_every_version_is_kept_in_order_with_kind_section_and_provenance(store: Store) -> None:
    incident = store.create_incident("A", "text")
    assert store.latest_version(incident) is None
    store.add_version(incident, VersionKind.STAGE, '{"n": 1}', provenance={"timeline": "model"})
    store.add_version(incident, VersionKind.GENERATION, '{"n": 2}')
    last = store.add_version(
        incident, VersionKind.EDIT, '{"n": 3}', section="summary", provenance={"summary": "human"}
    )
    kinds = [(v.kind, v.section) for v in store.versions(incident)]
    assert kinds == [
        (VersionKind.STAGE, None),
        (VersionKind.GENERATION, None),
        (VersionKind.EDIT, "summary"),
    ]
    latest = store.latest_version(incident)
    assert latest is not None
    assert (latest.id, latest.postmortem_json, latest.provenance) == (
        last,
        '{"n": 3}',
        {"summary": "human"},
    )


def test_a_version_labels_the_roles_of_the_latest_version_that_recorded_them(
    store: Store,
) -> None:
    incident = store.create_incident("A", "text")
    before = store.add_version(incident, VersionKind.STAGE, "{}")
    generation = store.add_version(incident, VersionKind.GENERATION, "{}", roles={"P1": "Lead"})
    edit = store.add_version(incident, VersionKind.EDIT, "{}", section="summary")
    assert store.labelled_roles(incident, before) is None
    assert store.labelled_roles(incident, generation) == {"P1": "Lead"}
    assert store.labelled_roles(incident, edit) == {"P1": "Lead"}


def test_versions_of_one_incident_do_not_leak_into_another(store: Store) -> None:
    a = store.create_incident("A", "text a")
    b = store.create_incident("B", "text b")
    store.add_version(a, VersionKind.GENERATION, '{"a": 1}')
    assert store.versions(b) == []
    assert store.latest_version(b) is None


def test_a_version_of_a_missing_incident_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="failed"):
        store.add_version(42, VersionKind.GENERATION, "{}")


def test_acknowledgement_is_replaced_not_duplicated(store: Store) -> None:
    incident = store.create_incident("A", "text")
    store.acknowledge(incident, "summary:blame:careless", "quoted from the customer")
    store.acknowledge(incident, "summary:blame:careless", "a direct quote, kept on purpose")
    assert store.acknowledgements(incident) == {
        "summary:blame:careless": "a direct quote, kept on purpose"
    }


def test_approval_records_reviewer_version_and_injected_time(store: Store) -> None:
    incident = store.create_incident("A", "text")
    version = store.add_version(incident, VersionKind.APPROVAL, "{}")
    record = store.record_approval(incident, version, "Reviewer One")
    latest = store.latest_approval(incident)
    assert latest == record
    assert (latest.reviewer, latest.version_id, latest.approved_at.year) == (
        "Reviewer One",
        version,
        2026,
    )
    assert (latest.reviewer_id, latest.verified) == (None, False)


def test_exports_are_logged_per_version(store: Store) -> None:
    incident = store.create_incident("A", "text")
    version = store.add_version(incident, VersionKind.APPROVAL, "{}")
    store.record_export(incident, version, "markdown")
    store.record_export(incident, version, "csv")
    assert store.exports(incident) == [(version, "markdown"), (version, "csv")]


def test_delete_removes_the_incident_and_everything_about_it(store: Store, store_url: str) -> None:
    incident = store.create_incident("A", "secret transcript")
    version = store.add_version(incident, VersionKind.GENERATION, "{}")
    store.record_approval(incident, version, "R")
    store.acknowledge(incident, "k", "r")
    store.record_export(incident, version, "markdown")
    store.delete_incident(incident)
    assert store.list_incidents() == []
    for table in ("transcripts", "rosters", "draft_versions", "approvals", "exports"):
        assert _count(store_url, table) == 0, table


def test_default_path_follows_postmortem_db_then_xdg(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("POSTMORTEM_DB", str(tmp_path / "x.sqlite3"))
    assert default_path() == tmp_path / "x.sqlite3"
    monkeypatch.delenv("POSTMORTEM_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_path().is_relative_to(tmp_path / "data")


def test_sql_era_migrations_are_numbered_contiguously_from_one_to_the_baseline() -> None:
    numbers = [n for n, _ in migrations()]
    assert numbers == [1, 2]
