"""The team tree and who may see which part of it: a team is the team and every team below
it; an admin sees every team and the org, anyone else a team made wholly of themselves and
the people below them in the management chain."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from skillgrid.domain.assessments import Actor
from skillgrid.domain.people import Team, reports_below

Directory = Sequence[tuple[str, str | None, str | None]]  # (email, team, manager) of everyone


def children(teams: Sequence[Team]) -> dict[str | None, list[str]]:
    tree: dict[str | None, list[str]] = {}
    for t in teams:
        tree.setdefault(t.parent, []).append(t.name)
    return tree


def subtree(team: str | None, tree: dict[str | None, list[str]]) -> list[str]:
    """The team and every team below it, each team before the teams below it."""
    if team is None:
        return []
    found, seen, queue = [], {team}, deque([team])
    while queue:
        name = queue.popleft()
        found.append(name)
        for child in sorted(tree.get(name, ())):
            if child not in seen:
                seen.add(child)
                queue.append(child)
    return found


def members(people: Sequence[tuple[str, str | None, str | None]]) -> dict[str | None, list[str]]:
    found: dict[str | None, list[str]] = {}
    for email, team, _ in people:
        found.setdefault(team, []).append(email)
    return found


def below(actor: Actor, people: Sequence[tuple[str, str | None, str | None]]) -> set[str]:
    if actor.is_admin or actor.email is None:
        return set()
    return reports_below(actor.email, {email: boss for email, _, boss in people}) | {actor.email}


def may_see(
    actor: Actor,
    teams: Sequence[str] | None,
    members: dict[str | None, list[str]],
    below: set[str],
) -> bool:
    """Admins see every team and the org; anyone else a team whose people are all themselves
    or below them in the management chain (and that has people)."""
    if actor.is_admin:
        return True
    if teams is None:
        return False
    people = [email for team in teams for email in members.get(team, ())]
    return bool(people) and all(email in below for email in people)
