"""What changed between two versions of a ladder, for people and for CI."""

from __future__ import annotations

from dataclasses import dataclass

from skillgrid.domain.framework import Criterion, Framework, Level, Track
from skillgrid.domain.matching import Change, CriterionChange, match_criteria, match_tracks


@dataclass(frozen=True)
class FrameworkDiff:
    """Changes from ``old`` to ``new``; criteria that did not change are left out."""

    old_label: str
    new_label: str
    title: tuple[str | None, str | None] | None
    levels_added: tuple[Level, ...]
    levels_removed: tuple[Level, ...]
    levels_renamed: tuple[tuple[Level, Level], ...]
    tracks_added: tuple[Track, ...]
    tracks_removed: tuple[Track, ...]
    tracks_renamed: tuple[tuple[Track, Track], ...]
    criteria: tuple[CriterionChange, ...]
    # criteria that continue (same identity or text) with other examples, whatever else changed
    examples_changed: tuple[CriterionChange, ...] = ()
    # tracks that continue with another description (a table export carries none)
    tracks_described: tuple[tuple[Track, Track], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            self.title
            or self.levels_added
            or self.levels_removed
            or self.levels_renamed
            or self.tracks_added
            or self.tracks_removed
            or self.tracks_renamed
            or self.tracks_described
            or self.criteria
            or self.examples_changed
        )

    def of_kind(self, *kinds: Change) -> list[CriterionChange]:
        return [change for change in self.criteria if change.kind in kinds]

    def counts(self) -> dict[str, int]:
        return {kind.value: len(self.of_kind(kind)) for kind in Change if kind != Change.UNCHANGED}

    def to_dict(self) -> dict[str, object]:
        """Plain data for ``--json``: stable keys, criteria with id, level and text."""

        def level(item: Level) -> dict[str, object]:
            return {"number": item.number, "title": item.title}

        def track(item: Track) -> dict[str, object]:
            return {"key": item.key, "name": item.name}

        return {
            "old": self.old_label,
            "new": self.new_label,
            "empty": self.is_empty,
            "counts": self.counts(),
            "title": None if self.title is None else {"old": self.title[0], "new": self.title[1]},
            "levels": {
                "added": [level(x) for x in self.levels_added],
                "removed": [level(x) for x in self.levels_removed],
                "renamed": [{"old": level(a), "new": level(b)} for a, b in self.levels_renamed],
            },
            "tracks": {
                "added": [track(x) for x in self.tracks_added],
                "removed": [track(x) for x in self.tracks_removed],
                "renamed": [{"old": track(a), "new": track(b)} for a, b in self.tracks_renamed],
                "described": [
                    {"key": b.key, "old": a.description, "new": b.description}
                    for a, b in self.tracks_described
                ],
            },
            "criteria": [_change_dict(change) for change in self.criteria],
            "examples": [
                {
                    "id": change.new.id,
                    "old": list(change.old.examples),
                    "new": list(change.new.examples),
                }
                for change in self.examples_changed
                if change.old is not None and change.new is not None
            ],
        }


def _change_dict(change: CriterionChange) -> dict[str, object]:
    def side(criterion: Criterion | None) -> dict[str, object] | None:
        return None if criterion is None else criterion.to_dict()

    return {"change": change.kind.value, "old": side(change.old), "new": side(change.new)}


def diff_frameworks(
    old: Framework, new: Framework, old_label: str = "old", new_label: str = "new"
) -> FrameworkDiff:
    """Compare two ladders: levels by number, tracks by key/name/content, criteria by
    identity or text (see :mod:`skillgrid.domain.matching`)."""
    old_levels = {level.number: level for level in old.levels}
    new_levels = {level.number: level for level in new.levels}
    track_map = match_tracks(old, new)
    old_tracks = {track.key: track for track in old.tracks}
    continued = set(track_map.values())
    changes = match_criteria(old, new)
    return FrameworkDiff(
        old_label=old_label,
        new_label=new_label,
        title=(old.title, new.title) if old.title != new.title else None,
        levels_added=tuple(lv for n, lv in new_levels.items() if n not in old_levels),
        levels_removed=tuple(lv for n, lv in old_levels.items() if n not in new_levels),
        levels_renamed=tuple(
            (old_levels[n], lv)
            for n, lv in new_levels.items()
            if n in old_levels and old_levels[n].title != lv.title
        ),
        tracks_added=tuple(t for t in new.tracks if t.key not in track_map),
        tracks_removed=tuple(t for t in old.tracks if t.key not in continued),
        tracks_renamed=tuple(
            (old_tracks[track_map[t.key]], t)
            for t in new.tracks
            if t.key in track_map
            and (old_tracks[track_map[t.key]].name, track_map[t.key]) != (t.name, t.key)
        ),
        tracks_described=tuple(
            (old_tracks[track_map[t.key]], t)
            for t in new.tracks
            if t.key in track_map and old_tracks[track_map[t.key]].description != t.description
        ),
        criteria=tuple(change for change in changes if change.kind != Change.UNCHANGED),
        examples_changed=tuple(
            change
            for change in changes
            if change.old is not None
            and change.new is not None
            and change.old.examples != change.new.examples
        ),
    )
