"""``SqlStorage``: the services' :class:`~skillgrid.services.unit_of_work.Storage` on an
engine, delegating to the export (``dump.py``), import (``load.py``), backup and restore
(``backup.py``) and migration (``migrate.py``) modules."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine

from skillgrid.db import backup, dump, load, migrate
from skillgrid.services.unit_of_work import Outcome, TableCounts


class SqlStorage:
    """The database behind ``engine`` as a whole."""

    newest_revision = migrate.HEAD

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def revision(self) -> str | None:
        return migrate.current_revision(self.engine)

    def connections_in_use(self) -> int:
        """Pooled connections handed out now (0 for a pool that does not count them)."""
        return int(getattr(self.engine.pool, "checkedout", lambda: 0)())

    def export(self, out: TextIO) -> TableCounts:
        return dump.export_all(self.engine, out)

    def export_file(self, path: Path) -> TableCounts:
        return backup.export_file(self.engine, path)

    def load(self, source: TextIO, *, replace: bool) -> TableCounts:
        return load.import_all(self.engine, source, replace=replace)

    def backup(self, path: Path, *, as_json: bool) -> Outcome:
        return backup.backup(self.engine, path, as_json=as_json)

    def restore(self, path: Path, *, force: bool) -> Outcome:
        return backup.restore(self.engine, path, force=force)
