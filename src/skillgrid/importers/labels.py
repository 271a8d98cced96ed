"""Reading row and column labels: which axis holds levels, and in what order."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_LEVEL_WORDS = re.compile(
    r"\b(levels?|lvl|grades?|bands?|tiers?|ranks?|steps?|stages?|titles?|roles?|seniority|"
    r"junior|jr|senior|sr|staff|principal|distinguished|fellow|lead|intern|associate|entry|"
    r"graduate|trainee|"
    r"mid|apprentice|novice|beginner|intermediate|advanced|expert|master|director|vp|"
    r"manager|architect)\b",
    re.IGNORECASE,
)
# a Roman numeral, but not the pronoun "I" of a sentence ("I write tests", "When do I get
# promoted?"): no lower-case word may follow it
_ROMAN = re.compile(r"\b[IVX]{1,4}\b(?!\s+[a-z])")
_HINT_LEVELS = re.compile(r"level|grade|band|tier|rank|seniority|title|role", re.IGNORECASE)
_HINT_TRACKS = re.compile(
    r"track|skill|competenc|area|categor|dimension|pillar|domain|theme|focus|attribute|"
    r"trait|discipline|function",
    re.IGNORECASE,
)
_INTEGER = re.compile(r"[+-]?\d+(?:\.0+)?")
_FIRST_NUMBER = re.compile(r"\d+")
_ARROW_DOWN = re.compile(r"([^\W\d_]+)\W*[↓⬇]")
_ROMAN_VALUES = {
    "I": 1,
    "II": 2,
    "III": 3,
    "IV": 4,
    "V": 5,
    "VI": 6,
    "VII": 7,
    "VIII": 8,
    "IX": 9,
    "X": 10,
}
_SENIORITY = {
    "intern": 0,
    "apprentice": 0,
    "trainee": 0,
    "graduate": 1,
    "entry": 1,
    "junior": 1,
    "jr": 1,
    "associate": 1,
    "novice": 1,
    "beginner": 1,
    "mid": 2,
    "intermediate": 2,
    "senior": 3,
    "sr": 3,
    "advanced": 3,
    "staff": 4,
    "lead": 4,
    "expert": 4,
    "principal": 5,
    "architect": 5,
    "master": 5,
    "distinguished": 6,
    "fellow": 7,
}


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
    pointed = _ARROW_DOWN.search(corner)  # "Skills → / Levels ↓": levels run down the rows
    if pointed:
        corner = pointed.group(1)
    level = _HINT_LEVELS.search(corner)
    track = _HINT_TRACKS.search(corner)
    if level and (not track or level.start() < track.start()):
        return "levels"
    if track:
        return "tracks"
    return None


def points_down(corner: str) -> bool:
    """Whether the corner cell says with an arrow which labels run down ("Levels ↓")."""
    return _ARROW_DOWN.search(corner) is not None


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


def _rank(label: str) -> tuple[str, int] | None:
    """How senior a label reads, and by what: its first number, else a Roman numeral,
    else a seniority word."""
    number = _FIRST_NUMBER.search(label)
    if number:
        return "number", int(number.group())
    roman = _ROMAN.search(label)
    if roman and roman.group() in _ROMAN_VALUES:
        return "roman", _ROMAN_VALUES[roman.group()]
    words = [_SENIORITY[w] for w in re.findall(r"[a-z]+", label.lower()) if w in _SENIORITY]
    return ("word", max(words)) if words else None


def level_order(labels: list[str]) -> tuple[list[int], Gap | None]:
    """Indices of ``labels`` from lowest to highest level, and a gap in numbered levels.

    Plain numbers are sorted and must not skip one; labels that each read as a rank (a
    number, a Roman numeral, a word such as Junior/Senior/Staff) and come highest first
    ("L5, L4, L3", "Engineer III, II, I", "Principal, Senior, Junior") are reversed;
    anything else keeps the file's order.
    """
    indices = list(range(len(labels)))
    if labels and all(_INTEGER.fullmatch(label) for label in labels):
        numbers = [int(float(label)) for label in labels]
        order = sorted(indices, key=lambda i: numbers[i])
        for previous, current in itertools.pairwise(order):
            if numbers[current] > numbers[previous] + 1:
                return order, Gap(current, numbers[previous] + 1)
        return order, None
    ranks = [rank for rank in map(_rank, labels) if rank is not None]
    descending = (
        len(ranks) == len(labels) > 1
        and len({kind for kind, _ in ranks}) == 1  # all numbers, Roman numerals or words
        and all(a[1] > b[1] for a, b in itertools.pairwise(ranks))
    )
    return (indices[::-1] if descending else indices), None


def is_plain_number(label: str) -> bool:
    """Whether a label is just a number ("3", "3.0"), as numbered levels are written."""
    return _INTEGER.fullmatch(label) is not None


def is_number_label(label: str, number: int) -> bool:
    """Whether a level label is just the level's number ("2", "2.0")."""
    return _INTEGER.fullmatch(label) is not None and int(float(label)) == number
