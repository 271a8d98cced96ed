"""``backup`` and ``restore``: a SQLite file copied with SQLite's online backup API (one
consistent snapshot while the app keeps writing), or the JSON export for PostgreSQL.

Every file is written next to its destination under a temporary name and renamed into
place only when complete, so an interrupted backup never leaves a truncated file behind.
A restore checks the backup (SQLite integrity, schema revision, JSON format) before it
touches the database, and changes it in one transaction.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, TextIO, cast
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, inspect, select, text

from skillgrid.db.dump import export_all, exported_tables
from skillgrid.db.load import import_all
from skillgrid.db.migrate import HEAD, known_revisions, upgrade
from skillgrid.db.portable import PortabilityError
from skillgrid.services.unit_of_work import Outcome, TableCounts

SQLITE_MAGIC = b"SQLite format 3\x00"


def backup(engine: Engine, path: Path, *, as_json: bool = False) -> Outcome:
    """Back the database up to ``path``: SQLite's online backup of the file, or (PostgreSQL,
    or ``as_json``) the JSON export. Safe while the app runs."""
    if engine.dialect.name == "sqlite" and not as_json:
        atomic_write(path, lambda partial: _sqlite_copy(_sqlite_file(engine), partial))
        return Outcome("sqlite", path, revision=HEAD)
    return Outcome("json", path, export_file(engine, path), HEAD)


def export_file(engine: Engine, path: Path) -> TableCounts:
    """``export_all`` into the file ``path``, which appears only when complete."""
    summaries: list[TableCounts] = []

    def write(partial: Path) -> None:
        with partial.open("w", encoding="utf-8", newline="\n") as out:
            summaries.append(export_all(engine, out))

    atomic_write(path, write)
    return summaries[0]


def restore(engine: Engine, path: Path, *, force: bool = False) -> Outcome:
    """Put a backup (SQLite file or JSON export) back into the database, which must hold no
    rows unless ``force``. The backup is checked first; a refused restore changes nothing."""
    kind = backup_kind(path)
    if kind == "json":
        if not force:
            refuse_unless_empty(engine)
        with path.open(encoding="utf-8") as source:
            counts = import_all(engine, source, replace=force)
        return Outcome("json", path, counts, HEAD)
    revision = check_sqlite_backup(path)
    if engine.dialect.name != "sqlite":
        return _sqlite_into_other(engine, path, revision, force)
    if not force:
        refuse_unless_empty(engine)
    target = _sqlite_file(engine)
    engine.dispose()
    with closing(_read_only(path)) as source, closing(sqlite3.connect(target, timeout=30)) as dest:
        source.backup(dest)  # one write transaction on the destination: all or nothing
    upgrade(engine)  # a backup from an older SkillGrid is brought up to date
    with engine.begin() as connection:
        # sign-in sessions do not come back with a backup (everyone signs in again, as after
        # a JSON restore)
        connection.execute(text("DELETE FROM web_sessions"))
    return Outcome("sqlite", path, revision=revision)


def backup_kind(path: Path) -> str:
    """``sqlite`` or ``json`` by the file's first bytes; anything else is refused."""
    try:
        with path.open("rb") as handle:
            start = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise PortabilityError(f"{path}: no such file") from None
    except OSError as error:
        raise PortabilityError(f"{path}: cannot read it ({error.strerror})") from None
    if start == SQLITE_MAGIC:
        return "sqlite"
    if start.lstrip()[:1] == b"{":
        return "json"
    what = "it is empty" if not start else "neither a SQLite database nor a JSON export"
    raise PortabilityError(
        f"{path} is not a SkillGrid backup: {what} (make one with skillgrid backup)"
    )


def check_sqlite_backup(path: Path) -> str:
    """The schema revision of a SQLite backup, after checking the file is whole."""
    try:
        with closing(_read_only(path)) as connection:
            verdict = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if verdict != ["ok"]:
                raise PortabilityError(
                    f"{path} is damaged (SQLite integrity check: {'; '.join(verdict[:3])}): "
                    "use another backup"
                )
            found = connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
            if found is None:
                raise PortabilityError(f"{path} is a SQLite database but not a SkillGrid one")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise PortabilityError(
            f"{path} is damaged or not a database ({error}): use another backup"
        ) from None
    revision = str(row[0]) if row else ""
    if revision not in known_revisions():
        raise PortabilityError(
            f"{path} is at schema revision {revision or 'none'}, which this SkillGrid does not "
            f"know (it is at {HEAD}): restore it with the newer SkillGrid that made it"
        )
    return revision


def refuse_unless_empty(engine: Engine) -> None:
    """Refuse to go on when any SkillGrid table that backups hold has a row (passing
    state, such as sign-in sessions, does not count)."""
    with engine.connect() as connection:
        present = set(inspect(connection).get_table_names())
        filled = [
            t.name
            for t in exported_tables()
            if t.name in present and connection.execute(select(1).select_from(t).limit(1)).first()
        ]
    if filled:
        raise PortabilityError(
            f"the database is not empty ({', '.join(filled)} hold rows): pass --force to "
            "replace everything in it with the backup"
        )


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write`` on a private temporary file beside ``path``, then move it into place;
    on failure ``path`` is untouched and the temporary file removed. The file is readable
    by its owner only: it holds password and token hashes."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise PortabilityError(f"{path}: the folder {directory} does not exist")
    if path.is_dir():
        raise PortabilityError(f"{path} is a folder: give a file name")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=directory)
    except OSError as error:
        raise PortabilityError(f"{path}: cannot write there ({error.strerror})") from None
    os.close(handle)
    partial = Path(name)
    try:
        write(partial)
        os.chmod(partial, 0o600)
        with partial.open("rb+") as done:
            os.fsync(done.fileno())
        os.replace(partial, path)
    except OSError as error:
        raise PortabilityError(f"{path}: cannot write it ({error.strerror})") from None
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_file(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise PortabilityError("backup and restore need a SQLite database in a file")
    return str(Path(database).expanduser())


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)


def _sqlite_copy(source_file: str, partial: Path) -> None:
    """SQLite's online backup in one step: one read transaction, so one consistent moment
    even while others write (WAL readers do not block writers)."""
    with (
        closing(sqlite3.connect(source_file, timeout=30)) as source,
        closing(sqlite3.connect(partial)) as dest,
    ):
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        verdict = dest.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        raise PortabilityError(
            f"the copy failed its integrity check ({verdict}); nothing was written"
        )


def _sqlite_into_other(engine: Engine, path: Path, revision: str, force: bool) -> Outcome:
    """A SQLite backup into PostgreSQL: through the JSON export of the backup."""
    if revision != HEAD:
        raise PortabilityError(
            f"{path} is at schema revision {revision}, not {HEAD}: restore it into SQLite "
            "first (which upgrades it), then move it with export-all and import-all"
        )
    with _temporary_text() as (partial, handle):
        reader = create_engine(
            "sqlite://", creator=lambda: _read_only(path), poolclass=_static_pool()
        )
        try:
            export_all(reader, handle)
        finally:
            reader.dispose()
        handle.flush()
        with partial.open(encoding="utf-8") as source:
            summary = import_all(engine, source, replace=force)
    return Outcome("sqlite", path, summary, revision)


def _static_pool() -> Any:
    from sqlalchemy.pool import StaticPool

    return StaticPool


@contextmanager
def _temporary_text() -> Iterator[tuple[Path, TextIO]]:
    with tempfile.NamedTemporaryFile("w+", encoding="utf-8", suffix=".json") as handle:
        yield Path(handle.name), cast(TextIO, handle)
