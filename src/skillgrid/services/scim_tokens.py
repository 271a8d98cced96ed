"""Bearer tokens for identity providers: made with ``skillgrid scim token create NAME``
(shown once, stored as its SHA-256 like personal API tokens), listed, revoked. A SCIM token
reaches the SCIM routes and nothing else; a personal token never reaches them."""

from __future__ import annotations

import datetime as dt

from skillgrid.domain.assessments import Actor
from skillgrid.domain.errors import Conflict, NotFound
from skillgrid.domain.scim import TOKEN_PREFIX, ScimToken, scim_actor
from skillgrid.services.accounts import new_token, token_digest, token_name
from skillgrid.services.audit import record
from skillgrid.services.permissions import require_admin
from skillgrid.services.unit_of_work import UnitOfWork


def create_scim_token(uow: UnitOfWork, name: str, *, actor: Actor) -> str:
    """A new SCIM token named ``name`` (unique); its value is returned once, never stored."""
    require_admin(actor, "make SCIM tokens")
    name = token_name(name)
    token = new_token(TOKEN_PREFIX)
    with uow.write():
        if uow.scim.has_token(name):
            raise Conflict(f"a SCIM token named {name!r} exists: choose another name")
        uow.scim.add_token(name, token_digest(token), dt.datetime.now(dt.UTC))
        record(uow, actor, "create", "scim_token", name, after={"name": name})
        uow.commit()
    return token


def list_scim_tokens(uow: UnitOfWork, *, actor: Actor) -> list[ScimToken]:
    """Every SCIM token by name (never their values), revoked ones too."""
    require_admin(actor, "list SCIM tokens")
    with uow:
        return uow.scim.tokens()


def revoke_scim_token(uow: UnitOfWork, name: str, *, actor: Actor) -> None:
    """Revoke the live SCIM token ``name``: the next request with it is refused."""
    require_admin(actor, "revoke SCIM tokens")
    with uow.write():
        if not uow.scim.revoke_token(name.strip()):
            raise NotFound(f"no live SCIM token {name.strip()!r}: see `skillgrid scim token list`")
        record(
            uow,
            actor,
            "revoke",
            "scim_token",
            name,
            before={"revoked": False},
            after={"revoked": True},
        )
        uow.commit()


def scim_caller(uow: UnitOfWork, token: str) -> Actor | None:
    """Who a live SCIM token acts as (``scim:NAME``), inside the open unit of work; None for
    any other token (a personal one included)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    name = uow.scim.token_name(token_digest(token))
    return scim_actor(name) if name is not None else None
