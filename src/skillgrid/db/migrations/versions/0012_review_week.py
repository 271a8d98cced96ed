"""review week: indexes for what one person's pages read; no data version

A growth page reads one person's official results across cycles (the results are clustered
by cycle), a manager's pages read the people below them (by manager, recursively) and their
team's people, an assessment page the person's evidence: each gets an index. Every page and
API answer is now computed on each request, so the data version (counters that told app
processes when kept answers went stale) goes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


INDEXES = (
    ("ix_official_results_person", "official_results", "person_id"),
    ("ix_people_manager_id", "people", "manager_id"),
    ("ix_people_team_id", "people", "team_id"),
    ("ix_evidence_person_id", "evidence", "person_id"),
)


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])
    op.drop_table("data_version")


def downgrade() -> None:
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(table, [{"id": shard, "value": 0} for shard in range(1, 17)])
    for name, table_name, _ in INDEXES:
        op.drop_index(name, table_name=table_name)
