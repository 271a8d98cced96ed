"""Ladder use cases: import (a new version only when the content changed), validate, list,
show, diff and export.

Reading a stored ladder is part of every report, so importing this module stays cheap: the
importers, exporters, diff, matching and audit machinery are imported by the use cases that
use them (``skillgrid report person`` must start fast).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from skillgrid.domain.assessments import Actor
from skillgrid.domain.errors import Conflict, NotFound
from skillgrid.domain.framework import Framework, VersionInfo, check_ladder_name
from skillgrid.domain.policies import Points, Policy, policy_settings
from skillgrid.services.permissions import require_admin
from skillgrid.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from skillgrid.domain.diff import FrameworkDiff
    from skillgrid.exporters import ExportFormat
    from skillgrid.importers import ImportOptions, ImportResult

BUILTIN_LADDERS = {"sre": "sre.tsv"}


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: ``stored`` is False when nothing changed (or on a dry run)."""

    framework: Framework
    read: ImportResult
    stored: bool
    previous_version: int | None
    diff: FrameworkDiff | None


def import_framework(
    uow: UnitOfWork,
    data: bytes,
    source: str,
    name: str,
    options: ImportOptions | None = None,
    *,
    dry_run: bool = False,
    after: int | None = None,
    actor: Actor,
) -> ImportOutcome:
    """Store the ladder in ``data`` as the next version of ``name`` when its content differs
    from the newest version; criteria that survive keep their identity. ``after``: the
    version a preview compared the file with (0: no version yet); when another is newest
    now, nothing is stored (storing would undo what came in between, unseen)."""
    require_admin(actor, "import ladders")
    check_ladder_name(name)
    from skillgrid.domain.diff import diff_frameworks
    from skillgrid.importers import ImportOptions, read_ladder
    from skillgrid.services.audit import record

    options = options or ImportOptions()
    with uow if dry_run else uow.write():  # a preview stores nothing: no write lock
        previous = uow.frameworks.latest(name)
        newest = previous.version if previous else 0
        if after is not None and newest != after:
            raise Conflict(
                f"{name} is at version {newest} now, stored since the preview "
                f"against version {after}: preview the file again to see what storing it "
                "would change"
            )
        if previous is not None and not options.known_keys:
            known = {track.name: track.key for track in previous.tracks}
            options = replace(options, known_keys=known)
        read = read_ladder(data, source, options)
        framework = read.framework.renamed(name)
        if previous is not None and previous.same_content(framework):
            return ImportOutcome(previous, read, False, previous.version, None)
        diff = None
        changes: dict[int, str] = {}
        if previous is not None:
            framework, changes = _carry_identities(previous, framework)
            diff = diff_frameworks(previous, framework, f"v{previous.version}", "new")
        if dry_run:
            return ImportOutcome(framework, read, False, _version(previous), diff)
        stored = uow.frameworks.add(framework, changes, source, read.format.value)
        record(
            uow,
            actor,
            "import",
            "framework",
            name,
            before={"version": previous.version} if previous else None,
            after={
                "version": stored.version,
                "source": source,
                "format": read.format.value,
                "criteria": len(stored.criteria),
                "changes": _counts(changes),
            },
        )
        uow.commit()
    return ImportOutcome(stored, read, True, _version(previous), diff)


def _counts(changes: dict[int, str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for kind in changes.values():
        counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items()))


def _version(framework: Framework | None) -> int | None:
    return framework.version if framework else None


def _carry_identities(previous: Framework, new: Framework) -> tuple[Framework, dict[int, str]]:
    """Give each surviving criterion its earlier uid; say how each one changed."""
    from skillgrid.domain.matching import match_criteria

    criteria = list(new.criteria)
    changes: dict[int, str] = {}
    for index, change in enumerate(match_criteria(previous, new)):
        if change.new is None:
            break  # removed criteria come last
        if change.old is not None:
            criteria[index] = replace(change.new, uid=change.old.uid)
        changes[index] = change.kind.value
    return replace(new, criteria=tuple(criteria)), changes


MAX_EXAMPLES = 100  # per criterion, as the ladder schema allows
MAX_EXAMPLE_CHARS = 1000


