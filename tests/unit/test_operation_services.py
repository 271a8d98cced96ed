"""The database as a whole through the services: only an admin (or the operator) exports,
imports, backs up or restores; health figures need no one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from skillgrid.domain.assessments import OPERATOR, Actor, Assessment, Cycle, Forbidden, State
from skillgrid.domain.errors import Conflict
from skillgrid.domain.people import Role
from skillgrid.services import operations
from tests.unit.fake_storage import FakeStorage
from tests.unit.fakes import FakeUnitOfWork

ADMIN = Actor("ada@x.org", Role.ADMIN)
MANAGER = Actor("bo@x.org", Role.MANAGER)
ENGINEER = Actor("ana@x.org", Role.ENGINEER)


def test_an_export_goes_to_a_file_or_to_an_open_stream() -> None:
    storage = FakeStorage({"people": 3, "frameworks": 1})
    counts = operations.export_all(storage, Path("org.json"), actor=OPERATOR)
    assert (counts.total, storage.calls) == (4, [("export_file", Path("org.json"))])
    out = io.StringIO()
    operations.export_all(storage, out, actor=ADMIN)
    assert out.getvalue() == storage.files[Path("org.json")]


def test_an_import_into_a_database_with_data_needs_replace() -> None:
    storage = FakeStorage({"people": 3})
    document = '{"people": 5, "cycles": 2}'
    with pytest.raises(Conflict, match="not empty"):
        operations.import_all(storage, io.StringIO(document), actor=OPERATOR)
    counts = operations.import_all(storage, io.StringIO(document), replace=True, actor=OPERATOR)
    assert counts.rows == {"people": 5, "cycles": 2} and storage.tables == counts.rows


def test_a_backup_then_a_forced_restore_puts_the_data_back() -> None:
    storage = FakeStorage({"people": 3})
    made = operations.backup(storage, Path("b.db"), actor=ADMIN)
    storage.tables = {"people": 9}
    back = operations.restore(storage, Path("b.db"), force=True, actor=ADMIN)
    assert (made.kind, back.path, storage.tables) == ("sqlite", Path("b.db"), {"people": 3})
    assert storage.calls == [("backup", False), ("restore", True)]


@pytest.mark.parametrize("actor", [MANAGER, ENGINEER])
def test_only_an_admin_or_the_operator_works_on_the_whole_database(actor: Actor) -> None:
    storage = FakeStorage({"people": 3})
    with pytest.raises(Forbidden, match="only an admin"):
        operations.export_all(storage, io.StringIO(), actor=actor)
    with pytest.raises(Forbidden, match="only an admin"):
        operations.import_all(storage, io.StringIO("{}"), replace=True, actor=actor)
    with pytest.raises(Forbidden, match="only an admin"):
        operations.backup(storage, Path("b.db"), actor=actor)
    with pytest.raises(Forbidden, match="only an admin"):
        operations.restore(storage, Path("b.db"), force=True, actor=actor)
    assert storage.calls == [] and storage.tables == {"people": 3}


def test_the_schema_is_current_only_at_the_newest_revision() -> None:
    storage = FakeStorage()
    assert operations.schema(storage).current
    storage.at = "0011"
    found = operations.schema(storage)
    assert (found.current, found.revision, found.expected) == (False, "0011", "0012")


def test_activity_counts_every_state_and_the_open_cycles() -> None:
    uow = FakeUnitOfWork()
    uow.assessments.add_cycle(Cycle("2026-H1", "sre", 1, open=False))
    uow.assessments.add_cycle(Cycle("2026-H2", "sre", 1))
    for person, state in [
        ("a@x.org", State.DRAFT),
        ("b@x.org", State.FINALIZED),
        ("c@x.org", State.DRAFT),
    ]:
        uow.assessments.stored[(person, "2026-H2", "self")] = Assessment(
            person, "2026-H2", "self", state
        )
    found = operations.activity(uow)
    assert found.assessments == {"draft": 2, "submitted": 0, "finalized": 1}
    assert found.open_cycles == 1
