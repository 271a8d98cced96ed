"""Team and org insight: targets, the team report, stored official results."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path

import typer

from skillgrid.cli.common import ACTING, JSON_OUT, actor_as, out, with_database, write_output
from skillgrid.cli.people import team_app
from skillgrid.domain.assessments import OPERATOR

target_app = typer.Typer(
    rich_markup_mode=None,
    help="Team targets: at least N people at track T ≥ level L.",
    no_args_is_help=True,
)
summary_app = typer.Typer(
    rich_markup_mode=None,
    help="Stored official results (what team reports read): rebuild and check.",
    no_args_is_help=True,
)
FRAMEWORK = typer.Option("sre", "--framework", help="Ladder name.")


class TeamFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@team_app.command("report")
def team_report(
    team: str | None = typer.Argument(None, help="Team (with the teams below it); none: the org."),
    cycle: str | None = typer.Option(None, "--cycle", help="Cycle (default: newest with results)."),
    since: str | None = typer.Option(
        None, "--since", help="Cycle to measure movement from (default: the one before)."
    ),
    report_format: TeamFormat = typer.Option(
        TeamFormat.md, "--format", help="md, html, json, csv or xlsx."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file (required for xlsx)."
    ),
    acting: str | None = ACTING,
) -> None:
    """Coverage against targets (who is closest to closing each miss, and what they lack),
    level distribution, calibration of managers and movement since the last cycle.

    Example: skillgrid team report Infrastructure --cycle 2026-H2 --format json
    """
    from skillgrid.cli.common import fail
    from skillgrid.reports import team as render
    from skillgrid.reports import team_tables as tables
    from skillgrid.services.insight import team_report as build

    if report_format is TeamFormat.xlsx and output is None:
        fail("xlsx is binary: give --output FILE")
    actor = actor_as(acting)
    report = with_database(lambda uow: build(uow, actor, team, cycle, since))
    if report_format is TeamFormat.xlsx:
        data = tables.report_xlsx(report)
    elif report_format is TeamFormat.json:
        text = json.dumps(render.report_data(report), ensure_ascii=False, indent=2) + "\n"
        data = text.encode()
    elif report_format is TeamFormat.csv:
        data = tables.report_csv(report).encode()
    elif report_format is TeamFormat.html:
        data = render.report_html(report).encode()
    else:
        data = render.report_markdown(report).encode()
    write_output(data, output)


@target_app.command("set")
def target_set(
    team: str = typer.Argument(..., help="Team name."),
    track: str = typer.Argument(..., help="Track key or name."),
    level: int = typer.Argument(..., help="Level the people need (≥)."),
    people: int = typer.Argument(..., help="How many people at least."),
    framework: str = FRAMEWORK,
) -> None:
    """Add or change a team's target on a track (one per team and track).

    Example: skillgrid target set Infrastructure NET 3 2
    """
    from skillgrid.domain.insight import Target
    from skillgrid.services.targets import set_target

    stored = with_database(
        lambda uow: set_target(uow, Target(team, framework, track, level, people), actor=OPERATOR)
    )
    out().print(f"{stored.team}: {stored.describe()} on {stored.framework}.")


@target_app.command("remove")
def target_remove(
    team: str = typer.Argument(..., help="Team name."),
    track: str = typer.Argument(..., help="Track key or name."),
    framework: str = FRAMEWORK,
) -> None:
    """Remove a team's target on a track.

    Example: skillgrid target remove Infrastructure NET
    """
    from skillgrid.services.targets import remove_target

    with_database(lambda uow: remove_target(uow, team, framework, track, actor=OPERATOR))
    out().print(f"Removed {team}'s target on {track}.")


@target_app.command("list")
def target_list(
    framework: str | None = typer.Option(None, "--framework", help="Only this ladder."),
    as_json: bool = JSON_OUT,
) -> None:
    """List every team's targets.

    Example: skillgrid target list --json
    """
    from rich.markup import escape
    from rich.table import Table

    from skillgrid.services.targets import list_targets

    targets = with_database(lambda uow: list_targets(uow, framework, actor=OPERATOR))
    if as_json:
        print(json.dumps([asdict(t) for t in targets], indent=2))
        return
    table = Table("Team", "Ladder", "Track", "Level ≥", "People")
    for t in targets:
        table.add_row(escape(t.team), t.framework, t.track, str(t.level), str(t.people))
    out().print(table)


@target_app.command("import")
def target_import(path: str = typer.Argument(..., help="Targets YAML file (- for stdin).")) -> None:
    """Make a ladder's targets exactly those of a YAML file kept beside the ladder
    (see docs/concepts.md); nothing is stored unless the whole file is right.

    Example: skillgrid target import ladders/sre-targets.yaml
    """
    from skillgrid.cli.common import read_input
    from skillgrid.services.targets import import_targets

    data, source = read_input(path)
    stored = with_database(lambda uow: import_targets(uow, data, source, actor=OPERATOR))
    out().print(f"Stored {len(stored)} target{'s' if len(stored) != 1 else ''}.")


@target_app.command("export")
def target_export(framework: str = FRAMEWORK) -> None:
    """Print a ladder's targets as the YAML file that target import reads.

    Example: skillgrid target export --framework sre > sre-targets.yaml
    """
    from skillgrid.services.targets import export_targets

    print(with_database(lambda uow: export_targets(uow, OPERATOR, framework)), end="")


@summary_app.command("rebuild")
def summaries_rebuild(
    framework: str | None = typer.Option(None, "--framework", help="Only this ladder's cycles."),
) -> None:
    """Recompute every stored official result from the ratings (after a restore, say).

    Example: skillgrid summaries rebuild
    """
    from skillgrid.services.summaries import rebuild_summaries

    done = with_database(lambda uow: rebuild_summaries(uow, framework))
    out().print(f"Rebuilt {done:,} official result{'s' if done != 1 else ''}.")


@summary_app.command("check")
def summaries_check() -> None:
    """Compare every stored official result with a recomputation; exit 1 on a difference.

    Example: skillgrid summaries check
    """
    from skillgrid.cli.common import error_line, fail
    from skillgrid.services.summaries import check_summaries

    problems = with_database(check_summaries)
    for problem in problems[:50]:
        error_line(problem)
    if problems:
        fail(f"{len(problems)} stored results differ: run skillgrid summaries rebuild")
    out().print("Stored official results match a recomputation.")
