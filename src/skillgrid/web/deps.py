"""What routes depend on: who is calling, in the request's unit of work, and the CSRF check.

Blocking work never runs on the event loop, and each thread hop costs about as much as a
small query: the dependencies do no I/O (``async def``, no hop), and the route, a plain
``def`` run in the thread pool, checks who is calling and runs its use case in one
transaction::

    def page(user: CurrentUser, ...) -> Response:
        with user:  # the session, checked inside the request's transaction
            found = some_use_case(user.uow, user.actor, ...)
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from types import TracebackType
from typing import Annotated, Self

from fastapi import Depends, Form, HTTPException, Request
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from skillgrid.domain.accounts import WebSession
from skillgrid.domain.assessments import Actor
from skillgrid.services.invitations import Site
from skillgrid.services.sso import IdentityProvider
from skillgrid.services.sso_claims import SsoPolicy
from skillgrid.services.unit_of_work import UnitOfWork
from skillgrid.web.security import same

SESSION_COOKIE = "skillgrid_session"
LOGIN_CSRF_COOKIE = "skillgrid_login_csrf"
MAX_FORM_FIELDS = 4000  # an assessment of a big ladder: 4 fields a criterion


CHANGE_PASSWORD = "/account/password"


class NotSignedIn(Exception):
    """A page that needs a signed-in person was asked for without one."""


class MustChangePassword(Exception):
    """A page was asked for by a session that must change its password first (it signed in
    with a password the rules refuse): the app sends it to the change page."""


@dataclass(frozen=True)
class Sso:
    """Single sign-on as the app is configured: the identity provider and the policy."""

    provider: IdentityProvider
    policy: SsoPolicy


def sso_of(request: Request) -> Sso | None:
    """Single sign-on, or None where it is not configured (set by create_app)."""
    found: Sso | None = request.app.state.sso
    return found


def site_of(request: Request) -> Site:
    """What invitations depend on, as the app is configured (the mail server, set when the
    app starts)."""
    settings = request.app.state.settings
    mailer = getattr(request.app.state, "mailer", None)
    return Site(settings.password_sign_in, settings.base_url, mailer)


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
    """Who a session or token acts as. ``session`` is the browser's session (None for an
    API token); ``token`` the session cookie."""

    actor: Actor
    email: str
    session: WebSession | None
    token: str = ""


class Caller:
    """Who is calling, checked inside the request's unit of work: ``with user:`` opens it
    and looks up the session cookie (or, for the API, the bearer token first) in it; the
    use cases the route runs inside join the same transaction. A page without a live
    session redirects to sign-in; the API answers 401. A session that must change its
    password reaches only the routes that allow it (``flagged_ok``: the change page and
    sign-out); other pages redirect to the change page, and the API answers 403."""

    def __init__(
        self,
        uow: UnitOfWork,
        cookie: str | None,
        bearer: str | None,
        api: bool,
        flagged_ok: bool = False,
    ):
        self.uow, self.cookie, self.bearer, self.api = uow, cookie, bearer, api
        self.flagged_ok = flagged_ok
        self._found: SignedIn | None = None

    def __enter__(self) -> Self:
        self.uow.__enter__()
        try:
            self._found = self._sign_in()
        except BaseException:
            self.uow.__exit__(*sys.exc_info())
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.uow.__exit__(exc_type, exc, tb)

    def _sign_in(self) -> SignedIn:
        from skillgrid.services.accounts import session_caller, token_caller

        if self.api and self.bearer is not None:
            owner = token_caller(self.uow, self.bearer)
            if owner is None:
                raise HTTPException(
                    401,
                    "the API token is unknown or revoked",
                    headers={"WWW-Authenticate": "Bearer"},
                )
            return SignedIn(owner[1], owner[0], None)
        found = session_caller(self.uow, self.cookie) if self.cookie else None
        if found is not None and found[0].must_change_password and not self.flagged_ok:
            if self.api:
                raise HTTPException(
                    403,
                    "change your password first: this session signed in with a password the "
                    f"rules now refuse; change it at {CHANGE_PASSWORD} (API tokens still work)",
                )
            raise MustChangePassword()
        if found is not None:
            return SignedIn(found[1], found[0].email, found[0], self.cookie or "")
        if self.api:
            raise HTTPException(
                401,
                "sign in (session cookie) or send Authorization: Bearer TOKEN",
                headers={"WWW-Authenticate": "Bearer"},
            )
        raise NotSignedIn()

    @property
    def signed_in(self) -> SignedIn:
        if self._found is None:
            raise RuntimeError("who is calling is known only inside `with user:`")
        return self._found

    @property
    def actor(self) -> Actor:
        return self.signed_in.actor

    @property
    def email(self) -> str:
        return self.signed_in.email

    @property
    def session(self) -> WebSession | None:
        return self.signed_in.session

    @property
    def token(self) -> str:
        return self.signed_in.token


def bearer_of(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer TOKEN`` header (any case), or None."""
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def _caller(api: bool, flagged_ok: bool = False):  # type: ignore[no-untyped-def]
    async def caller(request: Request) -> Caller:
        cookie = request.cookies.get(SESSION_COOKIE)
        return Caller(request.app.state.uow_factory(), cookie, bearer_of(request), api, flagged_ok)

    return caller


page_caller, api_caller = _caller(api=False), _caller(api=True)
any_page_caller = _caller(api=False, flagged_ok=True)


def signed_in_or_none(request: Request) -> SignedIn | None:
    """The signed-in person, for the one page that also serves nobody (sign-in)."""
    from skillgrid.services.accounts import session_caller

    token = request.cookies.get(SESSION_COOKIE)
    found = session_caller(request.app.state.uow_factory(), token) if token else None
    return SignedIn(found[1], found[0].email, found[0], token or "") if found else None


def check_csrf(user: Caller | SignedIn, csrf_token: str | None) -> None:
    """The form's CSRF token is the session's (API calls with a token need none)."""
    session = user.session
    if session is None or not same(csrf_token, session.csrf_token):
        raise HTTPException(403, "the form is out of date or not from this site: reload and retry")


UowDep = Annotated[UnitOfWork, Depends(get_uow)]
CurrentUser = Annotated[Caller, Depends(page_caller)]
# also a session that must change its password first: only the change page and sign-out
AnySessionUser = Annotated[Caller, Depends(any_page_caller)]
ApiUser = Annotated[Caller, Depends(api_caller)]
MaybeUser = Annotated[SignedIn | None, Depends(signed_in_or_none)]
Csrf = Annotated[str, Form(max_length=100)]  # a form's CSRF token field (default "")
CsrfField = Annotated[str | None, Form()]
FormFields = Annotated[FormData, Depends(form_fields)]
