"""What the API answers, as models: the OpenAPI schema says exactly what comes back, and
schemathesis checks every answer against it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

RatingValue = Literal["not_yet", "developing", "meets", "exceeds", "n/a"]
StateValue = Literal["draft", "submitted", "finalized"]
RoleValue = Literal["admin", "manager", "engineer"]


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


class CyclePublic(Answer):
    name: str
    framework: str
    version: int
    open: bool


class RatingOut(Answer):
    rating: RatingValue
    reason: str | None
    comment: str | None
    needs_review: bool


class LadderRef(Answer):
    name: str
    version: int | None


class AssessmentPublic(Answer):
    person: str
    cycle: str
    rater: str = Field(description="self, manager or a peer's email.")
    state: StateValue
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
