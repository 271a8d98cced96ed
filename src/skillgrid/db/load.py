"""``import_all``: load an ``export_all`` document into an empty database in one transaction.

It streams: rows are read, checked and inserted in batches, so memory stays flat for
millions of rows. Each value goes through the column's decoder (``db/portable.py``) and
then SQLAlchemy's own bind processor for the dialect, so it is stored exactly as the app
would store it; the batch is then handed to the driver in one call (``executemany`` on
SQLite, ``COPY`` on PostgreSQL), skipping per-row statement building.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TextIO

from sqlalchemy import Column, Connection, Engine, Integer, Table, select, text
from sqlalchemy.exc import DBAPIError

from skillgrid.db.dump import FORMAT, FORMAT_VERSION, exported_tables
from skillgrid.db.json_stream import JsonStream, JsonSyntaxError
from skillgrid.db.migrate import HEAD, upgrade
from skillgrid.db.portable import PortabilityError, ValueProblem, decoder, stored_type
from skillgrid.db.tables import Base
from skillgrid.services.unit_of_work import TableCounts

BATCH = 5000
# a cheap check for the commonest columns: the exact JSON type a value must have
_PLAIN_TYPES: dict[str, tuple[type, ...]] = {"int": (int,), "str": (str,)}


def import_all(engine: Engine, source: TextIO, *, replace: bool = False) -> TableCounts:
    """Load a document written by ``export_all`` into ``engine`` in one transaction.

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
        raise PortabilityError(
            f"{stream.where} (character {stream.offset}): {hint}; nothing was imported"
        ) from None
    except UnicodeDecodeError:
        raise PortabilityError(
            "not a SkillGrid export: the file is not UTF-8 text; nothing was imported"
        ) from None
    return summary


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
    tables = list(Base.metadata.sorted_tables)
    if not replace:
        filled = [
            t.name
            for t in exported_tables()
            if connection.execute(select(1).select_from(t).limit(1)).first()
        ]
        if filled:
            raise PortabilityError(
                f"the database is not empty ({', '.join(filled)} hold rows): import into a "
                "freshly created database, or pass --replace to delete everything in it first"
            )
        return
    if connection.dialect.name == "postgresql":
        quote = connection.dialect.identifier_preparer.format_table
        connection.execute(text(f"TRUNCATE {', '.join(quote(t) for t in tables)}"))
        return
    for table in reversed(tables):
        own = {c.key: None for c in table.columns if _refers_to_own_table(c)}
        if own:  # SQLite checks RESTRICT row by row: unlink the rows first
            connection.execute(table.update().values(own))
        connection.execute(table.delete())


def _read_tables(stream: JsonStream, connection: Connection) -> TableCounts:
    expected = exported_tables()
    known = {t.name: t for t in Base.metadata.sorted_tables}
    summary = TableCounts()
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
        _refuse_missing(expected[position:at])
        position = at + 1
        stream.where = f"table {name}"
        summary.rows[table.name] = _TableLoader(connection, table).load(stream)
    stream.expect("}")
    _refuse_missing(expected[position:])
    return summary


def _refuse_missing(tables: list[Table]) -> None:
    if tables:
        names = ", ".join(t.name for t in tables)
        raise PortabilityError(f"the export lacks table(s) {names}: nothing was imported")


