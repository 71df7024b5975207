"""The SQLite store, on a real temporary database file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from drafting.errors import StoreError
from drafting.store import (
    RosterState,
    Store,
    VersionKind,
    default_path,
    migrations,
)


class FakeClock:
    """A clock that advances one minute per reading, so ordering never depends on real time."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "drafts" / "pm.sqlite3"


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    yield Store(db, clock=FakeClock())


def test_opening_creates_the_file_and_migrates_to_the_latest_schema(db: Path) -> None:
    store = Store(db)
    assert db.exists()
    assert store.schema_version() == migrations()[-1][0] >= 1


def test_reopening_keeps_everything_and_does_not_rerun_migrations(db: Path) -> None:
    first = Store(db, clock=FakeClock())
    incident = first.create_incident("DNS outage", "[21:02] <monitor> ALERT", timezone="UTC")
    again = Store(db)
    assert again.get_incident(incident).transcript == "[21:02] <monitor> ALERT"
    assert again.schema_version() == first.schema_version()


def test_a_database_from_a_newer_app_is_refused_with_one_sentence(db: Path) -> None:
    Store(db)
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


def test_roster_state_round_trips_and_defaults_to_empty(store: Store) -> None:
    incident = store.create_incident("A", "text")
    assert store.load_roster(incident) == RosterState()
    state = RosterState(
        mapping={"Ana Ribeiro": "Person 1"},
        roles={"Person 1": "Support lead"},
        decisions={"Mei": "confirmed", "Friday": "dismissed"},
    )
    store.save_roster(incident, state)
    assert Store(store.path).load_roster(incident) == state


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


def test_versions_of_one_incident_do_not_leak_into_another(store: Store) -> None:
    a = store.create_incident("A", "text a")
    b = store.create_incident("B", "text b")
    store.add_version(a, VersionKind.GENERATION, '{"a": 1}')
    assert store.versions(b) == []
    assert store.latest_version(b) is None


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


def test_exports_are_logged_per_version(store: Store) -> None:
    incident = store.create_incident("A", "text")
    version = store.add_version(incident, VersionKind.APPROVAL, "{}")
    store.record_export(incident, version, "markdown")
    store.record_export(incident, version, "csv")
    assert store.exports(incident) == [(version, "markdown"), (version, "csv")]


def test_delete_removes_the_incident_and_everything_about_it(store: Store) -> None:
    incident = store.create_incident("A", "secret transcript")
    version = store.add_version(incident, VersionKind.GENERATION, "{}")
    store.record_approval(incident, version, "R")
    store.acknowledge(incident, "k", "r")
    store.delete_incident(incident)
    assert store.list_incidents() == []
    with sqlite3.connect(store.path) as conn:
        leftover = conn.execute("SELECT count(*) FROM transcripts").fetchone()[0]
    assert leftover == 0


def test_default_path_follows_postmortem_db_then_xdg(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("POSTMORTEM_DB", str(tmp_path / "x.sqlite3"))
    assert default_path() == tmp_path / "x.sqlite3"
    monkeypatch.delenv("POSTMORTEM_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_path().is_relative_to(tmp_path / "data")


def test_migrations_are_numbered_contiguously_from_one() -> None:
    numbers = [n for n, _ in migrations()]
    assert numbers == list(range(1, len(numbers) + 1))