def set_examples(
    uow: UnitOfWork, name: str, criterion_id: str, examples: Sequence[str], *, actor: Actor
) -> Framework:
    """Store the next version of ``name`` in which criterion ``criterion_id`` of the newest
    version has ``examples`` (blank lines dropped, spaces collapsed); identities carry over.
    Nothing is stored when they are the same."""
    require_admin(actor, "edit criterion examples")
    from skillgrid.domain.errors import InputError, Problem
    from skillgrid.services.audit import record

    lines = tuple(" ".join(line.split()) for line in examples if line.strip())
    problems = [
        Problem(
            f"example {n} has {len(line):,} characters",
            f"keep each to {MAX_EXAMPLE_CHARS:,} characters",
        )
        for n, line in enumerate(lines, 1)
        if len(line) > MAX_EXAMPLE_CHARS
    ]
    if len(lines) > MAX_EXAMPLES:
        problems.append(Problem(f"{len(lines)} examples", f"give at most {MAX_EXAMPLES}"))
    if problems:
        raise InputError(problems)
    with uow.write():
        latest = get_framework_in(uow, name, None)
        try:
            old = latest.criterion(criterion_id).examples
        except KeyError:
            raise NotFound(f"{name} v{latest.version} has no criterion {criterion_id}") from None
        if old == lines:
            return latest
        edited = replace(
            latest,
            version=None,
            criteria=tuple(
                replace(c, examples=lines) if c.id == criterion_id else c for c in latest.criteria
            ),
        )
        framework, changes = _carry_identities(latest, edited)
        stored = uow.frameworks.add(framework, changes, "web", "examples")
        record(
            uow,
            actor,
            "edit examples",
            "framework",
            name,
            before={"version": latest.version, "criterion": criterion_id, "examples": list(old)},
            after={"version": stored.version, "criterion": criterion_id, "examples": list(lines)},
        )
        uow.commit()
    return stored


def install_builtin(uow: UnitOfWork, name: str = "sre", *, actor: Actor) -> ImportOutcome:
    """Import a ladder that ships with SkillGrid (``sre``); a no-op when already current."""
    require_admin(actor, "install ladders")
    if name not in BUILTIN_LADDERS:
        raise NotFound(f"no built-in ladder {name!r}; built in: {', '.join(BUILTIN_LADDERS)}")
    from importlib import resources

    filename = BUILTIN_LADDERS[name]
    data = resources.files("skillgrid.data").joinpath(filename).read_bytes()
    return import_framework(uow, data, filename, name, actor=actor)


def list_frameworks(uow: UnitOfWork) -> list[VersionInfo]:
    """The newest version of every stored ladder."""
    with uow:
        return uow.frameworks.latest_versions()


def list_versions(uow: UnitOfWork, name: str) -> list[VersionInfo]:
    """Every stored version of one ladder, oldest first."""
    with uow:
        versions = uow.frameworks.versions(name)
        if not versions:
            raise _not_found(uow, name, None)
        return versions


def get_framework(uow: UnitOfWork, name: str, version: int | None = None) -> Framework:
    """One stored version (the newest by default)."""
    with uow:
        return get_framework_in(uow, name, version)


def get_framework_in(uow: UnitOfWork, name: str, version: int | None) -> Framework:
    """A stored version, inside a unit of work the caller has opened."""
    framework = uow.frameworks.get(name, version)
    if framework is None:
        raise _not_found(uow, name, version)
    return framework


def diff_versions(uow: UnitOfWork, name: str, old: int, new: int | None = None) -> FrameworkDiff:
    """What changed from version ``old`` to version ``new`` (the newest by default)."""
    from skillgrid.domain.diff import diff_frameworks

    with uow:
        before, after = get_framework_in(uow, name, old), get_framework_in(uow, name, new)
    return diff_frameworks(before, after, f"{name} v{before.version}", f"{name} v{after.version}")


@dataclass(frozen=True)
class StoredLadder:
    """A diff side: a stored version (the newest when ``version`` is None)."""

    name: str
    version: int | None = None


@dataclass(frozen=True)
class LadderFile:
    """A diff side: a file's bytes and the name to show for it."""

    data: bytes
    source: str


