"""Review cycles: open one pinned to a ladder version, close it, list them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace

from skillgrid.domain.assessments import (
    Actor,
    AssessmentError,
    Cycle,
    DueDates,
    State,
    cycle_key,
    cycle_name_problem,
)
from skillgrid.domain.errors import Conflict, NotFound
from skillgrid.domain.framework import Framework
from skillgrid.domain.matching import match_criteria, moved_words
from skillgrid.domain.policies import Policy
from skillgrid.services.audit import record
from skillgrid.services.frameworks import get_framework_in
from skillgrid.services.outbox import emit
from skillgrid.services.permissions import require_admin
from skillgrid.services.unit_of_work import UnitOfWork


def open_cycle(
    uow: UnitOfWork,
    name: str,
    framework: str,
    version: int | None = None,
    *,
    actor: Actor,
    due: DueDates | None = None,
) -> Cycle:
    """Open a cycle (e.g. ``2026-H2``) on a ladder version (the newest by default), with
    due dates for its steps if given."""
    require_admin(actor, "open cycles")
    name = cycle_key(name.strip())  # "ü" typed as u + ¨ is one letter
    problem = cycle_name_problem(name)
    if problem:
        raise AssessmentError(problem)
    with uow.write():
        if any(cycle.name == name for cycle in uow.assessments.cycles()):
            raise Conflict(f"cycle {name!r} already exists: choose another name")
        ladder = get_framework_in(uow, framework, version)
        assert ladder.version is not None
        cycle = Cycle(name, framework, ladder.version, due=due or DueDates())
        uow.assessments.add_cycle(cycle)
        after: dict[str, object] = {"framework": framework, "version": ladder.version, "open": True}
        if cycle.due.any:
            after["due"] = cycle.due.as_dict()
        record(uow, actor, "open", "cycle", name, after=after)
        emit(uow, "cycle.opened", {"cycle": name, **after})
        uow.commit()
    return cycle


def set_cycle_open(uow: UnitOfWork, name: str, is_open: bool, *, actor: Actor) -> Cycle:
    """Close a cycle (no more ratings) or open it again."""
    require_admin(actor, "close or reopen cycles")
    with uow.write():
        cycle = get_cycle_in(uow, name)
        uow.assessments.set_open(name, is_open)
        if cycle.open != is_open:
            action = "reopen" if is_open else "close"
            record(
                uow,
                actor,
                action,
                "cycle",
                name,
                before={"open": cycle.open},
                after={"open": is_open},
            )
            emit(uow, "cycle.opened" if is_open else "cycle.closed", {"cycle": name})
        uow.commit()
    return replace(cycle, open=is_open)


def set_due_dates(
    uow: UnitOfWork, name: str, changes: Mapping[str, dt.date | None], *, actor: Actor
) -> Cycle:
    """Change a cycle's due dates: each step named (``self``, ``manager``, ``calibration``,
    ``close``) gets its date, or none for None; steps not named keep theirs."""
    require_admin(actor, "set due dates of cycles")
    with uow.write():
        cycle = get_cycle_in(uow, name)
        due = DueDates.of({**cycle.due.steps(), **changes})
        if cycle.due != due:
            uow.assessments.set_due(name, due)
            record(
                uow,
                actor,
                "due",
                "cycle",
                name,
                before={"due": cycle.due.as_dict()},
                after={"due": due.as_dict()},
            )
        uow.commit()
    return replace(cycle, due=due)


def list_cycles(uow: UnitOfWork) -> list[Cycle]:
    """Every cycle, oldest first."""
    with uow:
        return uow.assessments.cycles()


@dataclass(frozen=True)
class MoveOffer:
    """An open cycle behind its ladder's newest version: that version, and whether the
    cycle's finalized assessments keep it where it is (:func:`move_cycle` refuses it)."""

    version: int
    finalized: bool


def move_offers(uow: UnitOfWork) -> dict[str, MoveOffer]:
    """By cycle name, the open cycles a newer version of their ladder could move to."""
    with uow:
        newest = {info.name: info.version for info in uow.frameworks.latest_versions()}
        behind = [
            cycle
            for cycle in uow.assessments.cycles()
            if cycle.open and newest.get(cycle.framework, 0) > cycle.version
        ]
        return {
            cycle.name: MoveOffer(
                newest[cycle.framework],
                any(  # the states alone: no rating is read
                    State.FINALIZED.value in raters.values()
                    for raters in uow.assessments.states(cycle.name).values()
                ),
            )
            for cycle in behind
        }


def get_cycle_in(uow: UnitOfWork, name: str) -> Cycle:
    """The cycle called ``name`` (inside an open unit of work)."""
    return cycle_in(uow, name)[0]


