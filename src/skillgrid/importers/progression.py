"""Ladders in the shape of Monzo's open-source progression framework, which many companies
forked: a document (YAML or JSON, or the front matter of a Markdown page) with the number
of ``levels`` and ``topics``, each a track whose ``content`` lists, level by level, its
``criteria`` and its ``exampleCriteria`` (a criterion with ``examples``)::

    levels: 2
    topics:
      - name: communication
        title: Communication
        content:
          - level: 1
            criteria: ["Provides regular status updates"]
            exampleCriteria:
              - criteria: "Writes PR descriptions that give context"
                examples: ["I decided X instead of Y because …"]

Levels are numbered 1 to ``levels``; a track is named by its ``title``, else by its
``name`` as words.
"""

from __future__ import annotations

from typing import Any

from skillgrid.domain.errors import LadderError, Problem
from skillgrid.domain.framework import Framework, Level, Track, build_framework
from skillgrid.domain.keys import assign_keys
from skillgrid.importers.options import MAX_CELL_CHARS, ImportOptions

_MAX_LEVELS = 30


def is_progression(document: Any) -> bool:
    """Whether ``document`` is in the progression framework's shape."""
    return (
        isinstance(document, dict)
        and isinstance(document.get("topics"), list)
        and "levels" in document
        and not {"tracks", "criteria"} & document.keys()
    )


def read_progression(document: dict[str, Any], source: str, options: ImportOptions) -> Framework:
    """The ladder of a progression framework document; every field out of shape is a
    problem, at its path."""
    problems: list[Problem] = []

    def problem(path: str, message: str, hint: str) -> None:
        problems.append(Problem(f"at {path}: {message}", hint, source))

    count = document["levels"]
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= _MAX_LEVELS:
        problem("levels", f"{count!r} is not a number of levels", f"give 1 to {_MAX_LEVELS}")
        raise LadderError(problems)
    names: list[str] = []
    for i, topic in enumerate(document["topics"]):
        name = _named(topic) if isinstance(topic, dict) else ""
        if not name:
            problem(f"topics[{i}]", "a topic with no title or name", "give it a title")
        names.append(name)
    if problems:
        raise LadderError(problems)
    keys = assign_keys(names, dict(options.known_keys))
    cells: dict[tuple[str, int], list[str]] = {}
    examples: dict[tuple[str, int, int], tuple[str, ...]] = {}
    for i, (key, topic) in enumerate(zip(keys, document["topics"], strict=True)):
        content = topic.get("content") or []
        for j, part in enumerate(content if isinstance(content, list) else [None]):
            where = f"topics[{i}].content[{j}]"
            level = part.get("level") if isinstance(part, dict) else None
            if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= count:
                problem(where, f"level {level!r} is not one of 1 to {count}", "fix the level")
                continue
            cell = cells.setdefault((key, level), [])
            for k, text in enumerate(part.get("criteria") or []):
                if _fits(text, f"{where}.criteria[{k}]", problem):
                    cell.append(text.strip())
            for k, given in enumerate(part.get("exampleCriteria") or []):
                text = given.get("criteria") if isinstance(given, dict) else None
                if _fits(text, f"{where}.exampleCriteria[{k}].criteria", problem):
                    cell.append(str(text).strip())
                    shown = [" ".join(str(e).split()) for e in given.get("examples") or []]
                    examples[(key, level, len(cell))] = tuple(e for e in shown if e)
    if problems:
        raise LadderError(problems)
    levels = [Level(number, None) for number in range(1, count + 1)]
    tracks = [Track(key, name, None) for key, name in zip(keys, names, strict=True)]
    title = _text(document.get("title")) or None
    return build_framework("", title, levels, tracks, cells, examples)


def _named(topic: dict[str, Any]) -> str:
    """A topic's title, else its name as words ("technical-skills" → "Technical skills")."""
    name = _text(topic.get("title"))
    if name:
        return name
    name = " ".join(_text(topic.get("name")).replace("-", " ").replace("_", " ").split())
    return name[:1].upper() + name[1:] if name.islower() else name


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _fits(text: Any, path: str, problem: Any) -> bool:
    if isinstance(text, str) and text.strip() and len(text) <= MAX_CELL_CHARS:
        return True
    problem(path, "not a criterion's text", f"give text of 1 to {MAX_CELL_CHARS:,} characters")
    return False
