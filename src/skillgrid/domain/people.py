"""People, teams and who manages whom."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote

from skillgrid.domain.errors import SkillGridError

# no space, control character or "/" (classes JSON Schema's regexes read alike): the API's
# too. A "/" could not stand in one segment of a web address: servers decode %2F before they
# route, so /people/a%2Fb@x.org/growth would name no page
EMAIL_PATTERN = r"[^@/\x00-\x20\x7f]+@[^@/\x00-\x20\x7f]+\.[^@/\x00-\x20\x7f]+"
EMAIL = re.compile(EMAIL_PATTERN)


class PeopleError(SkillGridError):
    """A person or team that cannot be stored as given."""


class MassDeactivation(SkillGridError):
    """A sync would deactivate more people than it may without being told it may."""


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    ENGINEER = "engineer"


@dataclass(frozen=True, slots=True)
class Team:
    """A team; ``parent`` names the team it belongs to (teams nest)."""

    name: str
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """Someone on the ladder. ``manager`` is the manager's email (at most one)."""

    email: str
    name: str
    team: str | None = None
    manager: str | None = None
    role: Role = Role.ENGINEER
    active: bool = True


def holds(text: str, needle: str) -> bool:
    """Whether ``text`` holds ``needle`` (already :func:`search_form`) in any case and
    either Unicode form: "Zoë" typed as e + combining diaeresis (macOS, pasted text)
    finds the name stored as one letter, and the other way round."""
    return needle in search_form(text)


def search_form(text: str) -> str:
    """``text`` as names and emails are searched: NFC, without case or surrounding spaces."""
    return unicodedata.normalize("NFC", text.casefold()).strip()


def normal_email(email: str) -> str:
    """Emails compare without case and surrounding spaces."""
    return email.strip().lower()


def check_email(email: str) -> str:
    """The normalised email, or a PeopleError saying what is wrong with it."""
    normal = normal_email(email)
    if "/" in normal:
        raise PeopleError(f"{email!r}: SkillGrid cannot use an email holding '/' in its links")
    if not EMAIL.fullmatch(normal):
        raise PeopleError(f"{email!r} is not an email address (name@example.com)")
    return normal


def url_segment(text: str) -> str:
    """``text`` as one segment of a web address path: an email may hold ``#``, ``?`` or
    ``%``, which would otherwise end the path or change it (``jo#ops@x.org`` →
    ``jo%23ops@x.org``)."""
    return quote(text, safe="@+")


def manager_cycle(
    managers: Mapping[str, str | None], first: Iterable[str] = ()
) -> list[str] | None:
    """A chain of people that manages itself (A → B → A), or None.

    ``managers`` maps each person's email to their manager's email; the search starts from
    ``first`` (say, the people just changed), so the chain reads from them.
    """
    for start in [*first, *managers]:
        seen: list[str] = []
        current: str | None = start
        while current is not None and current not in seen:
            seen.append(current)
            current = managers.get(current)
        if current is not None:
            return [*seen[seen.index(current) :], current]
    return None


def describe_cycle(chain: Iterable[str]) -> str:
    return " → ".join(chain)
