"""The error answers every API route may give, documented once for the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ProblemOut(BaseModel):
    """One thing wrong with the input, where it is (a file's row and column count from 1,
    as an editor shows them) and what to do."""

    source: str | None = Field(description="The file (or part of the input) it is in.")
    row: int | None
    column: int | None
    message: str
    hint: str = Field(description="What to do about it.")


class ErrorOut(BaseModel):
    """What went wrong: a sentence, or (for a malformed request) one item per field."""

    detail: str | list[dict[str, Any]] = Field(
        description="What was wrong and what to do; a list of field errors for a request "
        "that does not match this schema."
    )
    problems: list[ProblemOut] | None = Field(
        None,
        description="Input that cannot be used (422): every problem found, each where it is "
        "(e.g. a file's row and column). Left out otherwise.",
    )


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


ERRORS: dict[int | str, dict[str, Any]] = {
    400: _error("The body could not be read."),
    401: _error("Not signed in, or the API token is unknown or revoked."),
    403: _error("Signed in, but not allowed to do this."),
    404: _error("No such object, or one the caller may not see."),
    409: _error("Changed meanwhile, or not possible in its current state."),
    413: _error("The request body is over 8 MB (a file sent as the body: over 5 MB)."),
    422: _error(
        "The request or its content cannot be used as given: a field, or a body that is not "
        "JSON (RFC 8259: UTF-8, finite numbers, no lone surrogates)."
    ),
}
