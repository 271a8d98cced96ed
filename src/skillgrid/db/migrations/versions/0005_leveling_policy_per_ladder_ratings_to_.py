"""leveling policy per ladder; ratings to review after a ladder change

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 23:54:04.665955
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("frameworks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("policy", sa.String(length=32), server_default="strict", nullable=False)
        )
        batch_op.add_column(sa.Column("policy_tables", sa.Text(), nullable=True))

    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("needs_review", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.drop_column("needs_review")

    with op.batch_alter_table("frameworks", schema=None) as batch_op:
        batch_op.drop_column("policy_tables")
        batch_op.drop_column("policy")
