"""The admin side of the API: people (list with filters and paging, add, change,
deactivate, sync from an HR export), teams and review cycles — the same use cases as the
admin page and the CLI, under the same permission rules (admins; everyone else gets 403)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from skillgrid.domain.assessments import CYCLE_NAME
from skillgrid.domain.framework import LADDER_NAME
from skillgrid.domain.people import EMAIL_PATTERN, Person, Role
from skillgrid.web.api.errors import ERRORS
from skillgrid.web.api.json_body import StrictJsonRoute
from skillgrid.web.api.models import Answer, CyclePublic, Paged, RoleValue, StepValue
from skillgrid.web.api.params import NAME, CycleName, Limit, Offset, Search, TeamFilter
from skillgrid.web.api.uploads import FileBody, FileName, file_request_body, media_format
from skillgrid.web.deps import ApiUser
from skillgrid.web.limits import expensive

router = APIRouter(tags=["administration"], responses=ERRORS, route_class=StrictJsonRoute)

Line = Annotated[str, Field(min_length=1, max_length=200, pattern=NAME)]
EmailField = Annotated[str, Field(max_length=320, pattern=f"^{EMAIL_PATTERN}$")]
Email = Annotated[
    str, Path(max_length=320, pattern=f"^{EMAIL_PATTERN}$", description="A person's email.")
]


class PersonPublic(Answer):
    email: str
    name: str
    team: str | None
    manager: str | None = Field(description="The manager's email.")
    role: RoleValue
    active: bool = Field(description="False: deactivated (history kept, cannot sign in).")


class PersonChanged(PersonPublic):
    handed_over: list[PersonPublic] = Field(
        description="Deactivating a manager: their direct reports, each with the manager "
        "they now report to (the next active one above; none when there is none)."
    )


class PeoplePage(Paged):
    items: list[PersonPublic]


class PersonCreate(BaseModel):
    email: EmailField
    name: Line
    team: Line | None = None
    manager: EmailField | None = Field(None, description="The manager's email.")
    role: RoleValue = "engineer"


class PersonUpdate(BaseModel):
    """What to change; a field left out keeps its value. ``active: false`` deactivates:
    the person's sessions end and API tokens stop at once; their history stays."""

    name: Line | None = None
    team: str | None = Field(None, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")
    manager: str | None = Field(
        None, max_length=320, pattern=f"^({EMAIL_PATTERN})?$", description='"": no manager.'
    )
    role: RoleValue | None = None
    active: bool | None = None


class FieldChangePublic(Answer):
    field: Literal["name", "team", "manager", "role", "active"]
    old: str | bool | None
    new: str | bool | None


class PersonChanges(Answer):
    email: str
    reactivated: bool = Field(description="True: inactive until now, active again.")
    changes: list[FieldChangePublic]


class KeptPublic(Answer):
    email: str
    reason: str


class PeopleSync(Answer):
    """What a sync did or, on a dry run, would do."""

    applied: bool = Field(description="False: a dry run, nothing changed.")
    added: list[PersonPublic]
    changed: list[PersonChanges]
    deactivated: list[PersonPublic] = Field(description="As they were: active until now.")
    kept: list[KeptPublic] = Field(
        description="Active, not in the file, kept active: the caller never deactivates themself."
    )
    unchanged: int
    teams_created: list[str]
    active_before: int = Field(description="Active people before the sync.")
    refused: str | None = Field(
        description="A dry run: why the real run would be refused (too many deactivated)."
    )


PEOPLE_FILE = file_request_body(
    "The HR export as it is: CSV, TSV or XLSX (the sheet it opens on) with the header "
    "name,email,team,manager_email,role (team, manager_email and role may be left out), "
    "up to 5 MB. The format is the Content-Type's, else the filename's extension, else "
    "CSV (a workbook is known by its content).",
    "name,email,team,manager_email,role\nAna Lima,ana@example.com,SRE,,engineer\n",
    kinds=(
        "text/csv",
        "text/tab-separated-values",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
)


class TeamCreate(BaseModel):
    name: Line
    parent: Line | None = Field(None, description="The team it belongs to.")


class TeamPublic(Answer):
    name: str
    parent: str | None


class CycleCreate(BaseModel):
    name: Annotated[str, Field(max_length=100, pattern=f"^{CYCLE_NAME}$")]
    framework: Annotated[str, Field(max_length=100, pattern=f"^{LADDER_NAME}$")] = "sre"
    version: int | None = Field(None, ge=1, le=2**31 - 1, description="Default: the newest.")
    due: dict[StepValue, dt.date | None] = Field(
        default_factory=dict, description="Due dates of its steps (the close last)."
    )


@router.get("/people", response_model=PeoplePage)
def people(
    user: ApiUser,
    team: TeamFilter = None,
    manager: Annotated[str | None, Query(max_length=320, pattern=NAME)] = None,
    role: RoleValue | None = None,
    active: bool | None = None,
    q: Search = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """People by email, filtered and a page at a time (admins)."""
    from skillgrid.services.people import list_people

    with user:
        found = list_people(
            user.uow,
            user.actor,
            team,
            manager=manager,
            role=Role(role) if role else None,
            active=active,
            matching=q,
        )
    page = found[offset : offset + limit]
    return {"items": [_person_json(p) for p in page], **Paged.fields(len(found), limit, offset)}


@router.post("/people", status_code=201, response_model=PersonPublic)
def add_person(user: ApiUser, body: PersonCreate) -> dict[str, Any]:
    """Add a person; the email must be new, the team and the manager must exist (admins)."""
    from skillgrid.services.people import add_person as add

    person = Person(body.email, body.name, body.team, body.manager, Role(body.role))
    with user:
        return _person_json(add(user.uow, person, actor=user.actor))


@router.patch("/people/{email}", response_model=PersonChanged)
def change_person(user: ApiUser, email: Email, body: PersonUpdate) -> dict[str, Any]:
    """Change what is given of a person, or deactivate them (``active: false``), answering
    whose direct reports went to which manager (admins)."""
    from skillgrid.services import people

    with user:
        changed = people.change_person(
            user.uow,
            email,
            name=body.name,
            team=body.team,
            manager=body.manager,
            role=Role(body.role) if body.role else None,
            active=body.active,
            actor=user.actor,
        )
        handed_over = [_person_json(p) for p in changed.handed_over]
        return {**_person_json(changed.person), "handed_over": handed_over}


@router.post("/people/sync", response_model=PeopleSync, openapi_extra=PEOPLE_FILE)
def sync_people(
    request: Request,
    user: ApiUser,
    data: FileBody,
    filename: FileName = None,
    deactivate_missing: Annotated[
        bool, Query(description="Deactivate everyone active who is not in the file.")
    ] = False,
    dry_run: Annotated[bool, Query(description="Answer the plan; change nothing.")] = False,
    max_deactivate: Annotated[
        int | None,
        Query(
            ge=0,
            le=2**31 - 1,
            description="Deactivate at most this many (default: refuse more than 5 that "
            "are also more than 10% of the active people).",
        ),
    ] = None,
    allow_mass_deactivation: Annotated[
        bool, Query(description="Deactivate however many the file leaves out.")
    ] = False,
) -> dict[str, Any]:
    """Make the people on file what an HR export says, as ``skillgrid person sync`` does:
    added, changed, reactivated and (``deactivate_missing``) deactivated; all or nothing
    (admins)."""
    from skillgrid.services.people_sync import Safety, sync_people

    safety = Safety(max_deactivate, allow_mass_deactivation)
    with user, expensive(request, user.email):
        outcome = sync_people(
            user.uow,
            data,
            _people_file_name(request, filename),
            deactivate_missing=deactivate_missing,
            dry_run=dry_run,
            safety=safety,
            actor=user.actor,
        )
    return outcome.to_dict()


def _people_file_name(request: Request, filename: str | None) -> str:
    """The file's name as the importer reads its format from it: the Content-Type's
    format, where it names one, as the extension."""
    name = filename or "people.csv"
    kind = media_format(request)
    if kind not in ("csv", "tsv", "xlsx"):
        return name
    return f"{name.rsplit('.', 1)[0] if '.' in name else name}.{kind}"


@router.post("/teams", status_code=201, response_model=TeamPublic)
def add_team(user: ApiUser, body: TeamCreate) -> dict[str, Any]:
    """Add a team, at the top or inside ``parent`` (admins)."""
    from skillgrid.services.people import add_team as add

    with user:
        team = add(user.uow, body.name, body.parent, actor=user.actor)
        return {"name": team.name, "parent": team.parent}


@router.post("/cycles", status_code=201, response_model=CyclePublic)
def open_cycle(user: ApiUser, body: CycleCreate) -> dict[str, Any]:
    """Open a review cycle on a ladder version, with due dates if given (admins)."""
    from skillgrid.domain.assessments import DueDates
    from skillgrid.services.cycles import open_cycle as open_

    due = DueDates.of({str(step): day for step, day in body.due.items()})
    with user:
        cycle = open_(user.uow, body.name, body.framework, body.version, actor=user.actor, due=due)
        return cycle.to_dict()


@router.post("/cycles/{cycle}/close", response_model=CyclePublic)
def close_cycle(user: ApiUser, cycle: CycleName) -> dict[str, Any]:
    """Close a cycle: it takes no more ratings (admins)."""
    return _set_open(user, cycle, False)


@router.post("/cycles/{cycle}/reopen", response_model=CyclePublic)
def reopen_cycle(user: ApiUser, cycle: CycleName) -> dict[str, Any]:
    """Open a closed cycle again (admins)."""
    return _set_open(user, cycle, True)


def _set_open(user: Any, cycle: str, is_open: bool) -> dict[str, Any]:
    from skillgrid.services.cycles import set_cycle_open

    with user:
        return set_cycle_open(user.uow, cycle, is_open, actor=user.actor).to_dict()


def _person_json(p: Person) -> dict[str, Any]:
    from skillgrid.services.audit import person_fields

    return {"email": p.email, **person_fields(p)}
