"""Sign in, sign out and change one's password. Failed sign-ins are throttled per client
address and per account (domain/throttle.py): a throttled attempt answers 429 with
Retry-After, as the sign-in page or, for a client that asks for JSON, as
``{"detail", "retry_after"}``. A session that signed in with a password the rules refuse
reaches only the change page and sign-out until it changes the password. With
``SKILLGRID_PASSWORD_SIGN_IN=false`` the page offers single sign-on only and a posted
password is refused (403); single sign-on itself is in :mod:`skillgrid.web.pages.sso`."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from skillgrid.domain.accounts import ADVICE, MIN_PASSWORD, AccountError, SignInError, WebSession
from skillgrid.domain.throttle import DEVICE_LIFETIME, Throttled
from skillgrid.web.deps import (
    CHANGE_PASSWORD,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    AnySessionUser,
    Caller,
    Csrf,
    MaybeUser,
    UowDep,
    check_csrf,
    sso_of,
    templates_of,
)
from skillgrid.web.security import new_token, same

router = APIRouter(include_in_schema=False)
log = logging.getLogger("skillgrid.sign_in")
DEVICE_COOKIE = "skillgrid_device"  # the trusted-browser token, sent to /login only
PASSWORDS_OFF = "Passwords do not sign in here: sign in with SSO."


@router.get("/login")
async def login_page(request: Request, user: MaybeUser, next: str = "/") -> Response:
    """The sign-in form."""
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _form(request, next, None)


@router.post("/login")
def login(
    request: Request,
    uow: UowDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token: Csrf = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Check the password and start a session (cookie: HttpOnly, SameSite=Lax)."""
    from skillgrid.services.sign_in import Attempt, sign_in
    from skillgrid.web.client import client_address

    settings = request.app.state.settings
    if not settings.password_sign_in:
        return _form(request, next, PASSWORDS_OFF, 403)
    if not same(csrf_token, request.cookies.get(LOGIN_CSRF_COOKIE)):
        return _form(request, next, "The form was out of date: please sign in again.", 403)
    address = client_address(request.scope, settings.trusted_proxies)
    attempt = Attempt(email, password, address, request.cookies.get(DEVICE_COOKIE))
    try:
        new = sign_in(uow, attempt, address_limit=settings.sign_in_address_limit)
    except Throttled as error:
        return _throttled(request, error, next, email)
    except SignInError as error:
        return _form(request, next, str(error).capitalize() + ".", 401, email)
    response = session_started(request, safe_next(next), new.token, new.session)
    secure = secure_cookies(request)
    response.set_cookie(
        DEVICE_COOKIE,
        new.device,
        max_age=int(DEVICE_LIFETIME.total_seconds()),
        path="/login",
        httponly=True,
        samesite="lax",
        secure=secure,
    )
    return response


def signed_out_form(request: Request, csrf_token: str) -> str:
    """The client's address, for a form posted before anyone is signed in (a one-time link,
    an invitation) whose CSRF token matches the sign-in form's cookie; 403 otherwise."""
    from skillgrid.web.client import client_address

    if not same(csrf_token, request.cookies.get(LOGIN_CSRF_COOKIE)):
        raise HTTPException(403, "the form is out of date or not from this site: reload and retry")
    return client_address(request.scope, request.app.state.settings.trusted_proxies)


