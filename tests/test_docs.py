"""Docs stay true: the CLI reference matches the commands, and every command has help with
an example."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillgrid.cli.reference import commands, render_reference
from skillgrid.config import Settings

ROOT = Path(__file__).parents[1]


def test_cli_reference_is_up_to_date() -> None:
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == render_reference(), "run: python -m skillgrid.cli.reference > docs/cli.md"


@pytest.mark.parametrize(
    ("path", "command"), commands()[1:], ids=lambda x: " ".join(x) if isinstance(x, list) else ""
)
def test_every_command_has_help_and_every_leaf_an_example(path: list[str], command: object) -> None:
    text = getattr(command, "help", "") or ""
    assert text.strip(), f"{' '.join(path)} has no help"
    if not hasattr(command, "list_commands"):
        assert "Example" in text, f"{' '.join(path)} has no example in its docstring"
    for param in getattr(command, "params", []):
        if param.name != "help":
            assert getattr(param, "help", None), f"{' '.join(path)}: {param.name} has no help"


def test_every_setting_is_documented() -> None:
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"SKILLGRID_{name.upper()}" in operations
