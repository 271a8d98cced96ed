"""Team and org insight pages: coverage against targets (with the people closest to closing
each miss and what they lack), a heatmap of teams × tracks that drills down team by team,
the level distribution, calibration of managers and movement since the last cycle."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from skillgrid.web.deps import CurrentUser, UowDep, templates_of

router = APIRouter(include_in_schema=False)
NAME = Query(None, max_length=200)


@router.get("/insight")
def org_page(
    request: Request, uow: UowDep, user: CurrentUser, cycle: str | None = NAME
) -> Response:
    """The whole org for an admin; for a manager, the list of their teams."""
    from skillgrid.services.insight import list_teams

    if not user.actor.is_admin:
        teams = list_teams(uow, user.actor)
        return templates_of(request).TemplateResponse(
            request, "insight_teams.html", {"user": user, "teams": teams}
        )
    return _page(request, uow, user, None, cycle)


@router.get("/insight/{team}")
def team_page(
    request: Request, team: str, uow: UowDep, user: CurrentUser, cycle: str | None = NAME
) -> Response:
    return _page(request, uow, user, team[:200], cycle)


def _page(
    request: Request, uow: UowDep, user: CurrentUser, team: str | None, cycle: str | None
) -> Response:
    from skillgrid.services.cycles import list_cycles
    from skillgrid.services.insight import team_report
    from skillgrid.web.charts import stacked_bars

    report = team_report(uow, user.actor, team, cycle)
    chart = stacked_bars([(c.name or "Whole organisation", c.overall) for c in report.heatmap()])
    history = stacked_bars([(name, c.overall) for name, c in report.history])
    return templates_of(request).TemplateResponse(
        request,
        "insight.html",
        {
            "user": user,
            "report": report,
            "chart": chart,
            "history": history,
            "cycles": list_cycles(uow),
            "tracks": {t.key: t.name for t in report.framework.tracks} if report.framework else {},
        },
    )
