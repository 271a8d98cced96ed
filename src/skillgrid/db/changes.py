"""The data version: raised in the same transaction as every change a page can show.

Every statement that goes through an engine made by ``make_engine`` is watched: an INSERT,
UPDATE or DELETE on any table but the passing ones (sessions, the version itself) marks the
connection, and the commit that follows raises ``data_version.value`` by one before the
database commits. The raise takes the row's lock, so versions follow commit order on
PostgreSQL too (a sequence would not: its numbers are handed out before commit, in any
order). A rollback forgets the mark.

Writes that bypass the engine's cursors (PostgreSQL COPY, SQLite's backup API, a restore)
call ``jump`` afterwards: it moves the version by a random step, so a number an app process
saw before can never come back with other data behind it.
"""

from __future__ import annotations

import contextlib
import logging
import re
import secrets
import threading
import weakref
from typing import Any

from sqlalchemy import Connection, Engine, event, text

from skillgrid.db.tables import passing_tables

log = logging.getLogger(__name__)
WROTE = "skillgrid_wrote"
_WRITE = re.compile(
    r"""\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)""", re.IGNORECASE
)
_RAISE = "UPDATE data_version SET value = value + 1 WHERE id = 1"
_TRACKED: weakref.WeakSet[Engine] = weakref.WeakSet()


def changes_data(statement: str) -> bool:
    """Whether a SQL statement writes a table whose rows a page or API answer can show."""
    found = _WRITE.match(statement)
    return found is not None and found.group(1).lower() not in passing_tables()


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
            connection.exec_driver_sql(_RAISE)

    @event.listens_for(engine, "rollback")
    def forget(connection: Connection) -> None:
        connection.info.pop(WROTE, None)


def current(connection: Connection) -> int | None:
    """The data version (None before the migration that made it)."""
    value = connection.execute(text("SELECT value FROM data_version WHERE id = 1")).scalar()
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
    and replaces it once if the database dropped it. None when the database cannot answer:
    the caller then leaves the request to the routes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._held: Any = None
        mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        self._plain = "SELECT value FROM data_version WHERE id = 1"
        self._checks = {
            "session": (
                "SELECT v.value FROM web_sessions s, data_version v "
                f"WHERE s.token_hash = {mark} AND v.id = 1"
            ),
            "token": (
                "SELECT v.value FROM api_tokens t, data_version v "
                f"WHERE t.token_hash = {mark} AND NOT t.revoked AND v.id = 1"
            ),
        }

    def version(self) -> int | None:
        return self._one(self._plain, ())

    def version_for(self, kind: str, digest: str) -> int | None:
        """The version if the session (``kind`` "session") or API token ("token") whose
        SHA-256 is ``digest`` is live, else None."""
        return self._one(self._checks[kind], (digest,))

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _one(self, sql: str, parameters: tuple[str, ...]) -> int | None:
        with self._lock:
            for attempt in (1, 2):
                try:
                    cursor = self._connection().cursor()
                    try:
                        cursor.execute(sql, parameters)
                        row = cursor.fetchone()
                    finally:
                        cursor.close()
                    return None if row is None else int(row[0])
                except Exception as error:  # the driver's errors: a restart, a dropped link
                    self._drop()
                    if attempt == 2:
                        log.warning("the data version cannot be read: %s", type(error).__name__)
        return None

    def _connection(self) -> Any:
        if self._held is None:
            held = self.engine.raw_connection()
            if self.engine.dialect.name == "postgresql":
                held.driver_connection.autocommit = True  # type: ignore[union-attr]
            self._held = held  # SQLite connections are in autocommit already (engine.py)
        return self._held

    def _drop(self) -> None:
        if self._held is not None:
            with contextlib.suppress(Exception):
                self._held.invalidate()
            self._held = None
