"""Overall-level policies: how track levels combine into one level.

- ``strict`` (default): the highest L that every track satisfies.
- ``tolerance:k``: the highest L that every track satisfies at L−1 and at most k tracks
  fail at L.
- ``points``: each track earns points by its level (``points[L]``); the overall level is the
  highest L whose threshold the total reaches (Medium's Snowflake works this way). By
  default a track at level L earns L points and level L needs L points per track, i.e. the
  average track level.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from skillgrid.domain.errors import SkillGridError


class PolicyError(SkillGridError):
    """A policy name or table that cannot be used."""


class Policy(Protocol):
    @property
    def name(self) -> str: ...

    def overall(self, track_levels: Sequence[int], top: int) -> tuple[int, int | None]:
        """The overall level (0..top) and, for points policies, the total points."""
        ...


@dataclass(frozen=True)
class Strict:
    name: str = "strict"

    def overall(self, track_levels: Sequence[int], top: int) -> tuple[int, int | None]:
        return (min(track_levels) if track_levels else top), None


@dataclass(frozen=True)
class Tolerance:
    k: int

    @property
    def name(self) -> str:
        return f"tolerance:{self.k}"

    def overall(self, track_levels: Sequence[int], top: int) -> tuple[int, int | None]:
        if not track_levels:
            return top, None
        floor = min(track_levels)
        # every track satisfies floor; floor + 1 fails only for the tracks at floor
        if floor < top and track_levels.count(floor) <= self.k:
            return floor + 1, None
        return floor, None


@dataclass(frozen=True)
class Points:
    """``points[L]`` for a track at level L (L = 0..N); ``thresholds[L-1]`` is the total
    needed for overall level L. Empty tables mean the defaults (average track level)."""

    points: tuple[int, ...] = ()
    thresholds: tuple[int, ...] = ()

    @property
    def name(self) -> str:
        return "points"

    def tables(self, tracks: int, top: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
        points = self.points or tuple(range(top + 1))
        thresholds = self.thresholds or tuple(level * tracks for level in range(1, top + 1))
        if len(points) != top + 1 or len(thresholds) != top:
            raise PolicyError(
                f"points policy: give {top + 1} points (levels 0..{top}) and {top} thresholds "
                f"(levels 1..{top}); got {len(points)} and {len(thresholds)}"
            )
        if any(a > b for a, b in itertools.pairwise(points)) or any(
            a > b for a, b in itertools.pairwise(thresholds)
        ):
            raise PolicyError(
                "points policy: points and thresholds must not decrease from one level to the "
                "next (a higher level can never need fewer points)"
            )
        return points, thresholds

    def overall(self, track_levels: Sequence[int], top: int) -> tuple[int, int | None]:
        if not self.points and not self.thresholds:  # the defaults: the average track level
            total = sum(track_levels)
            return (min(top, total // len(track_levels)) if track_levels else top), total
        points, thresholds = self.tables(len(track_levels), top)
        total = sum(points[level] for level in track_levels)
        reached = 0
        for number, needed in enumerate(thresholds, start=1):
            if total >= needed:
                reached = number
        return reached, total


def policy_settings(policy: Policy) -> tuple[str, str | None]:
    """How a policy is stored: its name and, for custom points tables, JSON."""
    if isinstance(policy, Points) and (policy.points or policy.thresholds):
        tables = {"points": list(policy.points), "thresholds": list(policy.thresholds)}
        return policy.name, json.dumps(tables)
    return policy.name, None


def policy_from_settings(name: str, tables: str | None) -> Policy:
    """The policy a ladder's stored settings describe."""
    if name == "points" and tables:
        loaded = json.loads(tables)
        return Points(tuple(loaded["points"]), tuple(loaded["thresholds"]))
    return parse_policy(name)


_TOLERANCE = re.compile(r"tolerance:(\d{1,3})")


def parse_policy(text: str) -> Policy:
    """``strict``, ``tolerance:K`` or ``points`` (default tables) from its name."""
    name = text.strip().lower()
    if name == "strict":
        return Strict()
    if name == "points":
        return Points()
    match = _TOLERANCE.fullmatch(name)
    if match:
        return Tolerance(int(match.group(1)))
    raise PolicyError(
        f"unknown leveling policy {text!r}: use strict, tolerance:K (K tracks may fall one "
        "level short, e.g. tolerance:1) or points"
    )
