"""ratings.review_reason: where a criterion moved ("moved from level 2 to level 3") when a
cycle's move to a new ladder version flagged its rating for re-check; null for a
criterion only reworded (as every flag before this revision)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 04:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ratings") as batch_op:
        batch_op.add_column(sa.Column("review_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ratings") as batch_op:
        batch_op.drop_column("review_reason")
