"""The fake of the database as a whole, for export, import, backup and restore."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from skillgrid.domain.errors import Conflict
from skillgrid.services.unit_of_work import Outcome, TableCounts


class FakeStorage:
    """The database as a whole, in memory: an export is the JSON of ``tables``, and what
    each call did is kept in ``calls``."""

    newest_revision = "0012"

    def __init__(self, tables: dict[str, int] | None = None) -> None:
        self.tables = dict(tables or {})
        self.at: str | None = self.newest_revision
        self.in_use = 0
        self.calls: list[tuple[str, object]] = []
        self.files: dict[Path, str] = {}

    def revision(self) -> str | None:
        return self.at

    def connections_in_use(self) -> int:
        return self.in_use

    def export(self, out: TextIO) -> TableCounts:
        self.calls.append(("export", out))
        out.write(json.dumps(self.tables))
        return TableCounts(dict(self.tables))

    def export_file(self, path: Path) -> TableCounts:
        self.calls.append(("export_file", path))
        self.files[path] = json.dumps(self.tables)
        return TableCounts(dict(self.tables))

    def load(self, source: TextIO, *, replace: bool) -> TableCounts:
        self.calls.append(("load", replace))
        if self.tables and not replace:
            raise Conflict("the database is not empty")
        self.tables = json.loads(source.read())
        return TableCounts(dict(self.tables))

    def backup(self, path: Path, *, as_json: bool) -> Outcome:
        self.calls.append(("backup", as_json))
        self.files[path] = json.dumps(self.tables)
        return Outcome("json" if as_json else "sqlite", path, revision=self.newest_revision)

    def restore(self, path: Path, *, force: bool) -> Outcome:
        self.calls.append(("restore", force))
        if self.tables and not force:
            raise Conflict("the database is not empty")
        self.tables = json.loads(self.files[path])
        return Outcome("json", path, TableCounts(dict(self.tables)), self.newest_revision)
