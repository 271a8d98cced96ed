"""The data version: raised in the same transaction as every change a page can show.

Every statement that goes through an engine made by ``make_engine`` is watched. Anything
that is not plainly a read marks the connection — an INSERT, UPDATE or DELETE on any table
but the unseen ones (sessions, sign-in counters, the audit trail, the version itself), and,
to fail safe, any statement not recognised at all (DDL, MERGE, a data-modifying WITH) — and
the commit that follows raises the version by one before the database commits. A rollback
forgets the mark.

The version is the sum of ``SHARDS`` counters, each commit raising one of them at random:
the raise takes that row's lock until the commit, so on PostgreSQL commits that raise
different rows do not wait for each other (one row made every writing commit in every
process take turns, ~880 commits/s at most on this machine). The sum counts the commits a
snapshot sees, and a later snapshot sees every commit an earlier one saw, so a number never
stands for two states of the data. (A sequence would not do: its numbers are handed out
before commit, in any order.)

Writes that bypass the engine's cursors (SQLite's backup API, a restore) call ``jump``
afterwards: it moves the version by a random step, so a number an app process saw before
can never come back with other data behind it; ``migrate.upgrade`` does the same after
running migrations.
"""

from __future__ import annotations

import contextlib
import logging
import random
import re
import secrets
import threading
import time
import weakref
from typing import Any

from sqlalchemy import Connection, Engine, event, text

from skillgrid.db.tables import passing_tables

log = logging.getLogger(__name__)
WROTE = "skillgrid_wrote"
SHARDS = 16
# tables no kept answer shows: writing them alone leaves the version (a sign-in writes a
# session, perhaps a sign-in counter and an audit entry; every other audited change also
# writes what it changed)
UNSEEN_EXTRA = frozenset({"audit_entries"})
_COMMENTS = re.compile(r"\A(?:\s+|--[^\n]*\n?|/\*.*?\*/)*", re.DOTALL)
_WRITE = re.compile(
    r"""(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"""
    r"""\s+(?:ONLY\s+)?(?:["`]?\w+["`]?\.)?["`]?(\w+)""",
    re.IGNORECASE,
)
_READS = frozenset(
    {
        "SELECT",
        "PRAGMA",
        "SHOW",
        "EXPLAIN",
        "VALUES",
        "SAVEPOINT",
        "RELEASE",
        "ROLLBACK",
        "BEGIN",
        "SET",
        "RESET",
    }
)
_WRITES_INSIDE = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
_TRACKED: weakref.WeakSet[Engine] = weakref.WeakSet()


def unseen_tables() -> frozenset[str]:
    return passing_tables() | UNSEEN_EXTRA


def changes_data(statement: str) -> bool:
    """Whether a SQL statement may change what a page or API answer shows: False only for
    plain reads and for writes to unseen tables."""
    body = statement[_COMMENTS.match(statement).end() :]  # type: ignore[union-attr]
    first = body[:12].split(None, 1)[0].upper() if body.strip() else ""
    if first in _READS:
        return False
    if first == "WITH":
        return _WRITES_INSIDE.search(body) is not None
    found = _WRITE.match(body)
    if found is not None:
        return found.group(1).lower() not in unseen_tables()
    return bool(first)  # DDL, TRUNCATE, MERGE, COPY, anything unknown: assume a change


