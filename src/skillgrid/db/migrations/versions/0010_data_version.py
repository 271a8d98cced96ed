"""the data version: counters raised with every change that a page can show

App processes keep rendered pages and API answers keyed by this number
(``skillgrid.web.response_cache``) and check it, with the caller's session or token, in one
query per request.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 04:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    # 16 counters, summed: commits raise one at random, so they seldom wait for each other
    op.bulk_insert(table, [{"id": shard, "value": 0} for shard in range(1, 17)])


def downgrade() -> None:
    op.drop_table("data_version")