def session_started(request: Request, to: str, token: str, session: WebSession) -> Response:
    """A redirect to ``to`` that sets the session cookie (HttpOnly, SameSite=Lax, Secure
    when the browser talks https) and drops the sign-in form's CSRF cookie."""
    response = RedirectResponse(to, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        expires=session.expires_at,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def _throttled(request: Request, error: Throttled, next: str, email: str) -> Response:
    """429 with Retry-After: the sign-in page with the reason, or JSON for a script."""
    log.warning("sign-in throttled per %s for %d s", error.scope, error.retry_after)
    headers = {"Retry-After": str(error.retry_after)}
    message = str(error).capitalize() + "."
    if "application/json" in request.headers.get("accept", ""):
        body = {"detail": message, "retry_after": error.retry_after}
        return JSONResponse(body, status_code=429, headers=headers)
    response = _form(request, next, message, 429, email)
    response.headers.update(headers)
    return response


@router.post("/logout")
def logout(
    request: Request,
    user: AnySessionUser,
    csrf_token: Csrf = "",
) -> Response:
    """End the session here and in the database; a session that signed in through the
    identity provider goes on to the provider's end-session endpoint, when it has one, which
    sends the browser back to the sign-in page. It goes there from a page that refreshes to
    it, not by a redirect: the sign-out form may post only to this site (the CSP's
    ``form-action 'self'``), and a browser holds a form's redirects to that too."""
    from skillgrid.services.accounts import sign_out
    from skillgrid.services.sso import end_session_url

    with user:
        check_csrf(user, csrf_token)
        id_token = sign_out(user.uow, user.token)
    sso = sso_of(request)
    settings = request.app.state.settings
    ending = None
    if sso is not None and settings.base_url:
        ending = end_session_url(sso.provider, id_token, come_back_to=settings.base_url + "login")
    if ending is None:
        response: Response = RedirectResponse("/login", status_code=303)
    else:
        page = {"user": None, "ending": ending}
        response = templates_of(request).TemplateResponse(request, "signed_out.html", page)
    response.delete_cookie(SESSION_COOKIE)
    # the browser forgets the pages it kept (its cache and its back/forward cache): Back
    # on a shared machine shows the sign-in page, not the last person's growth
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@router.get(CHANGE_PASSWORD)
def password_page(request: Request, user: AnySessionUser, next: str = "/") -> Response:
    """The form that changes one's own password (the only page of a session that must)."""
    with user:
        return _password_form(request, user, next, None)


@router.post(CHANGE_PASSWORD)
def change_password(
    request: Request,
    user: AnySessionUser,
    current_password: Annotated[str, Form(max_length=1000)],
    new_password: Annotated[str, Form(max_length=1000)],
    repeat_password: Annotated[str, Form(max_length=1000)],
    csrf_token: Csrf = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Change the password, end the account's other sessions, go on to ``next``. The current
    password is checked as a sign-in is, throttled (429 with Retry-After)."""
    from skillgrid.services.accounts import change_password
    from skillgrid.web.client import client_address

    settings = request.app.state.settings
    with user:
        check_csrf(user, csrf_token)
        try:
            change_password(
                user.uow,
                user.actor,
                user.email,
                current_password,
                new_password,
                repeat_password,
                address=client_address(request.scope, settings.trusted_proxies),
                session_token=user.token,
                address_limit=settings.sign_in_address_limit,
            )
        except Throttled as error:
            log.warning("password change throttled per %s for %d s", error.scope, error.retry_after)
            response = _password_form(request, user, next, sentence(error), 429)
            response.headers["Retry-After"] = str(error.retry_after)
            return response
        except AccountError as error:
            return _password_form(request, user, next, sentence(error), 422)
        return RedirectResponse(safe_next(next), status_code=303)


def sentence(message: object) -> str:
    """A message with its first letter upper case (the rest as written, unlike capitalize)."""
    text = str(message)
    return text[:1].upper() + text[1:]


def _password_form(
    request: Request, user: Caller, next: str, error: str | None, status: int = 200
) -> Response:
    """The change form; after a refusal the error beside it, and no password filled in."""
    session = user.session
    return templates_of(request).TemplateResponse(
        request,
        "password.html",
        {
            "user": user,
            "must_change": bool(session and session.must_change_password),
            "next": safe_next(next),
            "error": error,
            "min_length": MIN_PASSWORD,
            "advice": ADVICE,
        },
        status_code=status,
    )


def _form(
    request: Request, next: str, error: str | None, status: int = 200, email: str = ""
) -> Response:
    settings = request.app.state.settings
    page = {
        "next": safe_next(next),
        "error": error,
        "email": email,
        "sso": settings.sso_enabled,
        "passwords": settings.password_sign_in,
    }
    return signed_out_page(request, "login.html", page, status)


def signed_out_page(
    request: Request, template: str, context: dict[str, object], status: int = 200
) -> Response:
    """A page whose form is posted before anyone is signed in (sign-in, a one-time link, an
    invitation), with a fresh CSRF token in the form and in a cookie (HttpOnly, SameSite=Lax,
    an hour) that the post must match (:func:`signed_out_form`)."""
    token = new_token()
    response = templates_of(request).TemplateResponse(
        request, template, {**context, "user": None, "csrf_token": token}, status_code=status
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        max_age=3600,
    )
    return response


def secure_cookies(request: Request) -> bool:
    """Cookies are Secure when the browser talks https: the site is https (its base URL),
    or this request came over https (directly, or as a trusted proxy says)."""
    return request.app.state.settings.served_over_https or request.url.scheme == "https"


def safe_next(next: str) -> str:
    """Only redirect inside this site."""
    return next if next.startswith("/") and not next.startswith("//") else "/"
