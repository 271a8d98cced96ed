"""Evidence suggestions in JSON: which criteria a text demonstrates, and accepting them as
evidence (the same services as the page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from skillgrid.domain.suggestions import MAX_TOP
from skillgrid.services.evidence import criterion_ids
from skillgrid.services.frameworks import get_framework
from skillgrid.services.suggestions import (
    MAX_ACCEPTED,
    MAX_TEXT,
    Accepted,
    Suggestions,
    accept,
    suggest,
)
from skillgrid.web.api.errors import ERRORS
from skillgrid.web.api.json_body import StrictJsonRoute
from skillgrid.web.api.models import AcceptedEvidence, SuggestionsPublic
from skillgrid.web.api.params import NAME, TEXT, Email
from skillgrid.web.deps import ApiUser
from skillgrid.web.limits import expensive

router = APIRouter(tags=["evidence suggestions"], responses=ERRORS, route_class=StrictJsonRoute)


class SuggestRequest(BaseModel):
    framework: str = Field("sre", max_length=100, pattern=NAME)
    version: int | None = Field(None, ge=1, le=2**31 - 1)
    text: str = Field(..., max_length=MAX_TEXT, pattern=TEXT, description="Markdown or plain text.")
    top: int = Field(3, ge=1, le=MAX_TOP)


class AcceptedItem(BaseModel):
    statement: str = Field(..., min_length=1, max_length=1000, pattern=TEXT)
    criteria: list[str] = Field(..., min_length=1, max_length=20)
    source: str = Field("manual", max_length=20, pattern=NAME)
    date: dt.date | None = None


class AcceptRequest(BaseModel):
    framework: str = Field("sre", max_length=100, pattern=NAME)
    version: int | None = Field(None, ge=1, le=2**31 - 1)
    items: list[AcceptedItem] = Field(..., min_length=1, max_length=MAX_ACCEPTED)


def suggestions_json(found: Suggestions) -> dict[str, Any]:
    """What the API returns and the page shows: each statement, its suggestions with the
    criterion text and score (empty: no good match)."""
    texts = {c.id: c.text for c in found.framework.criteria}
    return {
        "framework": {"name": found.framework.name, "version": found.framework.version},
        "backend": found.backend,
        "threshold": found.threshold,
        "statements": [
            {
                "statement": item.statement.text,
                "context": item.statement.context,
                "no_match": item.no_match,
                "suggestions": [
                    {"criterion": s.criterion, "text": texts[s.criterion], "score": s.score}
                    for s in item.suggestions
                ],
            }
            for item in found.items
        ],
    }


def run_suggest(request: Request, uow: Any, framework: str, text: str, **options: Any) -> Any:
    """``suggest`` with the app's settings (backend, cache folder, model, learning)."""
    settings = request.app.state.settings
    return suggest(
        uow,
        framework,
        text,
        backend=settings.suggestion_backend,
        cache_dir=settings.cache_dir,
        model=settings.suggestion_model,
        learn=settings.suggestion_learning,
        **options,
    )


@router.post("/suggestions", response_model=SuggestionsPublic)
def suggest_criteria(request: Request, user: ApiUser, body: SuggestRequest) -> dict[str, Any]:
    """Split a text into statements and suggest the criteria each most likely evidences."""
    with user:
        with expensive(request, user.email):
            found = run_suggest(
                request, user.uow, body.framework, body.text, version=body.version, top=body.top
            )
        return suggestions_json(found)


@router.post(
    "/people/{email}/evidence/accept", status_code=201, response_model=list[AcceptedEvidence]
)
def accept_suggestions(user: ApiUser, email: Email, body: AcceptRequest) -> list[dict[str, Any]]:
    """Store accepted statements as the person's evidence, linked to the chosen criteria
    (the person themself or an admin; all or nothing)."""
    with user:
        accepted = [Accepted(i.statement, tuple(i.criteria), i.source, i.date) for i in body.items]
        stored = accept(user.uow, user.actor, email, body.framework, accepted, body.version)
        ladder = get_framework(user.uow, body.framework, body.version)
        return [
            {
                "id": e.id,
                "title": e.title,
                "source": e.source,
                "criteria": criterion_ids(ladder, e),
            }
            for e in stored
        ]
