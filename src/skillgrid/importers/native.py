"""SkillGrid's own YAML and JSON: the schema is ``skillgrid/data/framework.schema.json``."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from skillgrid.domain.errors import LadderError, Problem
from skillgrid.domain.framework import Level, Track, build_framework
from skillgrid.domain.keys import assign_keys, is_valid_key
from skillgrid.importers.documents import bounded_loader, check_json_nesting, load_yaml
from skillgrid.importers.options import MAX_CELL_CHARS, Format, ImportOptions, ImportResult
from skillgrid.importers.progression import is_progression, read_progression
from skillgrid.importers.text import decode, place


def schema() -> dict[str, Any]:
    """The published JSON Schema of the YAML/JSON ladder document."""
    text = resources.files("skillgrid.data").joinpath("framework.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def read_native(
    data: bytes, source: str, file_format: Format, options: ImportOptions
) -> ImportResult:
    """Read a YAML or JSON ladder document; see docs/formats.md for its shape."""
    text = decode(data, source, options.encoding)
    document = _parse_json(text, source) if file_format is Format.JSON else parse_yaml(text, source)
    if is_progression(document):
        return ImportResult(read_progression(document, source, options), file_format)
    _validate_schema(document, source)
    return ImportResult(_framework(document, source, options), file_format)


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _parse_json(text: str, source: str) -> Any:
    check_json_nesting(text, source)
    try:
        return json.loads(text, object_pairs_hook=_unique_members)
    except _DuplicateKey as duplicate:
        row, column = _duplicate_position(text)
        raise LadderError(
            [
                Problem(
                    f"invalid JSON: the member {duplicate.key!r} appears twice in one object",
                    "keep one of them (JSON keeps only the last, silently dropping the other)",
                    source,
                    row,
                    column,
                )
            ]
        ) from None
    except json.JSONDecodeError as error:
        raise LadderError([_json_syntax_problem(text, error, source)]) from None


def _duplicate_position(text: str) -> tuple[int | None, int | None]:
    """Where the repeated member is: JSON is YAML, and the YAML reader knows positions."""
    try:
        parse_yaml(text, "")
    except LadderError as error:
        found = error.problems[0]
        return found.row, found.column
    return None, None


def _json_syntax_problem(text: str, error: json.JSONDecodeError, source: str) -> Problem:
    before = text[: error.pos].rstrip()
    if before.endswith(",") and error.msg.startswith(("Expecting value", "Expecting property")):
        row, column = place(text, len(before) - 1)
        return Problem(
            "invalid JSON: a trailing comma before a closing bracket",
            "remove the comma after the last item",
            source,
            row,
            column,
        )
    return Problem(
        f"invalid JSON: {error.msg}", "fix the syntax", source, error.lineno, error.colno
    )


def parse_yaml(text: str, source: str) -> Any:
    import yaml

    try:
        return load_yaml(text, source, _unique_key_loader())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        reason = getattr(error, "problem", None) or str(error)
        raise LadderError(
            [Problem(f"invalid YAML: {reason}", "fix the syntax", source, row, column)]
        ) from None


def _unique_key_loader() -> Any:
    """A bounded SafeLoader that refuses a mapping with the same key twice (PyYAML keeps the
    last) and reads yes/no/on/off and 1.10 as the text they are (a track key ON, a title
    1.10)."""
    import yaml

    text_like = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:float"}

    class UniqueKeyLoader(bounded_loader()):  # type: ignore[misc]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"the key {key!r} appears twice in one mapping (keep one of them)",
                        key_node.start_mark,
                    )
                seen.add(key)
            return super().construct_mapping(node, deep)

    UniqueKeyLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in text_like]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return UniqueKeyLoader


def _validate_schema(document: Any, source: str) -> None:
    import jsonschema

    if isinstance(document, dict) and not {"tracks", "criteria"} & document.keys():
        # another tool's document (its own levels, themes, competencies …): one problem that
        # says so, where the schema would list every field of it that differs from ours
        keys = ", ".join(repr(key) for key in list(document)[:6]) or "no keys"
        raise LadderError(
            [
                Problem(
                    f"not a SkillGrid ladder document: it has {keys}, and no 'tracks' or "
                    "'criteria'",
                    "export the ladder from its tool as a table (CSV, XLSX or Markdown, levels "
                    "× tracks), or write it in SkillGrid's YAML (docs/formats.md)",
                    source,
                )
            ]
        )

    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        raise LadderError(
            Problem(
                f"at {_path(error.absolute_path)}: {error.message}",
                "see the ladder schema in docs/formats.md",
                source,
            )
            for error in errors[:20]
        )


def _path(parts: Any) -> str:
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)
    return text.lstrip(".") or "the top level"


def _framework(document: dict[str, Any], source: str, options: ImportOptions) -> Any:
    problems: list[Problem] = []

    def problem(path: str, message: str, hint: str) -> None:
        problems.append(Problem(f"at {path}: {message}", hint, source))

    numbers = [level["number"] for level in document["levels"]]
    if numbers != list(range(1, len(numbers) + 1)):
        problem("levels", f"level numbers are {numbers}", "number levels 1, 2, 3 … in order")
    levels = [Level(level["number"], level.get("title") or None) for level in document["levels"]]

    raw_tracks = document["tracks"]
    names = [track["name"].strip() for track in raw_tracks]
    given = {t["name"].strip(): t["key"] for t in raw_tracks if t.get("key")}
    for i, track in enumerate(raw_tracks):
        if track.get("key") and not is_valid_key(track["key"]):
            problem(
                f"tracks[{i}].key",
                f"{track['key']!r} is not a valid key",
                "use capitals, digits and _, starting with a capital, 16 at most",
            )
    _duplicates([n.casefold() for n in names], "tracks", "name", problem)
    _duplicates([t.get("key") for t in raw_tracks if t.get("key")], "tracks", "key", problem)
    keys = assign_keys(names, {**options.known_keys, **given})
    tracks = [
        Track(key, name, (raw.get("description") or "").strip() or None)
        for key, name, raw in zip(keys, names, raw_tracks, strict=True)
    ]

    # a criterion names its track by key, or by name when no key is written
    key_of = {name: key for key, name in zip(keys, names, strict=True)}
    key_of.update({raw.get("key") or key: key for key, raw in zip(keys, raw_tracks, strict=True)})
    cells: dict[tuple[str, int], list[str]] = {}
    examples: dict[tuple[str, int, int], tuple[str, ...]] = {}
    for i, item in enumerate(document["criteria"]):
        key = key_of.get(item["track"])
        text = item["text"].strip()
        if key is None:
            problem(
                f"criteria[{i}].track",
                f"no track {item['track']!r}",
                "name a track key (or name) listed under tracks",
            )
        elif item["level"] not in numbers:
            problem(
                f"criteria[{i}].level",
                f"no level {item['level']}",
                "use a level number listed under levels",
            )
        elif not text or len(text) > MAX_CELL_CHARS:
            problem(
                f"criteria[{i}].text",
                "text is empty or too long",
                f"give 1 to {MAX_CELL_CHARS:,} characters",
            )
        else:
            cell = cells.setdefault((key, item["level"]), [])
            cell.append(text)
            if item.get("examples"):
                lines = tuple(" ".join(line.split()) for line in item["examples"])
                examples[(key, item["level"], len(cell))] = lines
    if problems:
        raise LadderError(problems)
    name, title = document.get("name") or "", document.get("title")
    return build_framework(name, title, levels, tracks, cells, examples)


def _duplicates(values: list[Any], where: str, field: str, problem: Any) -> None:
    seen: set[Any] = set()
    for i, value in enumerate(values):
        if value in seen:
            problem(
                f"{where}[{i}].{field}",
                f"duplicate {field} {value!r}",
                f"give each of the {where} its own {field}",
            )
        seen.add(value)
