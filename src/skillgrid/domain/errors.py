"""Errors that say what was wrong, where, and what to do about it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: ``row`` and ``column`` count from 1 as an editor shows."""

    message: str
    hint: str = ""
    source: str | None = None
    row: int | None = None
    column: int | None = None

    @property
    def where(self) -> str:
        parts = [self.source] if self.source else []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text} — {self.hint}" if self.hint else text

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
        }


class SkillGridError(Exception):
    """Base of every error SkillGrid reports to a person."""


class InputError(SkillGridError):
    """Input that cannot be used as given; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class LadderError(InputError):
    """A ladder (or ratings) file or document could not be read."""


class NotFound(SkillGridError):
    """A named object does not exist."""


class Conflict(SkillGridError):
    """The request contradicts what is stored (a name taken, a version changed meanwhile)."""


class ConfigurationError(SkillGridError):
    """A setting (such as the database URL) cannot be used as given."""
