"""The declarative base every SkillGrid table derives from, with its naming convention, and
how a stored moment reads back."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; everything SkillGrid stores is UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def table(row: type[Base]) -> Table:
    """The table a mapped class is stored in, for statements built once that write plain
    values (no ORM unit of work at flush, no ORM bulk path)."""
    found = row.__table__
    assert isinstance(found, Table)
    return found
