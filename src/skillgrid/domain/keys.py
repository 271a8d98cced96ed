"""Short, unique, stable track keys derived from track names.

"Site Reliability Engineering (SRE)" → ``SRE`` (an acronym in parentheses wins),
"Product Output" → ``PO`` (initials), "Networking" → ``NET`` (a single word's first
letters), "Communication/Writing" → ``CW``. A key already used gets a number: ``PO2``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

KEY_PATTERN = re.compile(r"[A-Z][A-Z0-9_]{0,15}")
MAX_KEY_LENGTH = 16
_PAREN_ACRONYM = re.compile(r"\(([A-Za-z][A-Za-z0-9&]{1,9})\)\s*$")
_WORD = re.compile(r"[A-Za-z0-9]+")
_KEY_SUFFIX = re.compile(r"^(.*\S)\s*\[key:\s*([A-Z][A-Z0-9_]{0,15})\s*\]$", re.DOTALL | re.I)
_STOP_WORDS = frozenset({"and", "of", "the", "for", "in", "on", "to", "a", "an", "with"})


def is_valid_key(key: str) -> bool:
    """Keys are upper-case letters, digits and ``_``, starting with a letter, 16 at most."""
    return KEY_PATTERN.fullmatch(key) is not None


def derive_key(name: str) -> str:
    """A key for one name, before making it unique among its neighbours."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    acronym = _PAREN_ACRONYM.search(ascii_name)
    if acronym:
        return _as_key(acronym.group(1))
    words = [w for w in _WORD.findall(ascii_name) if w.lower() not in _STOP_WORDS]
    if not words:
        words = _WORD.findall(ascii_name)
    if not words:
        return "T"
    if len(words) == 1:
        word = words[0]
        return _as_key(word if word.isupper() and len(word) <= 6 else word[:3])
    return _as_key("".join(w if w.isupper() and len(w) <= 4 else w[0] for w in words[:5]))


def assign_keys(names: Sequence[str], known: Mapping[str, str] | None = None) -> list[str]:
    """Unique keys for ``names`` in order; ``known`` (name → key) keeps earlier keys stable:
    a name seen before keeps its key, and no other name is given one of those keys."""
    known_by_name = {name.casefold(): key for name, key in (known or {}).items()}
    reserved = set(known_by_name.values())  # a new track never takes a known track's key
    taken: set[str] = set()
    keys: list[str] = []
    for name in names:
        key = known_by_name.get(name.casefold())
        if key is None or key in taken:
            key = _unique(derive_key(name), taken | reserved)
        taken.add(key)
        keys.append(key)
    return keys


def _as_key(text: str) -> str:
    key = re.sub(r"[^A-Z0-9]", "", text.upper())
    if not key or not key[0].isalpha():
        key = "T" + key
    return key[: MAX_KEY_LENGTH - 3]


def _unique(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    suffix = 2
    while f"{base}{suffix}" in taken:
        suffix += 1
    return f"{base}{suffix}"


def split_key_suffix(label: str) -> tuple[str, str | None]:
    """Split "Networking [key: NET]" into ("Networking", "NET"); other names have no key
    (a note such as "Delivery [DRAFT]" stays part of the name)."""
    match = _KEY_SUFFIX.match(label)
    if match and is_valid_key(match.group(2)):
        return match.group(1).strip(), match.group(2)
    return label, None
