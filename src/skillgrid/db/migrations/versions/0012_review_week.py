"""review week: a person's official results by person; no data version

A growth page reads one person's official results across cycles: the results, clustered by
cycle, get an index by person. Every page and API answer is now computed on each request,
so the data version (counters that told app processes when kept answers went stale) goes.

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


def upgrade() -> None:
    op.create_index("ix_official_results_person", "official_results", ["person_id"])
    op.drop_table("data_version")


def downgrade() -> None:
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(table, [{"id": shard, "value": 0} for shard in range(1, 17)])
    op.drop_index("ix_official_results_person", table_name="official_results")
