"""A manager's team: each report's assessment states in a cycle, a heatmap of official
levels by track (drilling down to the person), and coverage per track (people at ≥ L)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from skillgrid.services.reviews import Show
from skillgrid.web.deps import CurrentUser, templates_of
from skillgrid.web.words import state_words

router = APIRouter(include_in_schema=False)


@router.get("/team")
def team_page(
    request: Request,
    user: CurrentUser,
    cycle: str | None = Query(None, max_length=100),
    team: str | None = Query(None, max_length=200),
    show: Show = "all",
    q: str = Query("", max_length=200),
    page: int = Query(1, ge=1, le=2**31 - 1),
) -> Response:
    """Everyone below the manager (everyone, for an admin) a page at a time, filtered by
    team, by what is left to do, or by name; the counts and coverage are of everyone."""
    from skillgrid.services.reviews import Window, team_view

    with user:
        view = team_view(
            user.uow,
            user.actor,
            cycle,
            team=team or None,
            show=show,
            query=q,
            window=Window.page(page),
        )
        return templates_of(request).TemplateResponse(
            request,
            "team.html",
            {
                "user": user,
                "cycle": view.cycle,
                "rows": view.rows,
                "shown": view,
                "everyone": view.everyone,
                "filters": {"team": team or "", "show": show, "q": q},
                "framework": view.framework,
                "top": view.top,
                "coverage": view.coverage,
                "cycles": view.cycles,
                "finalized": view.finalized,
                "overdue": view.overdue,
                "unmanaged": view.unmanaged,
                "head_count": view.head_count,
                "state_words": state_words,
            },
        )
