"""The schema at head, as SQLAlchemy Core tables: what the store's queries are written against.

The migrations in ``migrations/versions/`` are what create and change the database; these
definitions follow them (``alembic check`` compares the two).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

incidents = sa.Table(
    "incidents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),  # ISO 8601 from the store's clock
    sa.Column("updated_at", sa.Text, nullable=False),
    sa.Column("incident_date", sa.Text),  # ISO date
    sa.Column("timezone", sa.Text, nullable=False, server_default="UTC"),
    sa.Column("template", sa.Text, nullable=False, server_default="comprehensive"),
    sa.Column("author", sa.Text),  # the signed-in author's identity; NULL in single-user mode
    sa.Column("team", sa.Text, index=True),  # who may see it; NULL in single-user mode
    # The current version (compare-and-set target). No foreign key: it would make a cycle with
    # draft_versions.incident_id. NULL before the first version.
    sa.Column("head_version", sa.Integer),
    sqlite_autoincrement=True,
)

# Raw inputs never leave the machine (or the team's database); they live here so a reload or
# restart loses nothing.
transcripts = sa.Table(
    "transcripts",
    metadata,
    sa.Column(
        "incident_id",
        sa.Integer,
        sa.ForeignKey("incidents.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("raw_text", sa.Text, nullable=False),
    sa.Column("users_json", sa.Text),
    sa.Column("notes", sa.Text),
)

# The name mapping (real name -> pseudonym), confirmed roles (pseudonym -> role) and the
# decisions on detected names (name -> "confirmed" | "dismissed"), as JSON.
rosters = sa.Table(
    "rosters",
    metadata,
    sa.Column(
        "incident_id",
        sa.Integer,
        sa.ForeignKey("incidents.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("mapping_json", sa.Text, nullable=False, server_default="{}"),
    sa.Column("roles_json", sa.Text, nullable=False, server_default="{}"),
    sa.Column("decisions_json", sa.Text, nullable=False, server_default="{}"),
)

# Every version of the draft: each finished stage, generation, edit, regeneration and conflict.
draft_versions = sa.Table(
    "draft_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "incident_id",
        sa.Integer,
        sa.ForeignKey("incidents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("section", sa.Text),
    sa.Column("postmortem_json", sa.Text, nullable=False),
    sa.Column("provenance_json", sa.Text, nullable=False, server_default="{}"),
    sa.Column("roles_json", sa.Text),  # NULL: the roles of the version before it
    sa.Index("draft_versions_incident", "incident_id", "id"),
    sqlite_autoincrement=True,
)

lint_acks = sa.Table(
    "lint_acks",
    metadata,
    sa.Column(
        "incident_id",
        sa.Integer,
        sa.ForeignKey("incidents.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("finding_key", sa.Text, primary_key=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
)

approvals = sa.Table(
    "approvals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "incident_id",
        sa.Integer,
        sa.ForeignKey("incidents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("draft_versions.id"), nullable=False),
    sa.Column("reviewer", sa.Text, nullable=False),  # the name shown in the report
    sa.Column("approved_at", sa.Text, nullable=False),
    sa.Column("reviewer_id", sa.Text),  # a signed-in reviewer's identity (e-mail)
    sa.Column("verified", sa.Boolean, nullable=False, server_default=sa.false()),
    sqlite_autoincrement=True,
)

exports = sa.Table(
    "exports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "incident_id",
        sa.Integer,
        sa.ForeignKey("incidents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("draft_versions.id"), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sqlite_autoincrement=True,
)
