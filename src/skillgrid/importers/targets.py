"""Targets files: YAML kept beside the ladder, saying what each team needs.

    framework: sre
    targets:
      - team: Platform
        track: NET        # a track key or name
        level: 3
        people: 2         # at least this many people at NET ≥ 3

Every problem is reported with the target's place in the file; nothing is stored unless the
whole file is right.
"""

from __future__ import annotations

from typing import Any

from skillgrid.domain.errors import InputError, Problem
from skillgrid.domain.insight import Target
from skillgrid.importers.documents import load_yaml
from skillgrid.importers.text import decode

HINT = "see 'Targets' in docs/concepts.md for the file's shape"


def read_targets(data: bytes, source: str) -> tuple[str, list[Target]]:
    """The ladder name and targets of a targets file, or an InputError listing every problem."""
    import yaml

    try:
        document = load_yaml(decode(data, source), source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError([Problem(f"not valid YAML: {error}", HINT, source, row)]) from None
    if not isinstance(document, dict):
        raise InputError(
            [Problem("expected a mapping with 'framework' and 'targets'", HINT, source)]
        )
    framework = document.get("framework")
    items = document.get("targets")
    problems = []
    if not isinstance(framework, str) or not framework.strip():
        problems.append(Problem("'framework' must name a ladder", HINT, source))
    if not isinstance(items, list):
        problems.append(Problem("'targets' must be a list", HINT, source))
        raise InputError(problems)
    unknown = set(document) - {"framework", "targets"}
    if unknown:
        problems.append(
            Problem(f"unknown keys: {', '.join(sorted(map(str, unknown)))}", HINT, source)
        )
    targets = []
    seen: dict[tuple[str, str], int] = {}
    for index, item in enumerate(items, 1):
        where = f"targets[{index}]"
        found = _target(item, str(framework), where, source, problems)
        if found is None:
            continue
        key = (found.team, found.track.lower())
        if key in seen:
            problems.append(
                Problem(
                    f"{where}: {found.team} {found.track} is already set by targets[{seen[key]}]",
                    "keep one target per team and track",
                    source,
                )
            )
            continue
        seen[key] = index
        targets.append(found)
    if problems:
        raise InputError(problems)
    return str(framework).strip(), targets


def _target(
    item: Any, framework: str, where: str, source: str, problems: list[Problem]
) -> Target | None:
    if not isinstance(item, dict):
        problems.append(Problem(f"{where}: expected team, track, level and people", HINT, source))
        return None
    missing = [key for key in ("team", "track", "level", "people") if item.get(key) in (None, "")]
    extra = set(item) - {"team", "track", "level", "people"}
    if missing or extra:
        said = [f"missing {', '.join(missing)}"] if missing else []
        said += [f"unknown {', '.join(sorted(map(str, extra)))}"] if extra else []
        problems.append(Problem(f"{where}: {'; '.join(said)}", HINT, source))
        return None
    numbers = {}
    for key in ("level", "people"):
        value = item[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(
                Problem(f"{where}: {key} must be a whole number ≥ 1, not {value!r}", HINT, source)
            )
            return None
        numbers[key] = value
    return Target(
        str(item["team"]).strip(),
        framework.strip(),
        str(item["track"]).strip(),
        numbers["level"],
        numbers["people"],
    )


def write_targets(framework: str, targets: list[Target]) -> str:
    """The YAML file :func:`read_targets` reads back to the same targets."""
    import yaml

    document = {
        "framework": framework,
        "targets": [
            {"team": t.team, "track": t.track, "level": t.level, "people": t.people}
            for t in targets
        ],
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
