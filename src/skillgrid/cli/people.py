"""``skillgrid person …`` and ``skillgrid team …``: who is on the ladder, in which team,
reporting to whom."""

from __future__ import annotations

import json
from enum import StrEnum

import typer

from skillgrid.cli.assessments import ACTING
from skillgrid.cli.common import out, read_input, with_database
from skillgrid.domain.assessments import OPERATOR

person_app = typer.Typer(
    rich_markup_mode=None, help="People: add, update, import from CSV, list.", no_args_is_help=True
)
team_app = typer.Typer(
    rich_markup_mode=None,
    help="Teams: add, list, and the team report (coverage, distribution, calibration, movement).",
    no_args_is_help=True,
)


class RoleChoice(StrEnum):
    admin = "admin"
    manager = "manager"
    engineer = "engineer"


JSON_OUT = typer.Option(False, "--json", help="Print JSON instead of a table.")


@person_app.command("add")
def person_add(
    email: str = typer.Argument(..., help="Email address (unique, case does not matter)."),
    name: str = typer.Option(..., "--name", help="Full name."),
    team: str | None = typer.Option(None, "--team", help="Team name (must exist)."),
    manager: str | None = typer.Option(None, "--manager", help="Manager's email (on file)."),
    role: RoleChoice = typer.Option(
        RoleChoice.engineer, "--role", help="admin, manager or engineer."
    ),
) -> None:
    """Add a person.

    Example: skillgrid person add ana@example.com --name "Ana Lima" --team SRE --manager bo@x.org
    """
    from skillgrid.domain.people import Person, Role
    from skillgrid.services.people import add_person

    person = Person(email, name, team, manager, Role(role.value))
    added = with_database(lambda uow: add_person(uow, person, actor=OPERATOR))
    out().print(f"Added {added.email} ({added.role.value}).")


@person_app.command("update")
def person_update(
    email: str = typer.Argument(..., help="Email of the person to change."),
    name: str | None = typer.Option(None, "--name", help="New name."),
    team: str | None = typer.Option(None, "--team", help="New team ('' for none)."),
    manager: str | None = typer.Option(
        None, "--manager", help="New manager's email ('' for none)."
    ),
    role: RoleChoice | None = typer.Option(None, "--role", help="New role."),
    active: bool | None = typer.Option(None, "--active/--inactive", help="Mark active or not."),
) -> None:
    """Change a person's name, team, manager, role or active flag; a management cycle is
    refused.

    Example: skillgrid person update ana@example.com --manager cy@example.com
    """
    from skillgrid.domain.people import Role
    from skillgrid.services.people import update_person

    chosen_role = Role(role.value) if role else None
    updated = with_database(
        lambda uow: update_person(
            uow,
            email,
            name=name,
            team=team,
            manager=manager,
            role=chosen_role,
            active=active,
            actor=OPERATOR,
        )
    )
    out().print(f"Updated {updated.email}.")


@person_app.command("import")
def person_import(
    path: str = typer.Argument(..., help="CSV with header name,email,team,manager_email,role."),
) -> None:
    """Add or update people from a CSV file; missing teams are created. All or nothing.

    Example: skillgrid person import people.csv
    """
    from skillgrid.services.people import import_people

    data, source = read_input(path)
    result = with_database(lambda uow: import_people(uow, data, source, actor=OPERATOR))
    teams = f"; teams created: {', '.join(result.teams_created)}" if result.teams_created else ""
    out().print(f"Imported {result.added} new and {result.updated} updated people{teams}.")


@person_app.command("list")
def person_list(
    team: str | None = typer.Option(None, "--team", help="Only this team's people."),
    as_json: bool = JSON_OUT,
) -> None:
    """List people with their team, manager and role.

    Example: skillgrid person list --team SRE --json
    """
    from rich.markup import escape
    from rich.table import Table

    from skillgrid.services.people import list_people

    people = with_database(lambda uow: list_people(uow, OPERATOR, team))
    if as_json:
        from skillgrid.services.audit import person_fields

        rows = [{"email": p.email, **person_fields(p)} for p in people]
        print(json.dumps(rows, indent=2))
        return
    table = Table("Email", "Name", "Team", "Manager", "Role", "Active")
    for p in people:
        table.add_row(
            escape(p.email),
            escape(p.name),
            escape(p.team or ""),
            escape(p.manager or ""),
            p.role.value,
            "yes" if p.active else "no",
        )
    out().print(table)


@team_app.command("add")
def team_add(
    name: str = typer.Argument(..., help="Team name (unique)."),
    parent: str | None = typer.Option(None, "--parent", help="The team it belongs to."),
) -> None:
    """Add a team, optionally inside another team.

    Example: skillgrid team add "SRE Platform" --parent Infrastructure
    """
    from skillgrid.services.people import add_team

    team = with_database(lambda uow: add_team(uow, name, parent, actor=OPERATOR))
    out().print(f"Added team {team.name}.")


@team_app.command("list")
def team_list(as_json: bool = JSON_OUT, acting: str | None = ACTING) -> None:
    """List the teams you may report on, with their parent team, people on the team, people
    with the teams below it, and targets.

    Example: skillgrid team list --json
    """
    from rich.markup import escape
    from rich.table import Table

    from skillgrid.cli.assessments import _actor
    from skillgrid.services.insight import list_teams

    actor = _actor(acting)
    teams = with_database(lambda uow: list_teams(uow, actor))
    if as_json:
        rows = [
            {
                "name": t.name,
                "parent": t.parent,
                "people": t.people,
                "people_with_subteams": t.total,
                "targets": t.targets,
            }
            for t in teams
        ]
        print(json.dumps(rows, indent=2))
        return
    table = Table("Team", "Part of", "People", "With teams below", "Targets")
    for t in teams:
        table.add_row(
            escape(t.name), escape(t.parent or ""), str(t.people), str(t.total), str(t.targets)
        )
    out().print(table)
