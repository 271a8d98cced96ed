"""The page an invitation's link opens (:mod:`skillgrid.services.invitations`): the invited
person chooses their password, twice, and is signed in on their home. The form is
CSRF-protected as the sign-in form is (a cookie and a field that must match); after a
refusal it shows why, and keeps nothing of the password. A link that cannot be used gets a
page that says to ask an admin for a new invitation (with password sign-in off: to sign in
through SSO). The link previewer that fetches the page uses nothing up."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from skillgrid.domain.accounts import ADVICE, MIN_PASSWORD, AccountError, InvitationRefused
from skillgrid.services.invitations import PATH, SSO_ONLY
from skillgrid.web.deps import Csrf, UowDep, templates_of
from skillgrid.web.pages.auth import sentence, session_started, signed_out_form, signed_out_page

router = APIRouter(include_in_schema=False)
log = logging.getLogger("skillgrid.sign_in")
Token = Annotated[str, Path(max_length=100)]
Password = Annotated[str, Form(max_length=1000)]


@router.get(PATH + "{token}")
def invitation_page(request: Request, uow: UowDep, token: Token) -> Response:
    """The form that chooses the invited account's password."""
    return _form(request, uow, token, None)


@router.post(PATH + "{token}")
def choose_password(
    request: Request,
    uow: UowDep,
    token: Token,
    new_password: Password,
    repeat_password: Password,
    csrf_token: Csrf = "",
) -> Response:
    """Set the password, use the invitation up, sign the person in on their home."""
    from skillgrid.services.invitations import accept_invitation

    address = signed_out_form(request, csrf_token)
    try:
        session_token, session = accept_invitation(
            uow,
            token,
            new_password,
            repeat_password,
            address=address,
            password_sign_in=_passwords(request),
        )
    except InvitationRefused as refusal:
        log.warning("invitation refused: %s", refusal)
        return _refused(request, refusal)
    except AccountError as error:
        return _form(request, uow, token, str(error), 422)
    return session_started(request, "/", session_token, session)


def _passwords(request: Request) -> bool:
    return bool(request.app.state.settings.password_sign_in)


def _form(
    request: Request, uow: UowDep, token: str, error: str | None, status: int = 200
) -> Response:
    """The form (a fresh CSRF cookie with it); after a refusal the reason, no password.
    For an invitation that cannot be used, the page that says why."""
    from skillgrid.services.invitations import invitation_for

    try:
        invitation = invitation_for(uow, token, password_sign_in=_passwords(request))
    except InvitationRefused as refusal:
        return _refused(request, refusal)
    message = sentence(error) + "." if error else None
    page = {
        "invitation": invitation,
        "token": token,
        "error": message,
        "min_length": MIN_PASSWORD,
        "advice": ADVICE,
    }
    return signed_out_page(request, "invite.html", page, status)


def _refused(request: Request, refusal: InvitationRefused) -> Response:
    """The page that says why the invitation cannot be used: 403 when passwords are off
    or the person has left, 404 for a link that is unknown, used or expired."""
    message = str(refusal)
    sso_only = message == SSO_ONLY
    status = 403 if sso_only or "left" in message else 404
    return templates_of(request).TemplateResponse(
        request,
        "invite_refused.html",
        {
            "user": None,
            "message": sentence(message) + ".",
            "sso_only": sso_only,
            "sso": request.app.state.settings.sso_enabled,
        },
        status_code=status,
    )
