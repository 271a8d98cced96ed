"""official results (stored summaries) and team targets

Finalized manager assessments that exist already get their summaries right after the
upgrade (``skillgrid.db.migrate.upgrade``), computed by the same code as on finalize against
the newest schema, so this migration never runs application code. On SQLite the summaries
are clustered by cycle (WITHOUT ROWID): reports read one cycle at a time.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 01:37:18.636717
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("track_key", sa.String(length=16), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["frameworks.id"],
            name=op.f("fk_targets_framework_id_frameworks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_targets_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targets")),
        sa.UniqueConstraint(
            "team_id",
            "framework_id",
            "track_key",
            name=op.f("uq_targets_team_id_framework_id_track_key"),
        ),
    )
    op.create_table(
        "official_results",
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("policy", sa.String(length=200), nullable=False),
        sa.Column("overall", sa.Integer(), nullable=False),
        sa.Column("top", sa.Integer(), nullable=False),
        sa.Column("gaps", sa.Integer(), nullable=False),
        sa.Column("delta_n", sa.Integer(), nullable=False),
        sa.Column("delta_sum", sa.Integer(), nullable=False),
        sa.Column("delta_squares", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_official_results_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["cycles.id"],
            name=op.f("fk_official_results_cycle_id_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["people.id"],
            name=op.f("fk_official_results_manager_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_official_results_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_official_results_team_id_teams"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("cycle_id", "person_id", name=op.f("pk_official_results")),
        sa.UniqueConstraint("assessment_id", name=op.f("uq_official_results_assessment_id")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("official_results", schema=None) as batch_op:
        batch_op.create_index(
            "ix_official_results_cycle_manager", ["cycle_id", "manager_id"], unique=False
        )
        batch_op.create_index(
            "ix_official_results_cycle_team_overall",
            ["cycle_id", "team_id", "overall"],
            unique=False,
        )

    op.create_table(
        "official_tracks",
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("track_key", sa.String(length=16), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("missing", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id", "person_id"],
            ["official_results.cycle_id", "official_results.person_id"],
            name=op.f("fk_official_tracks_cycle_id_person_id_official_results"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "cycle_id", "person_id", "track_key", name=op.f("pk_official_tracks")
        ),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("official_tracks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_official_tracks_cycle_team_track_level",
            ["cycle_id", "team_id", "track_key", "level"],
            unique=False,
        )
        batch_op.create_index(
            "ix_official_tracks_cycle_track_level_team",
            ["cycle_id", "track_key", "level", "team_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("official_tracks", schema=None) as batch_op:
        batch_op.drop_index("ix_official_tracks_cycle_track_level_team")
        batch_op.drop_index("ix_official_tracks_cycle_team_track_level")

    op.drop_table("official_tracks")
    with op.batch_alter_table("official_results", schema=None) as batch_op:
        batch_op.drop_index("ix_official_results_cycle_team_overall")
        batch_op.drop_index("ix_official_results_cycle_manager")

    op.drop_table("official_results")
    op.drop_table("targets")
