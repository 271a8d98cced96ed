"""SCIM resources ↔ SkillGrid's people and teams, inside an open unit of work.

A User is a person: ``userName`` is the email (or, when it is not an email address, the
primary email is); the name is ``name.formatted``, else given and family name, else
``displayName``; ``active`` false deactivates the person, true (or unassigned: left out
of a replacement, or removed) makes them active again; the enterprise extension's
``department`` names the team (added when new) and ``manager.value`` the manager's SCIM id.
A Group is a team: ``displayName`` is its name, ``members`` the people in it.

What an identity provider changes is applied; what it leaves as it was keeps what SkillGrid
has (a team set by a group is not undone by a user without ``department``). What SkillGrid
keeps is what a read answers: a person deactivated or moved on the command line reads so."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from scim2_models import Group, GroupMember, Resource

from skillgrid.domain.assessments import Actor
from skillgrid.domain.people import EMAIL, Person, normal_email
from skillgrid.domain.scim import USER, ScimError, ScimRecord
from skillgrid.services.people import ensure_team, rename_team, store_people, store_person
from skillgrid.services.scim_schema import Enterprise, Manager
from skillgrid.services.unit_of_work import UnitOfWork

SOURCE = "SCIM"


def user_email(user: Any) -> str:
    """The person's email: the userName when it is an email address, else the primary (or
    first) of ``emails``."""
    if user.user_name and EMAIL.fullmatch(normal_email(user.user_name)):
        return normal_email(user.user_name)
    emails = [e for e in user.emails or [] if e.value]
    chosen = next((e for e in emails if e.primary), emails[0] if emails else None)
    if chosen is None:
        raise ScimError(
            400,
            f"userName {user.user_name!r} is not an email address and no emails were sent: "
            "send the person's email as userName or in emails",
            "invalidValue",
        )
    return normal_email(str(chosen.value))


def user_name(user: Any) -> str:
    """The person's name as SkillGrid shows it."""
    name = user.name
    parts = [name.given_name, name.family_name] if name else []
    return (
        (name.formatted if name else None)
        or " ".join(p for p in parts if p)
        or user.display_name
        or user.user_name
    )


def apply_user(uow: UnitOfWork, actor: Actor, user: Any, before: Any | None, email: str) -> None:
    """Store what ``user`` changes of the person ``email`` (compared with ``before``, the
    resource as it was; None: newly provisioned)."""
    stored = uow.people.get(email)
    person = stored or Person(email, user_name(user))
    person = replace(person, name=user_name(user))
    if user.active != (before.active if before is not None else None):
        person = replace(person, active=user.active is not False)  # unassigned: active
    new, old = _enterprise(user), _enterprise(before)
    if new.department != old.department:
        department = (new.department or "").strip()
        person = replace(
            person, team=ensure_team(uow, actor, department, SOURCE) if department else None
        )
    if _manager_id(new) != _manager_id(old):
        person = replace(person, manager=_person_of(uow, _manager_id(new)))
    if person != stored:
        store_person(uow, actor, person, stored)


def show_user(uow: UnitOfWork, record: ScimRecord, user: Any, base_url: str) -> None:
    """Write what SkillGrid keeps of the person into ``user``: active, team, manager."""
    person = uow.people.get(record.key)
    if person is None:
        return
    if user.active is not None or not person.active:  # removed: left out while active
        user.active = person.active
    extension = _enterprise(user)
    extension.department = person.team
    manager = uow.scim.linked(USER, person.manager) if person.manager else None
    if manager is None:
        extension.manager = None
    elif _manager_id(extension) != manager.id:
        extension.manager = Manager.model_validate(
            {"value": manager.id, "$ref": f"{base_url}/Users/{manager.id}"}
        )
    user[Enterprise] = extension if extension.department or extension.manager else None


def apply_group(uow: UnitOfWork, actor: Actor, group: Group, record: ScimRecord | None) -> str:
    """Store the team ``group`` describes (renamed from the record's, or added) and move
    its members into it; provisioned people it no longer lists leave it. The team's name."""
    name = (group.display_name or "").strip()
    if record is None:
        team = ensure_team(uow, actor, name, SOURCE)
    else:
        team = rename_team(uow, actor, record.key, name)
    wanted = {_person_of(uow, m.value) for m in group.members or [] if m.value}
    changes: list[tuple[Person, Person | None]] = []
    if record is not None:  # provisioned people it no longer lists leave it
        for _, email, _name in uow.scim.members(team):
            person = uow.people.get(email)
            if email not in wanted and person is not None:
                changes.append((replace(person, team=None), person))
    for email in sorted(e for e in wanted if e is not None):
        person = uow.people.get(email)
        if person is not None and person.team != team:
            changes.append((replace(person, team=team), person))
    if changes:
        store_people(uow, actor, changes)
    return team


def show_group(uow: UnitOfWork, record: ScimRecord, group: Group, base_url: str) -> None:
    """Write the team's provisioned people into ``group`` as its members (what was sent
    about each, such as ``display``, is kept)."""
    sent = {m.value: m for m in group.members or []}
    members = []
    for user_id, _email, name in uow.scim.members(record.key):
        member = sent.get(user_id) or GroupMember.model_validate(
            {"value": user_id, "display": name}
        )
        if member.ref is None or member.type is None:
            ref = {"$ref": f"{base_url}/Users/{user_id}", "type": "User"}
            member = GroupMember.model_validate({**ref, **member.model_dump(scim_ctx=None)})
        members.append(member)
    group.members = members or None
    group.display_name = record.key


def _enterprise(user: Resource[Any] | None) -> Enterprise:
    found = user[Enterprise] if user is not None else None
    return found if isinstance(found, Enterprise) else Enterprise()


def _manager_id(extension: Enterprise) -> str | None:
    return extension.manager.value if extension.manager else None


def _person_of(uow: UnitOfWork, user_id: str | None) -> str | None:
    """The email of the person provisioned as ``user_id`` (None for None)."""
    if not user_id:
        return None
    record = uow.scim.get(USER, user_id)
    if record is None:
        raise ScimError(
            400, f"no User with id {user_id!r}: provision that person first", "invalidValue"
        )
    return record.key
