"""``skillgrid evidence …``: add evidence, link it to criteria, list it."""

from __future__ import annotations

import json
from typing import Any

import typer

from skillgrid.cli.assessments import ACTING, _actor
from skillgrid.cli.common import out, with_database

evidence_app = typer.Typer(
    rich_markup_mode=None, help="Evidence: add, link to criteria, list.", no_args_is_help=True
)
FRAMEWORK = typer.Option("sre", "--framework", help="Ladder whose criterion ids are used.")
VERSION = typer.Option(None, "--version", help="Ladder version (default: newest).")


@evidence_app.command("add")
def evidence_add(
    title: str = typer.Argument(..., help="What it is, e.g. 'Postmortem: DNS outage'."),
    person: str = typer.Option(..., "--person", help="Whose evidence it is (email)."),
    criterion: list[str] = typer.Option([], "--criterion", "-c", help="Criterion id; repeat."),
    url: str | None = typer.Option(None, "--url", help="Link (http:// or https://)."),
    date: str | None = typer.Option(None, "--date", help="When, as YYYY-MM-DD."),
    text: str | None = typer.Option(None, "--text", help="Notes."),
    source: str = typer.Option("manual", "--source", help="manual, postmortem, talk, git, …"),
    framework: str = FRAMEWORK,
    version: int | None = VERSION,
    acting: str | None = ACTING,
) -> None:
    """Add an evidence item and link it to criteria.

    Example: skillgrid evidence add "DNS outage postmortem" --person ana@x.org -c NET.2.1
    --source postmortem
    """
    from skillgrid.domain.evidence import Evidence
    from skillgrid.services.evidence import add_evidence, parse_date

    actor = _actor(acting)
    from skillgrid.cli.common import run_service

    item = Evidence(person, title, url, run_service(lambda: parse_date(date)), text, source)
    stored = with_database(
        lambda uow: add_evidence(uow, actor, item, criterion, framework, version)
    )
    out().print(f"Added evidence #{stored.id} linked to {len(stored.criteria)} criteria.")


@evidence_app.command("link")
def evidence_link(
    evidence_id: int = typer.Argument(..., help="Evidence number (see `evidence list`)."),
    person: str = typer.Option(..., "--person", help="Whose evidence it is (email)."),
    criterion: list[str] = typer.Option([], "--criterion", "-c", help="Criterion id; repeat."),
    framework: str = FRAMEWORK,
    version: int | None = VERSION,
    acting: str | None = ACTING,
) -> None:
    """Replace the criteria an evidence item is linked to.

    Example: skillgrid evidence link 12 --person ana@example.com -c SEC.3.3
    """
    from skillgrid.services.evidence import link_evidence

    actor = _actor(acting)
    item = with_database(
        lambda uow: link_evidence(uow, actor, person, evidence_id, criterion, framework, version)
    )
    out().print(f"Evidence #{item.id} is linked to {len(item.criteria)} criteria.")


@evidence_app.command("list")
def evidence_list(
    person: str = typer.Option(..., "--person", help="Whose evidence (email)."),
    framework: str = FRAMEWORK,
    version: int | None = VERSION,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    acting: str | None = ACTING,
) -> None:
    """List a person's evidence, newest first, with the criterion ids it is linked to.

    Example: skillgrid evidence list --person ana@example.com --json
    """
    from rich.markup import escape

    from skillgrid.services.evidence import criterion_ids, list_evidence
    from skillgrid.services.frameworks import get_framework

    actor = _actor(acting)
    items = with_database(lambda uow: list_evidence(uow, actor, person))
    ladder = with_database(lambda uow: get_framework(uow, framework, version))
    rows: list[dict[str, Any]] = [
        {
            "id": e.id,
            "title": e.title,
            "url": e.url,
            "source": e.source,
            "date": e.date.isoformat() if e.date else None,
            "text": e.text,
            "criteria": criterion_ids(ladder, e),
        }
        for e in items
    ]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        when = f" {row['date']}" if row["date"] else ""
        out().print(
            f"#{row['id']}{when} [{row['source']}] {escape(row['title'])}: "
            f"{', '.join(row['criteria']) or 'no criteria'}"
        )
