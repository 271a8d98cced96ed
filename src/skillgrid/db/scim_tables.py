"""SCIM provisioning: the identity provider's tokens and the resources it provisioned
(re-exported by ``skillgrid.db.tables``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from skillgrid.db.base import Base


class ScimTokenRow(Base):
    """A bearer token of an identity provider; only its SHA-256 is stored. It reaches the
    SCIM routes and nothing else."""

    __tablename__ = "scim_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ScimResourceRow(Base):
    """A provisioned User (linked to a person) or Group (linked to a team); ``name_key``
    is the userName or displayName lower-cased (they compare without case)."""

    __tablename__ = "scim_resources"
    __table_args__ = (UniqueConstraint("kind", "name_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), unique=True
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(String(800))
    external_id: Mapped[str | None] = mapped_column(String(800), index=True)
    payload: Mapped[str] = mapped_column(Text)  # JSON
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    modified_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
