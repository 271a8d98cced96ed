"""What waits on whom in a review cycle, and the one digest a person is sent about it.

Pending work, per open cycle: a person's own self-assessment not yet submitted; for a
manager, each active direct report whose self-assessment is submitted while the manager
assessment is not finalized (it waits for the manager's review, then finalize). People
who are inactive get nothing and are nobody's pending work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from skillgrid.domain.assessments import MANAGER, SELF, Cycle, State
from skillgrid.domain.errors import SkillGridError
from skillgrid.domain.people import Person, url_segment

States = Mapping[str, Mapping[str, str]]  # person → rater → state, in one cycle
DONE = (State.SUBMITTED.value, State.FINALIZED.value)


class MailError(SkillGridError):
    """A mail could not be handed to the mail server."""


@dataclass(frozen=True, slots=True)
class Mail:
    """A plain-text mail to one address."""

    to: str
    subject: str
    text: str


@dataclass(frozen=True, slots=True)
class CycleWork:
    """What waits on one person in one cycle: ``own_self`` (their self-assessment is not
    submitted) and ``reviews`` (reports, as (name, email), waiting for their review)."""

    cycle: Cycle
    own_self: bool
    reviews: tuple[tuple[str, str], ...]

    @property
    def count(self) -> int:
        return int(self.own_self) + len(self.reviews)


@dataclass(frozen=True, slots=True)
class Digest:
    """Everything that waits on one person, across the cycles asked about."""

    email: str
    name: str
    work: tuple[CycleWork, ...]

    @property
    def count(self) -> int:
        return sum(item.count for item in self.work)

    def summary(self) -> str:
        """One line: what waits, cycle by cycle (for --dry-run and logs)."""
        parts = []
        for item in self.work:
            things = (["own self-assessment"] if item.own_self else []) + [
                f"review {email}" for _, email in item.reviews
            ]
            parts.append(f"{item.cycle.name}: {', '.join(things)}")
        return "; ".join(parts)


def pending_work(people: Sequence[Person], cycles: Sequence[tuple[Cycle, States]]) -> list[Digest]:
    """One digest for each active person with something pending, by email; no one else."""
    active = [person for person in people if person.active]
    digests = []
    for person in sorted(active, key=lambda p: p.email):
        reports = [p for p in active if p.manager == person.email]
        work = []
        for cycle, states in cycles:
            mine = states.get(person.email, {})
            reviews = tuple(
                (report.name, report.email)
                for report in reports
                if waits_for_manager(states.get(report.email, {}))
            )
            item = CycleWork(cycle, mine.get(SELF) not in DONE, reviews)
            if item.count:
                work.append(item)
        if work:
            digests.append(Digest(person.email, person.name, tuple(work)))
    return digests


STAGES = ("not started", "draft", "submitted", "finalized")


def stage(states: Mapping[str, str]) -> str:
    """How far a person's review has got in a cycle (one of ``STAGES``): finalized when the
    manager assessment is, submitted when either assessment is, draft when one is begun."""
    manager, own = states.get(MANAGER), states.get(SELF)
    if manager == State.FINALIZED.value:
        return "finalized"
    if State.SUBMITTED.value in (manager, own):
        return "submitted"
    return "draft" if manager or own else "not started"


def waits_for_manager(states: Mapping[str, str]) -> bool:
    """The self-assessment is submitted and the manager assessment not finalized: the
    person waits for their manager's review."""
    return states.get(SELF) in DONE and states.get(MANAGER) != State.FINALIZED.value


def overdue_steps(cycle: Cycle, states: Mapping[str, str], today: dt.date) -> frozenset[str]:
    """The steps of one person's review in ``cycle`` whose due date is before ``today``
    and that are not done: ``self`` while the self-assessment is not submitted, ``manager``
    while the manager assessment is not finalized (what the digest counts as pending). A
    closed cycle has nothing overdue: nothing can be done in it any more."""
    if not cycle.open:
        return frozenset()
    due = cycle.due.steps()
    pending = {
        SELF: states.get(SELF) not in DONE,
        MANAGER: states.get(MANAGER) != State.FINALIZED.value,
    }
    return frozenset(
        step
        for step, waiting in pending.items()
        if waiting and (day := due[step]) is not None and day < today
    )


def digest_mail(digest: Digest, base_url: str | None) -> Mail:
    """The digest as a mail; links to the pages when SkillGrid's address is known."""

    def link(path: str) -> str:
        return f": {base_url}{path}" if base_url else ""

    lines = [f"Hello {digest.name},", "", "This waits for you in SkillGrid:"]
    for item in digest.work:
        cycle = item.cycle
        due = ", ".join(f"{step} {day}" for step, day in cycle.due.as_dict().items() if day)
        lines += ["", f"Cycle {cycle.name}" + (f" (due: {due})" if due else "")]
        if item.own_self:
            path = f"people/{url_segment(digest.email)}/assess/{url_segment(cycle.name)}/self"
            lines.append(f"- your self-assessment, not submitted yet{link(path)}")
        for name, email in item.reviews:
            path = f"people/{url_segment(email)}/assess/{url_segment(cycle.name)}/manager"
            lines.append(f"- {name} ({email}) waits for your review{link(path)}")
    lines += [
        "",
        "You get at most one such reminder a day, while something waits for you.",
    ]
    things = "thing waits" if digest.count == 1 else "things wait"
    return Mail(digest.email, f"SkillGrid: {digest.count} {things} for you", "\n".join(lines))


MAILED_EVENTS = ("assessment.submitted", "assessment.finalized")


def event_recipient(event: str, rater: str, person: str, manager: str | None) -> str | None:
    """Who an event mail goes to: the manager when a self-assessment is submitted (it now
    waits for their review); the person when their manager assessment is finalized (their
    official result); nobody for other events."""
    if event == "assessment.submitted" and rater == SELF:
        return manager
    if event == "assessment.finalized" and rater == MANAGER:
        return person
    return None


def event_mail(
    to: str, names: Mapping[str, str], event: Mapping[str, object], base_url: str | None
) -> Mail:
    """The mail about ``event`` (a webhook body: ``event`` and ``data``) for ``to``;
    ``names`` maps emails to names; links to the pages when SkillGrid's address is known."""
    data = event["data"]
    assert isinstance(data, Mapping)
    person, cycle = str(data["person"]), str(data["cycle"])
    name = names.get(person, person)
    by = names.get(str(data["by"]), str(data["by"])) if data.get("by") else "An admin"
    if event["event"] == "assessment.finalized":
        subject = f"SkillGrid: your {cycle} assessment is finalized"
        text = (
            f"{by} finalized your manager assessment in {cycle}: it is your official "
            "result for the cycle."
        )
        path = f"people/{url_segment(person)}/growth"
    else:
        subject = f"SkillGrid: {name} submitted their self-assessment ({cycle})"
        text = (
            f"{name} ({person}) submitted their self-assessment in {cycle}; it waits for "
            "your review."
        )
        path = f"people/{url_segment(person)}/assess/{url_segment(cycle)}/manager"
    lines = [f"Hello {names.get(to, to)},", "", text]
    if base_url:
        lines += ["", f"{base_url}{path}"]
    lines += [
        "",
        "You get mails like this about your own review cycle; to stop them: "
        f"skillgrid notify events {to} --off (or ask an admin).",
    ]
    return Mail(to, subject, "\n".join(lines))
