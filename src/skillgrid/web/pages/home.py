"""Each person's home, where signing in lands: what waits on them beside their growth, the
reviews their reports wait for, and an admin's view of how far each team has got (also as CSV)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from skillgrid.web.deps import CurrentUser, templates_of
from skillgrid.web.downloads import attachment
from skillgrid.web.pages.people import growth_context
from skillgrid.web.words import AUTHOR, FINALIZER, SELF, state_words

router = APIRouter(include_in_schema=False)


@router.get("/")
def home_page(request: Request, user: CurrentUser) -> Response:
    from skillgrid.services.growth import growth
    from skillgrid.services.home import home

    with user:
        view = home(user.uow, user.actor)
        mine = growth_context(growth(user.uow, user.actor, user.email)) if view.person else {}
    return templates_of(request).TemplateResponse(
        request,
        "home.html",
        {
            "user": user,
            "home": view,
            **mine,
            "own_words": lambda state: state_words(state, SELF, AUTHOR),
            "review_words": lambda state: state_words(state, "manager", FINALIZER),
        },
    )


@router.get("/cycles/{cycle}/progress.csv")
def progress_csv(user: CurrentUser, cycle: str) -> Response:
    """How far each team has got in a cycle, one row a team (admins)."""
    from skillgrid.services.home import cycle_progress

    with user:
        progress = cycle_progress(user.uow, user.actor, cycle)
    return Response(
        progress.csv(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": attachment(f"{progress.cycle.name}-progress.csv")},
    )
