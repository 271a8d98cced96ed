"""``skillgrid serve`` and ``skillgrid user …``: the web app and its accounts."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from skillgrid.cli.common import database_location, err, fail, out, settings, with_database
from skillgrid.domain.assessments import OPERATOR

if TYPE_CHECKING:
    from skillgrid.config import Settings
    from skillgrid.services.unit_of_work import UnitOfWork

user_app = typer.Typer(
    rich_markup_mode=None,
    help="Accounts: add, invite, list, and one-time sign-in links for admins.",
    no_args_is_help=True,
)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Worker processes."),
) -> None:
    """Run the web app (uvicorn) on the configured database; prints the address.

    Example: skillgrid serve --host 0.0.0.0 --port 8080 --workers 2
    """
    import uvicorn

    from skillgrid.logs import configure_logging

    config = settings()
    configure_logging(config.log_level, config.log_format)  # uvicorn's own lines too
    _check_port(host, port)  # before anything is migrated
    # migrated once, before several workers start; a database that cannot be reached or
    # migrated is one error line and exit 1
    with_database(lambda uow: _prepare_suggestions(uow, config))
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    err().print(f"SkillGrid on http://{shown}:{port}/ (database {database_location()})")
    uvicorn.run(
        "skillgrid.web.app:serving_app",
        factory=True,
        host=host,
        port=port,
        # one listening socket for all workers: an idle worker accepts first, which held
        # more of the review-week load than a socket each (SO_REUSEPORT; performance.md)
        workers=workers,
        # uvloop: on the review-week mix (open loop, 200 req/s) it answered with p99 85 ms
        # where asyncio's own loop took 1.7 s, for less CPU (docs/performance.md)
        loop="uvloop",
        # X-Forwarded-For/-Proto only from SKILLGRID_TRUSTED_PROXIES (uvicorn would
        # otherwise believe 127.0.0.1); the app reads them by the same setting
        proxy_headers=bool(config.trusted_proxies),
        forwarded_allow_ips=",".join(str(n) for n in config.trusted_proxies) or None,
        log_config=None,  # the app configures logging (SKILLGRID_LOG_*) in each worker
        access_log=False,  # the app logs every request once, with its request id
        server_header=False,  # no "server: uvicorn" banner
    )


def _check_port(host: str, port: int) -> None:
    """Refuse, in one line, an address another program listens on (or that cannot be
    listened on at all), before the database is migrated."""
    import errno
    import socket

    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.create_server((host, port), family=family):
            pass
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            fail(
                f"port {port} on {host} is in use by another program: stop it or choose "
                "another --port"
            )
        fail(
            f"cannot listen on {host}:{port} ({error.strerror or error}): check --host and "
            "--port (ports below 1024 need privileges)"
        )


def _prepare_suggestions(uow: UnitOfWork, config: Settings) -> None:
    """Fill the criterion-vector cache before the workers start (slow only the first time on
    a machine: later starts read the cache), so the first suggestion comes quickly."""
    from skillgrid.services.suggestions import prepare

    try:
        prepare(uow, config.suggestion_backend, config.cache_dir, config.suggestion_model)
    except Exception as error:  # suggestions are optional; serving is not
        err().print(f"Evidence suggestions not prepared ({error}); they will be on first use.")


@user_app.command("add")
def user_add(
    email: str = typer.Argument(..., help="Email to sign in with (ties the account to a person)."),
    admin: bool = typer.Option(False, "--admin", help="An administrator account."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
    generate: bool = typer.Option(False, "--generate", help="Make up a password and print it."),
) -> None:
    """Add a local account (or set a new password, which signs its sessions out).

    The password needs at least 12 characters, not one character repeated, not the email
    or the part before its @, and not on the shipped list of common passwords: a
    passphrase of four unrelated words does. A weak one adds nothing.

    Example: echo 'correct horse battery' | skillgrid user add ana@example.com --password-stdin
    """
    import secrets

    from skillgrid.services.accounts import add_user

    if generate:
        password = secrets.token_urlsafe(12)
    elif password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    account = with_database(lambda uow: add_user(uow, email, password, admin=admin, actor=OPERATOR))
    kind = "admin account" if account.is_admin else "account"
    out().print(f"Saved {kind} {account.email}." + (f" Password: {password}" if generate else ""))


@user_app.command("list")
def user_list() -> None:
    """List accounts (never their passwords).

    Example: skillgrid user list
    """
    from skillgrid.services.accounts import list_users

    for account in with_database(lambda uow: list_users(uow, OPERATOR)):
        out().print(f"{account.email}{'  admin' if account.is_admin else ''}")


@user_app.command("sign-in-link")
def user_sign_in_link(
    email: str = typer.Argument(..., help="The admin account to sign in as."),
    minutes: int = typer.Option(15, "--minutes", min=1, max=60, help="How long it is valid."),
) -> None:
    """Print a one-time sign-in link for an admin account (break glass: when single sign-on
    fails and SKILLGRID_PASSWORD_SIGN_IN is false). It works once, for --minutes; making and
    using it are in the audit trail. The address starts with SKILLGRID_BASE_URL.

    Example: skillgrid user sign-in-link root@example.com --minutes 10
    """
    from skillgrid.services.sign_in_links import PATH, create_sign_in_link

    token = with_database(
        lambda uow: create_sign_in_link(uow, email, minutes=minutes, actor=OPERATOR)
    )
    base = settings().base_url
    link = (base.rstrip("/") if base else "") + PATH + token
    out().print(link, soft_wrap=True)
    err().print(
        f"Valid for {minutes} minute{'s' if minutes != 1 else ''}, once."
        + ("" if base else " Set SKILLGRID_BASE_URL to print the whole address.")
    )


@user_app.command("sso-unlink")
def user_sso_unlink(
    email: str = typer.Argument(..., help="The account to unlink."),
) -> None:
    """Unlink an account from the identity at the identity provider it signs in as. An
    account is linked by its first single sign-on, and only that identity signs it in after:
    unlink it when a person's identity there really changed (an account re-made at the
    provider); their next sign-in links the identity they come with. In the audit trail.

    Example: skillgrid user sso-unlink ana@example.com
    """
    from skillgrid.services.sso_claims import unlink_identity

    issuer, subject = with_database(lambda uow: unlink_identity(uow, email, actor=OPERATOR))
    out().print(f"Unlinked {email} from subject {subject} at {issuer}.", soft_wrap=True)


@user_app.command("invite")
def user_invite(
    email: str = typer.Argument(..., help="The person to invite (a person on file, or --admin)."),
    admin: bool = typer.Option(False, "--admin", help="Make it an administrator account."),
    days: int = typer.Option(7, "--days", min=1, max=30, help="How long the link is valid."),
    send: bool | None = typer.Option(
        None,
        "--send/--no-send",
        help="Email the link (default: when mail is configured: SKILLGRID_SMTP_URL, "
        "SKILLGRID_MAIL_FROM and SKILLGRID_BASE_URL).",
        show_default=False,
    ),
) -> None:
    """Invite someone to choose their own password: prints a one-time link (and emails it
    when mail is configured). The link works once, for --days; inviting again replaces it.
    Only a person on file who has not left, or an admin account; not an account that has
    a password. The address starts with SKILLGRID_BASE_URL.

    Example: skillgrid user invite ana@example.com --days 3
    """
    from skillgrid.cli.common import fail, invitation_site
    from skillgrid.services.invitations import create_invitation

    site = invitation_site()
    issued = with_database(
        lambda uow: create_invitation(
            uow, email, site, admin=admin, days=days, send=send, actor=OPERATOR
        )
    )
    out().print(issued.link, soft_wrap=True)
    until = issued.invitation.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    kind = "an admin account" if admin else "an account"
    said = (
        f"Invites {issued.invitation.email} to {kind}: valid for {days} days, once (until {until})."
    )
    if site.base_url is None:
        said += " Set SKILLGRID_BASE_URL to print the whole address."
    if issued.emailed:
        said += f" Emailed to {issued.invitation.email}."
    elif issued.mail_error is None:
        why = "--no-send" if send is False else "mail is not configured"
        said += f" Not emailed ({why}): hand them the link."
    err().print(said, soft_wrap=True)
    if issued.mail_error is not None:
        fail(f"not emailed: {issued.mail_error}; hand them the link above")


@user_app.command("invitations")
def user_invitations() -> None:
    """List the invitations not used yet, with when each expires.

    Example: skillgrid user invitations
    """
    import datetime as dt

    from skillgrid.services.invitations import list_invitations

    found = with_database(lambda uow: list_invitations(uow, OPERATOR))
    now = dt.datetime.now(dt.UTC)
    for invitation in found:
        state = "expired" if invitation.expired(now) else "expires"
        when = invitation.expires_at.strftime("%Y-%m-%d %H:%M UTC")
        admin = "  admin" if invitation.is_admin else ""
        out().print(f"{invitation.email}{admin}  {state} {when}  by {invitation.created_by}")
    if not found:
        out().print("No pending invitations.")


@user_app.command("revoke-invitation")
def user_revoke_invitation(
    email: str = typer.Argument(..., help="Whose invitation to withdraw."),
) -> None:
    """Withdraw an invitation: its link stops working.

    Example: skillgrid user revoke-invitation ana@example.com
    """
    from skillgrid.services.invitations import revoke_invitation

    with_database(lambda uow: revoke_invitation(uow, email, actor=OPERATOR))
    out().print(f"Revoked the invitation of {email.strip().lower()}.")


def demo(
    size: int | None = typer.Option(
        None, "--people", min=10, help="Build a synthetic organisation of this many people."
    ),
    cycle_count: int = typer.Option(4, "--cycles", min=1, max=20, help="Cycles (with --people)."),
    seed: int = typer.Option(11, "--seed", help="Random seed (with --people)."),
) -> None:
    """Fill an empty database with a demo organisation on the SRE ladder (three teams, 25
    people, three cycles with ratings and evidence) and print accounts to sign in with.
    With --people N, a synthetic organisation of any size instead (divisions, departments,
    teams of up to ten, skewed levels, growth between cycles, targets), built in bulk with a
    progress bar.

    Example: SKILLGRID_DATABASE_URL=sqlite:///big.db skillgrid demo --people 10000 --cycles 4
    """
    from skillgrid.cli.common import with_units

    if size is not None:
        with_units(lambda make: _synthetic(make, size, cycle_count, seed))
        return
    from skillgrid.services.demo import build_demo

    built = with_units(build_demo)
    out().print(f"Demo organisation: {built.people} people, 3 teams, 3 cycles.")
    out().print(f"Sign in with any of these (password: {built.password}):")
    for email, what in built.accounts:
        out().print(f"  {email:<28} {what}")


def _synthetic(make, size: int, cycle_count: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from skillgrid.cli.common import err, run_service
    from skillgrid.services.synthetic import build_synthetic

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err(),
    ) as bar:
        task = bar.add_task("people × cycles", total=None)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        built = run_service(lambda: build_synthetic(make, size, cycle_count, seed, progress))
    out().print(
        f"Synthetic organisation: {built.people:,} people, {built.teams:,} teams, "
        f"{len(built.cycles)} cycles ({', '.join(built.cycles)}), {built.assessments:,} "
        "assessments."
    )
    out().print(f"Sign in with any of these (password: {built.password}):")
    for email, what in built.accounts:
        out().print(f"  {email:<40} {what}")
