"""Path and query parameters shared by the API routes, each documented with what it accepts.

Names and emails hold no control characters; free text holds no NUL character (PostgreSQL
cannot store it). Saying so in the schema lets a client (and schemathesis) know in advance
what is refused with 422."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

NAME = r"^[^\x00-\x1f\x7f]+$"  # one line of text
TEXT = r"^[^\x00]*$"  # any text PostgreSQL can store

Email = Annotated[str, Path(max_length=320, pattern=NAME, description="A person's email.")]
CycleName = Annotated[str, Path(max_length=100, pattern=NAME, description="A cycle, e.g. 2026-H2.")]
Rater = Annotated[
    str, Path(max_length=320, pattern=NAME, description="self, manager or a peer's email.")
]
LadderName = Annotated[str, Path(max_length=100, pattern=NAME, description="A ladder's name.")]
CycleFilter = Annotated[
    str | None, Query(max_length=100, pattern=NAME, description="A cycle (default: newest).")
]
# a page of a long list, as every paged answer says it: "limit", "offset", "next_offset"
Limit = Annotated[int, Query(ge=1, le=1000, description="How many to answer (1–1000).")]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1, description="How many to skip first.")]
TeamFilter = Annotated[
    str | None, Query(max_length=200, pattern=NAME, description="People on this team.")
]
Search = Annotated[
    str | None, Query(max_length=200, pattern=NAME, description="In the name or email.")
]
