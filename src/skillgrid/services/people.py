"""People and teams: add, update, list (a people file's import: :mod:`people_import`). Every
change keeps one manager per person, no management cycle and no team inside itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from skillgrid.domain.assessments import OPERATOR, Actor
from skillgrid.domain.errors import Conflict, InputError, NotFound, Problem
from skillgrid.domain.people import (
    PeopleError,
    Person,
    Role,
    Team,
    check_email,
    describe_cycle,
    holds,
    manager_cycle,
    normal_email,
    search_form,
)
from skillgrid.services.audit import person_fields, record, record_change
from skillgrid.services.permissions import require_admin
from skillgrid.services.unit_of_work import UnitOfWork


def add_team(uow: UnitOfWork, name: str, parent: str | None = None, *, actor: Actor) -> Team:
    """Add a team, optionally inside another one."""
    require_admin(actor, "add teams")
    name = _team_name(name)
    with uow.write():
        existing = {team.name for team in uow.people.teams()}
        if name in existing:
            raise Conflict(f"team {name!r} already exists: choose another name")
        if parent is not None and parent not in existing:
            raise NotFound(f"no team {parent!r} to put {name!r} in; add it first")
        team = Team(name, parent)
        uow.people.add_team(team)
        record(uow, actor, "add", "team", name, after={"parent": parent})
        uow.commit()
    return team


def list_teams(uow: UnitOfWork, actor: Actor) -> list[tuple[Team, int]]:
    """Every team with the number of people in it (admins)."""
    require_admin(actor, "list every team")
    with uow:
        counts: dict[str | None, int] = {}
        for person in uow.people.people():
            counts[person.team] = counts.get(person.team, 0) + 1
        return [(team, counts.get(team.name, 0)) for team in uow.people.teams()]


def list_people(
    uow: UnitOfWork,
    actor: Actor,
    team: str | None = None,
    *,
    manager: str | None = None,
    role: Role | None = None,
    active: bool | None = None,
    matching: str | None = None,
) -> list[Person]:
    """Everyone, by email, or those on ``team``, under ``manager`` (directly), of ``role``,
    (in)active, or whose name or email holds ``matching`` (any case) — all that are given
    (admins)."""
    require_admin(actor, "list everyone")
    text = search_form(matching) if matching else None
    boss = normal_email(manager) if manager else None
    with uow:
        return [
            p
            for p in uow.people.people()
            if (team is None or p.team == team)
            and (boss is None or p.manager == boss)
            and (role is None or p.role is role)
            and (active is None or p.active is active)
            and (text is None or holds(p.email, text) or holds(p.name, text))
        ]


def add_person(uow: UnitOfWork, person: Person, *, actor: Actor) -> Person:
    """Add one person; the email must be new, the team and the manager must exist."""
    require_admin(actor, "add people")
    person = _checked(person)
    with uow.write():
        if uow.people.get(person.email) is not None:
            raise Conflict(f"{person.email} is already on file; use `skillgrid person update`")
        store_person(uow, actor, person, None)
        uow.commit()
    return person


@dataclass(frozen=True)
class PersonChange:
    """What changing one person did: the person as stored, and (when they left) their
    direct reports as handed to the next active manager above them."""

    person: Person
    handed_over: tuple[Person, ...] = ()


def change_person(
    uow: UnitOfWork,
    email: str,
    *,
    name: str | None = None,
    team: str | None = None,
    manager: str | None = None,
    role: Role | None = None,
    active: bool | None = None,
    shown: Mapping[str, object] | None = None,
    actor: Actor,
) -> PersonChange:
    """Change what is given of one person (a change that makes a management cycle is
    refused), answering whose reports went where; ``shown``: fields (``team``, ``manager``,
    ``active`` …) as the caller's form showed them, refused if another change has landed on
    any of them since."""
    require_admin(actor, "change people")
    email = normal_email(email)  # a person to find: one not on file is not found, however typed
    with uow.write():
        current = uow.people.get(email)
        if current is None:
            raise NotFound(f"no person {email}; add them with `skillgrid person add`")
        _check_shown(current, shown or {})
        updated = replace(
            current,
            name=current.name if name is None else name,
            team=current.team if team is None else (team or None),
            role=current.role if role is None else role,
            active=current.active if active is None else active,
        )
        if manager is not None:
            updated = replace(updated, manager=check_email(manager) if manager else None)
        [updated], moved = store_people(uow, actor, [(updated, current)])
        uow.commit()
    return PersonChange(updated, tuple(moved))


def _check_shown(current: Person, shown: Mapping[str, object]) -> None:
    """Refuse a change made on a form that showed a field otherwise than it is stored."""
    stored = person_fields(current)
    for field, value in shown.items():
        if stored[field] != value:
            now, was = (_said(field, v) for v in (stored[field], value))
            raise Conflict(
                f"{current.email}: {now}, not {was} as your form showed; someone changed it "
                "since: look at the page again and redo your change"
            )


def _said(field: str, value: object) -> str:
    if field == "active":
        return "active" if value else "inactive"
    return f"{field} {'none' if value in (None, '') else value}"


def store_person(uow: UnitOfWork, actor: Actor, person: Person, stored: Person | None) -> None:
    """Store one person added (``stored`` None) or changed from ``stored``: see
    :func:`store_people`."""
    store_people(uow, actor, [(person, stored)])


def store_people(
    uow: UnitOfWork, actor: Actor, changes: list[tuple[Person, Person | None]]
) -> tuple[list[Person], list[Person]]:
    """Store people added (stored None) or changed from what was stored, inside the
    caller's open unit of work (the caller has asked the permissions and commits): checked
    together (one read of everyone, however many), recorded in the audit trail; a person
    deactivated is signed out everywhere and their API tokens stop, and their direct reports
    go to the next active manager above them. Answers the people as stored and the direct
    reports handed over."""
    people = [_checked(person) for person, _ in changes]
    stored = {p.email: was for p, (_, was) in zip(people, changes, strict=True) if was}
    check_references(uow, people)
    uow.people.save(people)
    moved = [p.email for p in people if p.email in stored and p.team != stored[p.email].team]
    uow.summaries.follow_teams(moved)  # team reports count people where they are now
    record_people(uow, actor, people, stored)
    leaving = set()
    for person in people:
        was = stored.get(person.email)
        if was is not None and was.active and not person.active:
            uow.accounts.end_sessions_of(person.email)
            uow.accounts.revoke_tokens_of(person.email)
            leaving.add(person.email)
    if not leaving:
        return people, []
    return people, _hand_over_reports(uow, actor, leaving, {p.email for p in people})


def _hand_over_reports(
    uow: UnitOfWork, actor: Actor, leaving: set[str], changed: set[str]
) -> list[Person]:
    """The active direct reports of people who left go to the first active manager above
    them (none at the top of the chart): only a person's manager (or an admin) writes and
    finalizes their review, so reviews would otherwise wait on nobody. Each move is in the
    audit trail; a report this same change gave a manager keeps that one. Answers the
    reports moved, as they are now."""
    everyone = {p.email: p for p in uow.people.people()}

    def successor(email: str | None) -> str | None:
        seen: set[str] = set()
        while email is not None and email not in seen:
            found = everyone.get(email)
            if found is None or found.active:
                return email
            seen.add(email)
            email = found.manager
        return None

    reports = [
        p for p in everyone.values() if p.manager in leaving and p.active and p.email not in changed
    ]
    moved = [replace(p, manager=successor(p.manager)) for p in reports]
    if moved:
        uow.people.save(moved)
        record_people(uow, actor, moved, {p.email: p for p in reports})
    return moved


def ensure_team(uow: UnitOfWork, actor: Actor, name: str, source: str) -> str:
    """The team ``name``, added (at the top, recorded as coming from ``source``) when it is
    not on file yet, inside the caller's open unit of work."""
    name = _team_name(name)
    if name not in {team.name for team in uow.people.teams()}:
        uow.people.add_team(Team(name))
        record(uow, actor, "add", "team", name, after={"parent": None, "source": source})
    return name


