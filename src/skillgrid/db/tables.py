"""SQLAlchemy 2 rows. Repositories turn them into domain objects; nothing else sees them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column

from skillgrid.db.account_tables import (
    ApiTokenRow,
    InvitationRow,
    PendingSsoRow,
    SignInFailureRow,
    SignInLinkRow,
    SsoIdentityRow,
    TrustedDeviceRow,
    UserRow,
    WebSessionRow,
)
from skillgrid.db.base import NAMING, Base
from skillgrid.db.notification_tables import (
    DeliveryRow,
    DigestSentRow,
    MailOptOutRow,
    WebhookRow,
)
from skillgrid.db.scim_tables import ScimResourceRow, ScimTokenRow
from skillgrid.domain.assessments import cycle_key


class FrameworkRow(Base):
    """A ladder by name; its content lives in its versions."""

    __tablename__ = "frameworks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    policy: Mapped[str] = mapped_column(String(32), default="strict", server_default="strict")
    policy_tables: Mapped[str | None] = mapped_column(Text)  # JSON for points policies
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class FrameworkVersionRow(Base):
    """One immutable version of a ladder."""

    __tablename__ = "framework_versions"
    __table_args__ = (UniqueConstraint("framework_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(Text)
    source_format: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class LevelRow(Base):
    __tablename__ = "levels"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("framework_versions.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)


class TrackRow(Base):
    __tablename__ = "tracks"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    version_id: Mapped[int] = mapped_column(
        ForeignKey("framework_versions.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)


class CriterionIdentityRow(Base):
    """The identity a criterion keeps across versions (ratings and evidence point here)."""

    __tablename__ = "criterion_identities"

    uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))


class CriterionRow(Base):
    """A criterion as it stands in one version; ``change`` is relative to the previous one."""

    __tablename__ = "criteria"
    __table_args__ = (
        UniqueConstraint("version_id", "track_key", "level", "position"),
        UniqueConstraint("version_id", "uid"),
        ForeignKeyConstraint(
            ["version_id", "track_key"], ["tracks.version_id", "tracks.key"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["version_id", "level"], ["levels.version_id", "levels.number"], ondelete="CASCADE"
        ),
        Index("ix_criteria_uid", "uid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(ForeignKey("criterion_identities.uid"))
    track_key: Mapped[str] = mapped_column(String(16))
    level: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    change: Mapped[str] = mapped_column(String(16))
    examples: Mapped[str | None] = mapped_column(Text)  # a JSON list of strings


class TeamRow(Base):
    """A team; teams nest through ``parent_id``."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="RESTRICT"))


class PersonRow(Base):
    """A person; ``email`` is stored lower-case and unique."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="RESTRICT"), index=True
    )
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class CycleName(TypeDecorator[str]):
    """A cycle's name, NFC on the way in: every statement that stores a cycle or looks one
    up by name (a URL, `--cycle`, an API path) compares in the one stored form, so "ü"
    typed as u + combining diaeresis finds the cycle (domain.assessments.cycle_key)."""

    impl = String(100)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else cycle_key(value)


class CycleRow(Base):
    """A review period pinned to one framework version."""

    __tablename__ = "cycles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(CycleName, unique=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id"))
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    self_due: Mapped[dt.date | None] = mapped_column(Date)
    manager_due: Mapped[dt.date | None] = mapped_column(Date)
    calibration_due: Mapped[dt.date | None] = mapped_column(Date)
    close_due: Mapped[dt.date | None] = mapped_column(Date)


class AssessmentRow(Base):
    """(person, cycle, rater); ``revision`` grows with every write (optimistic locking)."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("person_id", "cycle_id", "rater"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    rater: Mapped[str] = mapped_column(String(320))
    state: Mapped[str] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class RatingRow(Base):
    """One criterion's rating in an assessment, by the criterion's stable identity."""

    __tablename__ = "ratings"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    criterion_uid: Mapped[str] = mapped_column(
        ForeignKey("criterion_identities.uid"), primary_key=True
    )
    rating: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    # set when the cycle moved to a ladder version that reworded or moved the criterion
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # where it moved ("moved from level 2 to level 3"); null: reworded only, or no flag
    review_reason: Mapped[str | None] = mapped_column(Text)


