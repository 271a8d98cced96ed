"""A manager's team: each report's assessment states in a cycle, a heatmap of official
levels by track (drilling down to the person), and coverage per track (people at ≥ L)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from skillgrid.web.deps import CurrentUser, templates_of
from skillgrid.web.words import state_words

router = APIRouter(include_in_schema=False)


@router.get("/team")
def team_page(
    request: Request,
    user: CurrentUser,
    cycle: str | None = Query(None, max_length=100),
) -> Response:
    from skillgrid.services.reviews import team_view

    with user:
        view = team_view(user.uow, user.actor, cycle)
        return templates_of(request).TemplateResponse(
            request,
            "team.html",
            {
                "user": user,
                "cycle": view.cycle,
                "rows": view.rows,
                "framework": view.framework,
                "top": view.top,
                "coverage": view.coverage,
                "cycles": view.cycles,
                "finalized": view.finalized,
                "reviewable": view.reviewable,
                "overdue": view.overdue,
                "unmanaged": view.unmanaged,
                "state_words": state_words,
            },
        )
