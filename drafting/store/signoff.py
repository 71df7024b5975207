"""The review's records: lint findings accepted with a reason, approvals, and exports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Insert, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from drafting.store.base import StoreBase
from drafting.store.records import ApprovalRecord
from drafting.store.tables import approvals, exports, lint_acks


class SignOffs(StoreBase):
    """Acknowledgements, approvals and exports of an incident's draft versions."""

    def acknowledge(self, incident_id: int, finding_key: str, reason: str) -> None:
        """Record that a lint finding is accepted as is, and why (replacing an earlier reason)."""
        with self._connect() as conn:
            conn.execute(
                _upsert_ack(conn).values(
                    incident_id=incident_id,
                    finding_key=finding_key,
                    reason=reason,
                    created_at=self._stamp(),
                )
            )
            self._touch(conn, incident_id)

    def acknowledgements(self, incident_id: int) -> dict[str, str]:
        """Acknowledged finding keys and their reasons."""
        query = select(lint_acks.c.finding_key, lint_acks.c.reason).where(
            lint_acks.c.incident_id == incident_id
        )
        with self._connect() as conn:
            rows = conn.execute(query).all()
        return {key: reason for key, reason in rows}

    def record_approval(
        self,
        incident_id: int,
        version_id: int,
        reviewer: str,
        *,
        reviewer_id: str | None = None,
        verified: bool = False,
    ) -> ApprovalRecord:
        """Record an approval of one draft version by a named reviewer.

        ``reviewer_id`` is a signed-in reviewer's identity and ``verified`` says the name comes
        from sign-in; a typed name in single-user mode has neither.
        """
        record = ApprovalRecord(
            incident_id=incident_id,
            version_id=version_id,
            reviewer=reviewer,
            approved_at=self._clock(),
            reviewer_id=reviewer_id,
            verified=verified,
        )
        with self._connect() as conn:
            conn.execute(
                insert(approvals).values(
                    {**record.model_dump(), "approved_at": record.approved_at.isoformat()}
                )
            )
            self._touch(conn, incident_id)
        return record

    def latest_approval(self, incident_id: int) -> ApprovalRecord | None:
        """The most recent approval, or None."""
        query = (
            select(
                approvals.c.incident_id,
                approvals.c.version_id,
                approvals.c.reviewer,
                approvals.c.approved_at,
                approvals.c.reviewer_id,
                approvals.c.verified,
            )
            .where(approvals.c.incident_id == incident_id)
            .order_by(approvals.c.id.desc())
            .limit(1)
        )
        with self._connect() as conn:
            row = conn.execute(query).mappings().one_or_none()
        return ApprovalRecord(**row) if row is not None else None

    def record_export(self, incident_id: int, version_id: int, kind: str) -> None:
        """Record that a version was exported (``markdown``, ``json``, ``csv``, ``audit``...)."""
        with self._connect() as conn:
            conn.execute(
                insert(exports).values(
                    incident_id=incident_id,
                    version_id=version_id,
                    kind=kind,
                    created_at=self._stamp(),
                )
            )

    def exports(self, incident_id: int) -> list[tuple[int, str]]:
        """``(version_id, kind)`` of every export of the incident, oldest first."""
        query = (
            select(exports.c.version_id, exports.c.kind)
            .where(exports.c.incident_id == incident_id)
            .order_by(exports.c.id)
        )
        with self._connect() as conn:
            rows = conn.execute(query).all()
        return [(int(version), str(kind)) for version, kind in rows]


def _upsert_ack(conn: Connection) -> Insert:
    """An insert into ``lint_acks`` that replaces the reason of an acknowledged finding."""
    keys = [lint_acks.c.incident_id, lint_acks.c.finding_key]
    if conn.dialect.name == "postgresql":
        on_pg = postgresql.insert(lint_acks)
        return on_pg.on_conflict_do_update(index_elements=keys, set_=_replaced(on_pg.excluded))
    on_sqlite = sqlite.insert(lint_acks)
    return on_sqlite.on_conflict_do_update(index_elements=keys, set_=_replaced(on_sqlite.excluded))


def _replaced(excluded: Any) -> dict[str, Any]:
    return {"reason": excluded.reason, "created_at": excluded.created_at}
