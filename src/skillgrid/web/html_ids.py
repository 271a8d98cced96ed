"""HTML ids made from names people choose (cycle names such as "Früh 2027", emails): an id
may hold no white space, and two names must not make the same id on one page."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_KEPT = re.compile(r"[A-Za-z0-9_.@+-]+")  # already a plain id: kept as it is (stable links)
_OTHER = re.compile(r"[^A-Za-z0-9_.-]+")


def html_id(text: str) -> str:
    """``text`` as a valid HTML id: kept when it is plain ASCII with no space (``due-2026-H2``),
    else an ASCII slug and a short hash of the whole text (``due-Fruh-2027-1f0c9e2a``), so
    names that slug alike ("Früh 2027", "Früh-2027") still make different ids."""
    if _KEPT.fullmatch(text):
        return text
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _OTHER.sub("-", ascii_text).strip("-") or "id"
    return f"{slug}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
