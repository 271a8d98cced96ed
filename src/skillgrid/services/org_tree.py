"""The team tree and who may see which part of it: a team is the team and every team below
it; an admin sees every team and the org, anyone else a team made wholly of themselves and
the people below them in the management chain."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from skillgrid.domain.assessments import Actor
from skillgrid.domain.people import Team
from skillgrid.services.unit_of_work import UnitOfWork


def children(teams: Sequence[Team]) -> dict[str | None, list[str]]:
    tree: dict[str | None, list[str]] = {}
    for t in teams:
        tree.setdefault(t.parent, []).append(t.name)
    return tree


def subtree(team: str | None, tree: dict[str | None, list[str]]) -> list[str]:
    """The team and every team below it, each team before the teams below it."""
    if team is None:
        return []
    found, seen, queue = [], {team}, [team]
    while queue:
        name = queue.pop(0)
        found.append(name)
        for child in sorted(tree.get(name, ())):
            if child not in seen:
                seen.add(child)
                queue.append(child)
    return found


@dataclass(frozen=True)
class Reach:
    """What part of the org an actor reaches: the head count of every team (and of those,
    who can be reviewed: active, with a manager), and of each team the people who are the
    actor or below them (for an admin: everyone)."""

    actor: Actor
    sizes: dict[str | None, int]
    mine: Counter[str | None] = field(default_factory=Counter)
    people: frozenset[str] = frozenset()  # the actor and everyone below them
    reviewable: dict[str | None, int] = field(default_factory=dict)

    def may_see(self, teams: Sequence[str] | None) -> bool:
        """Admins see every team and the org; anyone else a team whose people are all
        themselves or below them in the management chain (and that has people)."""
        if self.actor.is_admin:
            return True
        if teams is None:
            return False
        total = sum(self.sizes.get(team, 0) for team in teams)
        return total > 0 and all(self.mine[team] == self.sizes.get(team, 0) for team in teams)


def subtree_totals(tree: dict[str | None, list[str]], reach: Reach) -> dict[str, tuple[int, bool]]:
    """Team → (people in it and the teams below it, whether the actor may see it), for
    every team at once (children before parents, no walk per team)."""
    order: list[str] = []
    stack = list(tree.get(None, ()))
    seen: set[str] = set()
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            order.append(name)
            stack.extend(tree.get(name, ()))
    found: dict[str, tuple[int, bool]] = {}
    for name in reversed(order):  # every child is done before its parent
        own = reach.sizes.get(name, 0)
        total, mine = own, reach.actor.is_admin or reach.mine[name] == own
        for child in tree.get(name, ()):
            child_total, child_mine = found[child]
            total, mine = total + child_total, mine and child_mine
        found[name] = (total, mine and total > 0)
    return found


def reach(uow: UnitOfWork, actor: Actor, teams: Sequence[str] | None = None) -> Reach:
    """The actor's reach (over the teams named, or all), read inside an open unit of work:
    the head counts per team and the people below the actor (not everyone in the org)."""
    heads = uow.people.team_sizes(teams)
    sizes = {team: people for team, (people, _) in heads.items()}
    reviewable = {team: can for team, (_, can) in heads.items()}
    if actor.is_admin or actor.email is None:
        return Reach(actor, sizes, reviewable=reviewable)
    found = uow.people.with_below(actor.email)
    mine = Counter(person.team for person in found)
    return Reach(actor, sizes, mine, frozenset(p.email for p in found), reviewable)