class EvidenceRow(Base):
    """An evidence item owned by a person."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(Date)
    text: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class EvidenceLinkRow(Base):
    """Evidence ↔ criterion identity (many to many)."""

    __tablename__ = "evidence_links"
    # the learning loop reads the newest items linked to each criterion of a ladder (#15)
    __table_args__ = (Index("ix_evidence_links_criterion", "criterion_uid", "evidence_id"),)

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True
    )
    criterion_uid: Mapped[str] = mapped_column(
        ForeignKey("criterion_identities.uid"), primary_key=True
    )


class OfficialResultRow(Base):
    """A person's official result in a cycle, stored when the manager assessment is
    finalized, so team and org reports read summaries instead of every rating. The
    ``delta_*`` columns sum (manager − self) over the criteria both rated on the scale;
    ``team_id`` follows the person's team (reports group by it without a join)."""

    __tablename__ = "official_results"
    __table_args__ = (
        Index("ix_official_results_cycle_manager", "cycle_id", "manager_id"),
        Index("ix_official_results_cycle_team_overall", "cycle_id", "team_id", "overall"),
        Index("ix_official_results_person", "person_id"),
        {"sqlite_with_rowid": False},  # rows clustered by cycle: reports read one cycle
    )

    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("cycles.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    policy: Mapped[str] = mapped_column(String(200))
    overall: Mapped[int] = mapped_column(Integer)
    top: Mapped[int] = mapped_column(Integer)
    gaps: Mapped[int] = mapped_column(Integer)
    delta_n: Mapped[int] = mapped_column(Integer, default=0)
    delta_sum: Mapped[int] = mapped_column(Integer, default=0)
    delta_squares: Mapped[int] = mapped_column(Integer, default=0)


class OfficialTrackRow(Base):
    """One track of an official result: its level, and ``missing``, the ids of the track's
    unmet criteria (space-separated), which say how close someone is to any target on the
    track and what they lack. ``team_id`` follows the person's team."""

    __tablename__ = "official_tracks"
    __table_args__ = (
        ForeignKeyConstraint(
            ["cycle_id", "person_id"],
            ["official_results.cycle_id", "official_results.person_id"],
            ondelete="CASCADE",
        ),
        Index(
            "ix_official_tracks_cycle_team_track_level", "cycle_id", "team_id", "track_key", "level"
        ),
        Index(
            "ix_official_tracks_cycle_track_level_team", "cycle_id", "track_key", "level", "team_id"
        ),
        {"sqlite_with_rowid": False},
    )

    cycle_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    track_key: Mapped[str] = mapped_column(String(16), primary_key=True)
    team_id: Mapped[int | None] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    missing: Mapped[str] = mapped_column(Text)


class TargetRow(Base):
    """What a team needs: at least ``people`` people at ``track_key`` ≥ ``level`` on one
    ladder."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("team_id", "framework_id", "track_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    track_key: Mapped[str] = mapped_column(String(16))
    level: Mapped[int] = mapped_column(Integer)
    people: Mapped[int] = mapped_column(Integer)


class AuditEntryRow(Base):
    """One change, written in the same transaction as the change; never updated or deleted
    by the app. No foreign keys: the trail outlives what it names."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_person_at", "person", "at"),
        Index("ix_audit_entries_entity", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(800))
    person: Mapped[str | None] = mapped_column(String(320))
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON


__all__ = [  # the account and SCIM tables are defined beside; all are reached from here
    "NAMING",
    "ApiTokenRow",
    "Base",
    "DeliveryRow",
    "DigestSentRow",
    "InvitationRow",
    "MailOptOutRow",
    "PendingSsoRow",
    "ScimResourceRow",
    "ScimTokenRow",
    "SignInFailureRow",
    "SignInLinkRow",
    "SsoIdentityRow",
    "TrustedDeviceRow",
    "UserRow",
    "WebSessionRow",
    "WebhookRow",
]
