"""Column values ↔ JSON by SQLAlchemy type: what export-all writes for each kind of column
a future migration may add, and that reading it back gives the same value."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    Interval,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    Time,
    Uuid,
)

from skillgrid.db.portable import PortabilityError, ValueProblem, decoder, encoder

EAST = dt.timezone(dt.timedelta(hours=5, minutes=30))
CASES: list[tuple[Any, Any, Any, Any]] = [
    # type, value read from the database, JSON written, value given back to the database
    (Integer(), 7, 7, 7),
    (Text(), "línea\n“x”", "línea\n“x”", "línea\n“x”"),
    (Boolean(), True, True, True),
    (Date(), dt.date(2026, 2, 28), "2026-02-28", dt.date(2026, 2, 28)),
    (Time(), dt.time(13, 45, 1), "13:45:01", dt.time(13, 45, 1)),
    (
        DateTime(timezone=True),
        dt.datetime(2026, 11, 28, 6, 40, 5, 123456, tzinfo=EAST),  # PostgreSQL: a zone
        "2026-11-28T01:10:05.123456+00:00",
        dt.datetime(2026, 11, 28, 1, 10, 5, 123456, tzinfo=dt.UTC),
    ),
    (
        DateTime(timezone=True),
        dt.datetime(2026, 11, 28, 1, 10, 5),  # SQLite: the UTC wall clock, no zone
        "2026-11-28T01:10:05+00:00",
        dt.datetime(2026, 11, 28, 1, 10, 5, tzinfo=dt.UTC),
    ),
    (
        DateTime(),
        dt.datetime(2026, 1, 2, 3, 4),
        "2026-01-02T03:04:00",
        dt.datetime(2026, 1, 2, 3, 4),
    ),
    (LargeBinary(), b"\x00\xffvec", "AP92ZWM=", b"\x00\xffvec"),
    (Float(), 0.1, 0.1, 0.1),
    (Numeric(10, 2), decimal.Decimal("12.30"), "12.30", decimal.Decimal("12.30")),
    (Uuid(), uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001", uuid.UUID(int=1)),
    (Enum("draft", "final", name="state"), "final", "final", "final"),
    (
        JSON(),
        {"b": [1, {"z": 1, "a": 2}], "a": None},
        {"a": None, "b": [1, {"a": 2, "z": 1}]},
        None,
    ),
]


def _column(kind: Any) -> Column[Any]:
    return Table("t", MetaData(), Column("c", kind)).c.c


@pytest.mark.parametrize(("kind", "stored", "written", "back"), CASES, ids=lambda x: repr(x)[:30])
def test_each_type_writes_plain_json_and_reads_back(
    kind: Any, stored: Any, written: Any, back: Any
) -> None:
    column = _column(kind)
    encode = encoder(column)
    value = stored if encode is None else encode(stored)
    assert json.loads(json.dumps(value)) == written
    assert json.dumps(value) == json.dumps(written)  # key order too
    assert decoder(column)(written) == (written if back is None else back)
    assert decoder(column)(None) is None


@pytest.mark.parametrize(
    ("kind", "bad"),
    [
        (Integer(), "7"),
        (Integer(), True),
        (String(), 7),
        (Boolean(), 1),
        (Date(), "28/02/2026"),
        (DateTime(timezone=True), 5),
        (LargeBinary(), "not base64!"),
        (Numeric(), "x"),
    ],
)
def test_a_value_of_the_wrong_kind_is_refused(kind: Any, bad: Any) -> None:
    with pytest.raises(ValueProblem, match="expected"):
        decoder(_column(kind))(bad)


def test_an_unknown_type_is_refused_by_name() -> None:
    with pytest.raises(PortabilityError, match=r"t\.c has type Interval"):
        encoder(_column(Interval()))
