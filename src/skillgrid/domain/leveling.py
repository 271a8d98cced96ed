"""Where a person stands on a ladder: track levels, overall level, next-level gaps, progress.

The rules (docs/concepts.md, "Leveling"):

- ``satisfies(T, L)``: every criterion of track T at levels 1..L is met (``meets``,
  ``exceeds``, or ``n/a`` with a reason). A level with no criteria in T asks nothing more.
- track level of T: the highest L in 0..N with ``satisfies(T, L)``.
- overall level: by the framework's policy (``strict``, ``tolerance:k``, ``points``).
- gaps: every unmet criterion at levels ≤ overall + 1, by track (none at the top level).
- progress toward L in T: met criteria / all criteria of T at levels ≤ L.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import compress

from skillgrid.domain.framework import Framework
from skillgrid.domain.policies import Policy, Strict


class Rating(StrEnum):
    """The default rating scale, lowest first, and ``n/a`` for a criterion that cannot
    apply to a person's job (it needs a reason and counts as met)."""

    NOT_YET = "not_yet"
    DEVELOPING = "developing"
    MEETS = "meets"
    EXCEEDS = "exceeds"
    NOT_APPLICABLE = "n/a"


SCALE = (Rating.NOT_YET, Rating.DEVELOPING, Rating.MEETS, Rating.EXCEEDS)
_NOT_APPLICABLE = Rating.NOT_APPLICABLE
MET = frozenset({Rating.MEETS, Rating.EXCEEDS, Rating.NOT_APPLICABLE})


def is_met(rating: Rating | str | None) -> bool:
    """``meets`` or above, or ``n/a``; a criterion nobody rated is not met."""
    return rating in MET


@dataclass(frozen=True)
class LevelResult:
    """A leveling result that explains itself: the rule, each track's level, the overall
    level, what stands between the person and the next level, and progress toward it."""

    policy: str
    overall: int
    top: int
    tracks: Mapping[str, int]
    gaps: Mapping[str, tuple[str, ...]]
    progress: Mapping[str, float]
    not_applicable: tuple[str, ...] = ()
    points: int | None = field(default=None)

    @property
    def next_level(self) -> int | None:
        return self.overall + 1 if self.overall < self.top else None

    @property
    def gap_ids(self) -> list[str]:
        return [criterion for ids in self.gaps.values() for criterion in ids]

    def to_dict(self) -> dict[str, object]:
        """The what-if JSON: policy, overall, tracks, gaps (ids), progress (+ details)."""
        return {
            "policy": self.policy,
            "overall": self.overall,
            "tracks": dict(self.tracks),
            "gaps": self.gap_ids,
            "progress": {key: round(value, 4) for key, value in self.progress.items()},
            "next_level": self.next_level,
            "gaps_by_track": {key: list(ids) for key, ids in self.gaps.items()},
            "not_applicable": list(self.not_applicable),
            "points": self.points,
        }


@dataclass(frozen=True)
class _Layout:
    """A framework's criteria laid out track by track and level by level."""

    track_keys: list[str]
    ids: list[str]
    level_at: list[int]  # level of the criterion at each index
    # per track: index where its criteria of level L start, for L = 1..N+1 (bounds[t][L-1])
    bounds: list[list[int]]
    spans: list[tuple[int, int]]
    order: dict[str, int]


_LAYOUTS: dict[int, tuple[Framework, _Layout]] = {}  # id(framework) → (framework, layout)


def _layout(framework: Framework) -> _Layout:
    """The layout of ``framework``, made once per framework object (a version never
    changes, and stored versions are shared by every request of a process)."""
    kept = _LAYOUTS.get(id(framework))
    if kept is not None and kept[0] is framework:
        return kept[1]
    track_keys = [track.key for track in framework.tracks]
    ids: list[str] = []
    level_at: list[int] = []
    bounds: list[list[int]] = []
    for key in track_keys:
        starts = []
        for level_ in framework.levels:
            starts.append(len(ids))
            for criterion in framework.cell(key, level_.number):
                ids.append(criterion.id)
                level_at.append(level_.number)
        starts.append(len(ids))
        bounds.append(starts)
    layout = _Layout(
        track_keys,
        ids,
        level_at,
        bounds,
        [(starts[0], starts[-1]) for starts in bounds],
        {criterion_id: i for i, criterion_id in enumerate(ids)},
    )
    if len(_LAYOUTS) >= 64:
        _LAYOUTS.pop(next(iter(_LAYOUTS)))
    _LAYOUTS[id(framework)] = (framework, layout)
    return layout


class Leveler:
    """A framework prepared for leveling many people fast.

    Criteria are laid out once, track by track and level by level, so leveling a person is
    one pass that marks each criterion met or not, then a search per track for its first
    unmet criterion.
    """

    def __init__(self, framework: Framework, policy: Policy | None = None) -> None:
        self.framework = framework
        self.policy = policy or Strict()
        self.top = len(framework.levels)
        layout = _layout(framework)
        self.track_keys = layout.track_keys
        self.ids = layout.ids
        self.level_at = layout.level_at
        self.bounds = layout.bounds
        self.spans = layout.spans
        self.order = layout.order

    def level(self, ratings: Mapping[str, Rating | str]) -> LevelResult:
        """Level one person from criterion id → rating (unlisted criteria are not met)."""
        get, met = ratings.get, MET
        unmet = [get(criterion) not in met for criterion in self.ids]
        # a track's level is one below the level of its first unmet criterion
        find, level_at, top = unmet.index, self.level_at, self.top
        track_levels = []
        for first, end in self.spans:
            try:
                track_levels.append(level_at[find(True, first, end)] - 1)
            except ValueError:
                track_levels.append(top)
        overall, points = self.policy.overall(track_levels, top)
        return self._result(ratings, unmet, overall, points, track_levels)

    def _result(
        self,
        ratings: Mapping[str, Rating | str],
        unmet: list[bool],
        overall: int,
        points: int | None,
        track_levels: list[int],
    ) -> LevelResult:
        target = min(overall + 1, self.top)
        gaps: dict[str, tuple[str, ...]] = {}
        progress: dict[str, float] = {}
        ids = self.ids
        for key, bounds, reached in zip(self.track_keys, self.bounds, track_levels, strict=True):
            if reached >= target:  # everything up to the target level is met
                progress[key] = 1.0
                continue
            start, cut = bounds[0], bounds[target]
            missing = tuple(compress(ids[start:cut], unmet[start:cut]))
            if overall < self.top:  # at the top there is no next level to stand between
                gaps[key] = missing
            progress[key] = (cut - start - len(missing)) / (cut - start)
        return LevelResult(
            policy=self.policy.name,
            overall=overall,
            top=self.top,
            tracks=dict(zip(self.track_keys, track_levels, strict=True)),
            gaps=gaps,
            progress=progress,
            not_applicable=self._not_applicable(ratings),
            points=points,
        )

    def _not_applicable(self, ratings: Mapping[str, Rating | str]) -> tuple[str, ...]:
        if _NOT_APPLICABLE not in ratings.values():
            return ()
        found = [c for c, rating in ratings.items() if rating == _NOT_APPLICABLE]
        return tuple(sorted((c for c in found if c in self.order), key=self.order.__getitem__))


def level(
    framework: Framework, ratings: Mapping[str, Rating | str], policy: Policy | None = None
) -> LevelResult:
    """Level one person on ``framework`` (see :class:`Leveler` to level many)."""
    return Leveler(framework, policy).level(ratings)
