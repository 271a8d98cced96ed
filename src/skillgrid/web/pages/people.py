"""A person's growth: levels (official, self, next target) as a radar and a table, the rule
that produced them, the gaps to the next level and the history across cycles."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from skillgrid.domain.people import url_segment
from skillgrid.services.growth import Growth
from skillgrid.web.charts import Series, radar
from skillgrid.web.deps import CurrentUser, templates_of

router = APIRouter(include_in_schema=False)


@router.get("/me")
def me(user: CurrentUser) -> Response:
    with user:
        return RedirectResponse(f"/people/{url_segment(user.email)}/growth", status_code=303)


@router.get("/people/{email}/growth")
def growth_page(request: Request, user: CurrentUser, email: str) -> Response:
    from skillgrid.services.growth import growth

    with user:
        view = growth(user.uow, user.actor, email)
    return templates_of(request).TemplateResponse(
        request, "growth.html", {"user": user, **growth_context(view)}
    )


def growth_context(view: Growth) -> dict[str, object]:
    """What growth.html shows of a person's growth: the view, its tracks and the radar of
    the official levels, the next level and the latest self-assessment."""
    official = view.official
    tracks = (
        [(t.key, t.name) for t in official.framework.tracks]
        if official
        else ([(key, key) for key in view.self_result.tracks] if view.self_result else [])
    )
    series = []
    if official is not None:
        series.append(
            Series(f"Official ({official.cycle.name})", official.result.tracks, "official")
        )
        if official.result.next_level is not None:
            target = {key: official.result.next_level for key, _ in tracks}
            series.append(Series(f"Next level ({official.result.next_level})", target, "target"))
    if view.self_result is not None:
        series.append(Series(f"Self ({view.self_cycle})", view.self_result.tracks, "self"))
    chart = Markup(radar(tracks, series, view.top))
    return {"view": view, "official": official, "tracks": tracks, "chart": chart, "series": series}
