"""The account's personal API tokens in the browser: make one (its value shown on this answer
only), see which exist, revoke one. The JSON API does the same (web/api/tokens.py); a token
is made from a signed-in session only, never with another token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from skillgrid.domain.errors import NotFound, SkillGridError
from skillgrid.web.deps import Caller, Csrf, CurrentUser, check_csrf, templates_of

router = APIRouter(include_in_schema=False)
PAGE = "/account/tokens"


@router.get(PAGE)
def tokens_page(request: Request, user: CurrentUser) -> Response:
    with user:
        return _render(request, user)


@router.post(PAGE)
def make_token(
    request: Request,
    user: CurrentUser,
    name: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Csrf = "",
) -> Response:
    """A new token; the page shows its value this once (and tells the browser to keep no
    copy of the answer)."""
    from skillgrid.services.accounts import create_token

    with user:
        check_csrf(user, csrf_token)
        try:
            _, token = create_token(user.uow, user.email, name)
        except SkillGridError as error:  # the name stays, the reason beside it
            return _render(request, user, name=name, error=str(error), status=422)
        response = _render(request, user, made=(name.strip(), token))
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post(PAGE + "/{token_id}/revoke")
def revoke(
    request: Request,
    user: CurrentUser,
    token_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    csrf_token: Csrf = "",
) -> Response:
    from skillgrid.services.accounts import revoke_token

    with user:
        check_csrf(user, csrf_token)
        try:
            revoke_token(user.uow, user.email, token_id)
        except NotFound as error:  # another tab revoked it, or it was never this account's
            return _render(request, user, error=str(error), status=404)
    return RedirectResponse(PAGE, status_code=303)


def _render(request: Request, user: Caller, status: int = 200, **context: Any) -> Response:
    from skillgrid.services.accounts import list_tokens

    tokens = list_tokens(user.uow, user.email)
    live = [(i, name, made) for i, name, made, revoked in tokens if not revoked]
    page = {"user": user, "live": live, "revoked": len(tokens) - len(live)}
    return templates_of(request).TemplateResponse(
        request,
        "tokens.html",
        {**page, "made": None, "name": "", "error": None, **context},
        status_code=status,
    )
