"""What routes depend on: a unit of work, the signed-in person, the CSRF check.

Blocking work never runs on the event loop, and each thread hop costs about as much as a
small query: the dependencies that do no I/O are ``async def`` (no hop), the one that reads
the session or token is a plain ``def`` (one hop), and the route itself, a plain ``def``,
is the other."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Request
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from skillgrid.domain.accounts import WebSession
from skillgrid.domain.assessments import Actor
from skillgrid.services.unit_of_work import UnitOfWork
from skillgrid.web.security import same

SESSION_COOKIE = "skillgrid_session"
LOGIN_CSRF_COOKIE = "skillgrid_login_csrf"
MAX_FORM_FIELDS = 4000  # an assessment of a big ladder: 4 fields a criterion


class NotSignedIn(Exception):
    """A page that needs a signed-in person was asked for without one."""


def templates_of(request: Request) -> Jinja2Templates:
    """The app's Jinja2 templates (set by create_app)."""
    found: Jinja2Templates = request.app.state.templates
    return found


async def get_uow(request: Request) -> UnitOfWork:
    """A unit of work (no I/O until a service opens it)."""
    uow: UnitOfWork = request.app.state.uow_factory()
    return uow


async def form_fields(request: Request) -> FormData:
    """A form whose field names are not known ahead (one per criterion), read on the loop
    without files."""
    return await request.form(max_fields=MAX_FORM_FIELDS, max_files=0)


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    session: WebSession
    token: str

    @property
    def email(self) -> str:
        return self.session.email


def signed_in_or_none(
    request: Request, uow: Annotated[UnitOfWork, Depends(get_uow)]
) -> SignedIn | None:
    from skillgrid.services.accounts import session_caller

    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    found = session_caller(uow, token)
    return SignedIn(found[1], found[0], token) if found is not None else None


async def signed_in(
    current: Annotated[SignedIn | None, Depends(signed_in_or_none)],
) -> SignedIn:
    if current is None:
        raise NotSignedIn()
    return current


@dataclass(frozen=True)
class ApiCaller:
    """Who calls the API: a browser session or a personal token."""

    actor: Actor
    email: str
    session: WebSession | None


def api_user(request: Request, uow: Annotated[UnitOfWork, Depends(get_uow)]) -> ApiCaller:
    from skillgrid.services.accounts import session_caller, token_caller

    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        found = token_caller(uow, header[7:].strip())
        if found is None:
            raise HTTPException(
                401, "the API token is unknown or revoked", headers={"WWW-Authenticate": "Bearer"}
            )
        owner, actor = found
        return ApiCaller(actor, owner, None)
    token = request.cookies.get(SESSION_COOKIE)
    session = session_caller(uow, token) if token else None
    if session is None:
        raise HTTPException(
            401,
            "sign in (session cookie) or send Authorization: Bearer TOKEN",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return ApiCaller(session[1], session[0].email, session[0])


def check_csrf(request: Request, user: SignedIn, csrf_token: str | None) -> None:
    if not same(csrf_token, user.session.csrf_token):
        raise HTTPException(403, "the form is out of date or not from this site: reload and retry")


UowDep = Annotated[UnitOfWork, Depends(get_uow)]
CurrentUser = Annotated[SignedIn, Depends(signed_in)]
ApiUser = Annotated[ApiCaller, Depends(api_user)]
MaybeUser = Annotated[SignedIn | None, Depends(signed_in_or_none)]
CsrfField = Annotated[str | None, Form()]
FormFields = Annotated[FormData, Depends(form_fields)]
