"""A write refused by the database is a "changed meanwhile" conflict only when another
writer can explain it (a key taken, a row gone); a broken rule of the schema is a bug and
stays an error."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from skillgrid.domain.errors import Conflict


def _insert(uow_factory, *statements: str) -> None:  # type: ignore[no-untyped-def]
    uow = uow_factory()
    with uow.write():
        for statement in statements:
            uow.session.execute(text(statement))
        uow.commit()


def test_a_key_another_writer_took_is_a_conflict(uow_factory) -> None:  # type: ignore[no-untyped-def]
    _insert(uow_factory, "INSERT INTO teams (name) VALUES ('Edge')")
    with pytest.raises(Conflict, match="changed the same data"):
        _insert(uow_factory, "INSERT INTO teams (name) VALUES ('Edge')")


def test_a_row_another_writer_removed_is_a_conflict(uow_factory) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict, match="changed the same data"):
        _insert(uow_factory, "INSERT INTO teams (name, parent_id) VALUES ('Edge', 99999)")


def test_a_broken_schema_rule_is_an_error_not_a_conflict(uow_factory) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError):
        _insert(uow_factory, "INSERT INTO teams (name) VALUES (NULL)")
