"""Bring a database to the newest schema with Alembic (called by commands and tests).

Every command checks the schema first, so the check is cheap: one query compares the stored
revision with ``HEAD``; Alembic is imported only when
something must run. A test keeps ``HEAD`` equal to the newest migration.

Processes that start together (several app servers, or workers) migrate one at a time: each
takes a lock, looks at the revision again, and migrates only if no one did meanwhile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, func, inspect, select, text

from skillgrid.db.engine import WRITES
from skillgrid.domain.errors import ConfigurationError

HEAD = "0020"  # the newest migration (a test keeps the two equal)
MIGRATION_LOCK = 0x736B696C6C677269  # PostgreSQL advisory lock key ("skillgri" in ASCII)
MIGRATION_WAIT = dt.timedelta(minutes=10)  # SQLite: how long to wait for another's migration

if TYPE_CHECKING:
    from alembic.config import Config


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "skillgrid.db:migrations")
    return config


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return _revision(connection)


def _revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> bool:
    """Migrate to the newest schema; return whether anything ran. A process that finds
    another migrating waits for it, then finds the schema current."""
    if current_revision(engine) == HEAD:
        return False
    with _migrating(engine) as connection:
        before = _revision(connection)  # again: another process may have migrated meanwhile
        if before == HEAD:
            return False
        if before is not None and before not in known_revisions():
            raise ConfigurationError(
                f"the database is at schema revision {before}, which this SkillGrid does not "
                f"know (it migrates up to {HEAD}): run the newer SkillGrid that migrated it, "
                "or point SKILLGRID_DATABASE_URL at another database"
            )
        from alembic import command

        config = _config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    if before is not None and before < "0009":  # revisions are numbered: this is their order
        _fill_summaries(engine)  # today's code on today's schema, never inside a migration
    return True


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """A transaction to migrate in, taken when no other process is migrating. PostgreSQL:
    an advisory lock, held on a connection of its own until the migration has committed.
    SQLite: the transaction is the lock (BEGIN IMMEDIATE; the next process waits for it
    up to :data:`MIGRATION_WAIT`, not only the busy timeout)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as lock:
            lock.execution_options(isolation_level="AUTOCOMMIT")
            lock.execute(select(func.pg_advisory_lock(MIGRATION_LOCK)))
            try:
                with engine.begin() as connection:
                    yield connection
            finally:
                lock.execute(select(func.pg_advisory_unlock(MIGRATION_LOCK)))
        return
    with engine.connect() as connection:
        sqlite = connection.connection.driver_connection
        assert sqlite is not None
        busy_timeout = sqlite.execute("PRAGMA busy_timeout").fetchone()[0]
        sqlite.execute(f"PRAGMA busy_timeout={int(MIGRATION_WAIT.total_seconds() * 1000)}")
        try:
            with connection.execution_options(**{WRITES: True}).begin():
                yield connection
        finally:
            sqlite.execute(f"PRAGMA busy_timeout={int(busy_timeout)}")


def _fill_summaries(engine: Engine) -> None:
    """Store the official results of assessments finalized before revision 0009."""
    from sqlalchemy.orm import sessionmaker

    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
    from skillgrid.services.summaries import rebuild_summaries

    rebuild_summaries(SqlAlchemyUnitOfWork(sessionmaker(bind=engine)))


def known_revisions() -> list[str]:
    """Every revision the migration scripts know, oldest first."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_config())
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]
