"""single sign-on: sign-ins waiting for the identity provider, one-time sign-in links, and
the ID token of a session that signed in through the provider

``pending_sso`` and ``sign_in_links`` are ephemeral (never exported). ``web_sessions`` gains
``id_token`` by ADD COLUMN, not by copying the table (on SQLite a copy is a new table).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("web_sessions", sa.Column("id_token", sa.Text(), nullable=True))
    op.create_table(
        "pending_sso",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("browser_hash", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=100), nullable=False),
        sa.Column("code_verifier", sa.String(length=200), nullable=False),
        sa.Column("next_path", sa.String(length=500), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_sso")),
        sa.UniqueConstraint("state_hash", name=op.f("uq_pending_sso_state_hash")),
    )
    op.create_index(op.f("ix_pending_sso_expires_at"), "pending_sso", ["expires_at"])
    op.create_table(
        "sign_in_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sign_in_links_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sign_in_links_token_hash")),
    )
    op.create_index(op.f("ix_sign_in_links_user_id"), "sign_in_links", ["user_id"])
    op.create_index(op.f("ix_sign_in_links_expires_at"), "sign_in_links", ["expires_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_sign_in_links_expires_at"), table_name="sign_in_links")
    op.drop_index(op.f("ix_sign_in_links_user_id"), table_name="sign_in_links")
    op.drop_table("sign_in_links")
    op.drop_index(op.f("ix_pending_sso_expires_at"), table_name="pending_sso")
    op.drop_table("pending_sso")
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_column("id_token")
