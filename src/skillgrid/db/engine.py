"""Engines and sessions, made by factories (nothing connects at import time)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from skillgrid.domain.errors import ConfigurationError


def make_engine(
    url: str, *, busy_timeout_ms: int = 5000, echo: bool = False, pool_size: int = 5
) -> Engine:
    """An engine for ``url``, keeping up to ``pool_size`` connections open (SQLAlchemy's
    default of 5 unless told; up to 10 more are opened when all are in use, and closed when
    given back). SQLite gets WAL, a busy timeout, foreign keys and real transactions (BEGIN
    issued by SQLAlchemy, not guessed by the driver)."""
    parsed = _parse(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(parsed, echo=echo, hide_parameters=not echo, pool_size=pool_size)
        _ping_after_idling(engine)
        return engine
    if parsed.database and parsed.database != ":memory:":
        folder = Path(parsed.database).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ConfigurationError(
                f"database file {parsed.database}: cannot make its folder {folder} "
                f"({error.strerror}): {_GIVE}"
            ) from None
    engine = create_engine(
        parsed,
        echo=echo,
        hide_parameters=not echo,  # errors (and logs) never carry the values: personal data
        connect_args={"timeout": busy_timeout_ms / 1000},
        pool_size=pool_size,
    )
    _configure_sqlite(engine, busy_timeout_ms)
    return engine


def _parse(url: str) -> URL:
    """The URL, with the driver SkillGrid ships for PostgreSQL; refused with a reason (and
    no password) when it cannot be read or names a database SQLAlchemy does not know."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigurationError(f"database URL {url!r} cannot be read: {_GIVE}") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        parsed.get_dialect()
    except ArgumentError:  # NoSuchModuleError: no such dialect or driver
        shown = parsed.render_as_string(hide_password=True)
        raise ConfigurationError(
            f"database URL {shown}: {parsed.drivername!r} is not a database SkillGrid can use: "
            f"{_GIVE}"
        ) from None
    return parsed


_GIVE = (
    "give sqlite:///path/to/file.db or postgresql+psycopg://user:password@host:5432/dbname "
    "in SKILLGRID_DATABASE_URL"
)


IDLE_BEFORE_PING = 10.0  # seconds


def _ping_after_idling(engine: Engine) -> None:
    """A pooled connection that sat unused for a while is checked before it is handed out
    (a restart or failover of the server usually happens then), and replaced if dead. A
    ping on every checkout (SQLAlchemy's pool_pre_ping) cost a round trip a request, about
    half a millisecond here; a connection in steady use that the server drops still fails
    once, and SQLAlchemy then replaces the whole pool."""

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def idle_from_now(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("idle_since", 0.0) < IDLE_BEFORE_PING:
            return
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            dbapi_connection.rollback()  # hand it out as it came: outside any transaction
        except Exception as error:  # any failure: the pool retries with a new connection
            raise DisconnectionError() from error


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        _use_wal(cursor, busy_timeout_ms)
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # a transaction that will write takes the write lock at once (BEGIN IMMEDIATE,
        # waiting up to the busy timeout): one that read first and wrote after another
        # writer committed would be refused at once, however long the timeout. Reads that
        # said so run statement by statement (READS): no BEGIN, and the ROLLBACK is free
        options = connection.get_execution_options()
        if not options.get(READS, False):
            connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get(WRITES) else "BEGIN")


def _use_wal(cursor: Any, busy_timeout_ms: int) -> None:
    """WAL journal mode (stored in the file, so set once per new file). Processes that open a
    new file at the same moment each need it alone to switch: SQLite refuses all but one at
    once ("database is locked", without waiting the busy timeout), so try again until then."""
    deadline = time.monotonic() + busy_timeout_ms / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


WRITES = "skillgrid_writes"  # execution option: the transaction will write
READS = "skillgrid_reads"  # execution option (SQLite): it only reads, each statement on its own


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
