"""HR sync: the people on file made what an HR system's export says. Everyone in the file
is added or changed (and reactivated when inactive); with ``deactivate_missing``, everyone
active who is not in the file is deactivated — their sessions and API tokens end at once,
their history stays — except the acting admin, who never deactivates themself.

The sync is planned first and the plan is what a dry run shows and what a real run does,
in one transaction: a bad row anywhere changes nothing. A plan that would deactivate more
than a share of the active people is refused unless allowed (an export cut short must not
empty the organisation)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from skillgrid.domain.assessments import Actor
from skillgrid.domain.people import MassDeactivation, Person
from skillgrid.services.audit import person_fields
from skillgrid.services.people import check_references, ensure_team, store_people
from skillgrid.services.people_import import check_managers, merged_from_file
from skillgrid.services.permissions import require_admin
from skillgrid.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from skillgrid.importers.people import PeopleFile

# Refused unless allowed: deactivating more than MASS_COUNT people and more than MASS_SHARE
# of those active (a small organisation may lose 5 at once; a large one 10% of its people).
MASS_COUNT = 5
MASS_SHARE = 0.10


@dataclass(frozen=True)
class Safety:
    """How many people a sync may deactivate: ``max_deactivate`` at most when given (else
    the default limit above), any number with ``allow_mass``."""

    max_deactivate: int | None = None
    allow_mass: bool = False


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Changed:
    """A person on file whom the file changes: ``was`` as stored, ``person`` as it will be."""

    person: Person
    was: Person
    fields: tuple[FieldChange, ...]

    @property
    def reactivated(self) -> bool:
        return not self.was.active and self.person.active


@dataclass(frozen=True)
class SyncPlan:
    """What a sync does. ``kept``: active people not in the file who stay active (the acting
    admin); ``refused``: why a real run would be refused, or None."""

    added: tuple[Person, ...]
    changed: tuple[Changed, ...]
    deactivated: tuple[Person, ...]
    kept: tuple[str, ...]
    unchanged: int
    teams_created: tuple[str, ...]
    active_before: int
    refused: str | None

    @property
    def reactivated(self) -> tuple[str, ...]:
        return tuple(change.person.email for change in self.changed if change.reactivated)


@dataclass(frozen=True)
class SyncOutcome:
    plan: SyncPlan
    applied: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Plain data, the same for ``person sync --json`` and the API."""
        plan = self.plan
        return {
            "applied": self.applied,
            "added": [_person(p) for p in plan.added],
            "changed": [
                {
                    "email": change.person.email,
                    "reactivated": change.reactivated,
                    "changes": [
                        {"field": c.field, "old": c.old, "new": c.new} for c in change.fields
                    ],
                }
                for change in plan.changed
            ],
            "deactivated": [_person(p) for p in plan.deactivated],
            "kept": [{"email": email, "reason": KEPT_REASON} for email in plan.kept],
            "unchanged": plan.unchanged,
            "teams_created": list(plan.teams_created),
            "active_before": plan.active_before,
            "refused": plan.refused,
        }


KEPT_REASON = "not in the file, but you are running the sync: nobody deactivates themself"


def _person(person: Person) -> dict[str, Any]:
    return {"email": person.email, **person_fields(person)}


def sync_people(
    uow: UnitOfWork,
    data: bytes,
    source: str,
    *,
    deactivate_missing: bool = False,
    dry_run: bool = False,
    safety: Safety | None = None,
    actor: Actor,
) -> SyncOutcome:
    """Make the people on file what the file (``import_people``'s format) says; with
    ``deactivate_missing``, deactivate everyone active not in it. A dry run only plans."""
    require_admin(actor, "sync people")
    from skillgrid.importers.people import read_people

    read = read_people(data, source)
    with uow if dry_run else uow.write():  # a dry run changes nothing: no write lock
        known = {person.email: person for person in uow.people.people()}
        teams = {team.name for team in uow.people.teams()}
        plan = plan_sync(read, known, teams, deactivate_missing, safety or Safety(), actor)
        leaving = frozenset(person.email for person in plan.deactivated)
        check_managers(read, known, source, leaving)
        staying = [*plan.added, *(change.person for change in plan.changed)]
        check_references(uow, staying, extra_teams=set(plan.teams_created))
        if dry_run:
            return SyncOutcome(plan)
        if plan.refused:
            raise MassDeactivation(plan.refused)
        for name in plan.teams_created:
            ensure_team(uow, actor, name, source)
        changes: list[tuple[Person, Person | None]] = [(p, None) for p in plan.added]
        changes += [(change.person, change.was) for change in plan.changed]
        changes += [(replace(p, active=False), p) for p in plan.deactivated]
        if changes:
            store_people(uow, actor, changes)
        uow.commit()
    return SyncOutcome(plan, applied=True)


def plan_sync(
    read: PeopleFile,
    known: Mapping[str, Person],
    teams: set[str],
    deactivate_missing: bool,
    safety: Safety,
    actor: Actor,
) -> SyncPlan:
    """What syncing ``read`` onto the people ``known`` (by email) and ``teams`` does."""
    added: list[Person] = []
    changed: list[Changed] = []
    unchanged = 0
    for person in read.people:
        stored = known.get(person.email)
        if stored is None:
            added.append(person)
            continue
        new = replace(merged_from_file(person, stored, read), active=True)
        fields = _differences(stored, new)
        if fields:
            changed.append(Changed(new, stored, fields))
        else:
            unchanged += 1
    in_file = {person.email for person in read.people}
    missing = [p for p in known.values() if p.active and p.email not in in_file]
    if not deactivate_missing:
        missing = []
    kept = tuple(p.email for p in missing if p.email == actor.email)
    deactivated = tuple(p for p in missing if p.email != actor.email)
    active = sum(1 for p in known.values() if p.active)
    staying = [*added, *(change.person for change in changed)]
    return SyncPlan(
        added=tuple(added),
        changed=tuple(changed),
        deactivated=deactivated,
        kept=kept,
        unchanged=unchanged,
        teams_created=tuple(sorted({p.team for p in staying if p.team and p.team not in teams})),
        active_before=active,
        refused=mass_refusal(len(deactivated), active, safety),
    )


def mass_refusal(count: int, active: int, safety: Safety) -> str | None:
    """Why deactivating ``count`` of ``active`` people is refused, or None when allowed."""
    if safety.allow_mass or count == 0:
        return None
    if safety.max_deactivate is not None:
        if count <= safety.max_deactivate:
            return None
        limit = f"the {safety.max_deactivate} allowed"
    elif count <= MASS_COUNT or count <= active * MASS_SHARE:
        return None
    else:
        limit = f"the limit (more than {MASS_COUNT} and more than {MASS_SHARE:.0%} of them)"
    share = f"{count / active:.0%}" if active else "all"
    return (
        f"this would deactivate {count} of {active} active people ({share}), past {limit}; "
        "nothing was changed — check that the file is the whole export, then allow it with "
        f"--max-deactivate {count} (API: max_deactivate={count}) or --allow-mass-deactivation"
    )


def _differences(stored: Person, new: Person) -> tuple[FieldChange, ...]:
    before, after = person_fields(stored), person_fields(new)
    return tuple(
        FieldChange(name, before[name], after[name])
        for name in before
        if before[name] != after[name]
    )
