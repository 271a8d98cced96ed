"""What routes depend on: a unit of work, the signed-in person, the CSRF check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Request
from fastapi.templating import Jinja2Templates

from skillgrid.domain.accounts import WebSession
from skillgrid.domain.assessments import Actor
from skillgrid.services.unit_of_work import UnitOfWork
from skillgrid.web.response_cache import Credential
from skillgrid.web.security import same

SESSION_COOKIE = "skillgrid_session"
LOGIN_CSRF_COOKIE = "skillgrid_login_csrf"


class NotSignedIn(Exception):
    """A page that needs a signed-in person was asked for without one."""


def templates_of(request: Request) -> Jinja2Templates:
    """The app's Jinja2 templates (set by create_app)."""
    found: Jinja2Templates = request.app.state.templates
    return found


def get_uow(request: Request) -> UnitOfWork:
    uow: UnitOfWork = request.app.state.uow_factory()
    return uow


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    session: WebSession
    token: str

    @property
    def email(self) -> str:
        return self.session.email

    @property
    def credential(self) -> Credential:
        """The session, for answers the response cache keeps until it ends."""
        return Credential("session", self.session.token_hash, self.session.expires_at.timestamp())


def signed_in_or_none(request: Request) -> SignedIn | None:
    from skillgrid.services.accounts import session_caller

    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    found = session_caller(get_uow(request), token)
    return SignedIn(found[1], found[0], token) if found is not None else None


def signed_in(request: Request) -> SignedIn:
    current = signed_in_or_none(request)
    if current is None:
        raise NotSignedIn()
    return current


@dataclass(frozen=True)
class ApiCaller:
    """Who calls the API: a browser session or a personal token."""

    actor: Actor
    email: str
    session: WebSession | None
    credential: Credential


def api_user(request: Request) -> ApiCaller:
    from skillgrid.services.accounts import token_caller, token_digest

    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        token = header[7:].strip()
        found = token_caller(get_uow(request), token)
        if found is None:
            raise HTTPException(
                401, "the API token is unknown or revoked", headers={"WWW-Authenticate": "Bearer"}
            )
        owner, actor = found
        return ApiCaller(actor, owner, None, Credential("token", token_digest(token)))
    current = signed_in_or_none(request)
    if current is None:
        raise HTTPException(
            401,
            "sign in (session cookie) or send Authorization: Bearer TOKEN",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return ApiCaller(current.actor, current.email, current.session, current.credential)


def check_csrf(request: Request, user: SignedIn, csrf_token: str | None) -> None:
    if not same(csrf_token, user.session.csrf_token):
        raise HTTPException(403, "the form is out of date or not from this site: reload and retry")


UowDep = Annotated[UnitOfWork, Depends(get_uow)]
CurrentUser = Annotated[SignedIn, Depends(signed_in)]
ApiUser = Annotated[ApiCaller, Depends(api_user)]
MaybeUser = Annotated[SignedIn | None, Depends(signed_in_or_none)]
CsrfField = Annotated[str | None, Form()]
