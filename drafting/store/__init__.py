"""Local persistence: a SQLite file holding incidents, their raw inputs and every draft version.

The raw transcript and the name mapping never leave the machine; they live here so that reloading
the browser or restarting the app loses nothing. Versions are append-only: every stage,
generation, edit and regeneration is kept. Each call opens its own short-lived connection, so one
:class:`Store` is safe to share between Streamlit's script threads.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from drafting.errors import StoreError
from drafting.store.records import (
    ApprovalRecord,
    DraftVersion,
    Incident,
    IncidentSummary,
    RosterState,
    VersionKind,
)
from drafting.store.schema import DB_ENV, default_path, migrations
from drafting.store.signoff import SignOffs

__all__ = [
    "DB_ENV",
    "ApprovalRecord",
    "DraftVersion",
    "Incident",
    "IncidentSummary",
    "RosterState",
    "Store",
    "VersionKind",
    "default_path",
    "migrations",
]


class Store(SignOffs):
    """The SQLite store. Opening it creates the file and applies any pending migrations.

    Incidents, their raw inputs and name mapping, and append-only draft versions are here; lint
    acknowledgements, approvals and exports come from :class:`SignOffs`.

    Args:
        path: the database file; defaults to :func:`default_path`.
        clock: returns the current time; injectable so tests never depend on the wall clock.

    Raises:
        StoreError: the file cannot be opened, or is from a newer version of the app.
    """

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
        roles: dict[str, str] | None = None,
    ) -> int:
        """Append a draft version (versions are never overwritten); returns its id.

        ``roles`` (pseudonym -> role) are the roles the version's text is labelled with; None
        when they are those of the version before it.
        """
        with self._connect() as conn:
            cur = conn.execute(
                "INSERT INTO draft_versions (incident_id, created_at, kind, section,"
                " postmortem_json, provenance_json, roles_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    incident_id,
                    self._stamp(),
                    kind.value,
                    section,
                    postmortem_json,
                    json.dumps(provenance or {}, sort_keys=True),
                    None if roles is None else json.dumps(roles, sort_keys=True),
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

    def labelled_roles(self, incident_id: int, version_id: int) -> dict[str, str] | None:
        """The roles a version's text is labelled with: its own record or the latest before it.

        None when no version up to ``version_id`` recorded them (drafts stored before schema 2).
        """
        with self._connect() as conn:
            row = conn.execute(
                "SELECT roles_json FROM draft_versions WHERE incident_id = ? AND id <= ?"
                " AND roles_json IS NOT NULL ORDER BY id DESC LIMIT 1",
                (incident_id, version_id),
            ).fetchone()
        return None if row is None else dict(json.loads(row["roles_json"]))

    def latest_version(self, incident_id: int) -> DraftVersion | None:
        """The newest version of the incident's draft, or None before the first stage finished."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT * FROM draft_versions WHERE incident_id = ? ORDER BY id DESC LIMIT 1",
                (incident_id,),
            ).fetchone()
        return _version(row) if row is not None else None


def _version(row: sqlite3.Row) -> DraftVersion:
    return DraftVersion(
        id=row["id"],
        incident_id=row["incident_id"],
        created_at=row["created_at"],
        kind=VersionKind(row["kind"]),
        section=row["section"],
        postmortem_json=row["postmortem_json"],
        provenance=json.loads(row["provenance_json"]),
        roles=None if row["roles_json"] is None else json.loads(row["roles_json"]),
    )
