"""YAML and JSON read with bounded work: how deep a document nests and how many values its
aliases repeat are limited, so a small file can neither exhaust the stack (json.loads and
PyYAML recurse once per level) nor stand for billions of values (the "billion laughs": a
few lines of YAML aliases, each repeating the one before ten times)."""

from __future__ import annotations

import re
from functools import cache
from itertools import chain
from typing import Any

from skillgrid.domain.errors import LadderError, Problem
from skillgrid.importers.options import MAX_ALIASED_VALUES, MAX_NESTING
from skillgrid.importers.text import place

# a string (closed or not: the JSON parser reports that) or a bracket
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')


def check_json_nesting(text: str, source: str) -> None:
    """Refuse JSON that nests deeper than the limit, at the bracket that crosses it."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token == "[" or token == "{":
            depth += 1
            if depth > MAX_NESTING:
                row, column = place(text, match.start())
                raise LadderError([Problem(*_too_deep(), source, row, column)])
        elif token == "]" or token == "}":
            depth -= 1


def load_yaml(text: str, source: str, loader: Any = None) -> Any:
    """``yaml.load`` with :func:`bounded_loader` (or ``loader``, a subclass of it); a limit
    crossed is a LadderError at its line and column. Syntax errors are yaml.YAMLError, as
    ever, for the caller to word."""
    import yaml

    try:
        return yaml.load(text, Loader=loader or bounded_loader())
    except _Refused as refused:
        row, column = refused.mark.line + 1, refused.mark.column + 1
        raise LadderError([Problem(refused.message, refused.hint, source, row, column)]) from None


class _Refused(Exception):
    """A limit crossed while composing (not a YAMLError: callers word those as syntax)."""

    def __init__(self, message: str, hint: str, mark: Any) -> None:
        super().__init__(message)
        self.message, self.hint, self.mark = message, hint, mark


def _too_deep() -> tuple[str, str]:
    return (
        f"nested more than {MAX_NESTING} levels deep",
        "a SkillGrid file nests a few levels at most (a ladder 3): look for brackets opened "
        "and never closed, or lines indented too far",
    )


@cache
def bounded_loader() -> Any:
    """A yaml.SafeLoader whose documents nest at most MAX_NESTING collections deep, aliases
    included, and whose aliases repeat at most MAX_ALIASED_VALUES values in all."""
    import yaml

    class BoundedLoader(yaml.SafeLoader):
        def __init__(self, stream: Any) -> None:
            super().__init__(stream)
            self.open_anchors: list[str | None] = []  # of the collections being composed
            self.aliased = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.AliasEvent):
                return self.compose_alias(event, parent, index)
            if not isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                return super().compose_node(parent, index)
            if len(self.open_anchors) == MAX_NESTING:
                raise _Refused(*_too_deep(), event.start_mark)
            self.open_anchors.append(event.anchor)
            try:
                return super().compose_node(parent, index)
            finally:
                self.open_anchors.pop()

        def compose_alias(self, event: Any, parent: Any, index: Any) -> Any:
            name, mark = event.anchor, event.start_mark
            if name in self.open_anchors:
                raise _Refused(
                    f"the alias *{name} is used inside the value it names, so it never ends",
                    f"replace *{name} with the values it should repeat",
                    mark,
                )
            node = super().compose_node(parent, index)
            values, depth = _expanded(node, MAX_ALIASED_VALUES - self.aliased)
            self.aliased += values
            if self.aliased > MAX_ALIASED_VALUES:
                raise _Refused(
                    f"aliases (*name) repeat more than {MAX_ALIASED_VALUES:,} values",
                    "write the values out, or use fewer aliases: a few lines of aliases can "
                    "stand for billions of values",
                    mark,
                )
            if len(self.open_anchors) + depth > MAX_NESTING:
                raise _Refused(*_too_deep(), mark)
            return node

    return BoundedLoader


def _expanded(node: Any, budget: int) -> tuple[int, int]:
    """How many values ``node`` stands for with its aliases repeated (counted up to
    ``budget + 1``, so the walk costs no more), and how deep its collections nest."""
    import yaml

    values, deepest = 1, 0
    stack = [(node, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, yaml.ScalarNode):
            continue
        deepest = max(deepest, depth)
        children = (
            item.value if isinstance(item, yaml.SequenceNode) else chain.from_iterable(item.value)
        )
        for child in children:
            values += 1
            if values > budget:
                return values, deepest
            stack.append((child, depth + 1))
    return values, deepest
