"""Teams and concurrency: incidents gain author, team and head_version; approvals gain identity.

``head_version`` is the current version's id, the target of the store's compare-and-set; it is
back-filled with each incident's newest version. ``approvals.reviewer_id`` is a signed-in
reviewer's identity and ``verified`` says the name came from sign-in, not a text box.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("author", sa.Text))
        batch.add_column(sa.Column("team", sa.Text))
        batch.add_column(sa.Column("head_version", sa.Integer))
        batch.create_index("ix_incidents_team", ["team"])
    with op.batch_alter_table("approvals") as batch:
        batch.add_column(sa.Column("reviewer_id", sa.Text))
        batch.add_column(
            sa.Column("verified", sa.Boolean, nullable=False, server_default=sa.false())
        )
    op.execute(
        "UPDATE incidents SET head_version ="
        " (SELECT max(d.id) FROM draft_versions d WHERE d.incident_id = incidents.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("approvals") as batch:
        batch.drop_column("verified")
        batch.drop_column("reviewer_id")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_index("ix_incidents_team")
        batch.drop_column("head_version")
        batch.drop_column("team")
        batch.drop_column("author")
