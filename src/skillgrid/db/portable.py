"""Column values ↔ JSON, decided by each column's SQLAlchemy type, the same on every backend.

The whole-organisation export (``db/dump.py``) is generic over ``metadata.sorted_tables``:
a table or column added by a migration is exported and imported with no change here, as
long as its type is one of those below (an unknown type is refused by name, never guessed).

Date-times with ``timezone=True`` are written in UTC with an explicit offset
(``2026-11-28T01:10:05.123456+00:00``): PostgreSQL returns them in the session's zone and
SQLite stores the wall clock without one, which SkillGrid always writes in UTC, so a naive
value read from SQLite is UTC. Date-times without a zone are written naive. Bytes are
base64; JSON columns hold their value with object keys sorted (SQL NULL and a JSON
``null`` both read as ``null``).
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Time,
    Uuid,
)
from sqlalchemy.types import TypeEngine

from skillgrid.db.tables import CycleName
from skillgrid.domain.errors import SkillGridError

Encode = Callable[[Any], Any]
Decode = Callable[[Any], Any]


class PortabilityError(SkillGridError):
    """An export, import, backup or restore that cannot go ahead; nothing was changed."""


class ValueProblem(ValueError):
    """A value in a document that does not fit its column (the caller adds where)."""


def stored_type(column: Column[Any]) -> TypeEngine[Any]:
    """The column's type as the database holds it: a cycle name is text, normalised on the
    way in. (Other decorated types, e.g. ``Interval``, are types of their own.)"""
    kind = column.type
    return kind.impl_instance if isinstance(kind, CycleName) else kind


def encoder(column: Column[Any]) -> Encode | None:
    """How to turn this column's Python value into JSON (None: as it is)."""
    kind = stored_type(column)
    if isinstance(kind, DateTime):
        return _encode_aware if kind.timezone else _encode_naive
    if isinstance(kind, Date | Time):
        return _iso
    if isinstance(kind, Boolean):
        return None  # SQLAlchemy already turns SQLite's 0/1 into False/True
    if isinstance(kind, LargeBinary):
        return _maybe(lambda v: base64.b64encode(bytes(v)).decode("ascii"))
    if isinstance(kind, Float):
        return _maybe(float)
    if isinstance(kind, Numeric):
        return _maybe(str)  # a Decimal keeps every digit as text
    if isinstance(kind, Uuid):
        return _maybe(str)
    if isinstance(kind, Enum):
        return _maybe(_text)
    if isinstance(kind, JSON):
        return _canonical  # PostgreSQL's JSONB reorders keys; SQLite keeps them as written
    if isinstance(kind, Integer | String):
        return None
    raise PortabilityError(
        f"column {column.table.name}.{column.name} has type {kind!r}, which the export does "
        "not know: teach skillgrid/db/portable.py how to write it"
    )


def decoder(column: Column[Any]) -> Decode:
    """How to turn a JSON value back into this column's Python value, checking its kind."""
    kind = stored_type(column)
    if isinstance(kind, DateTime):
        return _decode_aware if kind.timezone else _decode_naive
    if isinstance(kind, Date):
        return _parse(dt.date.fromisoformat, "an ISO date (2026-11-28)")
    if isinstance(kind, Time):
        return _parse(dt.time.fromisoformat, "an ISO time (13:45:00)")
    if isinstance(kind, Boolean):
        return _checked(lambda v: isinstance(v, bool), "true or false")
    if isinstance(kind, LargeBinary):
        return _parse(lambda v: base64.b64decode(v, validate=True), "base64 text")
    if isinstance(kind, Float):
        return _checked(
            lambda v: isinstance(v, int | float) and not isinstance(v, bool), "a number"
        )
    if isinstance(kind, Numeric):
        return _parse(decimal.Decimal, "a decimal number as text")
    if isinstance(kind, Uuid):
        return _parse(uuid.UUID, "a UUID") if kind.as_uuid else _text_value
    if isinstance(kind, String):
        return _text_value
    if isinstance(kind, Integer):
        return _checked(lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer")
    if isinstance(kind, JSON):
        return lambda value: value
    encoder(column)  # raises the "unknown type" error
    raise AssertionError("unreachable")


def _maybe(convert: Callable[[Any], Any]) -> Encode:
    return lambda value: None if value is None else convert(value)


def _text(value: Any) -> str:
    return str(value.name if isinstance(value, enum.Enum) else value)


def _canonical(value: Any) -> Any:
    """A JSON value with every object's keys sorted, so both backends write it alike."""
    if isinstance(value, dict):
        return {key: _canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def _iso(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


def _encode_aware(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def _encode_naive(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat()


def _datetime(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueProblem(f"expected an ISO date-time, got {value!r}")
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueProblem(f"expected an ISO date-time, got {value!r}") from None


def _decode_aware(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    parsed = _datetime(value)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _decode_naive(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    parsed = _datetime(value)
    return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def _text_value(value: Any) -> Any:
    if value is not None and not isinstance(value, str):
        raise ValueProblem(f"expected text, got {value!r}")
    return value


def _checked(test: Callable[[Any], bool], expected: str) -> Decode:
    def decode(value: Any) -> Any:
        if value is not None and not test(value):
            raise ValueProblem(f"expected {expected}, got {value!r}")
        return value

    return decode


def _parse(convert: Callable[[Any], Any], expected: str) -> Decode:
    def decode(value: Any) -> Any:
        if value is None:
            return None
        try:
            if not isinstance(value, str):
                raise TypeError
            return convert(value)
        except (TypeError, ValueError, decimal.InvalidOperation):
            raise ValueProblem(f"expected {expected}, got {value!r}") from None

    return decode
