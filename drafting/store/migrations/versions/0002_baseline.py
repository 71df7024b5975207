"""Baseline: schema 2 of the SQL-era store (``legacy/0001_initial.sql`` and ``0002_*.sql``).

Written with SQLAlchemy types so it creates the same tables on SQLite and PostgreSQL. An SQLite
file from the SQL era is brought to schema 2 by the old SQL and stamped with this revision instead
of running it (see :mod:`drafting.store.schema`).

Revision ID: 0002
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = None
branch_labels = None
depends_on = None


def _incident_fk(*, primary_key: bool = False) -> sa.Column[int]:
    return sa.Column(
        "incident_id",
        sa.Integer,
        sa.ForeignKey("incidents.id", ondelete="CASCADE"),
        primary_key=primary_key,
        nullable=False,
        autoincrement=False,
    )


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.Column("incident_date", sa.Text),
        sa.Column("timezone", sa.Text, nullable=False, server_default="UTC"),
        sa.Column("template", sa.Text, nullable=False, server_default="comprehensive"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "transcripts",
        _incident_fk(primary_key=True),
        sa.Column("raw_text", sa.Text, nullable=False),
        sa.Column("users_json", sa.Text),
        sa.Column("notes", sa.Text),
    )
    op.create_table(
        "rosters",
        _incident_fk(primary_key=True),
        sa.Column("mapping_json", sa.Text, nullable=False, server_default="{}"),
        sa.Column("roles_json", sa.Text, nullable=False, server_default="{}"),
        sa.Column("decisions_json", sa.Text, nullable=False, server_default="{}"),
    )
    op.create_table(
        "draft_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        _incident_fk(),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("section", sa.Text),
        sa.Column("postmortem_json", sa.Text, nullable=False),
        sa.Column("provenance_json", sa.Text, nullable=False, server_default="{}"),
        sa.Column("roles_json", sa.Text),
        sqlite_autoincrement=True,
    )
    op.create_index("draft_versions_incident", "draft_versions", ["incident_id", "id"])
    op.create_table(
        "lint_acks",
        _incident_fk(primary_key=True),
        sa.Column("finding_key", sa.Text, primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
    )
    for name, columns in (
        ("approvals", ("reviewer", "approved_at")),
        ("exports", ("kind", "created_at")),
    ):
        op.create_table(
            name,
            sa.Column("id", sa.Integer, primary_key=True),
            _incident_fk(),
            sa.Column("version_id", sa.Integer, sa.ForeignKey("draft_versions.id"), nullable=False),
            *(sa.Column(c, sa.Text, nullable=False) for c in columns),
            sqlite_autoincrement=True,
        )


def downgrade() -> None:
    for table in (
        "exports",
        "approvals",
        "lint_acks",
        "draft_versions",
        "rosters",
        "transcripts",
        "incidents",
    ):
        op.drop_table(table)
