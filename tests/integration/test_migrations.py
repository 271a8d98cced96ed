"""The schema: migrations reach the tables the code declares, and the fast check knows the
newest migration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from skillgrid.db.engine import make_engine
from skillgrid.db.migrate import HEAD, current_revision, known_revisions, upgrade


def test_head_constant_is_the_newest_migration() -> None:
    assert known_revisions()[-1] == HEAD


def test_migrating_an_empty_database_once_then_nothing_to_do(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) is None
        assert upgrade(engine) is True
        assert current_revision(engine) == HEAD
        assert upgrade(engine) is False
    finally:
        engine.dispose()


def test_migrations_match_the_declared_tables(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from skillgrid.db.tables import Base

    engine = make_engine(database_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def _at_revision_with_a_session(database_url: str, revision: str):  # type: ignore[no-untyped-def]
    """An engine on a database migrated up to ``revision`` holding one account with one
    signed-in session."""
    from alembic import command
    from sqlalchemy import text

    from skillgrid.db.migrate import _config

    engine = make_engine(database_url)
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO users (email, password_hash) VALUES ('a@x', 'h')"))
        connection.execute(
            text(
                "INSERT INTO web_sessions (token_hash, user_id, csrf_token, created_at, "
                "expires_at) VALUES ('t', 1, 'c', '2026-01-01', '2099-01-01')"
            )
        )
    return engine


def test_0011_keeps_every_session_and_api_token_while_users_loses_its_counter(
    database_url: str,
) -> None:
    """Dropping the lockout columns must not copy ``users``: on SQLite, dropping the old
    table would cascade to every session and token."""
    from sqlalchemy import inspect, text

    engine = _at_revision_with_a_session(database_url, "0010")
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO api_tokens (user_id, name, token_hash, created_at) "
                    "VALUES (1, 'ci', 'th', '2026-01-01')"
                )
            )
        assert upgrade(engine) is True
        with engine.connect() as connection:
            kept = [
                connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                for table in ("users", "web_sessions", "api_tokens")
            ]
            columns = {c["name"] for c in inspect(connection).get_columns("users")}
        assert kept == [1, 1, 1]
        assert "failed_logins" not in columns and "locked_until" not in columns
    finally:
        engine.dispose()


def test_0013_keeps_every_session_and_asks_none_of_them_for_a_new_password(
    database_url: str,
) -> None:
    """Sessions started before the password rules stay signed in; their passwords are
    checked at the next sign-in."""
    from sqlalchemy import text

    engine = _at_revision_with_a_session(database_url, "0012")
    try:
        assert upgrade(engine) is True
        with engine.connect() as connection:
            flags = connection.execute(
                text("SELECT token_hash, must_change_password FROM web_sessions")
            ).all()
        assert [(token, bool(flag)) for token, flag in flags] == [("t", False)]
    finally:
        engine.dispose()


SRC = Path(__file__).parents[2] / "src"  # this checkout's code, in the processes too
UPGRADE_ON_GO = """
import sys
from skillgrid.db.engine import make_engine
from skillgrid.db.migrate import upgrade
engine = make_engine(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
print(upgrade(engine), flush=True)
"""


def test_servers_started_together_on_an_empty_database_migrate_it_once_and_all_start(
    database_url: str,
) -> None:
    """As ``skillgrid serve`` on several hosts (or with several workers) at one moment."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-c", UPGRADE_ON_GO, database_url]
    servers = [
        subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for server in servers:  # every process has imported everything and made its engine
        assert server.stdout is not None and server.stdout.readline() == "ready\n"
    for server in servers:
        assert server.stdin is not None
        server.stdin.write("go\n")
        server.stdin.flush()
    answers = [server.communicate(timeout=120) for server in servers]
    errors = [line for _, err in answers for line in err.splitlines() if line.startswith("sql")]
    assert [server.returncode for server in servers] == [0] * 4, errors
    assert sorted(out.strip() for out, _ in answers) == ["False"] * 3 + ["True"]
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) == HEAD
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    finally:
        engine.dispose()
