"""criterion examples: lines of typical work that evidence a criterion (#15)

Stored with the criterion in its version (a JSON list of strings, NULL when it has none), so
they are versioned with the criterion's identity like its text. An index on evidence links by
criterion serves the learning loop, which reads the newest evidence of each criterion.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("criteria", sa.Column("examples", sa.Text(), nullable=True))
    op.create_index(
        "ix_evidence_links_criterion", "evidence_links", ["criterion_uid", "evidence_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_evidence_links_criterion", table_name="evidence_links")
    with op.batch_alter_table("criteria") as batch:
        batch.drop_column("examples")
