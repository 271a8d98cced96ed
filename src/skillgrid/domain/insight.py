"""Team and org insight, pure: what is stored of an official result, targets and how well a
team covers them, calibration of managers' ratings, and how people moved between cycles.

Reports read stored summaries (one per person and cycle), never the ratings themselves:
:func:`summarize` is the one place a summary is computed, on finalize and on rebuild alike.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from skillgrid.domain.errors import SkillGridError
from skillgrid.domain.framework import Framework
from skillgrid.domain.leveling import SCALE, LevelResult, Rating, is_met
from skillgrid.domain.policies import Policy

_RANK = {rating: i for i, rating in enumerate(SCALE)}


@dataclass(frozen=True, slots=True)
class HeadCount:
    """What levels and coverage rest on, in the one wording every view uses (the team page,
    the insight pages, the team report in each format): people finalized of those who can
    be — active, with a manager — and how many active people have no manager, who are in no
    count on purpose (no review can make their result official)."""

    finalized: int
    reviewable: int
    unmanaged: int = 0

    @property
    def unreviewed(self) -> int:
        return max(0, self.reviewable - self.finalized)

    def counted(self) -> str:
        """The count: "9 of 25 with a manager finalized" ("… people …" when all have one)."""
        who = "with a manager" if self.unmanaged else "people"
        return f"{self.finalized} of {self.reviewable} {who} finalized"

    def rest(self, cycle: str) -> str:
        """What follows :meth:`counted`: " in 2026-H2; 16 not yet reviewed; 1 has no manager"."""
        parts = [f" in {cycle}"]
        if self.unreviewed:
            parts.append(f"{self.unreviewed} not yet reviewed")
        if self.unmanaged:
            parts.append(f"{self.unmanaged} {'has' if self.unmanaged == 1 else 'have'} no manager")
        return "; ".join(parts)

    def words(self, cycle: str) -> str:
        return self.counted() + self.rest(cycle)

    def why_left_out(self) -> str:
        """What precedes the names of the people with no manager."""
        whose = "their" if self.unmanaged == 1 else "these people's"
        official = f"no review can make {whose} results official"
        return f"No manager, so {official} and they are in no count"


@dataclass(frozen=True, slots=True)
class Summary:
    """What is stored of an official result: the levels, and enough to answer "how close is
    this person to level L on track T, and what do they lack" and "how far apart are manager
    and self" without the ratings. ``missing[T]`` lists the unmet criteria of track T (ids,
    ladder order)."""

    policy: str
    overall: int
    top: int
    gaps: int
    tracks: Mapping[str, int]
    missing: Mapping[str, tuple[str, ...]]
    delta_n: int = 0
    delta_sum: int = 0
    delta_squares: int = 0


@dataclass(frozen=True, slots=True)
class OfficialLevels:
    """The levels of a stored official result (what lists of people show)."""

    overall: int
    tracks: Mapping[str, int]


def summarize(
    framework: Framework,
    result: LevelResult,
    official: Mapping[str, Rating],
    self_ratings: Mapping[str, Rating] | None = None,
) -> Summary:
    """The summary of an official result. ``official`` and ``self_ratings`` map criterion
    identities (uids) to ratings; (manager − self) is taken over the criteria both rated on
    the scale (``n/a`` on either side is not a difference of degree)."""
    missing: dict[str, list[str]] = {t.key: [] for t in framework.tracks}
    n = total = squares = 0
    for criterion in framework.criteria:
        uid = criterion.uid or criterion.id
        rating = official.get(uid)
        if not is_met(rating):
            missing[criterion.track].append(criterion.id)
        if self_ratings is not None and rating in _RANK:
            mine = self_ratings.get(uid)
            if mine in _RANK:
                delta = _RANK[rating] - _RANK[mine]
                n += 1
                total += delta
                squares += delta * delta
    return Summary(
        policy=result.policy,
        overall=result.overall,
        top=len(framework.levels),
        gaps=len(result.gap_ids),
        tracks=dict(result.tracks),
        missing={key: tuple(ids) for key, ids in missing.items()},
        delta_n=n,
        delta_sum=total,
        delta_squares=squares,
    )


def stored_result(framework: Framework, summary: Summary, policy: Policy) -> LevelResult:
    """The leveling result a summary was stored from: the same levels, gaps to the next
    level and progress toward it as leveling the ratings again (all but ``not_applicable``,
    which only the ratings tell). ``policy`` gives the points of a points policy."""
    top, overall = summary.top, summary.overall
    target = min(overall + 1, top)
    gaps: dict[str, tuple[str, ...]] = {}
    progress: dict[str, float] = {}
    for track in framework.tracks:
        key = track.key
        if summary.tracks[key] >= target:  # everything up to the target level is met
            progress[key] = 1.0
            continue
        missing = through(summary.missing[key], target)
        if overall < top:  # at the top there is no next level to stand between
            gaps[key] = missing
        asked = sum(len(framework.cell(key, n)) for n in range(1, target + 1))
        progress[key] = (asked - len(missing)) / asked
    points = None
    if policy.name == summary.policy:
        points = policy.overall([summary.tracks[t.key] for t in framework.tracks], top)[1]
    return LevelResult(
        policy=summary.policy,
        overall=overall,
        top=top,
        tracks={track.key: summary.tracks[track.key] for track in framework.tracks},
        gaps=gaps,
        progress=progress,
        points=points,
    )


def pack_ids(ids: tuple[str, ...]) -> str:
    return " ".join(ids)


def unpack_ids(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def through(ids: tuple[str, ...], level: int) -> tuple[str, ...]:
    """The criterion ids (``TRACK.L.n``) at levels ≤ ``level``."""
    return tuple(cid for cid in ids if int(cid.rsplit(".", 2)[1]) <= level)


class TargetError(SkillGridError):
    """A target that cannot be stored as given."""


@dataclass(frozen=True, slots=True)
class Target:
    """What a team needs: at least ``people`` people at ``track`` ≥ ``level`` on a ladder."""

    team: str
    framework: str
    track: str
    level: int
    people: int

    def describe(self) -> str:
        noun = "person" if self.people == 1 else "people"
        return f"{self.people} {noun} at {self.track} ≥ {self.level}"


def check_target(target: Target, framework: Framework) -> Target:
    """The target, or a TargetError naming what is wrong with it on this ladder."""
    keys = [t.key for t in framework.tracks]
    track = target.track.strip()
    match = next((k for k in keys if k.lower() == track.lower()), None)
    match = match or next(
        (t.key for t in framework.tracks if t.name.lower() == track.lower()), None
    )
    if match is None:
        raise TargetError(
            f"{framework.name} has no track {target.track!r}; tracks: {', '.join(keys)}"
        )
    top = len(framework.levels)
    if not 1 <= target.level <= top:
        raise TargetError(f"level must be 1..{top} on {framework.name}, not {target.level}")
    if not 1 <= target.people <= 100_000:
        raise TargetError(f"people must be a positive number, not {target.people}")
    return Target(target.team, framework.name, match, target.level, target.people)


@dataclass(frozen=True, slots=True)
class Candidate:
    """Someone below a target's level, how many criteria they lack for it, and which."""

    email: str
    name: str
    level: int
    unmet: int
    lacking: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Coverage:
    """A target against the people of a team (and the teams below it) in one cycle."""

    target: Target
    holders: int
    holder_names: tuple[str, ...]
    closest: tuple[Candidate, ...] = ()
    unreviewed: int = 0  # people of the team with no official result in the cycle yet

    @property
    def pending(self) -> bool:
        """Missed so far, with people not yet reviewed: not (yet) a skills gap."""
        return not self.met and self.unreviewed > 0

    @property
    def verdict(self) -> str:
        """Met, not yet known (people not yet reviewed), or missed by people reviewed: the
        words every page and report uses."""
        if self.pending:
            people = "person" if self.unreviewed == 1 else "people"
            return (
                f"not yet reviewed: {self.shortfall} short so far, and {self.unreviewed} "
                f"{people} not finalized yet"
            )
        return "met" if self.met else f"reviewed and below target: missed by {self.shortfall}"

    @property
    def met(self) -> bool:
        return self.holders >= self.target.people

    @property
    def shortfall(self) -> int:
        return max(0, self.target.people - self.holders)

    @property
    def single_point_of_failure(self) -> bool:
        """Met by exactly one person: one departure leaves nobody."""
        return self.holders == 1 and self.met

    @property
    def no_slack(self) -> bool:
        """Met exactly: any one holder leaving makes it a miss."""
        return self.holders == self.target.people


