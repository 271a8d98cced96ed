"""What every command shares: the unit of work, consoles, and errors turned into exit 1."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console
    from sqlalchemy import Engine

    from skillgrid.config import Settings
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
    from skillgrid.domain.assessments import Actor
    from skillgrid.services.invitations import Site
    from skillgrid.services.outbox import Mailer, Poster
    from skillgrid.services.unit_of_work import Storage

T = TypeVar("T")

ACTING = typer.Option(
    None,
    "--as",
    help="Act as this person (their role and place decide what is allowed); "
    "by default the local operator, an admin.",
)
JSON_OUT = typer.Option(False, "--json", help="Print JSON instead of a table.")
AS_JSON = typer.Option(False, "--json", help="Print JSON.")


@cache
def out() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


@cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def settings() -> Settings:
    from skillgrid.config import Settings

    return Settings()


def mailer() -> Mailer | None:
    """The configured mail server (None when SKILLGRID_SMTP_URL is unset)."""
    from skillgrid.outbound.smtp import mailer_of

    return run_service(lambda: mailer_of(settings()))


def invitation_site() -> Site:
    """What invitations depend on, from the settings (the mail server only when mailing)."""
    from skillgrid.services.invitations import Site

    config = settings()
    return Site(config.password_sign_in, config.base_url, mailer())


def poster() -> Poster:
    """What posts webhook deliveries."""
    from skillgrid.outbound.http import HttpPoster

    return HttpPoster()


def database_location() -> str:
    """The configured database URL as messages show it (no password)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    url = settings().database_url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def with_database(call: Callable[[SqlAlchemyUnitOfWork], T]) -> T:
    """Run ``call`` with a unit of work on the configured database (migrated to the newest
    schema first), turning errors into exit 1; the engine is disposed afterwards."""
    return with_units(lambda make: call(make()))


def actor_as(email: str | None) -> Actor:
    """Who a command acts as: the person given with ``--as`` (their role decides), or the
    local operator, an admin."""
    from skillgrid.services.people import actor_for

    return with_database(lambda uow: actor_for(uow, email))


def with_units(call: Callable[[Callable[[], SqlAlchemyUnitOfWork]], T]) -> T:
    """:func:`with_database` for a command that needs many units of work (``call`` gets a
    maker of them)."""
    from skillgrid.db.engine import make_session_factory
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork

    with _engine(migrate=True) as engine:
        factory = make_session_factory(engine)
        return run_service(lambda: call(lambda: SqlAlchemyUnitOfWork(factory)))


def with_storage(call: Callable[[Storage], T], *, migrate: bool = True) -> T:
    """Run ``call`` with the configured database as a whole (migrated first unless told
    not to), for commands that work on all of it (export, backup), turning errors into
    exit 1; the engine is disposed afterwards."""
    from skillgrid.db.storage import SqlStorage

    with _engine(migrate=migrate) as engine:
        return run_service(lambda: call(SqlStorage(engine)))


@contextmanager
def _engine(*, migrate: bool) -> Iterator[Engine]:
    """An engine on the configured database, migrated first if asked, disposed at the end."""
    from skillgrid.db import migrate as migrations
    from skillgrid.db.engine import make_engine

    config = settings()
    engine = run_service(
        lambda: make_engine(
            config.database_url,
            busy_timeout_ms=config.sqlite_busy_timeout_ms,
            echo=config.echo_sql,
        )
    )
    try:
        if migrate:
            run_service(lambda: migrations.upgrade(engine))
        yield engine
    finally:
        engine.dispose()


def run_service(call: Callable[[], T]) -> T:
    """Run a service call; a SkillGrid error (or an unreachable database) becomes a clear
    message on stderr and exit code 1."""
    from skillgrid.domain.assessments import Forbidden
    from skillgrid.domain.errors import InputError, SkillGridError

    try:
        return call()
    except InputError as error:
        fail_with_problems(error)
    except Forbidden as error:  # on the command line, one may act as someone who may
        fail(f"{error} (act as them with --as)")
    except SkillGridError as error:
        fail(str(error))
    except Exception as error:
        unreachable = _unreachable(error)
        if unreachable is None:
            raise
        location, orig = unreachable
        fail(
            f"database {location}: {orig}\n"
            "check SKILLGRID_DATABASE_URL and that the database server is running"
        )


def _unreachable(error: Exception) -> tuple[str, object] | None:
    """Where and why the database could not be used, if that is what ``error`` says (an
    OperationalError of SQLAlchemy)."""
    if "sqlalchemy" not in sys.modules:
        return None  # it cannot be one of SQLAlchemy's errors: don't import it to check
    from sqlalchemy.exc import OperationalError

    if isinstance(error, OperationalError):
        return database_location(), error.orig
    return None


def write_output(data: bytes, output: Path | None) -> None:
    """Bytes to standard output, or to a file (saying so on stderr)."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from rich.markup import escape

    try:
        output.write_bytes(data)
    except OSError as error:
        reason = error.strerror or str(error)
        fail(
            f"cannot write {output}: {reason} — check that its folder exists and may be "
            "written to, or give another --output"
        )
    err().print(f"Wrote {escape(str(output))} ({len(data):,} bytes).")


def error_line(message: str) -> None:
    """Print ``error: message`` on stderr; the message is text, never Rich markup."""
    from rich.markup import escape

    err().print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)


def fail(message: str) -> NoReturn:
    """Print ``error: message`` on stderr and exit with code 1."""
    error_line(message)
    raise typer.Exit(1)


def fail_with_problems(error: Exception) -> NoReturn:
    problems = getattr(error, "problems", ())
    for problem in problems:
        error_line(str(problem))
    count = len(problems)
    err().print(f"{count} problem{'s' if count != 1 else ''}; nothing was stored.")
    raise typer.Exit(1)


def read_input(path: str) -> tuple[bytes, str]:
    """The bytes of ``path`` (``-`` for stdin) and the name to use in messages."""
    if path == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    try:
        with open(path, "rb") as handle:
            return handle.read(), path
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror}")
