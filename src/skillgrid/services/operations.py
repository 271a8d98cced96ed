"""The database as a whole: export, import, backup and restore (an admin's, or the
operator's), and the figures health checks and metrics read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from skillgrid.domain.assessments import State
from skillgrid.services.permissions import require_admin

if TYPE_CHECKING:
    from skillgrid.domain.assessments import Actor
    from skillgrid.services.unit_of_work import Outcome, Storage, TableCounts, UnitOfWork


def export_all(storage: Storage, target: Path | TextIO, *, actor: Actor) -> TableCounts:
    """Write the whole organisation as one JSON document to ``target``: a file (which
    appears only when complete) or an open text stream. It holds password and token
    hashes, so only an admin may."""
    require_admin(actor, "export the whole database")
    if isinstance(target, Path):
        return storage.export_file(target)
    return storage.export(target)


def import_all(
    storage: Storage, source: TextIO, *, replace: bool = False, actor: Actor
) -> TableCounts:
    """Load an export-all document in one transaction: into an empty database, or in place
    of everything when ``replace``."""
    require_admin(actor, "import a whole database")
    return storage.load(source, replace=replace)


def backup(storage: Storage, path: Path, *, as_json: bool = False, actor: Actor) -> Outcome:
    """Back the database up to ``path`` while the app runs."""
    require_admin(actor, "back the database up")
    return storage.backup(path, as_json=as_json)


def restore(storage: Storage, path: Path, *, force: bool = False, actor: Actor) -> Outcome:
    """Put a backup back; a database holding data is replaced only when ``force``."""
    require_admin(actor, "restore a backup")
    return storage.restore(path, force=force)


@dataclass(frozen=True)
class Schema:
    """Where the database's schema stands: ``revision`` (None when empty) against the
    ``expected`` one this SkillGrid writes."""

    revision: str | None
    expected: str

    @property
    def current(self) -> bool:
        return self.revision == self.expected


def schema(storage: Storage) -> Schema:
    """The schema revision for the readiness check; raises when the database cannot be
    reached. No actor: it says nothing about anyone and needs no sign-in."""
    return Schema(storage.revision(), storage.newest_revision)


@dataclass(frozen=True)
class Activity:
    """Counts for the metrics: assessments by state (every state, zero included) and the
    cycles open for ratings."""

    assessments: dict[str, int]
    open_cycles: int


def activity(uow: UnitOfWork) -> Activity:
    """Assessments by state and open cycles, read in one transaction. No actor: counts
    about no one, served without sign-in to the internal network (docs/operations.md)."""
    with uow:
        counts = uow.assessments.count_by_state()
        open_cycles = uow.assessments.open_cycle_count()
    return Activity({state.value: counts.get(state.value, 0) for state in State}, open_cycles)
