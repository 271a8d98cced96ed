"""frameworks, versions, levels, tracks and criteria

Revision ID: 0001
Revises:
Create Date: 2026-11-27 23:08:56.807963
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "frameworks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_frameworks")),
        sa.UniqueConstraint("name", name=op.f("uq_frameworks_name")),
    )
    op.create_table(
        "criterion_identities",
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["frameworks.id"],
            name=op.f("fk_criterion_identities_framework_id_frameworks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_criterion_identities")),
    )
    op.create_table(
        "framework_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("source_format", sa.String(length=16), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["frameworks.id"],
            name=op.f("fk_framework_versions_framework_id_frameworks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_versions")),
        sa.UniqueConstraint(
            "framework_id", "version", name=op.f("uq_framework_versions_framework_id_version")
        ),
    )
    op.create_table(
        "levels",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["framework_versions.id"],
            name=op.f("fk_levels_version_id_framework_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "number", name=op.f("pk_levels")),
    )
    op.create_table(
        "tracks",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["framework_versions.id"],
            name=op.f("fk_tracks_version_id_framework_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "key", name=op.f("pk_tracks")),
        sa.UniqueConstraint("version_id", "position", name=op.f("uq_tracks_version_id_position")),
    )
    op.create_table(
        "criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("track_key", sa.String(length=16), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("change", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["uid"], ["criterion_identities.uid"], name=op.f("fk_criteria_uid_criterion_identities")
        ),
        sa.ForeignKeyConstraint(
            ["version_id", "level"],
            ["levels.version_id", "levels.number"],
            name=op.f("fk_criteria_version_id_level_levels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id", "track_key"],
            ["tracks.version_id", "tracks.key"],
            name=op.f("fk_criteria_version_id_track_key_tracks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["framework_versions.id"],
            name=op.f("fk_criteria_version_id_framework_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criteria")),
        sa.UniqueConstraint(
            "version_id",
            "track_key",
            "level",
            "position",
            name=op.f("uq_criteria_version_id_track_key_level_position"),
        ),
        sa.UniqueConstraint("version_id", "uid", name=op.f("uq_criteria_version_id_uid")),
    )
    op.create_index("ix_criteria_uid", "criteria", ["uid"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_criteria_uid", table_name="criteria")
    op.drop_table("criteria")
    op.drop_table("tracks")
    op.drop_table("levels")
    op.drop_table("framework_versions")
    op.drop_table("criterion_identities")
    op.drop_table("frameworks")