def rename_team(uow: UnitOfWork, actor: Actor, old: str, new: str) -> str:
    """Rename team ``old`` to ``new`` inside the caller's open unit of work (its people,
    targets and results follow: they hold the team, not its name)."""
    new = _team_name(new)
    if new != old:
        if new in {team.name for team in uow.people.teams()}:
            raise Conflict(f"team {new!r} already exists: choose another name")
        uow.people.rename_team(old, new)
        record(uow, actor, "rename", "team", new, before={"name": old}, after={"name": new})
    return new


def record_people(
    uow: UnitOfWork, actor: Actor, people: list[Person], known: dict[str, Person]
) -> None:
    """One entry per person added or changed (a person stored unchanged gets none);
    deactivating is its own action, as it also ends the person's sessions and tokens."""
    for person in people:
        stored = known.get(person.email)
        if stored is None:
            after = {k: v for k, v in person_fields(person).items() if v is not None}
            record(uow, actor, "add", "person", person.email, person=person.email, after=after)
            continue
        action = "deactivate" if stored.active and not person.active else "update"
        record_change(
            uow,
            actor,
            action,
            "person",
            person.email,
            person_fields(stored),
            person_fields(person),
            person=person.email,
        )


def _checked(person: Person) -> Person:
    email = check_email(person.email)
    if not person.name.strip():
        raise PeopleError(f"{email}: give a name")
    if person.manager is not None and check_email(person.manager) == email:
        raise PeopleError(f"{email} cannot be their own manager: name someone else, or nobody")
    manager = check_email(person.manager) if person.manager else None
    return replace(person, email=email, name=person.name.strip(), manager=manager)


def check_references(
    uow: UnitOfWork, changed: list[Person], extra_teams: set[str] | None = None
) -> None:
    """Teams and managers exist (or arrive with ``changed``) and no one manages themselves
    through a chain."""
    everyone = {p.email: p for p in uow.people.people()}
    everyone.update({p.email: p for p in changed})
    teams = {team.name for team in uow.people.teams()} | (extra_teams or set())
    problems = []
    for person in changed:
        if person.team and person.team not in teams:
            problems.append(
                Problem(f"{person.email}: no team {person.team!r}", "add it: skillgrid team add")
            )
        if person.manager and person.manager not in everyone:
            problems.append(
                Problem(
                    f"{person.email}: manager {person.manager} is not on file",
                    "add the manager first (or in the same import)",
                )
            )
    managers = {email: p.manager for email, p in everyone.items()}
    cycle = manager_cycle(managers, first=[p.email for p in changed])
    if cycle:
        problems.append(
            Problem(
                f"management cycle {describe_cycle(cycle)}",
                "nobody can report to their own report: change one of these managers",
            )
        )
    if problems:
        raise InputError(problems)


def _team_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 200:
        raise PeopleError("a team needs a name of 1 to 200 characters")
    return name


def actor_for(uow: UnitOfWork, email: str | None) -> Actor:
    """Who is acting: the person with ``email`` (their role decides), or the local operator
    (an admin) when no email is given."""
    if email is None:
        return OPERATOR
    with uow:
        person = uow.people.get(check_email(email))
    if person is None or not person.active:
        raise NotFound(f"no active person {normal_email(email)} to act as")
    return Actor(person.email, person.role)
