"""Which criterion of one version is which criterion of the next.

Tracks match by key, then by name, then by the criteria they share. Criteria match by
stored identity when both sides have one; otherwise by the same text (in the same track
first), then by similar text in the same track (reworded). A match at another level or in
another track is *moved*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

from skillgrid.domain.framework import Criterion, Framework

REWORD_THRESHOLD = 0.6
_WORDS = re.compile(r"\w+")


class Change(StrEnum):
    UNCHANGED = "unchanged"
    ADDED = "added"
    REMOVED = "removed"
    REWORDED = "reworded"
    MOVED = "moved"
    REWORDED_MOVED = "reworded_moved"


@dataclass(frozen=True, slots=True)
class CriterionChange:
    """One criterion across two versions: ``old`` or ``new`` is ``None`` when it was added
    or removed."""

    old: Criterion | None
    new: Criterion | None
    track_changed: bool = False

    @property
    def kind(self) -> Change:
        if self.old is None:
            return Change.ADDED
        if self.new is None:
            return Change.REMOVED
        reworded = _normal(self.old.text) != _normal(self.new.text)
        moved = self.old.level != self.new.level or self.track_changed
        if reworded and moved:
            return Change.REWORDED_MOVED
        if reworded:
            return Change.REWORDED
        return Change.MOVED if moved else Change.UNCHANGED


def match_tracks(old: Framework, new: Framework) -> dict[str, str]:
    """Map each new track key to the old track key it continues (unmatched keys are absent)."""
    matched: dict[str, str] = {}
    old_keys = {track.key for track in old.tracks}
    for track in new.tracks:
        if track.key in old_keys:
            matched[track.key] = track.key
    by_name = {t.name.casefold(): t.key for t in old.tracks if t.key not in matched.values()}
    for track in new.tracks:
        if track.key not in matched and track.name.casefold() in by_name:
            matched[track.key] = by_name.pop(track.name.casefold())
    _match_tracks_by_content(old, new, matched)
    return matched


def _match_tracks_by_content(old: Framework, new: Framework, matched: dict[str, str]) -> None:
    """Pair left-over tracks whose criteria mostly continue each other (a renamed track)."""
    old_texts = {
        t.key: [c.text for c in old.criteria if c.track == t.key]
        for t in old.tracks
        if t.key not in matched.values()
    }
    for track in new.tracks:
        if track.key in matched or not old_texts:
            continue
        texts = [c.text for c in new.criteria if c.track == track.key]
        best, score = max(
            ((key, _overlap(texts, other)) for key, other in old_texts.items()),
            key=lambda pair: pair[1],
        )
        if score >= 0.5:
            matched[track.key] = best
            del old_texts[best]


def _overlap(new: list[str], old: list[str]) -> float:
    """Share of criteria with the same or a similar text on the other side."""
    if not new or not old:
        return 0.0
    normal_old = {_normal(text) for text in old}
    found = sum(
        1
        for text in new
        if _normal(text) in normal_old
        or any(similarity(text, other) >= REWORD_THRESHOLD for other in old)
    )
    return found / max(len(new), len(old))


def match_criteria(old: Framework, new: Framework) -> list[CriterionChange]:
    """Every criterion of both versions, paired where one continues the other.

    The list holds the new version's criteria in order, then the removed ones.
    """
    track_map = match_tracks(old, new)
    if _has_identities(old) and _has_identities(new):
        pairs = _match_by_identity(old, new)
    else:
        pairs = _match_by_text(old, new, track_map)
    changes = [
        CriterionChange(pairs.get(i), criterion, _moved_track(pairs.get(i), criterion, track_map))
        for i, criterion in enumerate(new.criteria)
    ]
    taken = {id(old_criterion) for old_criterion in pairs.values()}
    changes.extend(CriterionChange(c, None) for c in old.criteria if id(c) not in taken)
    return changes


def moved_words(change: CriterionChange, old: Framework, new: Framework) -> str | None:
    """Where a criterion went between two versions, in words, or None when it stayed in
    its cell: "moved from level 2 to level 3", "moved from Networking to Security", or
    both, "moved from Networking level 2 to Security level 3"."""
    before, after = change.old, change.new
    if before is None or after is None:
        return None
    level = before.level != after.level
    if not change.track_changed:
        return f"moved from level {before.level} to level {after.level}" if level else None
    was = next((t.name for t in old.tracks if t.key == before.track), before.track)
    now = next((t.name for t in new.tracks if t.key == after.track), after.track)
    if level:
        return f"moved from {was} level {before.level} to {now} level {after.level}"
    return f"moved from {was} to {now}"


def _moved_track(old: Criterion | None, new: Criterion, track_map: dict[str, str]) -> bool:
    return old is not None and track_map.get(new.track) != old.track


def _has_identities(framework: Framework) -> bool:
    return bool(framework.criteria) and all(c.uid for c in framework.criteria)


def _match_by_identity(old: Framework, new: Framework) -> dict[int, Criterion]:
    by_uid = {c.uid: c for c in old.criteria}
    return {i: by_uid[c.uid] for i, c in enumerate(new.criteria) if c.uid in by_uid}


def _match_by_text(old: Framework, new: Framework, tracks: dict[str, str]) -> dict[int, Criterion]:
    pairs: dict[int, Criterion] = {}
    free = list(old.criteria)
    # 1. same text, same track: same level first; 2. same text anywhere
    for same_track in (True, False):
        for i, criterion in enumerate(new.criteria):
            if i in pairs:
                continue
            text = _normal(criterion.text)
            candidates = [
                c
                for c in free
                if _normal(c.text) == text
                and (not same_track or c.track == tracks.get(criterion.track))
            ]
            if candidates:
                chosen = min(candidates, key=lambda c: (c.level != criterion.level, c.position))
                pairs[i] = chosen
                free.remove(chosen)
    # 3. similar text in the same track, best pairs first
    scored = []
    for i, criterion in enumerate(new.criteria):
        if i in pairs:
            continue
        for c in free:
            if c.track == tracks.get(criterion.track):
                score = similarity(c.text, criterion.text)
                if score >= REWORD_THRESHOLD:
                    scored.append((score + 0.05 * (c.level == criterion.level), i, c))
    used: set[int] = set()
    for _, i, c in sorted(scored, key=lambda item: -item[0]):
        if i not in pairs and id(c) not in used:
            pairs[i] = c
            used.add(id(c))
    return pairs


def similarity(a: str, b: str) -> float:
    """How alike two texts are, from 0 to 1: the mean of word-level and character-level
    likeness, so a changed word in a short criterion still counts as a rewording."""
    a, b = _normal(a), _normal(b)
    chars = SequenceMatcher(None, a, b, autojunk=False)
    if chars.real_quick_ratio() < REWORD_THRESHOLD or chars.quick_ratio() < REWORD_THRESHOLD:
        return 0.0
    words = SequenceMatcher(None, _WORDS.findall(a), _WORDS.findall(b), autojunk=False)
    return (chars.ratio() + words.ratio()) / 2


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()
