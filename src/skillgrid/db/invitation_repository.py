"""Invitations to choose a password: one per email, found by the SHA-256 of their token."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from skillgrid.db.base import aware
from skillgrid.db.tables import InvitationRow
from skillgrid.domain.accounts import Invitation


class SqlInvitationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, invitation: Invitation, token_hash: str) -> None:
        """Keep ``invitation`` under ``token_hash``, in place of the email's earlier one
        (whose link stops working)."""
        self.remove(invitation.email)
        self.session.add(
            InvitationRow(
                email=invitation.email,
                token_hash=token_hash,
                is_admin=invitation.is_admin,
                expires_at=invitation.expires_at,
                created_by=invitation.created_by,
                created_at=invitation.created_at,
            )
        )
        self.session.flush()

    def find(self, token_hash: str) -> Invitation | None:
        row = self.session.scalar(
            select(InvitationRow).where(InvitationRow.token_hash == token_hash)
        )
        return _invitation(row) if row is not None else None

    def take(self, token_hash: str) -> bool:
        """Delete the invitation of ``token_hash``: False if it is gone already (whoever
        takes it first, in any process, has it, and nobody after)."""
        taken = self.session.execute(
            delete(InvitationRow)
            .where(InvitationRow.token_hash == token_hash)
            .returning(InvitationRow.id)
        ).first()
        return taken is not None

    def pending(self) -> list[Invitation]:
        """Every invitation not used yet (expired ones too), by email."""
        rows = self.session.scalars(select(InvitationRow).order_by(InvitationRow.email))
        return [_invitation(row) for row in rows]

    def remove(self, email: str) -> bool:
        """Delete the email's invitation; False if it had none."""
        removed = self.session.execute(
            delete(InvitationRow).where(InvitationRow.email == email).returning(InvitationRow.id)
        ).first()
        return removed is not None


def _invitation(row: InvitationRow) -> Invitation:
    return Invitation(
        row.email, row.is_admin, aware(row.expires_at), row.created_by, aware(row.created_at)
    )
