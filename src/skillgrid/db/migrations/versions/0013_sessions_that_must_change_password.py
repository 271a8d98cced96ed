"""password rules: a session signed in with a weak password must change it first

Accounts made before the rules of #13 (12 characters, not common, not the email) keep
working; a sign-in with a password the rules refuse marks its session, and such a session
reaches only the change page. Sessions already open are not marked.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # add_column, not batch mode: on SQLite a copied web_sessions would be a new table
    op.add_column(
        "web_sessions",
        sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_column("must_change_password")