def closest_count(shortfall: int) -> int:
    """How many candidates a missed target lists: enough to close it, and a few more."""
    return min(shortfall + 2, 10)


@dataclass(frozen=True, slots=True)
class Spread:
    """Count, mean and standard deviation from running sums."""

    n: int
    total: float
    squares: float

    @property
    def mean(self) -> float:
        return self.total / self.n if self.n else 0.0

    @property
    def sd(self) -> float:
        if self.n < 2:
            return 0.0
        variance = (self.squares - self.total * self.total / self.n) / (self.n - 1)
        return math.sqrt(max(variance, 0.0))


@dataclass(frozen=True, slots=True)
class ManagerRatings:
    """What a manager's finalized results in a cycle add up to (from stored summaries)."""

    email: str
    name: str
    reports: int
    level: Spread  # official overall levels of their reports
    compared: int  # criteria rated by both manager and self
    delta: Spread  # per rating: manager − self
    report_means: Spread  # per report with a self-assessment: mean (manager − self)


@dataclass(frozen=True, slots=True)
class Calibration:
    """One manager against the org: the figures and, when they stand out, why."""

    ratings: ManagerRatings
    flags: tuple[str, ...]


#: A manager is flagged when their reports' mean differs from the org's by more than this
#: many standard errors and by at least MIN_STEP rating steps (or levels), with at least
#: MIN_REPORTS reports: enough to discuss, too little to conclude alone.
Z = 2.0
MIN_STEP = 0.25
MIN_REPORTS = 3