def cycle_in(uow: UnitOfWork, name: str) -> tuple[Cycle, Framework, Policy]:
    """The cycle called ``name`` (in any Unicode normal form), the ladder version it is on
    and the ladder's policy, in one statement (inside an open unit of work)."""
    found = uow.frameworks.of_cycles()
    key = cycle_key(name)
    for cycle, framework, policy in found:
        if cycle.name == key:
            return cycle, framework, policy
    known = ", ".join(cycle.name for cycle, _, _ in found) or "none yet"
    raise NotFound(f"no cycle {name!r} (cycles: {known}); open one with `skillgrid cycle open`")


@dataclass(frozen=True)
class CycleMove:
    """What moving a cycle to another ladder version did to its ratings."""

    cycle: str
    from_version: int
    to_version: int
    assessments: int
    carried: int  # ratings whose criterion is unchanged
    # (person, rater, new criterion id) of the ratings whose criterion was reworded or moved
    to_review: tuple[tuple[str, str, str], ...]
    archived: int  # ratings of criteria the new version removed (kept, not counted)


AUDIT_LISTED = 100  # ratings to re-check a move's audit entry names; the counts cover all


def _review_trail(review: list[tuple[str, str, str]], reasons: list[str]) -> dict[str, object]:
    """What a move's audit entry keeps of the ratings it flagged: how many, how many for
    each kind of reason ("reworded", "moved", "reworded and moved"), and each one (person,
    rater, criterion id, reason) up to :data:`AUDIT_LISTED`, saying how many more there
    were — the trail keeps counts, not every row of a large cycle (as a ladder import's
    entry counts its changes)."""
    if not review:
        return {"ratings_to_review": 0}
    kinds = Counter(
        "reworded and moved" if why.startswith("reworded, ") else why.split(" ", 1)[0]
        for why in reasons
    )
    rows = sorted((*flagged, why) for flagged, why in zip(review, reasons, strict=True))
    found: dict[str, object] = {
        "ratings_to_review": len(rows),
        "review_reasons": dict(sorted(kinds.items())),
        "to_review": [list(row) for row in rows[:AUDIT_LISTED]],
    }
    if len(rows) > AUDIT_LISTED:
        found["to_review_not_listed"] = len(rows) - AUDIT_LISTED
    return found


def move_cycle(
    uow: UnitOfWork, name: str, version: int | None = None, *, actor: Actor
) -> CycleMove:
    """Pin an open cycle to a newer version of its ladder (the newest by default).

    Ratings follow criteria by identity: unchanged ones carry over, reworded ones and ones
    moved to another level or track carry over flagged for re-rating (a move with where
    from and to), ratings of removed criteria are archived (kept in the
    database, no longer counted). A cycle with finalized assessments cannot move."""
    require_admin(actor, "move cycles to another ladder version")
    with uow.write():
        cycle = get_cycle_in(uow, name)
        if not cycle.open:
            raise AssessmentError(
                f"cycle {name} is closed; reopen it first (skillgrid cycle reopen {name})"
            )
        old = get_framework_in(uow, cycle.framework, cycle.version)
        new = get_framework_in(uow, cycle.framework, version)
        assert new.version is not None
        if new.version <= cycle.version:
            raise AssessmentError(
                f"cycle {name} is on {cycle.framework} v{cycle.version}; move it to a newer version"
            )
        assessments = uow.assessments.in_cycle(name)
        if any(a.state is State.FINALIZED for a in assessments):
            raise AssessmentError(
                f"cycle {name} has finalized assessments: they stay on v{cycle.version}; "
                "open a new cycle on the new version instead"
            )
        old_text = {c.uid: c.text for c in old.criteria}
        new_by_uid = {c.uid: c for c in new.criteria}
        moves = {
            change.new.uid: words
            for change in match_criteria(old, new)
            if change.new is not None and (words := moved_words(change, old, new))
        }
        carried, archived, review, why_each = 0, 0, [], []
        for assessment in assessments:
            entries = {}
            for uid, entry in assessment.entries.items():
                criterion = new_by_uid.get(uid)
                reworded = criterion is not None and criterion.text != old_text.get(uid)
                moved = moves.get(uid)
                if criterion is None:
                    archived += 1
                    entries[uid] = entry
                elif reworded or moved:
                    review.append((assessment.person, assessment.rater, criterion.id))
                    why = moved and (f"reworded, {moved}" if reworded else moved)
                    why_each.append(why or "reworded")
                    entries[uid] = replace(entry, needs_review=True, review_reason=why)
                else:
                    carried += 1
                    entries[uid] = entry
            uow.assessments.save(replace(assessment, entries=entries))
        uow.assessments.move_cycle(name, new.version)
        record(
            uow,
            actor,
            "move",
            "cycle",
            name,
            before={"version": cycle.version},
            after={"version": new.version, **_review_trail(review, why_each)},
        )
        uow.commit()
    return CycleMove(
        name, cycle.version, new.version, len(assessments), carried, tuple(review), archived
    )
