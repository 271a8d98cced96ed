"""Evidence: work a person points to (a link, a note, a postmortem, a talk), linked to any
number of criteria by their stable identity, so links survive new ladder versions."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from skillgrid.domain.errors import SkillGridError

SOURCES = ("manual", "postmortem", "talk", "git", "design", "review", "incident", "other")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)


class EvidenceError(SkillGridError):
    """Evidence that cannot be stored as given."""


@dataclass(frozen=True)
class Evidence:
    owner: str
    title: str
    url: str | None = None
    date: dt.date | None = None
    text: str | None = None
    source: str = "manual"
    criteria: frozenset[str] = field(default_factory=frozenset)  # criterion uids
    id: int | None = None


def check_evidence(evidence: Evidence) -> Evidence:
    """Trimmed evidence, or an EvidenceError saying what to fix."""
    title = evidence.title.strip()
    if not title or len(title) > 300:
        raise EvidenceError("evidence needs a title of 1 to 300 characters")
    url = (evidence.url or "").strip() or None
    if url is not None and not _URL.fullmatch(url):
        raise EvidenceError(f"{url!r} is not a web address (http:// or https://)")
    source = evidence.source.strip().lower() or "manual"
    if source not in SOURCES:
        raise EvidenceError(f"source {evidence.source!r}: use one of {', '.join(SOURCES)}")
    text = (evidence.text or "").strip() or None
    if text is not None and len(text) > 20_000:
        raise EvidenceError("evidence text is limited to 20,000 characters")
    return Evidence(
        evidence.owner, title, url, evidence.date, text, source, evidence.criteria, evidence.id
    )
