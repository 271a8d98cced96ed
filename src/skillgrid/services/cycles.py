"""Review cycles: open one pinned to a ladder version, close it, list them."""

from __future__ import annotations

import re

from skillgrid.domain.assessments import AssessmentError, Cycle
from skillgrid.domain.errors import Conflict, NotFound
from skillgrid.services.frameworks import get_framework_in
from skillgrid.services.unit_of_work import UnitOfWork

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._ -]{0,99}")


def open_cycle(uow: UnitOfWork, name: str, framework: str, version: int | None = None) -> Cycle:
    """Open a cycle (e.g. ``2026-H2``) on a ladder version (the newest by default)."""
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise AssessmentError(
            f"cycle name {name!r}: use letters, digits, space, '.', '_' or '-' (e.g. 2026-H2)"
        )
    with uow:
        if any(cycle.name == name for cycle in uow.assessments.cycles()):
            raise Conflict(f"cycle {name!r} already exists")
        ladder = get_framework_in(uow, framework, version)
        assert ladder.version is not None
        cycle = Cycle(name, framework, ladder.version)
        uow.assessments.add_cycle(cycle)
        uow.commit()
    return cycle


def set_cycle_open(uow: UnitOfWork, name: str, is_open: bool) -> Cycle:
    """Close a cycle (no more ratings) or open it again."""
    with uow:
        cycle = get_cycle_in(uow, name)
        uow.assessments.set_open(name, is_open)
        uow.commit()
    return Cycle(cycle.name, cycle.framework, cycle.version, is_open)


def list_cycles(uow: UnitOfWork) -> list[Cycle]:
    """Every cycle, oldest first."""
    with uow:
        return uow.assessments.cycles()


def get_cycle_in(uow: UnitOfWork, name: str) -> Cycle:
    """The cycle called ``name`` (inside an open unit of work)."""
    cycles = uow.assessments.cycles()
    for cycle in cycles:
        if cycle.name == name:
            return cycle
    known = ", ".join(c.name for c in cycles) or "none yet"
    raise NotFound(f"no cycle {name!r} (cycles: {known}); open one with `skillgrid cycle open`")
