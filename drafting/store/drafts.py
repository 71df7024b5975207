"""Draft versions: append-only, with the incident's head moved by compare-and-set.

Every save appends a version and, in the same transaction, points ``incidents.head_version`` at
it. A save made against an older head (``expected_head``) is still appended, as a
:attr:`VersionKind.CONFLICT` version, and leaves the head alone: two people saving at once never
overwrite each other, and the one who lost is told. On PostgreSQL the compare-and-set is one
``UPDATE ... WHERE head_version IS NOT DISTINCT FROM :expected``, which re-reads the row after a
concurrent commit; on SQLite the version insert takes the write lock first, so saves queue.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, RowMapping, insert, select, update

from drafting.errors import VersionConflict
from drafting.store.base import new_id
from drafting.store.incidents import Incidents
from drafting.store.records import DraftVersion, VersionKind
from drafting.store.tables import draft_versions, incidents


class Drafts(Incidents):
    """Every version of an incident's draft, and which one is current."""

    def add_version(
        self,
        incident_id: int,
        kind: VersionKind,
        postmortem_json: str,
        *,
        provenance: dict[str, str] | None = None,
        section: str | None = None,
        roles: dict[str, str] | None = None,
        expected_head: int | None = None,
    ) -> int:
        """Append a draft version (versions are never overwritten) and make it current.

        ``roles`` (pseudonym -> role) are the roles the version's text is labelled with; None
        when they are those of the version before it. ``expected_head`` is the current version
        the change was made to; None saves unconditionally.

        Returns:
            The new version's id.

        Raises:
            VersionConflict: the current version is no longer ``expected_head``; the text was
                kept as a conflict version, and the current version is unchanged.
        """
        with self._connect() as conn:
            version_id = self._insert_version(
                conn, incident_id, kind, postmortem_json, provenance, section, roles
            )
            moved = update(incidents).where(incidents.c.id == incident_id)
            if expected_head is not None:
                moved = moved.where(incidents.c.head_version.is_not_distinct_from(expected_head))
            won = conn.execute(
                moved.values(head_version=version_id, updated_at=self._stamp())
            ).rowcount
            current = None if won else _demote(conn, incident_id, version_id)
        if won:
            return version_id
        theirs = "" if current is None else f" (version {current})"
        raise VersionConflict(
            f"Someone else saved a newer version of this draft{theirs} while you edited; your "
            f"text is kept as version {version_id} and the draft now shows theirs.",
            kept_version_id=version_id,
            current_version_id=current,
        )

    def head_version(self, incident_id: int) -> int | None:
        """The id of the incident's current version; None before its first version."""
        query = select(incidents.c.head_version).where(incidents.c.id == incident_id)
        with self._connect() as conn:
            head = conn.execute(query).scalar_one_or_none()
        return None if head is None else int(head)

    def versions(self, incident_id: int) -> list[DraftVersion]:
        """Every version of the incident's draft, conflicts included, oldest first."""
        query = (
            select(draft_versions)
            .where(draft_versions.c.incident_id == incident_id)
            .order_by(draft_versions.c.id)
        )
        with self._connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [_version(r) for r in rows]

    def labelled_roles(self, incident_id: int, version_id: int) -> dict[str, str] | None:
        """The roles a version's text is labelled with: its own record or the latest before it.

        None when no version up to ``version_id`` recorded them (drafts stored before schema 2).
        """
        query = (
            select(draft_versions.c.roles_json)
            .where(
                draft_versions.c.incident_id == incident_id,
                draft_versions.c.id <= version_id,
                draft_versions.c.roles_json.is_not(None),
            )
            .order_by(draft_versions.c.id.desc())
            .limit(1)
        )
        with self._connect() as conn:
            roles = conn.execute(query).scalar_one_or_none()
        return None if roles is None else dict(json.loads(roles))

    def latest_version(self, incident_id: int) -> DraftVersion | None:
        """The current version of the draft (never a conflict), or None before the first one."""
        query = (
            select(draft_versions)
            .join(incidents, incidents.c.head_version == draft_versions.c.id)
            .where(incidents.c.id == incident_id)
        )
        with self._connect() as conn:
            row = conn.execute(query).mappings().one_or_none()
        return _version(row) if row is not None else None

    def _insert_version(
        self,
        conn: Connection,
        incident_id: int,
        kind: VersionKind,
        postmortem_json: str,
        provenance: dict[str, str] | None,
        section: str | None,
        roles: dict[str, str] | None,
    ) -> int:
        # The first statement of the save is a write: on SQLite it takes the write lock (waiting
        # out the busy timeout) before the head is compared, so concurrent saves queue.
        result = conn.execute(
            insert(draft_versions).values(
                incident_id=incident_id,
                created_at=self._stamp(),
                kind=kind.value,
                section=section,
                postmortem_json=postmortem_json,
                provenance_json=json.dumps(provenance or {}, sort_keys=True),
                roles_json=None if roles is None else json.dumps(roles, sort_keys=True),
            )
        )
        return new_id(result)


def _demote(conn: Connection, incident_id: int, version_id: int) -> int | None:
    """Mark a version that lost the compare-and-set as a conflict; returns the current head."""
    conn.execute(
        update(draft_versions)
        .where(draft_versions.c.id == version_id)
        .values(kind=VersionKind.CONFLICT.value)
    )
    head = conn.execute(
        select(incidents.c.head_version).where(incidents.c.id == incident_id)
    ).scalar_one_or_none()
    return None if head is None else int(head)


def _version(row: RowMapping) -> DraftVersion:
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