def flags_against(manager: ManagerRatings, deltas: Spread, levels: Spread) -> tuple[str, ...]:
    """What makes a manager worth a calibration conversation, against the org's spreads."""
    flags = []
    delta = _stands_out(manager.report_means, deltas)
    if delta:
        word = "higher" if delta > 0 else "lower"
        flags.append(
            f"rates {word} against self-assessments than the org: "
            f"{manager.report_means.mean:+.2f} vs {deltas.mean:+.2f} steps per criterion "
            f"over {manager.report_means.n} reports"
        )
    level = _stands_out(manager.level, levels)
    if level:
        word = "above" if level > 0 else "below"
        flags.append(
            f"reports' official levels are {word} the org's: mean {manager.level.mean:.1f} "
            f"vs {levels.mean:.1f} over {manager.level.n} reports (team seniority may "
            "explain it)"
        )
    return tuple(flags)


def _stands_out(mine: Spread, org: Spread) -> float:
    """mine.mean − org.mean when it is both large and unlikely by chance, else 0."""
    if mine.n < MIN_REPORTS or org.n < 2 * MIN_REPORTS:
        return 0.0
    difference = mine.mean - org.mean
    error = org.sd / math.sqrt(mine.n)
    if abs(difference) >= MIN_STEP and abs(difference) > Z * error:
        return difference
    return 0.0


@dataclass(frozen=True, slots=True)
class Move:
    """A person whose level on a track (or overall: ``track`` None) changed between cycles."""

    email: str
    name: str
    track: str | None
    before: int
    after: int

    @property
    def up(self) -> bool:
        return self.after > self.before
