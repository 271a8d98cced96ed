"""``skillgrid cycle …``, ``skillgrid assess …`` and ``skillgrid report person``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from skillgrid.cli.common import (
    ACTING,
    AS_JSON,
    actor_as,
    fail,
    out,
    read_input,
    with_database,
    write_output,
)
from skillgrid.domain.assessments import OPERATOR

cycle_app = typer.Typer(
    rich_markup_mode=None,
    help="Review cycles: open, close, list, due dates.",
    no_args_is_help=True,
)
assess_app = typer.Typer(
    rich_markup_mode=None,
    help="Assessments: import and export ratings, submit, finalize, show.",
    no_args_is_help=True,
)
report_app = typer.Typer(rich_markup_mode=None, help="Reports.", no_args_is_help=True)

PERSON = typer.Option(..., "--person", help="Email of the person assessed.")
CYCLE = typer.Option(..., "--cycle", help="Cycle name, e.g. 2026-H2.")
RATER = typer.Option("self", "--rater", help="self, manager or a peer's email.")
OFFICIAL_RATER = typer.Option("manager", "--rater", help="Usually manager (the official one).")


class ReportFormat(StrEnum):
    md = "md"
    json = "json"
    html = "html"
    pdf = "pdf"


def _due_option(step: str) -> Any:
    return typer.Option(
        None, f"--{step}-due", help=f"When the {step} step is due, YYYY-MM-DD (none: no date)."
    )


SELF_DUE, MANAGER_DUE = _due_option("self"), _due_option("manager")
CALIBRATION_DUE, CLOSE_DUE = _due_option("calibration"), _due_option("close")


def _due_dates(**given: str | None) -> dict[str, dt.date | None]:
    """The due dates given on the command line, by step (``none`` clears one)."""
    dates: dict[str, dt.date | None] = {}
    for step, value in given.items():
        if value is None:
            continue
        if value.strip().lower() == "none":
            dates[step] = None
            continue
        try:
            dates[step] = dt.date.fromisoformat(value.strip())
        except ValueError:
            fail(f"--{step}-due {value}: give a date as YYYY-MM-DD (or none to clear it)")
    return dates


def _due_text(due: dict[str, str | None]) -> str:
    return ", ".join(f"{step} {day}" for step, day in due.items() if day) or "no due dates"


@cycle_app.command("open")
def cycle_open(
    name: str = typer.Argument(..., help="Cycle name, e.g. 2026-H2."),
    framework: str = typer.Option(..., "--framework", help="Ladder name."),
    version: int | None = typer.Option(None, "--version", help="Ladder version (default: newest)."),
    self_due: str | None = SELF_DUE,
    manager_due: str | None = MANAGER_DUE,
    calibration_due: str | None = CALIBRATION_DUE,
    close_due: str | None = CLOSE_DUE,
) -> None:
    """Open a review cycle pinned to one version of a ladder, with due dates if given.

    Example: skillgrid cycle open 2026-H2 --framework sre --close-due 2026-07-31
    """
    from skillgrid.domain.assessments import DueDates
    from skillgrid.services.cycles import open_cycle

    given = _due_dates(
        self=self_due, manager=manager_due, calibration=calibration_due, close=close_due
    )
    cycle = with_database(
        lambda uow: open_cycle(
            uow, name, framework, version, actor=OPERATOR, due=DueDates.of(given)
        )
    )
    out().print(
        f"Opened cycle {cycle.name} on {cycle.framework} v{cycle.version} "
        f"({_due_text(cycle.due.as_dict())})."
    )


@cycle_app.command("due")
def cycle_due(
    name: str = typer.Argument(..., help="Cycle name."),
    self_due: str | None = SELF_DUE,
    manager_due: str | None = MANAGER_DUE,
    calibration_due: str | None = CALIBRATION_DUE,
    close_due: str | None = CLOSE_DUE,
) -> None:
    """Change a cycle's due dates: the steps named change (none clears one), others stay.

    Example: skillgrid cycle due 2026-H2 --manager-due 2026-07-15 --calibration-due none
    """
    from skillgrid.services.cycles import set_due_dates

    given = _due_dates(
        self=self_due, manager=manager_due, calibration=calibration_due, close=close_due
    )
    cycle = with_database(lambda uow: set_due_dates(uow, name, given, actor=OPERATOR))
    out().print(f"Cycle {cycle.name}: {_due_text(cycle.due.as_dict())}.")


@cycle_app.command("close")
def cycle_close(name: str = typer.Argument(..., help="Cycle name.")) -> None:
    """Close a cycle: no more ratings; finalized results stay.

    Example: skillgrid cycle close 2026-H2
    """
    from skillgrid.services.cycles import set_cycle_open

    with_database(lambda uow: set_cycle_open(uow, name, False, actor=OPERATOR))
    out().print(f"Closed cycle {name}.")


@cycle_app.command("reopen")
def cycle_reopen(name: str = typer.Argument(..., help="Cycle name.")) -> None:
    """Open a closed cycle again, so ratings can change (finalized ones stay read-only).

    Example: skillgrid cycle reopen 2026-H2
    """
    from skillgrid.services.cycles import set_cycle_open

    with_database(lambda uow: set_cycle_open(uow, name, True, actor=OPERATOR))
    out().print(f"Reopened cycle {name}.")


@cycle_app.command("list")
def cycle_list(as_json: bool = AS_JSON) -> None:
    """List cycles, oldest first: ladder version, open or closed, due dates.

    Example: skillgrid cycle list --json
    """
    from skillgrid.services.cycles import list_cycles

    cycles = with_database(list_cycles)
    rows: list[dict[str, Any]] = [c.to_dict() for c in cycles]
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        state = "open" if row["open"] else "closed"
        due = f"  due: {_due_text(row['due'])}" if any(row["due"].values()) else ""
        out().print(f"{row['name']}  {row['framework']} v{row['version']}  {state}{due}")


@assess_app.command("import")
def assess_import(
    path: str = typer.Argument(..., help="CSV: criterion,rating[,reason][,comment]; - for stdin."),
    person: str = PERSON,
    cycle: str = CYCLE,
    rater: str = RATER,
    acting: str | None = ACTING,
) -> None:
    """Replace an assessment's ratings with a CSV file (criteria not listed: not rated).

    Example: skillgrid assess import me.csv --person ana@example.com --cycle 2026-H2 --rater self
    """
    from skillgrid.services.assessment_files import import_ratings

    data, source = read_input(path)
    actor = actor_as(acting)
    saved = with_database(
        lambda uow: import_ratings(uow, actor, person, cycle, rater, data, source)
    )
    out().print(
        f"Stored {len(saved.entries)} ratings ({saved.rater}, {saved.state.value}, "
        f"revision {saved.revision})."
    )


@assess_app.command("invite")
def assess_invite(
    person: str = PERSON,
    cycle: str = CYCLE,
    peer: str = typer.Option(..., "--peer", help="Email of the colleague asked to review."),
    acting: str | None = ACTING,
) -> None:
    """Ask a colleague for a peer review (by the person, their managers or an admin); only
    an invited peer may rate.

    Example: skillgrid assess invite --person ana@x.org --cycle 2026-H2 --peer cy@x.org
    """
    from skillgrid.services.assessments import invite_peer

    actor = actor_as(acting)
    invited = with_database(lambda uow: invite_peer(uow, actor, person, cycle, peer))
    out().print(f"Invited {invited.rater} to review {invited.person} in {invited.cycle}.")


@assess_app.command("export")
def assess_export(
    person: str = PERSON, cycle: str = CYCLE, rater: str = RATER, acting: str | None = ACTING
) -> None:
    """Print an assessment's ratings as the CSV that `assess import` reads.

    Example: skillgrid assess export --person ana@example.com --cycle 2026-H2 --rater manager
    """
    from skillgrid.services.assessment_files import export_ratings

    actor = actor_as(acting)
    sys.stdout.write(with_database(lambda uow: export_ratings(uow, actor, person, cycle, rater)))


@assess_app.command("submit")
def assess_submit(
    person: str = PERSON, cycle: str = CYCLE, rater: str = RATER, acting: str | None = ACTING
) -> None:
    """Submit an assessment (draft → submitted), by its author or an admin.

    Example: skillgrid assess submit --person ana@example.com --cycle 2026-H2 --rater self
    """
    from skillgrid.services.assessments import submit

    actor = actor_as(acting)
    saved = with_database(lambda uow: submit(uow, actor, person, cycle, rater))
    out().print(f"Submitted the {saved.rater} assessment of {saved.person} in {saved.cycle}.")


@assess_app.command("finalize")
def assess_finalize(
    person: str = PERSON,
    cycle: str = CYCLE,
    rater: str = OFFICIAL_RATER,
    acting: str | None = ACTING,
) -> None:
    """Finalize an assessment (submitted → finalized, read-only): the person's manager or an
    admin only. The finalized manager assessment is the official result.

    Example: skillgrid assess finalize --person ana@example.com --cycle 2026-H2 --as bo@example.com
    """
    from skillgrid.services.assessments import finalize

    actor = actor_as(acting)
    saved = with_database(lambda uow: finalize(uow, actor, person, cycle, rater))
    out().print(f"Finalized the {saved.rater} assessment of {saved.person} in {saved.cycle}.")


@assess_app.command("reopen")
def assess_reopen(
    person: str = PERSON,
    cycle: str = CYCLE,
    rater: str = OFFICIAL_RATER,
    acting: str | None = ACTING,
) -> None:
    """Take a finalized assessment back to submitted to correct it (admins only). A reopened
    manager assessment is no longer the official result until it is finalized again.

    Example: skillgrid assess reopen --person ana@example.com --cycle 2026-H2
    """
    from skillgrid.services.assessments import reopen

    actor = actor_as(acting)
    saved = with_database(lambda uow: reopen(uow, actor, person, cycle, rater))
    out().print(f"Reopened the {saved.rater} assessment of {saved.person} in {saved.cycle}.")


@report_app.command("person")
def report_person(
    email: str = typer.Argument(..., help="Email of the person."),
    cycle: str | None = typer.Option(None, "--cycle", help="Cycle (default: the latest result)."),
    report_format: ReportFormat = typer.Option(
        ReportFormat.md, "--format", help="md, json, html or pdf (a printable promotion packet)."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file (required for pdf)."
    ),
    policy: str | None = typer.Option(None, "--policy", help="strict, tolerance:K or points."),
    acting: str | None = ACTING,
) -> None:
    """A person's official result: levels and the rule, gaps to the next level, self and peer
    ratings beside the manager's with differences flagged, change since the last cycle.

    Example: skillgrid report person ana@example.com --cycle 2026-H2 --format json
    """
    from skillgrid.reports import person as render
    from skillgrid.services.people import actor_for
    from skillgrid.services.results import person_report

    if report_format is ReportFormat.pdf and output is None:
        fail("pdf is binary: give --output FILE")
    report = with_database(
        lambda uow: person_report(uow, actor_for(uow, acting), email, cycle, policy)
    )
    if report_format is ReportFormat.pdf:
        data = render.report_pdf(report)
    elif report_format is ReportFormat.json:
        data = (
            json.dumps(render.report_data(report), ensure_ascii=False, indent=2) + "\n"
        ).encode()
    elif report_format is ReportFormat.html:
        data = render.report_html(report).encode()
    else:
        data = render.report_markdown(report).encode()
    write_output(data, output)


@cycle_app.command("move")
def cycle_move(
    name: str = typer.Argument(..., help="Cycle name."),
    version: int | None = typer.Option(None, "--version", help="Ladder version (default: newest)."),
) -> None:
    """Move an open cycle to a newer version of its ladder: ratings of unchanged criteria carry
    over, reworded or moved ones carry over flagged for re-rating, removed ones are archived.

    Example: skillgrid cycle move 2026-H2
    """
    from skillgrid.services.cycles import move_cycle

    moved = with_database(lambda uow: move_cycle(uow, name, version, actor=OPERATOR))
    out().print(
        f"Moved {moved.cycle} from v{moved.from_version} to v{moved.to_version}: "
        f"{moved.assessments} assessments, {moved.carried} ratings carried over, "
        f"{len(moved.to_review)} to re-rate (reworded or moved), "
        f"{moved.archived} archived (removed)."
    )
    for person, rater, criterion in moved.to_review:
        out().print(f"  re-rate {criterion}: {rater} assessment of {person}")
