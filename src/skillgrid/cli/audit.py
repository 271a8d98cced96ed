"""``skillgrid audit list``: read the audit trail (who changed what, when, before → after)."""

from __future__ import annotations

import json

import typer

from skillgrid.cli.common import ACTING, AS_JSON, actor_as, out, run_service, with_database

audit_app = typer.Typer(
    rich_markup_mode=None,
    help="The audit trail: every change, who made it and when (read-only).",
    no_args_is_help=True,
)


@audit_app.command("list")
def audit_list(
    person: str | None = typer.Option(None, "--person", help="Entries about this person."),
    since: str | None = typer.Option(
        None, "--since", help="From this date (YYYY-MM-DD, UTC) or ISO date-time on."
    ),
    entity: str | None = typer.Option(
        None,
        "--entity",
        help="Only this kind: account, assessment, cycle, evidence, framework, person, "
        "scim_token, target, team, token, webhook.",
    ),
    entity_id: str | None = typer.Option(
        None, "--id", help="Only this object, e.g. ana@x.org/2026-H2/self or a ladder name."
    ),
    limit: int = typer.Option(100, "--limit", min=1, max=500, help="At most this many."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many (newest first)."),
    as_json: bool = AS_JSON,
    acting: str | None = ACTING,
) -> None:
    """List audit entries, newest first: time (UTC), actor, action, object, changed fields.

    Example: skillgrid audit list --person ana@example.com --since 2026-07-01 --json
    """
    from skillgrid.domain.audit import AuditQuery
    from skillgrid.services.audit import list_audit, parse_since

    actor = actor_as(acting)
    query = AuditQuery(
        person=person,
        entity=entity,
        entity_id=entity_id,
        since=run_service(lambda: parse_since(since)),
        limit=limit,
        offset=offset,
    )
    entries = with_database(lambda uow: list_audit(uow, actor, query))
    if as_json:
        print(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
        return
    from rich.markup import escape

    for entry in entries:
        when = entry.at.strftime("%Y-%m-%d %H:%M:%S") if entry.at else "?"
        change = json.dumps(entry.before, ensure_ascii=False) + " → "
        change += json.dumps(entry.after, ensure_ascii=False)
        out().print(
            f"{when} {escape(entry.actor)} {entry.action} {entry.entity} "
            f"{escape(entry.entity_id)}: {escape(change)}"
        )
    if not entries:
        out().print("No entries.")
