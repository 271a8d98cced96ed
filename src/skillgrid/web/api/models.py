"""What the API answers, as models: the OpenAPI schema says exactly what comes back, and
schemathesis checks every answer against it. The reports' answers are in ``report_models``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

RatingValue = Literal["not_yet", "developing", "meets", "exceeds", "n/a"]
StateValue = Literal["draft", "submitted", "finalized"]
RoleValue = Literal["admin", "manager", "engineer"]
ChangeValue = Literal["added", "removed", "reworded", "moved", "reworded_moved"]


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite keeps no zone; what it stores is UTC (CURRENT_TIMESTAMP, or written so)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


UtcDatetime = Annotated[dt.datetime, AfterValidator(_utc)]


class Answer(BaseModel):
    """A part of an answer. A key a route gives that is not declared here is an error (500 in
    the tests), not dropped without a word: the schema and the answer cannot drift apart."""

    model_config = ConfigDict(extra="forbid")


class LadderVersion(Answer):
    name: str
    version: int
    title: str | None
    levels: int
    tracks: int
    criteria: int
    source: str | None
    created_at: UtcDatetime | None


class Me(Answer):
    email: str
    role: RoleValue


StepValue = Literal["self", "manager", "calibration", "close"]


class CyclePublic(Answer):
    name: str
    framework: str
    version: int
    open: bool
    due: dict[StepValue, dt.date | None] = Field(
        description="When each step is due (self-assessments, manager reviews, calibration, "
        "the close), or null."
    )


class RatingGiven(Answer):
    rating: RatingValue
    reason: str | None
    comment: str | None


class RatingOut(RatingGiven):
    needs_review: bool
    review_reason: str | None = Field(
        None,
        description="Why it needs review, when its criterion moved since it was rated "
        '("moved from level 2 to level 3"); null when it was only reworded, or needs none.',
    )


class LadderRef(Answer):
    name: str
    version: int


class AssessmentPublic(Answer):
    person: str
    cycle: str
    rater: str = Field(description="self, manager or a peer's email.")
    state: Literal["not_started", "draft", "submitted", "finalized"] = Field(
        description="not_started: nothing stored yet (revision 0; PUT with revision 0 starts "
        "it as a draft), as its page says."
    )
    revision: int = Field(description="Send it back with a change; 0: nothing stored yet.")
    framework: LadderRef
    ratings: dict[str, RatingOut] = Field(description="By criterion id.")


class EvidencePublic(Answer):
    id: int
    title: str
    url: str | None
    date: dt.date | None
    source: str
    text: str | None
    criteria: list[str] = Field(
        description="Ids, in the ladder version named above, of the criteria it is linked to."
    )


class EvidenceList(Answer):
    person: str
    framework: LadderRef
    items: list[EvidencePublic] = Field(description="Newest first.")


class AssessmentRef(Answer):
    person: str
    cycle: str
    rater: str
    state: StateValue
    revision: int


class StateChange(Answer):
    state: StateValue
    revision: int


class TokenCreated(Answer):
    id: int
    name: str
    token: str = Field(description="The token itself: shown in this answer only.")


class TokenPublic(Answer):
    id: int
    name: str
    created_at: UtcDatetime
    revoked: bool


class LevelDoc(Answer):
    number: int
    title: str | None


class TrackDoc(Answer):
    key: str
    name: str
    # absent, never null, when there is none (as in a ladder file)
    description: Annotated[str | None, WithJsonSchema({"type": "string"})] = Field(
        None, exclude_if=lambda text: text is None, description="Left out when there is none."
    )


class CriterionDoc(Answer):
    id: str = Field(description="Track, level and position, e.g. NET.3.2: unique in a version.")
    track: str
    level: int
    text: str
    uid: str = Field(description="The criterion's identity across versions.")
    # absent, never null, when there are none (as in a ladder file)
    examples: Annotated[
        list[str] | None, WithJsonSchema({"type": "array", "items": {"type": "string"}})
    ] = Field(
        None,
        exclude_if=lambda found: found is None,
        description="Lines of typical work that evidence it; left out when there are none.",
    )


class LadderDocument(Answer):
    """One version of a ladder, as in skillgrid/data/framework.schema.json."""

    name: str
    version: int
    title: str | None
    levels: list[LevelDoc]
    tracks: list[TrackDoc]
    criteria: list[CriterionDoc]


class TitleChange(Answer):
    old: str | None
    new: str | None


class LevelRename(Answer):
    old: LevelDoc
    new: LevelDoc


class LevelChanges(Answer):
    added: list[LevelDoc]
    removed: list[LevelDoc]
    renamed: list[LevelRename]


class TrackRef(Answer):
    key: str
    name: str


class TrackRename(Answer):
    old: TrackRef
    new: TrackRef


class TrackDescribed(Answer):
    key: str = Field(description="The track's key in the newer version.")
    old: str | None
    new: str | None = Field(description="Null: no description (a table export has none).")


class TrackChanges(Answer):
    added: list[TrackRef]
    removed: list[TrackRef]
    renamed: list[TrackRename]
    described: list[TrackDescribed] = Field(description="Tracks whose description changed.")


class DiffCriterion(Answer):
    id: str
    track: str
    level: int
    text: str


class CriterionChangePublic(Answer):
    change: ChangeValue
    old: DiffCriterion | None = Field(description="Null for an added criterion.")
    new: DiffCriterion | None = Field(description="Null for a removed criterion.")


class DiffCounts(Answer):
    """Changed criteria of each kind."""

    added: int
    removed: int
    reworded: int
    moved: int
    reworded_moved: int


class ExamplesChange(Answer):
    id: str = Field(description="The criterion's id in the newer version.")
    old: list[str]
    new: list[str]


class LadderDiff(Answer):
    old: str = Field(description="The older version, e.g. sre v1.")
    new: str
    empty: bool = Field(description="Nothing changed.")
    counts: DiffCounts
    title: TitleChange | None = Field(description="Null: the title did not change.")
    levels: LevelChanges
    tracks: TrackChanges
    criteria: list[CriterionChangePublic] = Field(description="Changed criteria only.")
    examples: list[ExamplesChange] = Field(
        description="Criteria that continue with other examples (#15)."
    )


class TeamSummary(Answer):
    name: str
    parent: str | None
    people: int = Field(description="On the team itself.")
    people_with_subteams: int
    targets: int = Field(description="Targets set for the team.")


class TargetPublic(Answer):
    team: str
    framework: str
    track: str = Field(description="Track key.")
    level: int
    people: int = Field(description="How many people the team needs at the level or above.")


class TeamMember(Answer):
    email: str
    name: str
    team: str | None
    states: dict[str, StateValue] = Field(description="Assessment state by rater.")
    overall: int | None = Field(description="Official overall level; null: none yet.")
    tracks: dict[str, int] | None = Field(description="Official level by track key.")


class NamedPerson(Answer):
    email: str
    name: str


class BasedOn(Answer):
    """What the numbers rest on: official results only."""

    finalized: int = Field(description="People with an official result in the cycle.")
    reviewable: int = Field(description="Active people with a manager: who can have one.")
    unmanaged: list[NamedPerson] = Field(
        description="Active people with no manager and no official result in the cycle: in no "
        "count (no review can make their result official). The team API names the first 100 "
        "on every page (`show=unmanaged` lists them all); the team report names all."
    )
    unmanaged_total: int = Field(
        description="How many active people have no manager and no official result in the cycle."
    )
    words: str | None = Field(
        description='The count as the pages say it, e.g. "9 of 25 with a manager finalized '
        'in 2026-H2; 16 not yet reviewed; 1 has no manager" (null before any cycle).'
    )


class Paged(Answer):
    """One page of a longer list: ask again with ``next_offset`` for the next."""

    total: int = Field(description="How many match the filters, on every page.")
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next page (none: last).")

    @staticmethod
    def fields(total: int, limit: int, offset: int) -> dict[str, int | None]:
        """The paging fields of the page of ``limit`` from ``offset`` among ``total``."""
        more = offset + limit < total
        return {
            "total": total,
            "limit": limit,
            "offset": offset,
            "next_offset": offset + limit if more else None,
        }


class TeamView(Paged):
    """The people below the caller (everyone, for an admin) by email, a page at a time;
    the counts are of everyone, whatever the filters."""

    cycle: str | None = Field(description="Null: no cycle yet.")
    people: list[TeamMember] = Field(description="This page's.")
    everyone: int = Field(description="People in the team, whatever the filters.")
    overdue: int = Field(
        description="Of everyone: people with a step of their review past its due date."
    )
    based_on: BasedOn


class SuggestedCriterion(Answer):
    criterion: str = Field(description="Criterion id.")
    text: str
    score: float


class StatementSuggestions(Answer):
    statement: str
    context: str | None = Field(description="The heading or item the statement sits under.")
    no_match: bool
    suggestions: list[SuggestedCriterion] = Field(description="Best first.")


class SuggestionsPublic(Answer):
    framework: LadderRef
    backend: Literal["lexical", "embedding", "hybrid"]
    threshold: float = Field(description="The least score suggested.")
    statements: list[StatementSuggestions]


class AcceptedEvidence(Answer):
    id: int = Field(description="The evidence number.")
    title: str
    source: str
    criteria: list[str] = Field(description="Ids of the criteria it is linked to.")
