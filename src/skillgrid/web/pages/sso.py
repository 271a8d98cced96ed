"""Single sign-on (OpenID Connect, the rules in :mod:`skillgrid.services.sso`) and one-time
sign-in links for admins (:mod:`skillgrid.services.sign_in_links`).

``/auth/oidc/login`` sends the browser to the identity provider, with a cookie that ties the
sign-in to this browser (``skillgrid_sso``: HttpOnly, SameSite=Lax, 10 minutes, sent to
``/auth/oidc`` only); ``/auth/oidc/callback`` is the redirect URI registered with the
provider. Where single sign-on is not configured both answer 404. A refused sign-in gets a
page that says why and whom to ask."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from skillgrid.services.sso import Callback, finish, start
from skillgrid.services.sso_claims import SsoRefused
from skillgrid.web.deps import Csrf, MaybeUser, Sso, UowDep, sso_of, templates_of
from skillgrid.web.pages.auth import (
    safe_next,
    secure_cookies,
    sentence,
    session_started,
    signed_out_form,
    signed_out_page,
)

router = APIRouter(include_in_schema=False)
log = logging.getLogger("skillgrid.sign_in")
SSO_COOKIE = "skillgrid_sso"  # ties a sign-in at the provider to the browser that began it
CALLBACK = "/auth/oidc/callback"
Param = Annotated[str | None, Query(max_length=4096)]


def _configured(request: Request) -> Sso:
    sso = sso_of(request)
    if sso is None:
        raise HTTPException(404, "single sign-on is not configured here: sign in with a password")
    return sso


def _redirect_uri(request: Request) -> str:
    return str(request.app.state.settings.base_url) + CALLBACK.lstrip("/")


@router.get("/auth/oidc/login")
def sso_login(
    request: Request,
    uow: UowDep,
    user: MaybeUser,
    next: Annotated[str, Query(max_length=500)] = "/",
) -> Response:
    """Send the browser to the identity provider to sign in ("Sign in with SSO")."""
    sso = _configured(request)
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    try:
        started = start(
            uow,
            sso.provider,
            redirect_uri=_redirect_uri(request),
            next_path=safe_next(next),
            browser=request.cookies.get(SSO_COOKIE),
        )
    except SsoRefused as refusal:
        log.warning("single sign-on could not start: %s", refusal.reason)
        return _refused(request, refusal)
    response = RedirectResponse(started.url, status_code=303)
    response.set_cookie(
        SSO_COOKIE,
        started.browser,
        max_age=600,
        path="/auth/oidc",
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
    )
    return response


@router.get(CALLBACK)
def sso_callback(
    request: Request,
    uow: UowDep,
    state: Param = None,
    code: Param = None,
    error: Param = None,
    error_description: Param = None,
    iss: Param = None,
) -> Response:
    """Where the identity provider sends the browser back: check its answer, sign in."""
    from skillgrid.web.client import client_address

    sso = _configured(request)
    settings = request.app.state.settings
    try:
        signed = finish(
            uow,
            sso.provider,
            sso.policy,
            Callback(state, code, error, error_description, iss),
            browser=request.cookies.get(SSO_COOKIE),
            redirect_uri=_redirect_uri(request),
            address=client_address(request.scope, settings.trusted_proxies),
        )
    except SsoRefused as refusal:
        log.warning("single sign-on refused: %s", refusal.reason)
        return _refused(request, refusal)
    return session_started(request, signed.next_path, signed.token, signed.session)


def _refused(request: Request, refusal: SsoRefused) -> Response:
    return templates_of(request).TemplateResponse(
        request,
        "sso_refused.html",
        {
            "user": None,
            "message": sentence(refusal) + ".",
            "ask": refusal.ask,
            "passwords": request.app.state.settings.password_sign_in,
        },
        status_code=refusal.status,
    )


@router.get("/auth/link/{token}")
def link_page(request: Request, token: str) -> Response:
    """A one-time sign-in link (break glass): a button that uses it, so that a link
    previewer fetching the page does not use it up."""
    return signed_out_page(request, "sign_in_link.html", {"token": token})


@router.post("/auth/link/{token}")
def use_link(
    request: Request,
    uow: UowDep,
    token: str,
    csrf_token: Csrf = "",
) -> Response:
    """Sign in with a one-time link: once, within its minutes, as the admin it names."""
    from skillgrid.domain.accounts import SignInError
    from skillgrid.services.sign_in_links import use_sign_in_link

    address = signed_out_form(request, csrf_token)
    try:
        session_token, session = use_sign_in_link(uow, token, address=address)
    except SignInError as error:
        raise HTTPException(403, str(error)) from None
    return session_started(request, "/admin", session_token, session)
