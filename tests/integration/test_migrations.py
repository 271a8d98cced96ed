"""The schema: migrations reach the tables the code declares, and the fast check knows the
newest migration."""

from __future__ import annotations

from skillgrid.db.engine import make_engine
from skillgrid.db.migrate import HEAD, current_revision, head_revision, upgrade


def test_head_constant_is_the_newest_migration() -> None:
    assert head_revision() == HEAD


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
