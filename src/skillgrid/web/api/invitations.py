"""Invitations over the API: invite someone to choose their own password (the one-time link
in the answer, and mailed when asked or, by default, when mail is configured), list the
pending ones, revoke one. The same use cases as ``skillgrid user invite`` and the admin
page, under the same rules (admins; everyone else gets 403)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from skillgrid.domain.accounts import INVITATION_DAYS, MAX_INVITATION_DAYS, Invitation
from skillgrid.domain.people import EMAIL_PATTERN
from skillgrid.web.api.errors import ERRORS
from skillgrid.web.api.json_body import StrictJsonRoute
from skillgrid.web.api.models import Answer
from skillgrid.web.deps import ApiUser, site_of

router = APIRouter(tags=["administration"], responses=ERRORS, route_class=StrictJsonRoute)
Email = Annotated[
    str, Path(max_length=320, pattern=f"^{EMAIL_PATTERN}$", description="The invited email.")
]


class InvitationCreate(BaseModel):
    email: str = Field(max_length=320, pattern=f"^{EMAIL_PATTERN}$")
    admin: bool = Field(False, description="Make it an administrator account.")
    days: int = Field(
        INVITATION_DAYS, ge=1, le=MAX_INVITATION_DAYS, description="How long the link works."
    )
    send: bool | None = Field(
        None,
        description="Email the link: true (refused when mail is not configured), false, or "
        "left out: when mail is configured.",
    )


class InvitationPublic(Answer):
    email: str
    admin: bool
    expires_at: dt.datetime
    expired: bool
    created_by: str = Field(description="Who invited, as the audit trail names them.")
    created_at: dt.datetime


class InvitationCreated(Answer):
    email: str
    admin: bool
    expires_at: dt.datetime
    link: str = Field(
        description="The one-time link, shown only in this answer: whole when "
        "SKILLGRID_BASE_URL is set, else its path."
    )
    emailed: bool
    mail_error: str | None = Field(description="Why mailing it failed (it still works).")


@router.post("/invitations", status_code=201, response_model=InvitationCreated)
def invite(request: Request, user: ApiUser, body: InvitationCreate) -> dict[str, Any]:
    """Invite someone to choose their own password: a person on file, or anyone as an
    admin; replaces their earlier invitation (admins)."""
    from skillgrid.services.invitations import create_invitation

    with user:
        issued = create_invitation(
            user.uow,
            body.email,
            site_of(request),
            admin=body.admin,
            days=body.days,
            send=body.send,
            actor=user.actor,
        )
    found = issued.invitation
    return {
        "email": found.email,
        "admin": found.is_admin,
        "expires_at": found.expires_at,
        "link": issued.link,
        "emailed": issued.emailed,
        "mail_error": issued.mail_error,
    }


@router.get("/invitations", response_model=list[InvitationPublic])
def pending(user: ApiUser) -> list[dict[str, Any]]:
    """The invitations not used yet, expired ones too, by email (admins)."""
    from skillgrid.services.invitations import list_invitations

    with user:
        found = list_invitations(user.uow, user.actor)
    now = dt.datetime.now(dt.UTC)
    return [_invitation_json(invitation, now) for invitation in found]


@router.delete("/invitations/{email}", status_code=204)
def revoke(user: ApiUser, email: Email) -> None:
    """Withdraw an invitation: its link stops working (admins)."""
    from skillgrid.services.invitations import revoke_invitation

    with user:
        revoke_invitation(user.uow, email, actor=user.actor)


def _invitation_json(invitation: Invitation, now: dt.datetime) -> dict[str, Any]:
    return {
        "email": invitation.email,
        "admin": invitation.is_admin,
        "expires_at": invitation.expires_at,
        "expired": invitation.expired(now),
        "created_by": invitation.created_by,
        "created_at": invitation.created_at,
    }
