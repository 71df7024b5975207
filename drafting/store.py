"""Local persistence: a SQLite file holding incidents, their raw inputs and every draft version.

The raw transcript and the name mapping never leave the machine; they live here so that reloading
the browser or restarting the app loses nothing. The schema is versioned with ``PRAGMA
user_version`` and migrated forward by the numbered ``drafting/migrations/NNNN_*.sql`` files.
Each call opens its own short-lived connection, so the store is safe to share between Streamlit's
script threads.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import StrEnum
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from drafting.errors import StoreError
from drafting.settings import default_db_path

DB_ENV = "POSTMORTEM_DB"
_MIGRATIONS_PACKAGE = "drafting.migrations"


class VersionKind(StrEnum):
    """What produced a draft version."""

    STAGE = "stage"  # a finished pipeline stage (partial draft), kept if a later stage fails
    GENERATION = "generation"  # a complete draft from the pipeline
    EDIT = "edit"  # a human edit of one section
    REGENERATION = "regeneration"  # the model rewrote one section
    LINT_FIX = "lint-fix"  # a lint suggestion was applied
    APPROVAL = "approval"  # the approved version (status and approval set)


class IncidentSummary(BaseModel):
    """One row of the "resume a draft" list."""

    model_config = ConfigDict(frozen=True)

    id: int
    title: str
    updated_at: datetime
    approved: bool


class Incident(BaseModel):
    """An incident with its local-only inputs."""

    model_config = ConfigDict(frozen=True)

    id: int
    title: str
    created_at: datetime
    updated_at: datetime
    incident_date: date | None
    timezone: str
    template: str
    transcript: str
    users_json: str | None
    notes: str | None


class RosterState(BaseModel):
    """The local name mapping, the confirmed roles and the decisions on detected names."""

    mapping: dict[str, str] = {}  # real name -> pseudonym
    roles: dict[str, str] = {}  # pseudonym -> role
    decisions: dict[str, str] = {}  # detected name -> "confirmed" | "dismissed"


class DraftVersion(BaseModel):
    """One stored version of a draft; ``postmortem_json`` is a serialised ``Postmortem``."""

    model_config = ConfigDict(frozen=True)

    id: int
    incident_id: int
    created_at: datetime
    kind: VersionKind
    section: str | None
    postmortem_json: str
    provenance: dict[str, str]  # section -> "model" | "human"


class ApprovalRecord(BaseModel):
    """Who approved which version, and when."""

    model_config = ConfigDict(frozen=True)

    incident_id: int
    version_id: int
    reviewer: str
    approved_at: datetime


def default_path() -> Path:
    """``POSTMORTEM_DB`` if set, else the per-user default from :mod:`drafting.settings`."""
    configured = os.environ.get(DB_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    return default_db_path()


def migrations() -> list[tuple[int, str]]:
    """The bundled migrations as ``(version, sql)``, in version order."""
    found: list[tuple[int, str]] = []
    for entry in resources.files(_MIGRATIONS_PACKAGE).iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(found)


def _now() -> datetime:
    return datetime.now(UTC)


class Store:
    """The SQLite store. Opening it creates the file and applies any pending migrations.

    Args:
        path: the database file; defaults to :func:`default_path`.
        clock: returns the current time; injectable so tests never depend on the wall clock.

    Raises:
        StoreError: the file cannot be opened, or is from a newer version of the app.
    """

    def __init__(self, path: Path | str | None = None, *, clock: Callable[[], datetime] = _now):
        self.path = Path(path) if path is not None else default_path()
        self._clock = clock
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(
                f"The drafts database folder {self.path.parent} cannot be created."
            ) from err
        self._migrate()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = sqlite3.connect(self.path, timeout=10)
        except sqlite3.Error as err:
            raise StoreError(f"The drafts database {self.path} cannot be opened: {err}.") from err
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        try:
            with conn:  # commits on success, rolls back on error
                yield conn
        except sqlite3.DatabaseError as err:
            raise StoreError(f"The drafts database {self.path} failed: {err}.") from err
        finally:
            conn.close()

    def schema_version(self) -> int:
        """The schema version the file is at."""
        with self._connect() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        pending = migrations()
        latest = pending[-1][0] if pending else 0
        current = self.schema_version()
        if current > latest:
            raise StoreError(
                f"The drafts database {self.path} is at schema {current}, newer than this app "
                f"({latest}); upgrade the app or point {DB_ENV} elsewhere."
            )
        for version, sql in pending:
            if version > current:
                self._apply(version, sql)

    def _apply(self, version: int, sql: str) -> None:
        # executescript commits first, so the migration and its version bump go in one transaction.
        script = f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;"
        conn = sqlite3.connect(self.path)
        try:
            conn.executescript(script)
        except sqlite3.Error as err:
            conn.rollback()
            raise StoreError(
                f"Migrating the drafts database to schema {version} failed: {err}."
            ) from err
        finally:
            conn.close()

    def _stamp(self) -> str:
        return self._clock().isoformat()

    # Incidents -------------------------------------------------------------------------------

    def create_incident(
        self,
        title: str,
        transcript: str,
        *,
        notes: str | None = None,
        users_json: str | None = None,
        incident_date: date | None = None,
        timezone: str = "UTC",
    ) -> int:
        """Store a new incident with its raw inputs; returns its id."""
        now = self._stamp()
        with self._connect() as conn:
            cur = conn.execute(
                "INSERT INTO incidents (title, created_at, updated_at, incident_date, timezone)"
                " VALUES (?, ?, ?, ?, ?)",
                (title, now, now, incident_date.isoformat() if incident_date else None, timezone),
            )
            incident_id = int(cur.lastrowid or 0)
            conn.execute(
                "INSERT INTO transcripts (incident_id, raw_text, users_json, notes)"
                " VALUES (?, ?, ?, ?)",
                (incident_id, transcript, users_json, notes),
            )
            conn.execute("INSERT INTO rosters (incident_id) VALUES (?)", (incident_id,))
        return incident_id

    def update_incident(
        self, incident_id: int, *, title: str | None = None, template: str | None = None
    ) -> None:
        """Rename an incident or change its export template."""
        with self._connect() as conn:
            if title is not None:
                conn.execute("UPDATE incidents SET title = ? WHERE id = ?", (title, incident_id))
            if template is not None:
                conn.execute(
                    "UPDATE incidents SET template = ? WHERE id = ?", (template, incident_id)
                )
            self._touch(conn, incident_id)

    def _touch(self, conn: sqlite3.Connection, incident_id: int) -> None:
        conn.execute(
            "UPDATE incidents SET updated_at = ? WHERE id = ?", (self._stamp(), incident_id)
        )

    def get_incident(self, incident_id: int) -> Incident:
        """The incident and its raw inputs.

        Raises:
            StoreError: there is no such incident.
        """
        with self._connect() as conn:
            row = conn.execute(
                "SELECT i.*, t.raw_text, t.users_json, t.notes FROM incidents i"
                " JOIN transcripts t ON t.incident_id = i.id WHERE i.id = ?",
                (incident_id,),
            ).fetchone()
        if row is None:
            raise StoreError(f"There is no stored incident {incident_id}.")
        return Incident(
            id=row["id"],
            title=row["title"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            incident_date=row["incident_date"],
            timezone=row["timezone"],
            template=row["template"],
            transcript=row["raw_text"],
            users_json=row["users_json"],
            notes=row["notes"],
        )

    def list_incidents(self) -> list[IncidentSummary]:
        """Every incident, most recently updated first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT i.id, i.title, i.updated_at,"
                " EXISTS (SELECT 1 FROM approvals a WHERE a.incident_id = i.id) AS approved"
                " FROM incidents i ORDER BY i.updated_at DESC, i.id DESC"
            ).fetchall()
        return [IncidentSummary(**dict(r)) for r in rows]

    def delete_incident(self, incident_id: int) -> None:
        """Remove an incident and everything stored about it (raw transcript, mapping, drafts)."""
        with self._connect() as conn:
            for table in ("exports", "approvals", "lint_acks", "draft_versions"):
                conn.execute(f"DELETE FROM {table} WHERE incident_id = ?", (incident_id,))
            conn.execute("DELETE FROM rosters WHERE incident_id = ?", (incident_id,))
            conn.execute("DELETE FROM transcripts WHERE incident_id = ?", (incident_id,))
            conn.execute("DELETE FROM incidents WHERE id = ?", (incident_id,))

    # Roster ----------------------------------------------------------------------------------

    def save_roster(self, incident_id: int, state: RosterState) -> None:
        """Replace the stored mapping, roles and name decisions."""
        with self._connect() as conn:
            conn.execute(
                "UPDATE rosters SET mapping_json = ?, roles_json = ?, decisions_json = ?"
                " WHERE incident_id = ?",
                (
                    json.dumps(state.mapping, sort_keys=True),
                    json.dumps(state.roles, sort_keys=True),
                    json.dumps(state.decisions, sort_keys=True),
                    incident_id,
                ),
            )
            self._touch(conn, incident_id)

    def load_roster(self, incident_id: int) -> RosterState:
        """The stored mapping, roles and name decisions (empty when none were saved)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT * FROM rosters WHERE incident_id = ?", (incident_id,)
            ).fetchone()
        if row is None:
            return RosterState()
        return RosterState(
            mapping=json.loads(row["mapping_json"]),
            roles=json.loads(row["roles_json"]),
            decisions=json.loads(row["decisions_json"]),
        )

    # Draft versions --------------------------------------------------------------------------

    def add_version(
        self,
        incident_id: int,
        kind: VersionKind,
        postmortem_json: str,
        *,
        provenance: dict[str, str] | None = None,
        section: str | None = None,
    ) -> int:
        """Append a draft version (versions are never overwritten); returns its id."""
        with self._connect() as conn:
            cur = conn.execute(
                "INSERT INTO draft_versions (incident_id, created_at, kind, section,"
                " postmortem_json, provenance_json) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    incident_id,
                    self._stamp(),
                    kind.value,
                    section,
                    postmortem_json,
                    json.dumps(provenance or {}, sort_keys=True),
                ),
            )
            self._touch(conn, incident_id)
            return int(cur.lastrowid or 0)

    def versions(self, incident_id: int) -> list[DraftVersion]:
        """Every version of the incident's draft, oldest first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT * FROM draft_versions WHERE incident_id = ? ORDER BY id", (incident_id,)
            ).fetchall()
        return [_version(r) for r in rows]

    def latest_version(self, incident_id: int) -> DraftVersion | None:
        """The newest version of the incident's draft, or None before the first stage finished."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT * FROM draft_versions WHERE incident_id = ? ORDER BY id DESC LIMIT 1",
                (incident_id,),
            ).fetchone()
        return _version(row) if row is not None else None

    # Lint acknowledgements, approvals, exports ----------------------------------------------

    def acknowledge(self, incident_id: int, finding_key: str, reason: str) -> None:
        """Record that a lint finding is accepted as is, and why."""
        with self._connect() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO lint_acks (incident_id, finding_key, reason, created_at)"
                " VALUES (?, ?, ?, ?)",
                (incident_id, finding_key, reason, self._stamp()),
            )
            self._touch(conn, incident_id)

    def acknowledgements(self, incident_id: int) -> dict[str, str]:
        """Acknowledged finding keys and their reasons."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT finding_key, reason FROM lint_acks WHERE incident_id = ?", (incident_id,)
            ).fetchall()
        return {r["finding_key"]: r["reason"] for r in rows}

    def record_approval(self, incident_id: int, version_id: int, reviewer: str) -> ApprovalRecord:
        """Record an approval of one draft version by a named reviewer."""
        record = ApprovalRecord(
            incident_id=incident_id,
            version_id=version_id,
            reviewer=reviewer,
            approved_at=self._clock(),
        )
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO approvals (incident_id, version_id, reviewer, approved_at)"
                " VALUES (?, ?, ?, ?)",
                (incident_id, version_id, reviewer, record.approved_at.isoformat()),
            )
            self._touch(conn, incident_id)
        return record

    def latest_approval(self, incident_id: int) -> ApprovalRecord | None:
        """The most recent approval, or None."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT incident_id, version_id, reviewer, approved_at FROM approvals"
                " WHERE incident_id = ? ORDER BY id DESC LIMIT 1",
                (incident_id,),
            ).fetchone()
        return ApprovalRecord(**dict(row)) if row is not None else None

    def record_export(self, incident_id: int, version_id: int, kind: str) -> None:
        """Record that a version was exported (``markdown``, ``json``, ``csv``, ``audit``...)."""
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO exports (incident_id, version_id, kind, created_at)"
                " VALUES (?, ?, ?, ?)",
                (incident_id, version_id, kind, self._stamp()),
            )

    def exports(self, incident_id: int) -> list[tuple[int, str]]:
        """``(version_id, kind)`` of every export of the incident, oldest first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT version_id, kind FROM exports WHERE incident_id = ? ORDER BY id",
                (incident_id,),
            ).fetchall()
        return [(int(r["version_id"]), str(r["kind"])) for r in rows]


def _version(row: sqlite3.Row) -> DraftVersion:
    return DraftVersion(
        id=row["id"],
        incident_id=row["incident_id"],
        created_at=row["created_at"],
        kind=VersionKind(row["kind"]),
        section=row["section"],
        postmortem_json=row["postmortem_json"],
        provenance=json.loads(row["provenance_json"]),
    )
