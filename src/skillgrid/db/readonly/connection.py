"""Plain DB-API connections for the read-only unit of work: SQLite (``sqlite3``) that refuses
writes, PostgreSQL (``psycopg``) in read-only transactions; the schema revision is checked
before anything else is read.

SQL is written once with ``?`` placeholders; PostgreSQL gets ``%s`` in their place (no
statement here holds a literal ``?`` or ``%``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from skillgrid.db.readonly.url import DatabaseURL, hidden, parse_url
from skillgrid.db.revision import HEAD


class NotServed(Exception):
    """A database the read-only path does not read (no file yet, a schema to migrate, a URL
    only SQLAlchemy understands): the caller takes the SQLAlchemy path instead."""


class SchemaNotCurrent(NotServed):
    """The database is not at the schema revision this SkillGrid reads."""

    def __init__(self, revision: str | None) -> None:
        found = f"at schema revision {revision}" if revision else "not set up yet"
        super().__init__(
            f"the database is {found}, this SkillGrid reads revision {HEAD}: "
            "run `skillgrid init` to bring it up to date"
        )
        self.revision = revision


class DatabaseUnavailable(Exception):
    """The database cannot be reached or used (the driver's error in ``orig``); the CLI
    reports it as it reports SQLAlchemy's OperationalError."""

    def __init__(self, location: str, orig: Exception) -> None:
        super().__init__(f"database {location}: {orig}")
        self.location = location
        self.orig = orig


class Connection:
    """One DB-API connection and the little the repositories need of it."""

    def __init__(
        self,
        raw: Any,
        location: str,
        unavailable: tuple[type[Exception], ...],
        *,
        paramstyle: str = "qmark",
        begin: str | None = None,
    ) -> None:
        self.raw = raw
        self.location = location
        self._unavailable = unavailable
        self._format = paramstyle == "format"
        self._begin = begin

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Every row ``sql`` returns, as tuples."""
        if self._format:
            sql = sql.replace("?", "%s")
        cursor = self.raw.cursor()
        try:
            cursor.execute(sql, tuple(params))
            return [tuple(row) for row in cursor.fetchall()]
        except self._unavailable as error:
            raise DatabaseUnavailable(self.location, error) from None
        finally:
            cursor.close()

    def begin(self) -> None:
        """Start a transaction: one snapshot for everything a unit of work reads."""
        if self._begin:
            self.rows(self._begin)

    def rollback(self) -> None:
        self.raw.rollback()

    def close(self) -> None:
        self.raw.close()


def connect(url: str, *, busy_timeout_ms: int = 5000) -> Connection:
    """A connection to the database at ``url`` (SQLAlchemy's URL form), checked to be at
    schema revision ``HEAD``. Raises NotServed (SchemaNotCurrent among them) or
    DatabaseUnavailable."""
    parsed = parse_url(url)
    if parsed is None or parsed.backend not in ("sqlite", "postgresql"):
        raise NotServed(f"database URL {hidden(url)} is read by SQLAlchemy only")
    if parsed.backend == "sqlite":
        return _sqlite(parsed, hidden(url), busy_timeout_ms)
    return _postgresql(parsed, hidden(url))


def _sqlite(url: DatabaseURL, location: str, busy_timeout_ms: int) -> Connection:
    """The SQLite file opened as SQLAlchemy opens it (same path, same busy timeout) but never
    created (``mode=rw``: a missing file is the SQLAlchemy path's to create) and refusing
    writes (``query_only``). Journal mode and foreign keys matter to writers only. Whatever
    stops it from reading the revision (no file, not a database, locked past the timeout)
    leaves the database to the SQLAlchemy path, which reports it as it always has."""
    import sqlite3

    if url.driver not in (None, "pysqlite") or url.query or url.username or url.host:
        raise NotServed(f"database URL {location} is read by SQLAlchemy only")
    if not url.database or url.database == ":memory:":
        raise NotServed("an in-memory database starts empty")
    path = os.path.abspath(url.database)
    try:
        raw = sqlite3.connect(
            f"file:{quote(path)}?mode=rw",
            uri=True,
            timeout=busy_timeout_ms / 1000,
            isolation_level=None,  # transactions begin where the unit of work says
        )
    except sqlite3.Error as error:
        raise NotServed(f"cannot open {path}: {error}") from None
    connection = Connection(raw, location, (sqlite3.OperationalError,), begin="BEGIN")
    try:
        raw.execute("PRAGMA query_only = ON")
        return _checked(connection, _SQLITE_HAS_REVISION)
    except (sqlite3.Error, DatabaseUnavailable) as error:
        connection.close()  # closing twice is harmless
        raise NotServed(f"cannot read {path}: {error}") from None


def psycopg_arguments(url: DatabaseURL) -> dict[str, Any] | None:
    """The arguments SQLAlchemy's psycopg dialect gives ``psycopg.connect`` for ``url``, or
    None for a URL whose arguments only the dialect works out (several hosts, a repeated
    query key, another driver)."""
    query = dict(url.query)
    if url.driver not in (None, "psycopg") or len(query) != len(url.query) or "host" in query:
        return None
    parts = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "dbname": url.database,
    }
    arguments: dict[str, Any] = {key: value for key, value in parts.items() if value}
    arguments.update(query)
    return arguments


def _postgresql(url: DatabaseURL, location: str) -> Connection:
    """A psycopg connection made as SQLAlchemy makes it; every transaction is READ ONLY."""
    arguments = psycopg_arguments(url)
    if arguments is None:
        raise NotServed(f"database URL {location} is read by SQLAlchemy only")
    import psycopg

    try:
        raw = psycopg.connect(**arguments)
    except psycopg.OperationalError as error:
        raise DatabaseUnavailable(location, error) from None
    raw.read_only = True
    connection = Connection(raw, location, (psycopg.OperationalError,), paramstyle="format")
    return _checked(connection, _POSTGRESQL_HAS_REVISION)


_SQLITE_HAS_REVISION = (
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
)
_POSTGRESQL_HAS_REVISION = "SELECT to_regclass('alembic_version') IS NOT NULL"  # search path


def _checked(connection: Connection, has_revision: str) -> Connection:
    """The connection, if its database is at revision HEAD (closed otherwise)."""
    try:
        revision = None
        if connection.rows(has_revision)[0][0]:
            found = connection.rows("SELECT version_num FROM alembic_version")
            revision = found[0][0] if found else None
        connection.rollback()
    except BaseException:
        connection.close()
        raise
    if revision != HEAD:
        connection.close()
        raise SchemaNotCurrent(revision)
    return connection
