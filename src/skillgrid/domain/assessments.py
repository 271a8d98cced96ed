"""Review cycles, assessments and who may do what with them.

An assessment is (person, cycle, rater) where the rater is ``self``, ``manager`` or a peer's
email. It holds one entry per rated criterion (keyed by the criterion's stable identity) and
moves draft → submitted → finalized; a finalized assessment is read-only. The finalized
manager assessment is the person's official result for the cycle: self and peer ratings are
shown beside it and never feed it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from skillgrid.domain.errors import SkillGridError
from skillgrid.domain.leveling import Rating
from skillgrid.domain.people import EMAIL, Role, normal_email

SELF = "self"
MANAGER = "manager"


class AssessmentError(SkillGridError):
    """An assessment action that the rules do not allow."""


class StateError(AssessmentError):
    """The assessment or cycle is not in a state that allows this (finalized, closed …)."""


class Forbidden(SkillGridError):
    """The acting person may not do this."""


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    FINALIZED = "finalized"


NOT_STARTED = "not_started"  # the API's state of an assessment with nothing stored yet
STEPS = ("self", "manager", "calibration", "close")  # a cycle's steps, in order
# e.g. 2026-H2 or Früh 2027: a letter or digit of any script first (\w is Unicode), then
# letters, digits, ' ', '.', '_' or '-', ending on no space; at most 100. No '/' (servers
# decode %2F before routing) and no control character. Also the API schema's pattern.
CYCLE_NAME = r"[^\W_](?:[\w. -]{0,98}[\w.-])?"
_CYCLE_NAME = re.compile(CYCLE_NAME)


def cycle_key(name: str) -> str:
    """A cycle name as stored and compared: NFC, so "ü" typed as u + combining diaeresis
    (macOS keyboards, some files) names the same cycle as the single letter. Opening a
    cycle stores this form; every lookup by name compares in it."""
    return unicodedata.normalize("NFC", name)


def find_cycle(cycles: Iterable[Cycle], name: str) -> Cycle | None:
    """The cycle called ``name`` (in any Unicode normal form) among ``cycles``, if any."""
    key = cycle_key(name)
    return next((cycle for cycle in cycles if cycle.name == key), None)


def cycle_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a cycle (and what to do), or None when it can."""
    if _CYCLE_NAME.fullmatch(name):
        return None
    return (
        f"cycle name {name!r}: use letters and digits (any script), space, '.', '_' or '-', "
        "starting with a letter or digit, up to 100 characters (e.g. 2026-H2 or Früh 2027)"
    )


@dataclass(frozen=True, slots=True)
class DueDates:
    """When a cycle's steps are due, each optional: self-assessments (``self_``), manager
    reviews, calibration, and the close, which comes after every other due date."""

    self_: dt.date | None = None
    manager: dt.date | None = None
    calibration: dt.date | None = None
    close: dt.date | None = None

    def __post_init__(self) -> None:
        if self.close is None:
            return
        for step, due in self.steps().items():
            if step != "close" and due is not None and due > self.close:
                raise AssessmentError(
                    f"the {step} due date {due.isoformat()} is after the close "
                    f"{self.close.isoformat()}: the close comes last — move one of them"
                )

    @classmethod
    def of(cls, steps: Mapping[str, dt.date | None]) -> DueDates:
        """From step names (``self``, ``manager``, ``calibration``, ``close``)."""
        unknown = sorted(set(steps) - set(STEPS))
        if unknown:
            raise AssessmentError(
                f"no step {unknown[0]!r} in a cycle: due dates are for {', '.join(STEPS)}"
            )
        return cls(*(steps.get(step) for step in STEPS))

    def steps(self) -> dict[str, dt.date | None]:
        """Step name → due date (or None), in order."""
        return dict(
            zip(STEPS, (self.self_, self.manager, self.calibration, self.close), strict=True)
        )

    def as_dict(self) -> dict[str, str | None]:
        """Step name → ISO date (or None), in order: how JSON and the audit trail show them."""
        return {
            step: None if day is None else day.isoformat() for step, day in self.steps().items()
        }

    @property
    def any(self) -> bool:
        return any(day is not None for day in self.steps().values())


@dataclass(frozen=True, slots=True)
class Cycle:
    """A named review period pinned to one version of a ladder."""

    name: str
    framework: str
    version: int
    open: bool = True
    due: DueDates = DueDates()

    def to_dict(self) -> dict[str, object]:
        """The cycle as JSON shows it (the API, ``skillgrid cycle list --json``)."""
        return {
            "name": self.name,
            "framework": self.framework,
            "version": self.version,
            "open": self.open,
            "due": self.due.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class Entry:
    """One criterion's rating; ``n/a`` needs a ``reason``."""

    rating: Rating
    reason: str | None = None
    comment: str | None = None
    needs_review: bool = False  # the criterion changed since this rating was given: check it
    # how, when it moved ("moved from level 2 to level 3", "reworded, moved from …"); None:
    # reworded only
    review_reason: str | None = None


@dataclass(frozen=True)
class Assessment:
    """Ratings by one rater of one person in one cycle. ``revision`` counts stored writes so
    a write based on an older read is refused instead of silently lost."""

    person: str
    cycle: str
    rater: str
    state: State = State.DRAFT
    entries: Mapping[str, Entry] = field(default_factory=dict)  # criterion uid → entry
    revision: int = 0

    @property
    def started(self) -> bool:
        """Something was stored: an assessment read before its first write (revision 0, no
        ratings) is "not started", however its default state reads."""
        return self.revision > 0 or bool(self.entries)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a person's email and role (``None`` email: the local operator)."""

    email: str | None
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


OPERATOR = Actor(None, Role.ADMIN)


def check_rater(rater: str, person: str) -> str:
    """``self``, ``manager`` or a peer's email (not the person's own)."""
    value = rater.strip().lower()
    if value in (SELF, MANAGER):
        return value
    value = normal_email(value)
    if not EMAIL.fullmatch(value):
        raise AssessmentError(f"rater {rater!r}: use self, manager or a peer's email")
    if value == person:
        raise AssessmentError(f"{person} cannot be their own peer: use --rater self")
    return value


def check_entry(criterion: str, entry: Entry) -> None:
    if entry.rating is Rating.NOT_APPLICABLE and not (entry.reason or "").strip():
        raise AssessmentError(f"n/a for {criterion} needs a reason")


def next_state(current: State, action: str) -> State:
    """The state after ``submit``, ``finalize`` or ``reopen`` (finalized → submitted, for a
    correction); anything else is refused with a reason."""
    if action == "reopen":
        if current is not State.FINALIZED:
            raise StateError(f"only a finalized assessment reopens; this one is {current.value}")
        return State.SUBMITTED
    if current is State.FINALIZED:
        raise StateError("the assessment is finalized and read-only")
    if action == "submit" and current is State.DRAFT:
        return State.SUBMITTED
    if action == "finalize" and current is State.SUBMITTED:
        return State.FINALIZED
    if action == "finalize":
        raise StateError("submit the assessment before finalizing it")
    raise StateError(f"cannot {action} an assessment that is {current.value}")
