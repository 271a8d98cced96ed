"""The CLI reference (docs/cli.md), generated from the commands themselves.

Regenerate with ``python -m skillgrid.cli.reference > docs/cli.md``; tests/test_docs.py
fails when the file and the commands disagree.
"""

from __future__ import annotations

import enum
import re
from typing import Any

import typer
import typer.main

# Typer ships its own copy of Click; commands are reached through its public duck types.
Command = Any


def _walk(command: Command, path: list[str]) -> list[tuple[list[str], Command]]:
    found = [(path, command)]
    if hasattr(command, "list_commands"):
        context = typer.Context(command)
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            if sub is not None and not sub.hidden:
                found += _walk(sub, [*path, name])
    return found


def commands() -> list[tuple[list[str], Command]]:
    """Every command and group as (path, command), the root first."""
    from skillgrid.cli import app

    return _walk(typer.main.get_command(app), ["skillgrid"])


def _param_line(param: Any) -> str:
    if param.param_type_name == "argument":
        help_text = getattr(param, "help", "") or ""
        return f"- `{(param.name or '').upper()}` (argument): {help_text}".rstrip()
    names = ", ".join(f"`{opt}`" for opt in param.opts)
    text = f"- {names}: {param.help or ''}".rstrip()
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        text += f" One of: {', '.join(str(member.value) for member in annotation)}."
    if param.required:
        text += " Required."
    elif param.default not in (None, False) and not param.is_flag:
        default = getattr(param.default, "value", param.default)
        text += f" Default: `{default}`."
    return text


def render_reference() -> str:
    lines = [
        "# CLI reference",
        "",
        "Generated from the commands (`python -m skillgrid.cli.reference > docs/cli.md`);",
        "`tests/test_docs.py` fails when it is out of date. Every command also takes `--help`.",
        "Every command reads `SKILLGRID_DATABASE_URL` (see [operations](operations.md)).",
        "",
    ]
    for path, command in commands():
        if len(path) > 1:
            lines += [f"{'#' * min(len(path) + 0, 4)} `{' '.join(path)}`", ""]
        context = typer.Context(command, info_name=" ".join(path))
        usage = " ".join(command.collect_usage_pieces(context))
        usage = re.sub(r"\{(\w+)\}", lambda match: match.group(1).upper(), usage)
        lines += [f"    {' '.join(path)} {usage}", "", (command.help or "").strip(), ""]
        params = [p for p in command.get_params(context) if p.name not in ("help",)]
        params = [p for p in params if "completion" not in (p.name or "")]
        if params:
            lines += [_param_line(p) for p in params] + [""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render_reference(), end="")
