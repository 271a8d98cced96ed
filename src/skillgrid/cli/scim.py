"""``skillgrid scim token …``: the bearer tokens identity providers use for SCIM."""

from __future__ import annotations

import typer

from skillgrid.cli.common import out, with_database
from skillgrid.domain.assessments import OPERATOR

scim_app = typer.Typer(
    rich_markup_mode=None,
    help="SCIM 2.0 provisioning from an identity provider (at /scim/v2).",
    no_args_is_help=True,
)
token_app = typer.Typer(
    rich_markup_mode=None,
    help="Bearer tokens for identity providers: create, list, revoke.",
    no_args_is_help=True,
)
scim_app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    name: str = typer.Argument(..., help="What the token is for, e.g. okta (unique)."),
) -> None:
    """Make a SCIM token and print it once (only its hash is stored): enter it in the
    identity provider as the bearer token, with the SCIM URL https://HOST/scim/v2.

    Example: skillgrid scim token create okta
    """
    from skillgrid.services.scim_tokens import create_scim_token

    token = with_database(lambda uow: create_scim_token(uow, name, actor=OPERATOR))
    out().print(f"SCIM token {name.strip()!r} made; it is shown only now.")
    out().print(f"Token: {token}", soft_wrap=True)


@token_app.command("list")
def token_list() -> None:
    """List SCIM tokens by name, live or revoked (never their values).

    Example: skillgrid scim token list
    """
    from skillgrid.services.scim_tokens import list_scim_tokens

    for token in with_database(lambda uow: list_scim_tokens(uow, actor=OPERATOR)):
        state = "revoked" if token.revoked else "live"
        out().print(f"{token.name}  {state}  made {token.created:%Y-%m-%d %H:%M} UTC")


@token_app.command("revoke")
def token_revoke(
    name: str = typer.Argument(..., help="The token's name (see `skillgrid scim token list`)."),
) -> None:
    """Revoke a SCIM token: the identity provider's next request with it is refused.

    Example: skillgrid scim token revoke okta
    """
    from skillgrid.services.scim_tokens import revoke_scim_token

    with_database(lambda uow: revoke_scim_token(uow, name, actor=OPERATOR))
    out().print(f"SCIM token {name.strip()!r} revoked.")