def track_changes(engine: Engine) -> None:
    """Raise the data version with every commit that changed data (see the module text).
    Called once the schema is current (the table exists); calling it again does nothing."""
    if engine in _TRACKED:
        return
    _TRACKED.add(engine)

    @event.listens_for(engine, "before_cursor_execute")
    def note(
        connection: Connection,
        _cursor: Any,
        statement: str,
        _parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> None:
        if not connection.info.get(WROTE) and changes_data(statement):
            connection.info[WROTE] = True

    @event.listens_for(engine, "commit")
    def raise_version(connection: Connection) -> None:
        if connection.info.pop(WROTE, False):
            shard = random.randrange(SHARDS) + 1  # spreads row locks; nothing secret
            connection.exec_driver_sql(
                f"UPDATE data_version SET value = value + 1 WHERE id = {shard}"
            )

    @event.listens_for(engine, "rollback")
    def forget(connection: Connection) -> None:
        connection.info.pop(WROTE, None)


def current(connection: Connection) -> int | None:
    """The data version (None before the migration that made it)."""
    value = connection.execute(text("SELECT sum(value) FROM data_version")).scalar()
    return None if value is None else int(value)


def jump(connection: Connection) -> None:
    """Move the version by a random step, after writes no statement announced."""
    step = secrets.randbelow(2**31) + 1
    connection.execute(
        text("UPDATE data_version SET value = value + :step WHERE id = 1"), {"step": step}
    )


class VersionReader:
    """The data version, alone or only if a caller's session or API token is live, in one
    plain query: the check a kept response costs per request (no ORM, no statement
    compilation, no pool checkout). It holds one driver connection of its own, in
    autocommit (each query sees the newest commit; PostgreSQL sees no idle transaction),
    replaces it once if the database dropped it, and gives up quickly on a database that
    does not answer (PostgreSQL: 3 s to connect or to get an answer acknowledged). None when
    the database cannot answer — the caller then leaves the request to the routes — and for
    the next ``PAUSE`` seconds after such a failure, without trying."""

    PAUSE = 5.0

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._held: Any = None
        self._closed = False
        self._paused_until = 0.0
        mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        total = "(SELECT sum(value) FROM data_version)"
        self._plain = f"SELECT {total}"
        self._checks = {
            "session": f"SELECT {total} FROM web_sessions WHERE token_hash = {mark}",
            "token": f"SELECT {total} FROM api_tokens WHERE token_hash = {mark} AND NOT revoked",
        }

    def version(self) -> int | None:
        return self._one(self._plain, ())

    def version_for(self, kind: str, digest: str) -> int | None:
        """The version if the session (``kind`` "session") or API token ("token") whose
        SHA-256 is ``digest`` is live, else None."""
        return self._one(self._checks[kind], (digest,))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._drop()

    def _one(self, sql: str, parameters: tuple[str, ...]) -> int | None:
        with self._lock:
            if self._closed or time.monotonic() < self._paused_until:
                return None
            for attempt in (1, 2):
                try:
                    cursor = self._connection().cursor()
                    try:
                        cursor.execute(sql, parameters)
                        row = cursor.fetchone()
                    finally:
                        cursor.close()
                    return None if row is None or row[0] is None else int(row[0])
                except Exception as error:  # the driver's errors: a restart, a dropped link
                    self._drop()
                    if attempt == 2:
                        self._paused_until = time.monotonic() + self.PAUSE
                        log.warning("the data version cannot be read: %s", type(error).__name__)
        return None

    def _connection(self) -> Any:
        if self._held is None:
            if self.engine.dialect.name == "postgresql":
                self._held = self._postgresql()
            else:  # SQLite: the engine's connection is in autocommit already (engine.py)
                self._held = self.engine.raw_connection()
        return self._held

    def _postgresql(self) -> Any:
        """A connection of its own (not the pool's), with the engine's arguments and short
        network timeouts: it is read on the event loop."""
        args, options = self.engine.dialect.create_connect_args(self.engine.url)
        options = {
            **options,
            "connect_timeout": 3,
            "tcp_user_timeout": 3000,
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 2,
            "keepalives_count": 2,
            "autocommit": True,
        }
        return self.engine.dialect.loaded_dbapi.connect(*args, **options)

    def _drop(self) -> None:
        if self._held is not None:
            with contextlib.suppress(Exception):
                if hasattr(self._held, "invalidate"):
                    self._held.invalidate()
                else:
                    self._held.close()
            self._held = None
