"""The whole organisation as one JSON document: ``export_all`` and ``import_all``.

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
from dataclasses import dataclass, field
from typing import Any, TextIO

from sqlalchemy import Column, Connection, Engine, Table, select, text

from skillgrid.db.json_stream import JsonStream, JsonSyntaxError
from skillgrid.db.migrate import HEAD, current_revision, upgrade
from skillgrid.db.portable import PortabilityError, ValueProblem, decoder, encoder
from skillgrid.db.tables import Base

FORMAT = "skillgrid-export"
FORMAT_VERSION = 1
BATCH = 5000


@dataclass
class Summary:
    """Rows written or read, per table, in order."""

    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def exported_tables() -> list[Table]:
    """The tables an export holds, in foreign-key order."""
    return [t for t in Base.metadata.sorted_tables if t.info.get("exported", True)]


def excluded_tables() -> list[str]:
    return sorted(t.name for t in Base.metadata.sorted_tables if not t.info.get("exported", True))


def export_all(engine: Engine, out: TextIO) -> Summary:
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
    summary = Summary()
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
    encoders = [encoder(c) for c in columns]
    plain = all(e is None for e in encoders)
    result = connection.execution_options(yield_per=BATCH).execute(
        select(*columns).order_by(*order)
    )
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for row in result:
        if plain:
            yield dumps(list(row))
        else:
            yield dumps([v if e is None else e(v) for e, v in zip(encoders, row, strict=True)])


def _is_text(column: Column[Any]) -> bool:
    from sqlalchemy import String

    return isinstance(column.type, String)


def import_all(engine: Engine, source: TextIO, *, replace: bool = False) -> Summary:
    """Load a document written by :func:`export_all` into ``engine`` in one transaction.

    The database is migrated to the newest schema first; it must hold no rows unless
    ``replace`` (then every row goes, in the same transaction). Any problem — wrong format
    or revision, unknown table or column, a bad value, a truncated file — rolls back
    everything and raises PortabilityError."""
    stream = JsonStream(source)
    try:
        _read_header(stream)
        upgrade(engine)
        with engine.connect() as connection, connection.begin():
            _make_room(connection, replace)
            summary = _read_tables(stream, connection)
            stream.expect("}")
            stream.end()
            _reset_sequences(connection)
    except JsonSyntaxError as error:
        hint = "the file is cut short (an interrupted copy?)" if error.truncated else str(error)
        raise PortabilityError(f"{_where(stream)}: {hint}; nothing was imported") from None
    except UnicodeDecodeError:
        raise PortabilityError(
            "not a SkillGrid export: the file is not UTF-8 text; nothing was imported"
        ) from None
    return summary


def _where(stream: JsonStream) -> str:
    return f"{stream.where} (character {stream.offset})"


def _read_header(stream: JsonStream) -> None:
    """Read up to the ``tables`` key and check the format and the schema revision."""
    if stream.peek() != "{":
        raise PortabilityError(
            "not a SkillGrid export: it does not start with '{' (make one with "
            "skillgrid export-all)"
        )
    stream.expect("{")
    header: dict[str, Any] = {}
    while True:
        key = stream.value()
        if not isinstance(key, str):
            raise PortabilityError("not a SkillGrid export: its keys are not text")
        stream.expect(":")
        if key == "tables":
            break
        header[key] = stream.value()
        if stream.expect(",", "}") == "}":
            raise PortabilityError("the export holds no tables: nothing was imported")
    if header.get("format") != FORMAT:
        raise PortabilityError(
            f"not a SkillGrid export: 'format' is {header.get('format')!r}, not {FORMAT!r}"
        )
    if header.get("format_version") != FORMAT_VERSION:
        raise PortabilityError(
            f"export format version {header.get('format_version')!r} is not the one this "
            f"SkillGrid reads ({FORMAT_VERSION}): use the SkillGrid version that wrote it"
        )
    revision = header.get("schema_revision")
    if revision != HEAD:
        raise PortabilityError(
            f"the export is at schema revision {revision!r}, this SkillGrid at {HEAD!r}: "
            "import it with the SkillGrid version that made it (upgrading it there), then "
            "export again"
        )


def _make_room(connection: Connection, replace: bool) -> None:
    tables = Base.metadata.sorted_tables
    if replace:
        if connection.dialect.name == "postgresql":
            names = ", ".join(
                connection.dialect.identifier_preparer.format_table(t) for t in tables
            )
            connection.execute(text(f"TRUNCATE {names}"))
        else:
            for table in reversed(tables):
                own = {c.key: None for c in table.columns if _refers_to_own_table(c)}
                if own:  # SQLite checks RESTRICT row by row: unlink the rows first
                    connection.execute(table.update().values(own))
                connection.execute(table.delete())
        return
    filled = [
        t.name for t in tables if connection.execute(select(1).select_from(t).limit(1)).first()
    ]
    if filled:
        raise PortabilityError(
            f"the database is not empty ({', '.join(filled)} hold rows): import into a "
            "freshly created database, or pass --replace to delete everything in it first"
        )


def _read_tables(stream: JsonStream, connection: Connection) -> Summary:
    expected = exported_tables()
    known = {t.name: t for t in Base.metadata.sorted_tables}
    summary = Summary()
    stream.expect("{")
    position = 0
    while stream.peek() != "}":
        if summary.rows:
            stream.expect(",")
        name = stream.value()
        stream.expect(":")
        table = known.get(name) if isinstance(name, str) else None
        if table is None or not table.info.get("exported", True):
            why = "is never exported" if table is not None else "is unknown to this SkillGrid"
            raise PortabilityError(f"table {name!r} {why}: nothing was imported")
        at = expected.index(table)
        if at < position:
            raise PortabilityError(
                f"table {name!r} is out of foreign-key order: nothing was imported"
            )
        missing = [t.name for t in expected[position:at]]
        if missing:
            raise PortabilityError(
                f"the export lacks table(s) {', '.join(missing)}: nothing was imported"
            )
        position = at + 1
        stream.where = f"table {name}"
        summary.rows[name] = _TableLoader(connection, table).load(stream)
    stream.expect("}")
    missing = [t.name for t in expected[position:]]
    if missing:
        raise PortabilityError(
            f"the export lacks table(s) {', '.join(missing)}: nothing was imported"
        )
    return summary


class _TableLoader:
    """Reads one table's object and inserts its rows in batches. References from a table
    to itself (a person's manager) are set after all its rows are in, since a row may
    name one that comes later."""

    def __init__(self, connection: Connection, table: Table) -> None:
        self.connection = connection
        self.table = table

    def load(self, stream: JsonStream) -> int:
        stream.expect("{")
        if stream.value() != "columns":
            raise self._error("'columns' must come first")
        stream.expect(":")
        columns = self._columns(stream.value())
        stream.expect(",")
        if stream.value() != "rows":
            raise self._error("'rows' must follow 'columns'")
        stream.expect(":")
        count = self._rows(stream, columns)
        stream.expect(",")
        if stream.value() != "count":
            raise self._error("'count' must follow 'rows'")
        stream.expect(":")
        if stream.value() != count:
            raise self._error(f"'count' does not match the {count} rows given (an edited file?)")
        stream.expect("}")
        return count

    def _error(self, message: str) -> PortabilityError:
        return PortabilityError(f"table {self.table.name}: {message}; nothing was imported")

    def _columns(self, names: Any) -> list[Column[Any]]:
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise self._error("'columns' must be a list of column names")
        by_name = {c.name: c for c in self.table.columns}
        unknown = [n for n in names if n not in by_name]
        missing = [n for n in by_name if n not in names]
        if unknown or missing:
            parts = [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
            parts += [f"missing column(s) {', '.join(missing)}"] if missing else []
            raise self._error("; ".join(parts))
        return [by_name[n] for n in names]

    def _rows(self, stream: JsonStream, columns: list[Column[Any]]) -> int:
        decoders = [decoder(c) for c in columns]
        keys = [c.key for c in columns]
        later = [c.key for c in columns if _refers_to_own_table(c)]
        pk = [c.key for c in self.table.primary_key.columns]
        deferred: list[dict[str, Any]] = []
        batch: list[dict[str, Any]] = []
        count = 0
        stream.expect("[")
        while stream.peek() != "]":
            if count:
                stream.expect(",")
            values = stream.value()
            count += 1
            row = self._decode(values, keys, decoders, count)
            if later and any(row[k] is not None for k in later):
                deferred.append({**{f"_{k}": row[k] for k in pk}, **{k: row[k] for k in later}})
                row.update(dict.fromkeys(later))
            batch.append(row)
            if len(batch) >= BATCH:
                self._insert(batch, count)
                batch = []
        stream.expect("]")
        if batch:
            self._insert(batch, count)
        if deferred:
            self._set_own_references(deferred, later, pk)
        return count

    def _decode(
        self, values: Any, keys: list[str], decoders: list[Any], number: int
    ) -> dict[str, Any]:
        if not isinstance(values, list) or len(values) != len(keys):
            raise self._error(f"row {number} must be a list of {len(keys)} values")
        row = {}
        for key, decode, value in zip(keys, decoders, values, strict=True):
            try:
                row[key] = decode(value)
            except ValueProblem as problem:
                raise self._error(f"row {number}, column {key}: {problem}") from None
        return row

    def _insert(self, batch: list[dict[str, Any]], last: int) -> None:
        from sqlalchemy.exc import DBAPIError

        try:
            self.connection.execute(self.table.insert(), batch)
        except DBAPIError as error:
            first = last - len(batch) + 1
            raise self._error(
                f"rows {first}–{last} break a rule of the database: {error.orig}"
            ) from None

    def _set_own_references(
        self, deferred: list[dict[str, Any]], later: list[str], pk: list[str]
    ) -> None:
        from sqlalchemy import bindparam, update
        from sqlalchemy.exc import DBAPIError

        where = [self.table.c[k] == bindparam(f"_{k}") for k in pk]
        statement = update(self.table).where(*where).values({k: bindparam(k) for k in later})
        try:
            for start in range(0, len(deferred), BATCH):
                self.connection.execute(statement, deferred[start : start + BATCH])
        except DBAPIError as error:
            raise self._error(
                f"a reference to another row of the table breaks: {error.orig}"
            ) from None


def _refers_to_own_table(column: Column[Any]) -> bool:
    return column.nullable is True and any(
        fk.column.table is column.table for fk in column.foreign_keys
    )


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL hands out ids from sequences that explicit ids do not advance: move each
    one past the largest id now stored."""
    if connection.dialect.name != "postgresql":
        return
    for table in exported_tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].autoincrement is False or not _is_integer(keys[0]):
            continue
        name = connection.dialect.identifier_preparer.format_table(table)
        column = connection.dialect.identifier_preparer.format_column(keys[0])
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE((SELECT MAX({column}) FROM {name}), 0) + 1, false) "
                "WHERE pg_get_serial_sequence(:table, :column) IS NOT NULL"
            ),
            {"table": name, "column": keys[0].name},
        )


def _is_integer(column: Column[Any]) -> bool:
    from sqlalchemy import Integer

    return isinstance(column.type, Integer)
