"""Incidents with their raw inputs, and each incident's roster (name mapping, roles, decisions)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import delete, exists, insert, select, update
from sqlalchemy.sql import Select

from drafting.errors import StoreError
from drafting.store.base import StoreBase, new_id
from drafting.store.records import Incident, IncidentSummary, RosterState
from drafting.store.tables import (
    approvals,
    draft_versions,
    exports,
    incidents,
    lint_acks,
    rosters,
    transcripts,
)

_Query = TypeVar("_Query", bound=Select[Any])


class Incidents(StoreBase):
    """Incidents and rosters. ``team`` filters are for signed-in users; None sees everything."""

    def create_incident(
        self,
        title: str,
        transcript: str,
        *,
        notes: str | None = None,
        users_json: str | None = None,
        incident_date: date | None = None,
        timezone: str = "UTC",
        author: str | None = None,
        team: str | None = None,
    ) -> int:
        """Store a new incident with its raw inputs; returns its id.

        ``author`` (a signed-in identity) and ``team`` are None in single-user mode.
        """
        now = self._stamp()
        with self._connect() as conn:
            result = conn.execute(
                insert(incidents).values(
                    title=title,
                    created_at=now,
                    updated_at=now,
                    incident_date=incident_date.isoformat() if incident_date else None,
                    timezone=timezone,
                    author=author,
                    team=team,
                )
            )
            incident_id = new_id(result)
            conn.execute(
                insert(transcripts).values(
                    incident_id=incident_id, raw_text=transcript, users_json=users_json, notes=notes
                )
            )
            conn.execute(insert(rosters).values(incident_id=incident_id))
        return incident_id

    def update_incident(
        self, incident_id: int, *, title: str | None = None, template: str | None = None
    ) -> None:
        """Rename an incident or change its export template."""
        changes = {"title": title, "template": template}
        with self._connect() as conn:
            values = {k: v for k, v in changes.items() if v is not None}
            if values:
                conn.execute(update(incidents).where(incidents.c.id == incident_id).values(values))
            self._touch(conn, incident_id)

    def get_incident(self, incident_id: int, *, team: str | None = None) -> Incident:
        """The incident and its raw inputs.

        With ``team``, another team's incident (or one with no team) is not found either.

        Raises:
            StoreError: there is no such incident (for this team).
        """
        query = (
            select(incidents, transcripts.c.raw_text, transcripts.c.users_json, transcripts.c.notes)
            .join(transcripts, transcripts.c.incident_id == incidents.c.id)
            .where(incidents.c.id == incident_id)
        )
        with self._connect() as conn:
            row = conn.execute(_for_team(query, team)).mappings().one_or_none()
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
            author=row["author"],
            team=row["team"],
        )

    def list_incidents(self, *, team: str | None = None) -> list[IncidentSummary]:
        """Every incident (of ``team``, when given), most recently updated first."""
        approved = exists().where(approvals.c.incident_id == incidents.c.id).label("approved")
        query = select(
            incidents.c.id,
            incidents.c.title,
            incidents.c.updated_at,
            approved,
            incidents.c.team,
            incidents.c.author,
        ).order_by(incidents.c.updated_at.desc(), incidents.c.id.desc())
        with self._connect() as conn:
            rows = conn.execute(_for_team(query, team)).mappings().all()
        return [IncidentSummary(**r) for r in rows]

    def delete_incident(self, incident_id: int) -> None:
        """Remove an incident and everything stored about it (raw transcript, mapping, drafts)."""
        with self._connect() as conn:
            for table in (exports, approvals, lint_acks, draft_versions, rosters, transcripts):
                conn.execute(delete(table).where(table.c.incident_id == incident_id))
            conn.execute(delete(incidents).where(incidents.c.id == incident_id))

    # Roster ----------------------------------------------------------------------------------

    def save_roster(self, incident_id: int, state: RosterState) -> None:
        """Replace the stored mapping, roles and name decisions."""
        with self._connect() as conn:
            conn.execute(
                update(rosters)
                .where(rosters.c.incident_id == incident_id)
                .values(
                    mapping_json=json.dumps(state.mapping, sort_keys=True),
                    roles_json=json.dumps(state.roles, sort_keys=True),
                    decisions_json=json.dumps(state.decisions, sort_keys=True),
                )
            )
            self._touch(conn, incident_id)

    def load_roster(self, incident_id: int) -> RosterState:
        """The stored mapping, roles and name decisions (empty when none were saved)."""
        query = select(rosters).where(rosters.c.incident_id == incident_id)
        with self._connect() as conn:
            row = conn.execute(query).mappings().one_or_none()
        if row is None:
            return RosterState()
        return RosterState(
            mapping=json.loads(row["mapping_json"]),
            roles=json.loads(row["roles_json"]),
            decisions=json.loads(row["decisions_json"]),
        )


def _for_team(query: _Query, team: str | None) -> _Query:
    """``query`` limited to one team's incidents; unchanged when ``team`` is None."""
    return query if team is None else query.where(incidents.c.team == team)