class _TableLoader:
    """Reads one table's object and inserts its rows in batches. References from a table
    to itself (a person's manager) are set after all its rows are in, since a row may
    name one that comes later."""

    def __init__(self, connection: Connection, table: Table) -> None:
        self.connection = connection
        self.table = table

    def load(self, stream: JsonStream) -> int:
        stream.expect("{")
        self._key(stream, "columns", "first")
        columns = self._columns(stream.value())
        stream.expect(",")
        self._key(stream, "rows", "after 'columns'")
        count = self._rows(stream, columns)
        stream.expect(",")
        self._key(stream, "count", "after 'rows'")
        if stream.value() != count:
            raise self._error(f"'count' does not match the {count} rows given (an edited file?)")
        stream.expect("}")
        return count

    def _key(self, stream: JsonStream, name: str, where: str) -> None:
        if stream.value() != name:
            raise self._error(f"{name!r} must come {where}")
        stream.expect(":")

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
        if len(set(names)) != len(names):
            raise self._error("a column is named twice")
        return [by_name[n] for n in names]

    def _rows(self, stream: JsonStream, columns: list[Column[Any]]) -> int:
        decode = self._row_decoder(columns)
        later = [i for i, c in enumerate(columns) if _refers_to_own_table(c)]
        keys = [i for i, c in enumerate(columns) if c.primary_key]
        writer = _Writer(self.connection, self.table, columns)
        deferred: list[tuple[Any, ...]] = []  # (references…, primary key…), bind values
        batch: list[list[Any]] = []
        count = 0
        for values in stream.array():
            count += 1
            row = decode(values, count)
            if later and any(row[i] is not None for i in later):
                deferred.append(tuple(row[i] for i in later) + tuple(row[i] for i in keys))
                for i in later:
                    row[i] = None
            batch.append(row)
            if len(batch) >= BATCH:
                self._write(writer, batch, count)
                batch = []
        if batch:
            self._write(writer, batch, count)
        if deferred:
            sql = writer.update([columns[i] for i in later], [columns[i] for i in keys])
            try:
                for start in range(0, len(deferred), BATCH):
                    self.connection.exec_driver_sql(sql, deferred[start : start + BATCH])
            except DBAPIError as error:
                raise self._error(
                    f"a reference to another row of the table breaks: {error.orig}"
                ) from None
        return count

    def _row_decoder(self, columns: list[Column[Any]]) -> Callable[[Any, int], list[Any]]:
        """A function checking one row (a JSON list) and turning it into bind values."""
        width = len(columns)
        checks: list[tuple[int, tuple[type, ...]]] = []
        steps: list[tuple[int, Callable[[Any], Any]]] = []
        dialect = self.connection.dialect
        for i, column in enumerate(columns):
            kind = _plain(column)
            process = column.type.dialect_impl(dialect).bind_processor(dialect)
            if kind and process is None:
                checks.append((i, _PLAIN_TYPES[kind]))
            else:
                steps.append((i, _then(decoder(column), process)))
        names = [c.key for c in columns]

        def decode(values: Any, number: int) -> list[Any]:
            if type(values) is not list or len(values) != width:
                raise self._error(f"row {number} must be a list of {width} values")
            for i, allowed in checks:
                value = values[i]
                if value is not None and type(value) not in allowed:
                    kind = "an integer" if allowed == (int,) else "text"
                    raise self._error(
                        f"row {number}, column {names[i]}: expected {kind}, got {value!r}"
                    )
            try:
                for i, step in steps:
                    values[i] = step(values[i])
            except ValueProblem as problem:
                raise self._error(f"row {number}, column {names[i]}: {problem}") from None
            return values

        return decode

    def _write(self, writer: _Writer, batch: list[list[Any]], last: int) -> None:
        try:
            writer.write(batch)
        except (DBAPIError, writer.driver_error) as error:
            first = last - len(batch) + 1
            cause = getattr(error, "orig", None) or error
            raise self._error(
                f"rows {first}–{last} break a rule of the database: {cause}"
            ) from None


class _Writer:
    """Hands batches of bind values to the driver: COPY on PostgreSQL (psycopg), one
    executemany of a prepared INSERT elsewhere."""

    def __init__(self, connection: Connection, table: Table, columns: list[Column[Any]]) -> None:
        self.connection = connection
        quote = connection.dialect.identifier_preparer
        self.target = (
            f"{quote.format_table(table)} ({', '.join(quote.format_column(c) for c in columns)})"
        )
        dbapi = connection.dialect.dbapi
        self.driver_error: type[Exception] = getattr(dbapi, "Error", DBAPIError)
        self.copy = connection.dialect.driver == "psycopg"
        self.marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        self.table = quote.format_table(table)
        markers = ", ".join([self.marker] * len(columns))
        self.insert = f"INSERT INTO {self.target} VALUES ({markers})"

    def update(self, columns: list[Column[Any]], keys: list[Column[Any]]) -> str:
        """UPDATE of ``columns`` by primary key; parameters: values, then the key."""
        quote = self.connection.dialect.identifier_preparer.format_column
        values = ", ".join(f"{quote(c)} = {self.marker}" for c in columns)
        where = " AND ".join(f"{quote(c)} = {self.marker}" for c in keys)
        return f"UPDATE {self.table} SET {values} WHERE {where}"

    def write(self, rows: Iterable[list[Any]]) -> None:
        if not self.copy:
            self.connection.exec_driver_sql(self.insert, [tuple(r) for r in rows])
            return
        raw = self.connection.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cursor, cursor.copy(f"COPY {self.target} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _plain(column: Column[Any]) -> str | None:
    """``int`` or ``str`` for columns whose JSON value is stored as it is."""
    from sqlalchemy import Enum, String

    kind = stored_type(column)
    if isinstance(kind, Integer):
        return "int"
    if isinstance(kind, String) and not isinstance(kind, Enum):
        return "str"
    return None


def _then(first: Callable[[Any], Any], then: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    if then is None:
        return first
    return lambda value: then(first(value))


def _refers_to_own_table(column: Column[Any]) -> bool:
    return column.nullable is True and any(
        fk.column.table is column.table for fk in column.foreign_keys
    )


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL hands out ids from sequences that explicit ids do not advance: move each
    one past the largest id now stored."""
    if connection.dialect.name != "postgresql":
        return
    quote = connection.dialect.identifier_preparer
    for table in exported_tables():
        keys = list(table.primary_key.columns)
        if (
            len(keys) != 1
            or keys[0].autoincrement is False
            or not isinstance(keys[0].type, Integer)
        ):
            continue
        name, column = quote.format_table(table), quote.format_column(keys[0])
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE((SELECT MAX({column}) FROM {name}), 0) + 1, false) "
                "WHERE pg_get_serial_sequence(:table, :column) IS NOT NULL"
            ),
            {"table": name, "column": keys[0].name},
        )
