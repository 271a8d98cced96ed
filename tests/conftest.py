"""Shared fixtures: databases (SQLite always, PostgreSQL when SKILLGRID_TEST_DATABASE_URL is
set), the seed ladder and test data paths."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sqlalchemy import Engine

DATA = Path(__file__).parent / "data"
SEED = Path(__file__).parents[1] / "src" / "skillgrid" / "data" / "sre.tsv"
POSTGRES_URL = os.environ.get("SKILLGRID_TEST_DATABASE_URL")
_copies = count()  # the migrated PostgreSQL databases made in this run


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    """In-process tests hash passwords with argon2's cheapest parameters (argon2-cffi's
    profile for tests): at the production cost each hash and each sign-in takes ~140 ms,
    which the suite paid thousands of times. A hash records its parameters, so verifying
    works as in production; servers started as processes keep the production cost."""
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    def cheap() -> PasswordHasher:
        return PasswordHasher.from_parameters(CHEAPEST)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("skillgrid.services.accounts.password_hasher", cheap)
        patch.setattr("skillgrid.services.sign_in.password_hasher", cheap)
        yield


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine | None]:
    """A connection to the PostgreSQL server's own database, to create and drop the run's."""
    if not POSTGRES_URL:
        yield None
        return
    from sqlalchemy import create_engine

    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    yield admin
    admin.dispose()


def _create_database(admin: Engine, name: str, template: str | None = None) -> None:
    from sqlalchemy import text

    with admin.connect() as connection:
        copy = f' TEMPLATE "{template}"' if template else ""
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))


def _drop_database(admin: Engine, name: str) -> None:
    from sqlalchemy import text

    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _url_of(name: str) -> str:
    from sqlalchemy.engine import make_url

    assert POSTGRES_URL
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def _run_name() -> str:
    """The prefix of this run's PostgreSQL databases."""
    return f"skillgrid_test_{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def postgres_server(postgres_admin: Engine | None, _run_name: str) -> Iterator[str | None]:
    """A database of its own on the PostgreSQL server for this test run, dropped at the end,
    so a leftover from an earlier run can neither pass nor fail a test."""
    if postgres_admin is None:
        yield None
        return
    _create_database(postgres_admin, _run_name)
    try:
        yield _url_of(_run_name)
    finally:
        _drop_database(postgres_admin, _run_name)


@pytest.fixture(scope="session")
def migrated_postgres(postgres_admin: Engine, _run_name: str) -> Iterator[str]:
    """A PostgreSQL database migrated to the newest schema once a run and then left alone:
    a test that needs a migrated database gets a copy of it (CREATE DATABASE … TEMPLATE),
    which costs a fraction of running every migration again."""
    from skillgrid.db.engine import make_engine
    from skillgrid.db.migrate import upgrade

    name = f"{_run_name}_migrated"
    _create_database(postgres_admin, name)
    try:
        engine = make_engine(_url_of(name))
        upgrade(engine)
        engine.dispose()  # a template may have no one connected while it is copied
        yield name
    finally:
        _drop_database(postgres_admin, name)


def _backends() -> list[object]:
    backends: list[object] = ["sqlite"]
    backends.append(
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not POSTGRES_URL, reason="SKILLGRID_TEST_DATABASE_URL not set"
            ),
        )
    )
    return backends


@pytest.fixture(params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database: a SQLite file, or an empty PostgreSQL schema, migrated on demand.
    A test that asks for ``uow_factory`` gets it migrated: on PostgreSQL a database of its
    own copied from ``migrated_postgres`` (on SQLite ``uow_factory`` copies the file)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'skillgrid.db'}"
        return
    if "uow_factory" in request.fixturenames:
        admin = request.getfixturevalue("postgres_admin")
        template = request.getfixturevalue("migrated_postgres")
        name = f"{request.getfixturevalue('_run_name')}_{next(_copies)}"
        _create_database(admin, name, template=template)
        try:
            yield _url_of(name)
        finally:
            _drop_database(admin, name)
        return
    server = request.getfixturevalue("postgres_server")
    from sqlalchemy import create_engine, text

    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    yield server


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the newest schema once a run: a test that needs a migrated
    database starts from a copy (running every migration takes ~0.4 s a test)."""
    from skillgrid.db.engine import make_engine
    from skillgrid.db.migrate import upgrade

    path = tmp_path_factory.mktemp("migrated") / "skillgrid.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection closed: the WAL is folded into the file
    return path


@pytest.fixture
def uow_factory(database_url: str, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Make SqlAlchemyUnitOfWork objects on a migrated database."""
    from skillgrid.db.engine import make_engine, make_session_factory
    from skillgrid.db.migrate import upgrade
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork

    if database_url.startswith("sqlite:///"):
        file = Path(database_url.removeprefix("sqlite:///"))
        if not file.exists():
            shutil.copyfile(request.getfixturevalue("migrated_sqlite"), file)
    engine = make_engine(database_url)
    upgrade(engine)
    factory = make_session_factory(engine)
    yield lambda: SqlAlchemyUnitOfWork(factory)
    engine.dispose()


def table_snapshot(database_url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every SkillGrid table, to prove a failed command changed nothing."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            names = sorted(inspect(connection).get_table_names())
            return {
                name: sorted(
                    (
                        tuple(map(repr, row))
                        for row in connection.execute(text(f'SELECT * FROM "{name}"'))
                    ),
                )
                for name in names
            }
    finally:
        engine.dispose()


@pytest.fixture(autouse=True, scope="session")
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Computed caches (criterion embeddings) go to a folder of the run, not the home."""
    previous = os.environ.get("SKILLGRID_CACHE_DIR")
    os.environ["SKILLGRID_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("SKILLGRID_CACHE_DIR", None)
    else:
        os.environ["SKILLGRID_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo organisation (built once per run, ~10 s): tests copy
    it (``copy_of_demo``) so none sees another's changes."""
    from skillgrid.db.engine import make_engine, make_session_factory
    from skillgrid.db.migrate import upgrade
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
    from skillgrid.services.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
        factory = make_session_factory(engine)
        build_demo(lambda: SqlAlchemyUnitOfWork(factory))
    finally:
        engine.dispose()
    return path


def copy_of_demo(demo_database: Path, folder: Path) -> str:
    """A private copy of the demo database: its SQLAlchemy URL."""
    import sqlite3
    from contextlib import closing

    target = folder / "demo-copy.db"
    with (
        closing(sqlite3.connect(demo_database)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)
    return f"sqlite:///{target}"
