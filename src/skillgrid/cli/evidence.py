"""``skillgrid evidence …``: add evidence, link it to criteria, list it, and suggest which
criteria a text (a brag document, a git history) demonstrates."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from skillgrid.cli.common import ACTING, AS_JSON, actor_as, out, settings, with_database

if TYPE_CHECKING:
    from skillgrid.domain.statements import Statement
    from skillgrid.services.suggestions import Suggestions

evidence_app = typer.Typer(
    rich_markup_mode=None,
    help="Evidence: add, link to criteria, list, suggest criteria for text.",
    no_args_is_help=True,
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

    actor = actor_as(acting)
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
    """Replace the criteria of one ladder an evidence item is linked to (links to other
    ladders' criteria stay).

    Example: skillgrid evidence link 12 --person ana@example.com -c SEC.3.3
    """
    from skillgrid.services.evidence import link_evidence

    actor = actor_as(acting)
    item = with_database(
        lambda uow: link_evidence(uow, actor, person, evidence_id, criterion, framework, version)
    )
    out().print(f"Evidence #{item.id} is linked to {len(item.criteria)} criteria.")


@evidence_app.command("list")
def evidence_list(
    person: str = typer.Option(..., "--person", help="Whose evidence (email)."),
    framework: str = FRAMEWORK,
    version: int | None = VERSION,
    as_json: bool = AS_JSON,
    acting: str | None = ACTING,
) -> None:
    """List a person's evidence, newest first, with the criterion ids it is linked to.

    Example: skillgrid evidence list --person ana@example.com --json
    """
    from rich.markup import escape

    from skillgrid.services.evidence import evidence_rows, list_evidence
    from skillgrid.services.frameworks import get_framework

    actor = actor_as(acting)
    items = with_database(lambda uow: list_evidence(uow, actor, person))
    ladder = with_database(lambda uow: get_framework(uow, framework, version))
    rows = evidence_rows(ladder, items)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        when = f" {row['date']}" if row["date"] else ""
        out().print(
            f"#{row['id']}{when} [{row['source']}] {escape(row['title'])}: "
            f"{', '.join(row['criteria']) or 'no criteria'}"
        )


TOP = typer.Option(3, "--top", min=1, max=10, help="Suggestions per statement (1-10).")
BACKEND = typer.Option(
    None, "--backend", help="auto, lexical, embedding or hybrid (default: the setting)."
)


@evidence_app.command("suggest")
def evidence_suggest(
    framework: str = FRAMEWORK,
    file: Path | None = typer.Option(None, "--file", help="A Markdown or text file."),
    text: str | None = typer.Option(None, "--text", help="The text itself."),
    top: int = TOP,
    version: int | None = VERSION,
    backend: str | None = BACKEND,
    as_json: bool = AS_JSON,
) -> None:
    """Suggest, for each statement of a text, the criteria it most likely evidences.

    Stores nothing: accept suggestions on the web page or through the API. A statement
    without a good match gets no suggestion.

    Example: skillgrid evidence suggest --framework sre --file brag.md --top 3 --json
    """
    from skillgrid.cli.common import run_service
    from skillgrid.services.suggestions import suggest

    body = run_service(lambda: _read_text(file, text))
    _print_suggestions(_suggested(suggest, framework, body, version, top, backend), as_json)


@evidence_app.command("from-git")
def evidence_from_git(
    path: Path = typer.Argument(Path("."), help="A git repository (folder)."),
    author: str | None = typer.Option(None, "--author", help="Only commits by this author."),
    since: str | None = typer.Option(None, "--since", help="Only commits since, e.g. 2026-01-01."),
    framework: str = FRAMEWORK,
    top: int = TOP,
    version: int | None = VERSION,
    backend: str | None = BACKEND,
    as_json: bool = AS_JSON,
) -> None:
    """Suggest criteria for each commit (subject and body) of a repository's history.

    Merges, fixup!/squash! commits and version bumps are left out. Stores nothing.

    Example: skillgrid evidence from-git ~/src/infra --author ana@example.com --since 2026-01-01
    """
    from skillgrid.cli.common import run_service
    from skillgrid.domain.statements import commit_statement
    from skillgrid.services.suggestions import suggest_statements
    from skillgrid.suggest.git import read_commits

    commits = run_service(lambda: read_commits(path, author, since))
    statements = [commit_statement(c) for c in commits]
    found = _suggested(suggest_statements, framework, statements, version, top, backend)
    _print_suggestions(found, as_json)


def _suggested(
    suggest: Callable[..., Suggestions],
    framework: str,
    given: str | list[Statement],
    version: int | None,
    top: int,
    backend: str | None,
) -> Suggestions:
    """``suggest`` (for a text, or for statements) as the settings say: their backend unless
    ``--backend`` is given, their cache folder, model and learning."""
    config = settings()
    return with_database(
        lambda uow: suggest(
            uow,
            framework,
            given,
            version=version,
            top=top,
            backend=backend or config.suggestion_backend,
            cache_dir=config.cache_dir,
            model=config.suggestion_model,
            learn=config.suggestion_learning,
        )
    )


def _read_text(file: Path | None, text: str | None) -> str:
    from skillgrid.domain.errors import InputError, Problem
    from skillgrid.services.suggestions import MAX_FILE

    if (file is None) == (text is None):
        raise InputError([Problem("give either --file or --text", "one source at a time")])
    if text is not None:
        return text
    assert file is not None
    try:
        if file.stat().st_size > MAX_FILE:
            over = f"{file} is over {MAX_FILE // 1024 // 1024} MB"
            raise InputError([Problem(over, "split it, or paste a part")])
        return file.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise InputError([Problem(f"{file}: {error.strerror}", "check the path")]) from None
    except UnicodeDecodeError:
        raise InputError([Problem(f"{file} is not UTF-8 text", "save it as UTF-8")]) from None


def _print_suggestions(found: Suggestions, as_json: bool) -> None:
    rows: list[dict[str, Any]] = [
        {
            "statement": item.statement.text,
            "suggestions": [{"criterion": s.criterion, "score": s.score} for s in item.suggestions],
        }
        for item in found.items
    ]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.markup import escape

    texts = {c.id: c.text for c in found.framework.criteria}
    for row in rows:
        out().print(f"• {escape(row['statement'])}")
        for s in row["suggestions"]:
            out().print(
                f"    {s['criterion']:<8} {s['score']:.2f}  {escape(texts[s['criterion']])}"
            )
        if not row["suggestions"]:
            out().print("    no good match")
    out().print(
        f"{len(rows)} statements; {found.framework.name} v{found.framework.version}, "
        f"{found.backend} scores (no good match below {found.threshold:.2f})."
    )
