"""How commands print: Rich tables for people, plain data for ``--json``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from skillgrid.cli.common import out

if TYPE_CHECKING:
    from rich.console import Console

    from skillgrid.domain.diff import FrameworkDiff
    from skillgrid.domain.framework import Framework, VersionInfo
    from skillgrid.domain.leveling import LevelResult
    from skillgrid.importers import ImportResult
    from skillgrid.services.frameworks import ImportOutcome
    from skillgrid.services.people_sync import SyncOutcome


def _shape(framework: Framework) -> str:
    empty = len(framework.empty_cells())
    return (
        f"{len(framework.levels)} levels × {len(framework.tracks)} tracks, "
        f"{len(framework.criteria)} criteria, {empty} empty cell{'s' if empty != 1 else ''}"
    )


def print_warnings(result: ImportResult) -> None:
    from skillgrid.cli.common import err

    for warning in result.warnings:
        err().print(f"[yellow]warning:[/yellow] {escape(warning)}", soft_wrap=True)


def print_summary(result: ImportResult) -> None:
    print_warnings(result)
    framework = result.framework
    how = f"read as {result.format.value}"
    if result.split:
        how += f", cells split by {result.split.value}, levels as {result.levels_as}"
    out().print(f"{escape(framework.title or '(no title)')}: {_shape(framework)} ({how}).")


def print_split(result: ImportResult) -> None:
    """The dry run: every cell and the criteria it was split into, for a person to check."""
    framework = result.framework
    for track in framework.tracks:
        out().rule(f"[bold]{escape(track.name)}[/bold] [dim]{track.key}[/dim]")
        for level in framework.levels:
            items = framework.cell(track.key, level.number)
            label = f"level {level.number}" + (f" — {level.title}" if level.title else "")
            count = f"{len(items)} criteri{'a' if len(items) != 1 else 'on'}"
            out().print(f"[bold]{escape(label)}[/bold] [dim]({count})[/dim]")
            for criterion in items:
                out().print(f"  [cyan]{criterion.id}[/cyan] {escape(criterion.text)}")
    print_summary(result)


def print_import_outcome(outcome: ImportOutcome, *, dry_run: bool = False) -> None:
    framework = outcome.framework
    name = escape(framework.name)
    if not dry_run:
        print_warnings(outcome.read)
    if not outcome.stored and not dry_run:
        out().print(
            f"No change: ladder '{name}' is already at version {framework.version} "
            "with this content."
        )
        return
    if dry_run:
        if outcome.previous_version is not None and outcome.diff is None:
            out().print(
                f"Dry run: unchanged from '{name}' version {outcome.previous_version}; "
                "nothing would be stored."
            )
            return
        target = f"version {(outcome.previous_version or 0) + 1}"
        out().print(f"Dry run: importing would store '{name}' {target}; nothing was stored.")
    else:
        out().print(f"Imported ladder '{name}' version {framework.version}: {_shape(framework)}.")
    if outcome.diff is not None:
        counts = ", ".join(
            f"{n} {kind.replace('_', '+')}" for kind, n in outcome.diff.counts().items() if n
        )
        out().print(
            f"Changes since version {outcome.previous_version}: "
            f"{counts or 'tracks or levels only'}."
        )


def versions_json(infos: list[VersionInfo]) -> list[dict[str, object]]:
    return [info.to_dict() for info in infos]


def print_versions(infos: list[VersionInfo], empty_message: str) -> None:
    if not infos:
        out().print(empty_message)
        return
    table = Table("Name", "Version", "Title", "Levels", "Tracks", "Criteria", "Source", "Imported")
    for info in infos:
        table.add_row(
            escape(info.name),
            str(info.version),
            escape(info.title or ""),
            str(info.levels),
            str(info.tracks),
            str(info.criteria),
            escape(info.source or ""),
            info.created_at.strftime("%Y-%m-%d %H:%M") if info.created_at else "",
        )
    out().print(table)


def print_framework(framework: Framework, only_track: str | None = None) -> None:
    tracks = [
        t
        for t in framework.tracks
        if only_track is None or only_track.casefold() in (t.key.casefold(), t.name.casefold())
    ]
    if not tracks:
        keys = ", ".join(t.key for t in framework.tracks)
        out().print(f"No track {escape(only_track or '')!r}; tracks: {keys}")
        raise SystemExit(1)
    out().print(
        f"[bold]{escape(framework.title or framework.name)}[/bold] — '{escape(framework.name)}' "
        f"version {framework.version}: {_shape(framework)}"
    )
    for track in tracks:
        table = Table(
            title=f"{escape(track.name)} ({track.key})",
            title_justify="left",
            show_lines=True,
            expand=True,
        )
        table.add_column("Level", no_wrap=True)
        table.add_column("Id", no_wrap=True, style="cyan")
        table.add_column("Criterion", ratio=1)
        for level in framework.levels:
            items = framework.cell(track.key, level.number)
            label = level.label if level.title is None else f"{level.number} {level.title}"
            if not items:
                table.add_row(escape(label), "", "[dim]nothing more at this level[/dim]")
            for i, criterion in enumerate(items):
                table.add_row(escape(label) if i == 0 else "", criterion.id, escape(criterion.text))
        out().print(table)


def print_diff(diff: FrameworkDiff) -> None:
    from skillgrid.domain.matching import Change

    console = out()
    console.print(
        f"[bold]--- {escape(diff.old_label)}[/bold]\n[bold]+++ {escape(diff.new_label)}[/bold]"
    )
    if diff.is_empty:
        console.print("No differences.")
        return
    if diff.title:
        console.print(f"title: {escape(str(diff.title[0]))} → {escape(str(diff.title[1]))}")
    for level in diff.levels_added:
        console.print(f"[green]+ level {level.number} {escape(level.title or '')}[/green]")
    for level in diff.levels_removed:
        console.print(f"[red]- level {level.number} {escape(level.title or '')}[/red]")
    for old_level, new_level in diff.levels_renamed:
        console.print(
            f"[yellow]~ level {old_level.number}: {escape(old_level.label)} → "
            f"{escape(new_level.label)}[/yellow]"
        )
    for track in diff.tracks_added:
        console.print(f"[green]+ track {track.key} {escape(track.name)}[/green]")
    for track in diff.tracks_removed:
        console.print(f"[red]- track {track.key} {escape(track.name)}[/red]")
    for a, b in diff.tracks_renamed:
        console.print(
            f"[yellow]~ track {a.key} {escape(a.name)} → {b.key} {escape(b.name)}[/yellow]"
        )
    for a, b in diff.tracks_described:
        console.print(
            f"[yellow]~ track {b.key} description: {escape(str(a.description))} → "
            f"{escape(str(b.description))}[/yellow]"
        )
    for change in diff.criteria:
        old, new = change.old, change.new
        if change.kind is Change.ADDED and new:
            console.print(f"[green]+ {new.id}[/green] {escape(new.text)}")
        elif change.kind is Change.REMOVED and old:
            console.print(f"[red]- {old.id}[/red] {escape(old.text)}")
        elif old and new:
            label = change.kind.value.replace("_", "+")
            console.print(f"[yellow]~ {old.id} → {new.id}[/yellow] ({label})")
            if old.text != new.text:
                console.print(
                    f"    [red]- {escape(old.text)}[/red]\n    [green]+ {escape(new.text)}[/green]"
                )
    _print_examples_changed(console, diff)
    counts = ", ".join(f"{n} {kind.replace('_', '+')}" for kind, n in diff.counts().items() if n)
    console.print(f"Criteria: {counts or 'no change'}.")


def _print_examples_changed(console: Console, diff: FrameworkDiff) -> None:
    """Per criterion whose examples changed: the lines gone and the lines new."""
    for change in diff.examples_changed:
        if change.old and change.new:
            console.print(f"[yellow]~ {change.new.id} examples[/yellow]")
            for line in sorted(set(change.old.examples) - set(change.new.examples)):
                console.print(f"    [red]- {escape(line)}[/red]")
            for line in sorted(set(change.new.examples) - set(change.old.examples)):
                console.print(f"    [green]+ {escape(line)}[/green]")


def print_level_result(framework: Framework, result: LevelResult) -> None:
    """Levels per track, the overall level and the rule, then the gaps to the next level."""
    console = out()
    names = {track.key: track.name for track in framework.tracks}
    labels = {
        key: name if name.endswith(f"({key})") else f"{name} ({key})" for key, name in names.items()
    }
    table = Table("Track", "Level", "Progress to next", title=f"Rule: {result.policy}")
    for key, reached in result.tracks.items():
        table.add_row(escape(labels[key]), str(reached), f"{result.progress[key]:.0%}")
    console.print(table)
    points = f" ({result.points} points)" if result.points is not None else ""
    console.print(f"[bold]Overall level {result.overall}[/bold] of {result.top}{points}.")
    if result.next_level is None:
        console.print("Top of the ladder: no next level.")
        return
    count = len(result.gap_ids)
    noun = "criterion" if count == 1 else "criteria"
    console.print(f"To reach level {result.next_level}: {count} {noun} not yet met.")
    for key, ids in result.gaps.items():
        console.print(f"[bold]{escape(names[key])}[/bold]")
        for criterion_id in ids:
            text = framework.criterion(criterion_id).text
            console.print(f"  [cyan]{criterion_id}[/cyan] {escape(text)}")
    if result.not_applicable:
        console.print(f"Counted as met (n/a): {', '.join(result.not_applicable)}")


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "—" if value is None else escape(str(value))


def print_sync(outcome: SyncOutcome) -> None:
    """What ``person sync`` did or, on a dry run, would do: a table of each kind of change,
    then one line of counts."""
    from skillgrid.services.people_sync import KEPT_REASON

    plan = outcome.plan
    if plan.added:
        added = Table("Email", "Name", "Team", "Manager", "Role", title="Added")
        for p in plan.added:
            added.add_row(*map(_shown, (p.email, p.name, p.team, p.manager, p.role.value)))
        out().print(added)
    if plan.changed:
        changed = Table("Email", "Field", "Was", "Becomes", title="Changed")
        for change in plan.changed:
            for n, field in enumerate(change.fields):
                email = _shown(change.person.email) if n == 0 else ""
                changed.add_row(email, field.field, _shown(field.old), _shown(field.new))
        out().print(changed)
    if plan.deactivated:
        gone = Table("Email", "Name", "Team", title="Deactivated (not in the file)")
        for p in plan.deactivated:
            gone.add_row(*map(_shown, (p.email, p.name, p.team)))
        out().print(gone)
    for email in plan.kept:
        out().print(f"Kept active: {escape(email)} — {KEPT_REASON}.", soft_wrap=True)
    reactivated = f" ({len(plan.reactivated)} reactivated)" if plan.reactivated else ""
    teams = f"; teams created: {', '.join(plan.teams_created)}" if plan.teams_created else ""
    verbs = (
        ("Added", "changed", "deactivated")
        if outcome.applied
        else ("Would add", "change", "deactivate")
    )
    out().print(
        f"{verbs[0]} {len(plan.added)}, {verbs[1]} {len(plan.changed)}{reactivated}, "
        f"{verbs[2]} {len(plan.deactivated)}; {plan.unchanged} unchanged{escape(teams)}.",
        soft_wrap=True,
    )
    if not outcome.applied:
        out().print("Dry run: nothing was changed.")
    if plan.refused:
        from skillgrid.cli.common import error_line

        error_line(f"a real run would be refused: {plan.refused}")
