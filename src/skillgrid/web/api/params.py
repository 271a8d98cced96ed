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
