"""The review's records: lint findings accepted with a reason, approvals, and exports."""

from __future__ import annotations

from drafting.store.base import StoreBase
from drafting.store.records import ApprovalRecord


class SignOffs(StoreBase):
    """Acknowledgements, approvals and exports of an incident's draft versions."""

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
