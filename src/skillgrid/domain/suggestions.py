"""Suggestions: for each statement, the criteria it most likely evidences, with a score.

Scoring itself (embeddings, BM25) lives in ``skillgrid.suggest``; this module holds what does
not depend on a library: the words and phrases a criterion is matched on, and the ranking
that keeps the top k above a backend's calibrated threshold. A statement whose best score is
below the threshold gets no suggestion ("no good match") instead of a forced one.
Suggestions are evidence for a person to accept, never ratings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from skillgrid.domain.statements import Statement

MAX_TOP = 10


@dataclass(frozen=True)
class Suggestion:
    criterion: str  # id in the framework version, e.g. NET.3.2
    score: float


@dataclass(frozen=True)
class Suggested:
    """A statement and its suggestions, best first; empty means "no good match"."""

    statement: Statement
    suggestions: tuple[Suggestion, ...]

    @property
    def no_match(self) -> bool:
        return not self.suggestions


def rank(
    statements: Sequence[Statement],
    scores: Sequence[Sequence[float]],
    criteria: Sequence[str],
    top: int,
    threshold: float,
) -> list[Suggested]:
    """Per statement, the ``top`` best criteria whose score reaches ``threshold``."""
    result = []
    for statement, row in zip(statements, scores, strict=True):
        best = sorted(range(len(criteria)), key=lambda i: -float(row[i]))[:top]
        kept = tuple(
            Suggestion(criteria[i], round(float(row[i]), 4))
            for i in best
            if float(row[i]) >= threshold
        )
        result.append(Suggested(statement, kept))
    return result


_PHRASE_BREAK = re.compile(r",|;|\(|\)|/|\s-\s|\blike\b|\band\b|\bor\b", re.IGNORECASE)


def criterion_phrases(text: str) -> list[str]:
    """The criterion's text and the parts of its lists ("like DNS, Load Balancers, and …"),
    so a statement about one listed item is not diluted by the others."""
    parts = [" ".join(p.split()) for p in _PHRASE_BREAK.split(text)]
    phrases = [text] + [p for p in parts if p and p.lower() not in _STOP and p != text]
    return list(dict.fromkeys(phrases))


_WORD = re.compile(r"[a-z0-9]+(?:[+#][a-z0-9+#]*)?")
_STOP = frozenset(
    """a an the and or of to in on for with by at from as is are be been was were it its this
    that these those their our my we i me us you your they them he she his her can could will
    would should may might must not no so than then there here into over under up down out
    about after before during while like using use uses used via per each every all any some
    such other more most less few very also just only own same new based well""".split()
)
_SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "ies", "ied", "ed", "es", "er", "ly", "s")


def terms(text: str) -> list[str]:
    """Lower-case word stems for lexical matching (stop words out, common suffixes off)."""
    result = []
    for word in _WORD.findall(text.lower()):
        if word in _STOP:
            continue
        for suffix in _SUFFIXES:
            if len(word) > len(suffix) + 3 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        result.append(word)
    return result