def diff_sources(
    uow: UnitOfWork | None,
    old: StoredLadder | LadderFile,
    new: StoredLadder | LadderFile,
    options: ImportOptions | None = None,
) -> FrameworkDiff:
    """What changed between two ladders, each stored or a file; nothing is stored.

    A file read against a stored ladder keeps that ladder's track keys, exactly as
    importing it would, so the diff shows what an import would change."""
    from skillgrid.domain.diff import diff_frameworks
    from skillgrid.importers import ImportOptions, read_ladder

    options = options or ImportOptions()
    stored: dict[int, Framework] = {}
    if isinstance(old, StoredLadder) or isinstance(new, StoredLadder):
        if uow is None:
            raise ValueError("a stored ladder needs a unit of work")
        with uow:
            for index, side in enumerate((old, new)):
                if isinstance(side, StoredLadder):
                    stored[index] = get_framework_in(uow, side.name, side.version)
    if stored and not options.known_keys:
        reference = stored.get(0) or stored[1]
        options = replace(options, known_keys={t.name: t.key for t in reference.tracks})
    frameworks, labels = [], []
    for index, side in enumerate((old, new)):
        if isinstance(side, StoredLadder):
            frameworks.append(stored[index])
            labels.append(f"{side.name}@{stored[index].version}")
        else:
            frameworks.append(read_ladder(side.data, side.source, options).framework)
            labels.append(side.source)
    return diff_frameworks(frameworks[0], frameworks[1], labels[0], labels[1])


@dataclass(frozen=True)
class ExportedLadder:
    """A stored version written as a file: its bytes and the name to save it under."""

    data: bytes
    filename: str


def export(
    uow: UnitOfWork, name: str, export_format: ExportFormat, version: int | None = None
) -> bytes:
    """A stored version as a file in ``export_format``."""
    return export_file(uow, name, export_format, version).data


def export_file(
    uow: UnitOfWork, name: str, export_format: ExportFormat, version: int | None = None
) -> ExportedLadder:
    """A stored version (the newest by default) as a file in ``export_format``, named
    ``<name>-v<version>.<format>``."""
    from skillgrid.exporters import export_framework

    framework = get_framework(uow, name, version)
    filename = f"{framework.name}-v{framework.version}.{export_format.value}"
    return ExportedLadder(export_framework(framework, export_format), filename)


def _not_found(uow: UnitOfWork, name: str, version: int | None) -> NotFound:
    names = [info.name for info in uow.frameworks.latest_versions()]
    if version is not None and name in names:
        known = [str(info.version) for info in uow.frameworks.versions(name)]
        return NotFound(
            f"ladder {name!r} has no version {version}; it has versions {', '.join(known)}"
        )
    hint = f"stored ladders: {', '.join(names)}" if names else "no ladder is stored yet"
    return NotFound(
        f"no ladder named {name!r} ({hint}); import one with `skillgrid framework import`"
    )


def set_policy(uow: UnitOfWork, name: str, policy: Policy, *, actor: Actor) -> Policy:
    """Choose how a ladder's track levels combine into the overall level."""
    require_admin(actor, "set a ladder's leveling policy")
    with uow.write():
        ladder = get_framework_in(uow, name, None)
        if isinstance(policy, Points):
            policy.tables(len(ladder.tracks), len(ladder.levels))  # refuse tables that do not fit
        before = policy_settings(uow.frameworks.policy(name))
        uow.frameworks.set_policy(name, policy)
        from skillgrid.services.audit import record_change
        from skillgrid.services.summaries import rebuild_in

        rebuild_in(uow, name)  # stored official results follow the new rule
        record_change(
            uow,
            actor,
            "set_policy",
            "framework",
            name,
            {"policy": before[0], "tables": before[1]},
            {"policy": policy_settings(policy)[0], "tables": policy_settings(policy)[1]},
        )
        uow.commit()
    return policy


def get_policy(uow: UnitOfWork, name: str) -> Policy:
    """A ladder's leveling policy (strict unless set)."""
    with uow:
        get_framework_in(uow, name, None)
        return uow.frameworks.policy(name)
