"""Teams, targets and the team / org report in JSON (the same services as the pages)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from skillgrid.web.api.errors import ERRORS
from skillgrid.web.api.json_body import StrictJsonRoute
from skillgrid.web.api.models import TargetPublic, TeamSummary
from skillgrid.web.api.params import NAME as ONE_LINE
from skillgrid.web.api.report_models import TeamReportPublic
from skillgrid.web.deps import ApiUser
from skillgrid.web.limits import expensive

if TYPE_CHECKING:
    from skillgrid.domain.insight import Target

router = APIRouter(tags=["team insight"], responses=ERRORS, route_class=StrictJsonRoute)
CycleName = Annotated[str | None, Query(max_length=200, pattern=ONE_LINE)]
Segment = Annotated[str, Path(max_length=200, pattern=ONE_LINE)]


class TargetIn(BaseModel):
    team: str = Field(..., min_length=1, max_length=200, pattern=ONE_LINE)
    framework: str = Field("sre", min_length=1, max_length=100, pattern=ONE_LINE)
    track: str = Field(
        ..., min_length=1, max_length=200, pattern=ONE_LINE, description="Track key or name."
    )
    level: int = Field(..., ge=1, le=100)
    people: int = Field(..., ge=1, le=100_000)


@router.get("/teams", response_model=list[TeamSummary])
def teams(user: ApiUser) -> list[dict[str, object]]:
    """The teams the caller may report on (an admin: all; a manager: teams of their reports)."""
    from skillgrid.services.insight import list_teams

    with user:
        return [t.to_dict() for t in list_teams(user.uow, user.actor)]


@router.get("/teams/{team:path}/report", response_model=TeamReportPublic)
def team_report(
    request: Request,
    team: Segment,
    user: ApiUser,
    cycle: CycleName = None,
    since: CycleName = None,
) -> dict[str, Any]:
    """Coverage against targets, distribution, calibration and movement of a team and the
    teams below it (404 for a team the caller may not see)."""
    from skillgrid.reports.team import report_data
    from skillgrid.services.insight import team_report as build

    with user, expensive(request, user.email):
        return report_data(build(user.uow, user.actor, team, cycle, since))


@router.get("/org/report", response_model=TeamReportPublic)
def org_report(
    request: Request, user: ApiUser, cycle: CycleName = None, since: CycleName = None
) -> dict[str, Any]:
    """The team report of the whole organisation (admins)."""
    from skillgrid.reports.team import report_data
    from skillgrid.services.insight import team_report as build

    with user, expensive(request, user.email):
        return report_data(build(user.uow, user.actor, None, cycle, since))


@router.get("/targets", response_model=list[TargetPublic])
def targets(
    user: ApiUser,
    framework: str | None = Query(None, max_length=100, pattern=ONE_LINE),
) -> list[Target]:
    """The targets of the teams the caller may report on (every team for an admin)."""
    from skillgrid.services.targets import list_targets

    with user:
        return list_targets(user.uow, framework, actor=user.actor)


@router.put("/targets", response_model=TargetPublic)
def put_target(body: TargetIn, user: ApiUser) -> Target:
    """Add or change a team's target on a track (admins)."""
    from skillgrid.domain.insight import Target
    from skillgrid.services.targets import set_target

    with user:
        target = Target(body.team, body.framework, body.track, body.level, body.people)
        return set_target(user.uow, target, actor=user.actor)


@router.delete("/targets/{framework}/{team:path}/{track}", status_code=204)
def delete_target(framework: Segment, team: Segment, track: Segment, user: ApiUser) -> None:
    """Remove a team's target on a track (admins)."""
    from skillgrid.services.targets import remove_target

    with user:
        remove_target(user.uow, team, framework, track, actor=user.actor)
