"""Leveling use cases that store nothing: what-if from a ratings file."""

from __future__ import annotations

from skillgrid.domain.framework import Framework
from skillgrid.domain.leveling import LevelResult, level
from skillgrid.domain.policies import parse_policy
from skillgrid.importers.ratings import read_ratings
from skillgrid.services.frameworks import get_framework_in
from skillgrid.services.unit_of_work import UnitOfWork


def what_if(
    uow: UnitOfWork,
    framework_name: str,
    ratings: tuple[bytes, str],
    policy: str | None = None,
    version: int | None = None,
) -> tuple[Framework, LevelResult]:
    """Level a person described by a ratings file on a stored ladder, without storing;
    returns the ladder version used and the result."""
    with uow:
        framework = get_framework_in(uow, framework_name, version)
        chosen = parse_policy(policy) if policy else uow.frameworks.policy(framework_name)
    by_id = read_ratings(ratings[0], ratings[1], (c.id for c in framework.criteria))
    return framework, level(framework, by_id, chosen)
