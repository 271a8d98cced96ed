"""``skillgrid person …`` and ``skillgrid team …``: who is on the ladder, in which team,
reporting to whom."""

from __future__ import annotations

import json

import typer

from skillgrid.cli.common import ACTING, JSON_OUT, actor_as, out, read_input, with_database
from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.people import Role

person_app = typer.Typer(
    rich_markup_mode=None,
    help="People: add, update, import from CSV, TSV or XLSX, sync, list.",
    no_args_is_help=True,
)
team_app = typer.Typer(
    rich_markup_mode=None,
    help="Teams: add, list, and the team report (coverage, distribution, calibration, movement).",
    no_args_is_help=True,
)


@person_app.command("add")
def person_add(
    email: str = typer.Argument(..., help="Email address (unique, case does not matter)."),
    name: str = typer.Option(..., "--name", help="Full name."),
    team: str | None = typer.Option(None, "--team", help="Team name (must exist)."),
    manager: str | None = typer.Option(None, "--manager", help="Manager's email (on file)."),
    role: Role = typer.Option(Role.ENGINEER, "--role", help="admin, manager or engineer."),
) -> None:
    """Add a person.

    Example: skillgrid person add ana@example.com --name "Ana Lima" --team SRE --manager bo@x.org
    """
    from skillgrid.domain.people import Person
    from skillgrid.services.people import add_person

    person = Person(email, name, team, manager, role)
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
    role: Role | None = typer.Option(None, "--role", help="New role."),
    active: bool | None = typer.Option(
        None,
        "--active/--inactive",
        help="Mark active or not. Inactive: signed out, tokens stop, and their direct reports "
        "go to the next active manager above them.",
    ),
) -> None:
    """Change a person's name, team, manager, role or active flag; a management cycle is
    refused.

    Example: skillgrid person update ana@example.com --manager cy@example.com
    """
    from rich.markup import escape

    from skillgrid.services.people import change_person

    done = with_database(
        lambda uow: change_person(
            uow,
            email,
            name=name,
            team=team,
            manager=manager,
            role=role,
            active=active,
            actor=OPERATOR,
        )
    )
    out().print(f"Updated {done.person.email}.")
    if done.handed_over:
        out().print("Their direct reports went to the next active manager above them:")
        for report in done.handed_over:
            now = report.manager or "nobody: there is no active manager above"
            out().print(f"  {escape(report.name)} ({report.email}) now reports to {now}")
        out().print("(`skillgrid person update EMAIL --manager` changes one.)")
    elif active is False:
        out().print("They had no direct reports to hand over.")


@person_app.command("import")
def person_import(
    path: str = typer.Argument(
        ...,
        help="CSV, TSV (named .tsv) or XLSX (the sheet it opens on) with header "
        "name,email,team,manager_email,role.",
    ),
) -> None:
    """Add or update people from a CSV, TSV or XLSX file; missing teams are created. All or
    nothing.

    Example: skillgrid person import people.csv
    """
    from skillgrid.services.people_import import import_people

    data, source = read_input(path)
    result = with_database(lambda uow: import_people(uow, data, source, actor=OPERATOR))
    teams = f"; teams created: {', '.join(result.teams_created)}" if result.teams_created else ""
    out().print(f"Imported {result.added} new and {result.updated} updated people{teams}.")


@person_app.command("sync")
def person_sync(
    path: str = typer.Argument(
        ...,
        help="The HR system's export: CSV, TSV (named .tsv) or XLSX (the sheet it opens on) with "
        "header name,email,team,manager_email,role.",
    ),
    deactivate_missing: bool = typer.Option(
        False,
        "--deactivate-missing",
        help="Deactivate everyone active who is not in the file (sessions and API tokens "
        "end at once, history stays); never the person running it (--as).",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Print exactly what would happen; change nothing."
    ),
    max_deactivate: int | None = typer.Option(
        None,
        "--max-deactivate",
        min=0,
        help="Deactivate at most this many (default: refuse more than 5 that are also "
        "more than 10% of the active people).",
    ),
    allow_mass: bool = typer.Option(
        False, "--allow-mass-deactivation", help="Deactivate however many the file leaves out."
    ),
    as_json: bool = JSON_OUT,
    acting: str | None = ACTING,
) -> None:
    """Make the people on file what an HR export says: people in the file are added or
    changed as `person import` does, and reactivated if inactive; missing teams are
    created. With --deactivate-missing, everyone active who is not in the file is
    deactivated. All or nothing: a bad row anywhere (its row and column are named) changes
    nothing, and so does a run that would deactivate too many (see --max-deactivate); a
    dry run exits 1 when the real run would be refused.

    Example: skillgrid person sync hr-export.csv --deactivate-missing --dry-run
    """
    from skillgrid.cli.render import print_sync
    from skillgrid.services.people_sync import Safety, sync_people

    data, source = read_input(path)
    actor = actor_as(acting)
    safety = Safety(max_deactivate, allow_mass)
    outcome = with_database(
        lambda uow: sync_people(
            uow,
            data,
            source,
            deactivate_missing=deactivate_missing,
            dry_run=dry_run,
            safety=safety,
            actor=actor,
        )
    )
    if as_json:
        print(json.dumps(outcome.to_dict(), indent=2))
    else:
        print_sync(outcome)
    if outcome.plan.refused:  # a dry run that the real run would refuse
        raise typer.Exit(1)


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

    from skillgrid.services.insight import list_teams

    actor = actor_as(acting)
    teams = with_database(lambda uow: list_teams(uow, actor))
    if as_json:
        print(json.dumps([t.to_dict() for t in teams], indent=2))
        return
    table = Table("Team", "Part of", "People", "With teams below", "Targets")
    for t in teams:
        table.add_row(
            escape(t.name), escape(t.parent or ""), str(t.people), str(t.total), str(t.targets)
        )
    out().print(table)
