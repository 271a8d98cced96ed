"""The ladder itself: levels, tracks and the criteria in each (track, level) cell."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from skillgrid.domain.errors import InputError, Problem

# A ladder's name: it is part of URLs and file names. The admin form's HTML `pattern` and
# its server-side check are this one expression.
LADDER_NAME = r"[A-Za-z0-9][A-Za-z0-9._\-]{0,99}"  # valid in Python and in HTML (v flag)
_LADDER_NAME = re.compile(LADDER_NAME)


def check_ladder_name(name: str) -> None:
    """Nothing for a good ``name``, or an InputError saying what a ladder's name may be."""
    if not _LADDER_NAME.fullmatch(name):
        what = "use letters, digits, '.', '_' or '-' (100 at most), starting with a letter or digit"
        raise InputError([Problem(f"ladder name {name[:120]!r}", what)])


@dataclass(frozen=True, slots=True)
class Level:
    """One rung of the ladder: ``number`` counts from 1; ``title`` is the label as written."""

    number: int
    title: str | None = None

    @property
    def label(self) -> str:
        return self.title if self.title else str(self.number)


@dataclass(frozen=True, slots=True)
class Track:
    """A skill track: ``key`` is short and stable (``NET``), ``name`` is what people read."""

    key: str
    name: str
    description: str | None = None


@dataclass(frozen=True, slots=True, init=False)
class Criterion:
    """One expectation in a cell; ``position`` counts from 1 inside the cell.

    ``uid`` is the stable identity that follows the criterion across versions (``None``
    until the criterion is stored). ``examples`` are short lines of typical work that
    evidences it, as people write them; evidence suggestions match against them.
    """

    track: str
    level: int
    position: int
    text: str
    uid: str | None = None
    examples: tuple[str, ...] = ()
    id: str = field(init=False, compare=False, repr=False)  # <TRACK_KEY>.<level>.<n>

    def __init__(
        self,
        track: str,
        level: int,
        position: int,
        text: str,
        uid: str | None = None,
        examples: tuple[str, ...] = (),
        _set: Any = object.__setattr__,
    ) -> None:
        # Written out because an import builds thousands: the generated frozen __init__
        # looks up object.__setattr__ once per field, this binds it once (25% faster).
        _set(self, "track", track)
        _set(self, "level", level)
        _set(self, "position", position)
        _set(self, "text", text)
        _set(self, "uid", uid)
        _set(self, "examples", examples)
        _set(self, "id", f"{track}.{level}.{position}")  # read on every page: made once

    def to_dict(self) -> dict[str, object]:
        """Where the criterion is and what it says, as JSON shows it."""
        return {"id": self.id, "track": self.track, "level": self.level, "text": self.text}


@dataclass(frozen=True, slots=True)
class Framework:
    """A career ladder: ordered levels and tracks, and criteria ordered by track, level, n."""

    name: str
    title: str | None
    levels: tuple[Level, ...]
    tracks: tuple[Track, ...]
    criteria: tuple[Criterion, ...]
    version: int | None = None
    _by_cell: dict[tuple[str, int], tuple[Criterion, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    _by_id: dict[str, Criterion] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def cell(self, track: str, level: int) -> tuple[Criterion, ...]:
        """The criteria of one cell, in order (empty when the cell asks nothing)."""
        if not self._by_cell and self.criteria:
            grouped: dict[tuple[str, int], list[Criterion]] = {}
            for criterion in self.criteria:
                grouped.setdefault((criterion.track, criterion.level), []).append(criterion)
            self._by_cell.update({key: tuple(items) for key, items in grouped.items()})
        return self._by_cell.get((track, level), ())

    def cells(self) -> Iterator[tuple[Track, Level, tuple[Criterion, ...]]]:
        """Every cell, track by track and level by level, including empty ones."""
        for track in self.tracks:
            for level in self.levels:
                yield track, level, self.cell(track.key, level.number)

    def empty_cells(self) -> list[tuple[Track, Level]]:
        return [(track, level) for track, level, items in self.cells() if not items]

    def track(self, key: str) -> Track:
        for track in self.tracks:
            if track.key == key:
                return track
        raise KeyError(key)

    def criterion(self, criterion_id: str) -> Criterion:
        if not self._by_id and self.criteria:
            self._by_id.update((criterion.id, criterion) for criterion in self.criteria)
        return self._by_id[criterion_id]

    def content(self) -> dict[str, object]:
        """The ladder as plain data, without name, version or identities."""
        return {
            "title": self.title,
            "levels": [[level.number, level.title] for level in self.levels],
            "tracks": [[t.key, t.name, t.description] for t in self.tracks],
            "criteria": [
                [c.track, c.level, c.position, c.text, *([list(c.examples)] if c.examples else [])]
                for c in self.criteria
            ],
        }

    def content_hash(self) -> str:
        """A digest of :meth:`content`: equal digests mean nothing a reader sees changed."""
        encoded = json.dumps(self.content(), ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()

    def same_content(self, other: Framework) -> bool:
        return self.content() == other.content()

    def renamed(self, name: str) -> Framework:
        return replace(self, name=name, version=None)


def build_framework(
    name: str,
    title: str | None,
    levels: list[Level],
    tracks: list[Track],
    cells: dict[tuple[str, int], list[str]],
    examples: dict[tuple[str, int, int], tuple[str, ...]] | None = None,
) -> Framework:
    """Assemble a framework from cell texts, numbering criteria inside each cell;
    ``examples`` are keyed by (track key, level, position)."""
    numbers = [level.number for level in levels]
    examples = examples or {}
    criteria = [
        Criterion(key, number, position, text, None, examples.get((key, number, position), ()))
        for key in [track.key for track in tracks]
        for number in numbers
        for position, text in enumerate(cells.get((key, number), ()), 1)
    ]
    return Framework(name, title, tuple(levels), tuple(tracks), tuple(criteria))


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """What a listing shows of one stored version."""

    name: str
    version: int
    title: str | None
    levels: int
    tracks: int
    criteria: int
    source: str | None
    created_at: datetime | None

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "version": self.version,
            "title": self.title,
            "levels": self.levels,
            "tracks": self.tracks,
            "criteria": self.criteria,
            "source": self.source,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }
