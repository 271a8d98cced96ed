"""What the report routes answer: a person's results and a team's (or the org's) report.
The routes hand the reports' own data (``reports.person`` / ``reports.team``, the same the
Markdown, HTML and CLI JSON are made from) to these models to check and document."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from skillgrid.web.api.models import Answer, BasedOn, LadderRef, RatingGiven


class PersonRef(Answer):
    email: str
    name: str
    team: str | None
    manager: str | None = Field(description="The manager's email.")


class TrackResult(Answer):
    name: str
    level: int
    progress: float = Field(description="Share of the next level's criteria met (0 to 1).")
    change: int | None = Field(
        description="Levels gained (negative: lost) since the previous cycle; null: no "
        "earlier result on the track."
    )


class EvidenceRef(Answer):
    id: int
    title: str
    url: str | None
    date: dt.date | None
    source: str


class CriterionLine(Answer):
    id: str
    text: str
    official: RatingGiven | None = Field(description="The manager's rating; null: not rated.")
    others: dict[str, RatingGiven] = Field(description="By rater: self and peers' emails.")
    differences: dict[str, Literal["higher", "lower", "n/a"]] = Field(
        description="By rater, where their rating differs from the official one (n/a: one "
        "side says the criterion does not apply)."
    )
    evidence: list[EvidenceRef]


class PastResult(Answer):
    cycle: str
    overall: int
    tracks: dict[str, int] = Field(description="Level by track key.")


class PersonResults(Answer):
    """A person's official result in a cycle, the ratings beside it and their history."""

    person: PersonRef
    cycle: str
    framework: LadderRef
    policy: str = Field(description="How the overall level is made: strict, tolerance:k, points.")
    overall: int
    top: int = Field(description="The ladder's highest level.")
    next_level: int | None = Field(description="Null at the top.")
    tracks: dict[str, TrackResult] = Field(description="By track key.")
    gaps: dict[str, list[str]] = Field(
        description="Track key → ids of the unmet criteria that keep it from the next level."
    )
    not_applicable: list[str] = Field(description="Ids of criteria rated n/a.")
    previous_cycle: str | None
    criteria: list[CriterionLine]
    history: list[PastResult] = Field(description="Official results, oldest first.")


class ReportLadder(Answer):
    name: str
    version: int
    tracks: dict[str, str] = Field(description="Track key → name.")
    levels: int = Field(description="How many levels the ladder has.")


class LackingCriterion(Answer):
    id: str
    text: str


class Candidate(Answer):
    email: str
    name: str
    level: int
    unmet: int = Field(description="Criteria still unmet for the target's level.")
    lacking: list[LackingCriterion]


class TargetCoverage(Answer):
    team: str
    track: str
    level: int
    people: int = Field(description="People the target asks for.")
    holders: int = Field(description="People at the level or above.")
    met: bool
    shortfall: int
    unreviewed: int = Field(
        description="People of the team with no official result in the cycle yet: a miss "
        "while this is above 0 is not yet known, not a skills gap."
    )
    single_point_of_failure: bool = Field(description="Met by exactly one person.")
    no_slack: bool = Field(description="Met exactly: one holder leaving makes it a miss.")
    holder_names: list[str]
    closest: list[Candidate] = Field(description="For a missed target: who is closest.")


class Coverage(Answer):
    met: int
    missed: int
    targets: list[TargetCoverage]


class LevelCounts(Answer):
    team: str | None = Field(description="Null: the whole organisation.")
    people: int
    overall: list[int] = Field(description="People at each level, from level 0.")
    tracks: dict[str, list[int]] = Field(description="By track key: people at each level.")


class CycleCounts(Answer):
    cycle: str
    people: int
    overall: list[int] = Field(description="People at each level, from level 0.")


class Distribution(Answer):
    levels: list[int]
    teams: list[LevelCounts] = Field(description="The team (rolled up), then each team in it.")
    history: list[CycleCounts]


class OrgCalibration(Answer):
    reports: int
    mean_delta: float = Field(description="Mean (manager − self) steps per criterion.")
    sd_delta: float
    people: int
    mean_level: float
    sd_level: float


class ManagerCalibration(Answer):
    email: str
    name: str
    reports: int
    compared: int = Field(description="Criteria rated by both the manager and the person.")
    mean_delta: float
    sd_delta: float
    reports_compared: int
    mean_report_delta: float
    mean_level: float
    flags: list[str] = Field(description="What stands out, in words.")


class Calibration(Answer):
    org: OrgCalibration
    managers: list[ManagerCalibration]


class UpDown(Answer):
    up: int
    down: int


class Move(Answer):
    email: str
    name: str
    track: str | None = Field(description="Null: the overall level.")
    before: int
    after: int


class Movement(Answer):
    previous: str | None = Field(alias="from", description="The cycle compared with.")
    to: str | None
    up: int
    down: int
    by_track: dict[str, UpDown] = Field(description="By track key, and overall.")
    moves: list[Move]


class TeamReportPublic(Answer):
    """Coverage against targets, distribution, calibration and movement."""

    team: str | None = Field(description="Null: the whole organisation.")
    teams: list[str] = Field(description="The team and every team below it.")
    cycle: str | None = Field(description="Null: no cycle with results yet.")
    based_on: BasedOn
    framework: ReportLadder | None
    coverage: Coverage
    distribution: Distribution
    calibration: Calibration
    movement: Movement
