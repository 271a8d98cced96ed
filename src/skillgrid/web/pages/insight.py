"""Team and org insight pages: coverage against targets (with the people closest to closing
each miss and what they lack), a heatmap of teams × tracks that drills down team by team,
the level distribution, calibration of managers and movement since the last cycle."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from skillgrid.domain.errors import NotFound
from skillgrid.web.deps import Caller, Csrf, CurrentUser, check_csrf, templates_of
from skillgrid.web.limits import expensive

router = APIRouter(include_in_schema=False)
NAME = Query(None, max_length=200)
VIEWS = {
    "overview": frozenset({"distribution"}),
    "coverage": frozenset({"coverage"}),
    "calibration": frozenset({"calibration"}),
    "movement": frozenset({"movement"}),
}
SHOWN = 200  # rows of a long list on a page; the exports have them all


@router.get("/insight")
def org_page(
    request: Request,
    user: CurrentUser,
    cycle: str | None = NAME,
    view: str = Query("overview", max_length=20),
) -> Response:
    """The whole org for an admin; for a manager, the list of their teams."""
    from skillgrid.services.insight import list_teams

    with user:
        if not user.actor.is_admin:
            teams = list_teams(user.uow, user.actor)
            return templates_of(request).TemplateResponse(
                request, "insight_teams.html", {"user": user, "teams": teams}
            )
        return _page(request, user, None, cycle, view)


@router.get("/insight/{team:path}")
def team_page(
    request: Request,
    team: str,
    user: CurrentUser,
    cycle: str | None = NAME,
    view: str = Query("overview", max_length=20),
) -> Response:
    with user:
        if len(team) > 200:  # no team has a longer name
            raise NotFound(f"no team {team[:50]!r}…")
        return _page(request, user, team, cycle, view)


def _page(
    request: Request,
    user: Caller,
    team: str | None,
    cycle: str | None,
    view: str,
    target_error: str | None = None,
    typed: dict[str, object] | None = None,
) -> Response:
    """One view of the report at a time: each is a few reads, even for the whole org."""
    from skillgrid.services.insight import team_report
    from skillgrid.web.charts import stacked_bars

    view = view if view in VIEWS else "overview"
    with expensive(request, user.email):
        report = team_report(user.uow, user.actor, team, cycle, sections=VIEWS[view])
    missed = sorted(
        (c for c in report.coverage if not c.met), key=lambda c: (-c.shortfall, c.target.team)
    )
    fragile = [c for c in report.coverage if c.single_point_of_failure]
    chart = stacked_bars([(c.name or "Whole organisation", c.overall) for c in report.heatmap()])
    history = stacked_bars([(name, c.overall) for name, c in report.history])
    return templates_of(request).TemplateResponse(
        request,
        "insight.html",
        {
            "user": user,
            "report": report,
            "view": view,
            "views": list(VIEWS),
            "missed": missed[:SHOWN],
            "fragile": fragile[:SHOWN],
            "shown": SHOWN,
            "counts": {
                "targets": len(report.coverage),
                "missed": len(missed),
                "fragile": len(fragile),
                "pending": sum(1 for c in missed if c.pending),
            },
            "chart": chart,
            "history": history,
            "cycles": report.cycles,
            "tracks": {t.key: t.name for t in report.framework.tracks} if report.framework else {},
            "target_error": target_error,
            "typed": typed or {},
        },
        status_code=422 if target_error else 200,
    )


@router.post("/insight/targets")
def target_set(
    request: Request,
    user: CurrentUser,
    team: Annotated[str, Form(min_length=1, max_length=200)],
    framework: Annotated[str, Form(min_length=1, max_length=100)],
    track: Annotated[str, Form(min_length=1, max_length=200)],
    level: Annotated[int, Form(ge=1, le=100)],
    people: Annotated[int, Form(ge=1, le=100_000)],
    back: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Csrf = "",
) -> Response:
    """Add or change a team's target (admins)."""
    from skillgrid.domain.insight import Target, TargetError
    from skillgrid.services.targets import set_target

    with user:
        check_csrf(user, csrf_token)
        try:
            set_target(user.uow, Target(team, framework, track, level, people), actor=user.actor)
        except (TargetError, NotFound) as error:
            if not user.actor.is_admin:
                raise
            typed = {"team": team, "track": track, "level": level, "people": people}
            return _page(request, user, back or None, None, "coverage", str(error), typed)
        return _coverage_of(back)


@router.post("/insight/targets/remove")
def target_remove(
    user: CurrentUser,
    team: Annotated[str, Form(min_length=1, max_length=200)],
    framework: Annotated[str, Form(min_length=1, max_length=100)],
    track: Annotated[str, Form(min_length=1, max_length=200)],
    back: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Csrf = "",
) -> Response:
    """Remove a team's target (admins)."""
    from skillgrid.services.targets import remove_target

    with user:
        check_csrf(user, csrf_token)
        remove_target(user.uow, team, framework, track, actor=user.actor)
        return _coverage_of(back)


def _coverage_of(team: str) -> Response:
    """Back to the coverage view of the team the form was on (or the org's)."""
    path = f"/insight/{quote(team, safe='')}" if team else "/insight"
    return RedirectResponse(f"{path}?view=coverage", status_code=303)
