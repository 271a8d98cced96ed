"""A manager's team: each report's assessment states in a cycle, a heatmap of official
levels by track (drilling down to the person), and coverage per track (people at ≥ L)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from skillgrid.web.deps import CurrentUser, UowDep, templates_of

router = APIRouter(include_in_schema=False)


@router.get("/team")
def team_page(
    request: Request,
    uow: UowDep,
    user: CurrentUser,
    cycle: str | None = Query(None, max_length=100),
) -> Response:
    from skillgrid.services.cycles import list_cycles
    from skillgrid.services.frameworks import get_framework
    from skillgrid.services.reviews import team_view

    chosen, rows = team_view(uow, user.actor, cycle)
    framework = get_framework(uow, chosen.framework, chosen.version) if chosen else None
    top = len(framework.levels) if framework else 0
    coverage = {}
    if framework is not None:
        leveled = [row.official for row in rows if row.official is not None]
        coverage = {
            t.key: [
                sum(1 for r in leveled if r.tracks[t.key] >= level) for level in range(1, top + 1)
            ]
            for t in framework.tracks
        }
    return templates_of(request).TemplateResponse(
        request,
        "team.html",
        {
            "user": user,
            "cycle": chosen,
            "rows": rows,
            "framework": framework,
            "top": top,
            "coverage": coverage,
            "cycles": list_cycles(uow),
        },
    )
