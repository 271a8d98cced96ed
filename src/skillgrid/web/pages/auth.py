"""Sign in and sign out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from skillgrid.domain.accounts import SignInError
from skillgrid.web.deps import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CurrentUser,
    MaybeUser,
    UowDep,
    templates_of,
)
from skillgrid.web.security import new_token, same

router = APIRouter(include_in_schema=False)


@router.get("/login")
async def login_page(request: Request, user: MaybeUser, next: str = "/") -> Response:
    """The sign-in form."""
    if user is not None:
        return RedirectResponse(_safe(next), status_code=303)
    return _form(request, next, None)


@router.post("/login")
def login(
    request: Request,
    uow: UowDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Check the password and start a session (cookie: HttpOnly, SameSite=Lax)."""
    from skillgrid.services.accounts import sign_in

    if not same(csrf_token, request.cookies.get(LOGIN_CSRF_COOKIE)):
        return _form(request, next, "The form was out of date: please sign in again.", 403)
    try:
        token, session = sign_in(uow, email, password)
    except SignInError as error:
        return _form(request, next, str(error).capitalize() + ".", 401, email)
    response = RedirectResponse(_safe(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        expires=session.expires_at,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(
    request: Request,
    uow: UowDep,
    user: CurrentUser,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """End the session here and in the database."""
    from skillgrid.services.accounts import sign_out
    from skillgrid.web.deps import check_csrf

    check_csrf(request, user, csrf_token)
    sign_out(uow, user.token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _form(
    request: Request, next: str, error: str | None, status: int = 200, email: str = ""
) -> Response:
    token = new_token()
    response = templates_of(request).TemplateResponse(
        request,
        "login.html",
        {"csrf_token": token, "next": _safe(next), "error": error, "email": email, "user": None},
        status_code=status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        max_age=3600,
    )
    return response


def _safe(next: str) -> str:
    """Only redirect inside this site."""
    return next if next.startswith("/") and not next.startswith("//") else "/"
