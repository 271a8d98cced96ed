"""Team targets: at least N people at track T ≥ level L, per team and ladder — set one at a
time or from a YAML file kept beside the ladder, every change audited."""

from __future__ import annotations

from typing import Any

from skillgrid.domain.assessments import Actor
from skillgrid.domain.errors import NotFound
from skillgrid.domain.insight import Target, TargetError, check_target
from skillgrid.services.audit import record_change
from skillgrid.services.frameworks import get_framework_in
from skillgrid.services.permissions import require_admin
from skillgrid.services.unit_of_work import UnitOfWork


def set_target(uow: UnitOfWork, target: Target, *, actor: Actor) -> Target:
    """Add or change a team's target on a ladder (one per team, ladder and track)."""
    require_admin(actor, "set team targets")
    with uow.write():
        checked = _checked(uow, target)
        before = _stored_target(uow, checked)
        uow.insight.set_target(checked)
        _record_target(uow, actor, "set", checked, before, checked)
        uow.commit()
    return checked


def remove_target(uow: UnitOfWork, team: str, framework: str, track: str, *, actor: Actor) -> None:
    """Remove a team's target; the track by key or name, or as stored (a newer version of
    the ladder may have dropped the track)."""
    require_admin(actor, "remove team targets")
    with uow.write():
        stored = [t for t in uow.insight.targets(framework) if t.team == team]
        as_stored = next((t for t in stored if t.track.lower() == track.strip().lower()), None)
        checked = as_stored or _checked(uow, Target(team, framework, track, 1, 1))
        before = _stored_target(uow, checked)
        if not uow.insight.remove_target(team, checked.framework, checked.track):
            raise NotFound(f"{team} has no target on {checked.framework} {checked.track}")
        _record_target(uow, actor, "remove", checked, before, None)
        uow.commit()


def _stored_target(uow: UnitOfWork, target: Target) -> Target | None:
    return next(
        (
            t
            for t in uow.insight.targets(target.framework)
            if (t.team, t.track) == (target.team, target.track)
        ),
        None,
    )


def _record_target(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    target: Target,
    before: Target | None,
    after: Target | None,
) -> None:
    """A target in the audit trail: ``framework/team/track``, its level and head count."""

    def fields(t: Target | None) -> dict[str, Any]:
        return {"level": t.level, "people": t.people} if t else {}

    key = f"{target.framework}/{target.team}/{target.track}"
    record_change(uow, actor, action, "target", key, fields(before), fields(after))


def list_targets(uow: UnitOfWork, framework: str | None = None, *, actor: Actor) -> list[Target]:
    """Targets of the teams the actor may report on (every team for an admin)."""
    with uow:
        targets = uow.insight.targets(framework)
    if actor.is_admin:
        return targets
    from skillgrid.services.insight import list_teams

    visible = {t.name for t in list_teams(uow, actor)}
    return [t for t in targets if t.team in visible]


def import_targets(uow: UnitOfWork, data: bytes, source: str, *, actor: Actor) -> list[Target]:
    """Make a ladder's targets exactly those of a YAML file (see docs/concepts.md)."""
    require_admin(actor, "import team targets")
    from skillgrid.importers.targets import read_targets

    name, targets = read_targets(data, source)
    with uow.write():
        ladder = get_framework_in(uow, name, None)
        teams = {t.name for t in uow.people.teams()}
        checked = []
        problems = []
        first: dict[tuple[str, str], int] = {}
        for index, target in enumerate(targets, 1):
            try:
                if target.team not in teams:
                    raise TargetError(f"no team {target.team!r}; add it first (skillgrid team add)")
                found = check_target(target, ladder)
            except TargetError as error:
                problems.append(f"{source}: target {index}: {error}")
                continue
            key = (found.team, found.track)
            if key in first:  # a track's key and its name are the same track
                problems.append(
                    f"{source}: target {index}: {found.team} {found.track} is already set by "
                    f"target {first[key]}; keep one target per team and track"
                )
                continue
            first[key] = index
            checked.append(found)
        if problems:
            raise TargetError("\n".join(problems) + "\nnothing was stored")
        stored = {(t.team, t.track): t for t in uow.insight.targets(name)}
        for old in stored.values():
            uow.insight.remove_target(old.team, old.framework, old.track)
        for target in checked:
            uow.insight.set_target(target)
        kept = {(t.team, t.track): t for t in checked}
        for key in dict.fromkeys([*stored, *kept]):
            target = kept.get(key) or stored[key]
            action = "import" if key in kept else "remove"
            _record_target(uow, actor, action, target, stored.get(key), kept.get(key))
        uow.commit()
    return checked


def export_targets(uow: UnitOfWork, actor: Actor, framework: str) -> str:
    """A ladder's targets as the YAML file :func:`import_targets` reads (admins)."""
    require_admin(actor, "export targets")
    from skillgrid.importers.targets import write_targets

    with uow:
        get_framework_in(uow, framework, None)
        return write_targets(framework, uow.insight.targets(framework))


def _checked(uow: UnitOfWork, target: Target) -> Target:
    if target.team not in {t.name for t in uow.people.teams()}:
        raise NotFound(f"no team {target.team!r}")
    return check_target(target, get_framework_in(uow, target.framework, None))
