"""``skillgrid level``: what-if leveling from a ratings file, storing nothing."""

from __future__ import annotations

import json

import typer

from skillgrid.cli.common import read_input, with_database


def level(
    framework: str = typer.Option(..., "--framework", help="Ladder name, e.g. 'sre'."),
    ratings: str = typer.Option(
        ..., "--ratings", help="CSV with header criterion,rating[,reason]; - for stdin."
    ),
    policy: str | None = typer.Option(
        None,
        "--policy",
        help="strict, tolerance:K or points (default: the ladder's, strict unless set).",
    ),
    version: int | None = typer.Option(None, "--version", help="Ladder version (default: newest)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a report."),
) -> None:
    """Compute levels, gaps and progress from a ratings file, without storing anything.

    Criteria not listed count as not_yet; n/a needs a reason and counts as met. The JSON has
    policy, overall, tracks (key → level), gaps (criterion ids) and progress (key → fraction).

    Example: skillgrid level --framework sre --ratings me.csv --policy tolerance:1 --json
    """
    from skillgrid.services.leveling import what_if

    data = read_input(ratings)
    ladder, result = with_database(lambda uow: what_if(uow, framework, data, policy, version))
    if as_json:
        print(json.dumps(result.to_dict(), indent=2))
        return
    from skillgrid.cli.render import print_level_result

    print_level_result(ladder, result)
