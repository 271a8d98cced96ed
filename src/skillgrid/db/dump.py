"""The whole organisation as one JSON document: ``export_all`` (``import_all`` is in
``db/load.py``).

Generic over the schema: every table of ``Base.metadata.sorted_tables`` (foreign keys
first) but the ephemeral ones (``info={"exported": False}``, e.g. web sessions), every
column encoded by its type (``db/portable.py``), rows ordered by primary key so two
exports of the same data are byte-identical, on SQLite and PostgreSQL alike. Both sides
stream: memory stays flat however many rows there are.

Layout (keys in this order; one row per line)::

    {"format": "skillgrid-export", "format_version": 1, "schema_revision": "0007",
     "excluded_tables": ["web_sessions"],
     "tables": {
      "frameworks": {"columns": ["id", "name", ...], "rows": [
       [1, "sre", ...]
      ], "count": 1},
      ...
     }}
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import Column, Connection, Engine, Table, select

from skillgrid.db.migrate import HEAD, current_revision
from skillgrid.db.portable import PortabilityError, encoder, stored_type
from skillgrid.db.tables import Base
from skillgrid.services.unit_of_work import TableCounts

FORMAT = "skillgrid-export"
FORMAT_VERSION = 1
BATCH = 5000


def exported_tables() -> list[Table]:
    """The tables an export holds, in foreign-key order."""
    return [t for t in Base.metadata.sorted_tables if t.info.get("exported", True)]


def excluded_tables() -> list[str]:
    return sorted(t.name for t in Base.metadata.sorted_tables if not t.info.get("exported", True))


def export_all(engine: Engine, out: TextIO) -> TableCounts:
    """Write every exported table to ``out`` from one consistent snapshot of the database."""
    revision = current_revision(engine)
    if revision != HEAD:
        raise PortabilityError(
            f"the database is at schema revision {revision}, not {HEAD}: migrate it first "
            "(skillgrid init)"
        )
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": HEAD,
        "excluded_tables": excluded_tables(),
    }
    out.write(json.dumps(header, ensure_ascii=False)[:-1] + ',\n "tables": {')
    summary = TableCounts()
    with _snapshot(engine) as connection:
        for index, table in enumerate(exported_tables()):
            names = [c.name for c in table.columns]
            out.write(("," if index else "") + f"\n  {_json(table.name)}: ")
            out.write(f'{{"columns": {_json(names)}, "rows": [')
            count = 0
            for row in _rows(connection, table):
                out.write(("," if count else "") + "\n   " + row)
                count += 1
            out.write(("\n  " if count else "") + f'], "count": {count}}}')
            summary.rows[table.name] = count
    out.write("\n }\n}\n")
    return summary


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _snapshot:
    """A read-only transaction that sees one moment of the database (REPEATABLE READ on
    PostgreSQL; SQLite's WAL readers see one snapshot per transaction anyway)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __enter__(self) -> Connection:
        options: dict[str, Any] = {}
        if self.engine.dialect.name == "postgresql":
            options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        self.connection = self.engine.connect().execution_options(**options)
        self.connection.begin()
        return self.connection

    def __exit__(self, *exc: object) -> None:
        self.connection.rollback()
        self.connection.close()


def _rows(connection: Connection, table: Table) -> Iterator[str]:
    """Each row as a line of JSON, in primary-key order (byte order for text keys on every
    backend, so SQLite and PostgreSQL agree)."""
    columns = list(table.columns)
    keys = list(table.primary_key.columns) or columns
    postgres = connection.dialect.name == "postgresql"
    order = [c.collate("C") if postgres and _is_text(c) else c for c in keys]
    steps = [(i, e) for i, c in enumerate(columns) if (e := encoder(c)) is not None]
    result = connection.execution_options(yield_per=BATCH).execute(
        select(*columns).order_by(*order)
    )
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for row in result:
        values = list(row)
        for i, encode in steps:
            values[i] = encode(values[i])
        yield dumps(values)


def _is_text(column: Column[Any]) -> bool:
    from sqlalchemy import String

    return isinstance(stored_type(column), String)
