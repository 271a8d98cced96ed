"""The ``skillgrid`` command: a thin skin over the services (parse, call one service, print).

Heavy libraries (SQLAlchemy, openpyxl, Jinja2, Alembic) are imported inside the commands
that need them, so ``skillgrid --help`` starts about as fast as Typer itself.
"""

from __future__ import annotations

import typer

from skillgrid.cli import (
    assessments,
    audit,
    evidence,
    frameworks,
    insight,
    leveling,
    notify,
    operations,
    people,
    scim,
    web,
    webhooks,
)
from skillgrid.domain.assessments import OPERATOR

app = typer.Typer(
    name="skillgrid",
    help="SkillGrid: run an engineering career ladder — import, version, diff and export it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: Typer's Rich help costs 80 ms of imports per call
)
app.add_typer(frameworks.app, name="framework")
app.add_typer(people.person_app, name="person")
app.add_typer(people.team_app, name="team")
app.add_typer(assessments.cycle_app, name="cycle")
app.add_typer(assessments.assess_app, name="assess")
app.add_typer(assessments.report_app, name="report")
app.add_typer(evidence.evidence_app, name="evidence")
app.add_typer(insight.target_app, name="target")
app.add_typer(insight.summary_app, name="summaries")
app.add_typer(web.user_app, name="user")
app.add_typer(audit.audit_app, name="audit")
app.add_typer(scim.scim_app, name="scim")
app.add_typer(notify.notify_app, name="notify")
app.add_typer(webhooks.webhook_app, name="webhook")
app.command("level")(leveling.level)
app.command("serve")(web.serve)
app.command("demo")(web.demo)
app.command("export-all")(operations.export_all)
app.command("import-all")(operations.import_all)
app.command("backup")(operations.backup)
app.command("restore")(operations.restore)


@app.command()
def init(
    ladder: str = typer.Option("sre", help="Built-in ladder to import."),
) -> None:
    """Create the database (or bring it up to date) and import the built-in SRE ladder.

    Safe to run again: an unchanged ladder is not imported twice.

    Example: skillgrid init
    """
    from skillgrid.cli.common import database_location, out, with_database
    from skillgrid.cli.render import print_import_outcome
    from skillgrid.services.frameworks import install_builtin

    outcome = with_database(lambda uow: install_builtin(uow, ladder, actor=OPERATOR))
    out().print(f"Database: {database_location()}")
    print_import_outcome(outcome)


def main() -> None:
    """Entry point of the ``skillgrid`` console script."""
    app()
