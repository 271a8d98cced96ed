"""A person's admin page: their team, manager and direct reports, changed or deactivated
and reactivated through the same service as `skillgrid person update` and
PATCH /api/v1/people/{email}. Admins only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from skillgrid.domain.assessments import Forbidden
from skillgrid.domain.errors import NotFound, SkillGridError
from skillgrid.services.people import PersonChange
from skillgrid.web.deps import Caller, Csrf, CurrentUser, check_csrf, templates_of

router = APIRouter(include_in_schema=False)

Email = Annotated[str, Path(max_length=320)]
Shown = Annotated[str | None, Form(max_length=320)]


@router.get("/admin/people/{email}")
def person_page(request: Request, user: CurrentUser, email: Email) -> Response:
    with user:
        return _page(request, user, email)


def _page(
    request: Request,
    user: Caller,
    email: str,
    done: PersonChange | None = None,
    errors: Mapping[str, str] | None = None,
    typed: Mapping[str, str] | None = None,
) -> Response:
    """The page; after a change, what it did (whose reports went where); after a refused
    one, the reason beside its form and what was typed in it (422)."""
    from skillgrid.domain.people import normal_email
    from skillgrid.services.people import list_people, list_teams

    everyone = list_people(user.uow, user.actor)
    person = next((p for p in everyone if p.email == normal_email(email)), None)
    if person is None:
        raise NotFound(f"no person {email}: the admin page lists everyone on file")
    bosses = {p.manager for p in everyone if p.active}
    return templates_of(request).TemplateResponse(
        request,
        "admin_person.html",
        {
            "user": user,
            "person": person,
            "reports": [p for p in everyone if p.manager == person.email],
            # suggested: who manages someone now (all of a large company would be a page of
            # its own); any active person's email is accepted
            "managers": [p for p in everyone if p.active and p.email in bosses - {person.email}],
            "teams": [team for team, _ in list_teams(user.uow, user.actor)],
            "done": done,
            "handed_over": list(done.handed_over) if done else [],
            "errors": errors or {},
            "typed": typed or {},
        },
        status_code=422 if errors else 200,
    )


@router.post("/admin/people/{email}")
def person_change(
    request: Request,
    user: CurrentUser,
    email: Email,
    form: Annotated[Literal["change", "status"], Form()],
    team: Annotated[str | None, Form(max_length=200)] = None,
    manager: Annotated[str | None, Form(max_length=320)] = None,
    shown_team: Shown = None,
    shown_manager: Shown = None,
    active: Annotated[bool | None, Form()] = None,
    shown_active: Annotated[bool | None, Form()] = None,
    csrf_token: Csrf = "",
) -> Response:
    """One of the page's two forms: ``change`` sets the team and the manager (empty: none),
    ``status`` deactivates or reactivates. ``shown_…``: the fields as the form showed them,
    so a change another admin made since is refused rather than silently overwritten."""
    from skillgrid.services.people import change_person

    if form == "change":  # a browser sends an empty field, which arrives as None
        team, manager, active = team or "", manager or "", None
        shown: dict[str, object] = {"team": shown_team or None, "manager": shown_manager or None}
    else:
        team = manager = None
        shown = {} if shown_active is None else {"active": shown_active}
    with user:
        check_csrf(user, csrf_token)
        try:
            done = change_person(
                user.uow,
                email,
                team=team,
                manager=manager,
                active=active,
                shown=shown,
                actor=user.actor,
            )
        except SkillGridError as error:
            if isinstance(error, Forbidden) or not user.actor.is_admin:
                raise
            typed = {"team": team or "", "manager": manager or ""} if form == "change" else {}
            return _page(request, user, email, errors={form: str(error)}, typed=typed)
        return _page(request, user, email, done=done)
