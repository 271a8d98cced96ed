"""Reading row and column labels: which axis holds levels, and in what order."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_LEVEL_WORDS = re.compile(
    r"\b(levels?|lvl|grades?|bands?|tiers?|ranks?|steps?|stages?|titles?|roles?|seniority|"
    r"junior|jr|senior|sr|staff|principal|distinguished|fellow|lead|intern|associate|entry|"
    r"mid|apprentice|novice|beginner|intermediate|advanced|expert|master|director|vp|"
    r"manager|architect)\b",
    re.IGNORECASE,
)
_ROMAN = re.compile(r"\b[IVX]{1,4}\b")
_HINT_LEVELS = re.compile(r"level|grade|band|tier|rank|seniority|title|role", re.IGNORECASE)
_HINT_TRACKS = re.compile(
    r"track|skill|competenc|area|categor|dimension|pillar|domain|theme|focus|attribute|"
    r"trait|discipline|function|expectation",
    re.IGNORECASE,
)
_INTEGER = re.compile(r"[+-]?\d+")
_FIRST_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Gap:
    """Numbered levels skip ``missing``; the label at ``index`` comes right after the gap."""

    index: int
    missing: int


def orientation_hint(corner: str) -> str | None:
    """What the corner cell says the first column holds: "levels", "tracks" or nothing.

    "Level/Skill" names the first column first, so levels are rows; "Competency" or
    "Skill \\ Level" put tracks in rows.
    """
    level = _HINT_LEVELS.search(corner)
    track = _HINT_TRACKS.search(corner)
    if level and (not track or level.start() < track.start()):
        return "levels"
    if track:
        return "tracks"
    return None


def looks_like_levels(labels: list[str]) -> float:
    """The share of labels that read like levels: numbers, "Senior …", "Engineer II"."""
    if not labels:
        return 0.0
    hits = sum(
        1
        for label in labels
        if re.search(r"\d", label) or _LEVEL_WORDS.search(label) or _ROMAN.search(label)
    )
    return hits / len(labels)


def level_order(labels: list[str]) -> tuple[list[int], Gap | None]:
    """Indices of ``labels`` from lowest to highest level, and a gap in numbered levels.

    Plain numbers are sorted and must not skip one; labels that each carry a number and
    come highest first ("L5, L4, L3") are reversed; anything else keeps the file's order.
    """
    indices = list(range(len(labels)))
    if labels and all(_INTEGER.fullmatch(label) for label in labels):
        numbers = [int(label) for label in labels]
        order = sorted(indices, key=lambda i: numbers[i])
        for previous, current in itertools.pairwise(order):
            if numbers[current] > numbers[previous] + 1:
                return order, Gap(current, numbers[previous] + 1)
        return order, None
    found = [_FIRST_NUMBER.search(label) for label in labels]
    numbers = [int(match.group()) for match in found if match]
    descending = len(numbers) == len(labels) > 1 and all(
        a > b for a, b in itertools.pairwise(numbers)
    )
    return (indices[::-1] if descending else indices), None
