"""Bring a database to the newest schema with Alembic (called by commands and tests).

Every command checks the schema first, so the check is cheap: one query compares the stored
revision with ``HEAD``; Alembic is imported only when
something must run. A test keeps ``HEAD`` equal to the newest migration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

HEAD = "0012"  # the newest migration (a test keeps the two equal)

if TYPE_CHECKING:
    from alembic.config import Config


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "skillgrid.db:migrations")
    return config


def head_revision() -> str | None:
    """The newest migration, as Alembic sees the migration scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> bool:
    """Migrate to the newest schema; return whether anything ran."""
    before = current_revision(engine)
    if before == HEAD:
        return False
    from alembic import command

    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    if before is not None and before < "0009":  # revisions are numbered: this is their order
        _fill_summaries(engine)  # today's code on today's schema, never inside a migration
    return True


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
