"""Personal API tokens: create (shown once), list, revoke."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path
from pydantic import BaseModel, Field

from skillgrid.web.api.errors import ERRORS
from skillgrid.web.api.json_body import StrictJsonRoute
from skillgrid.web.api.models import TokenCreated, TokenPublic
from skillgrid.web.api.params import NAME
from skillgrid.web.deps import ApiUser

router = APIRouter(tags=["tokens"], responses=ERRORS, route_class=StrictJsonRoute)


class TokenCreate(BaseModel):
    name: str = Field(
        ..., min_length=1, max_length=100, pattern=NAME, description="What the token is for."
    )


@router.post("/tokens", status_code=201, response_model=TokenCreated)
def create(user: ApiUser, body: TokenCreate) -> dict[str, Any]:
    """A new token for the signed-in account; the value is shown only in this answer."""
    from skillgrid.services.accounts import create_token

    with user:
        if user.session is None:
            raise HTTPException(403, "make tokens from a signed-in session, not with another token")
        token_id, token = create_token(user.uow, user.email, body.name)
        return {"id": token_id, "name": body.name, "token": token}


@router.get("/tokens", response_model=list[TokenPublic])
def list_all(user: ApiUser) -> list[dict[str, Any]]:
    """The caller's tokens (never their values)."""
    from skillgrid.services.accounts import list_tokens

    with user:
        return [
            {"id": i, "name": n, "created_at": c.isoformat(), "revoked": r}
            for i, n, c, r in list_tokens(user.uow, user.email)
        ]


@router.delete("/tokens/{token_id}", status_code=204)
def revoke(user: ApiUser, token_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> None:
    """Revoke one of the caller's tokens."""
    from skillgrid.services.accounts import revoke_token

    with user:
        revoke_token(user.uow, user.email, token_id)
