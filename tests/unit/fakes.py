"""Hand-written fakes at the unit-of-work boundary: services run in memory, in microseconds."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Any, Self

from skillgrid.domain.assessments import Assessment, Cycle
from skillgrid.domain.audit import AuditEntry, AuditQuery, AuditScope
from skillgrid.domain.errors import Conflict
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.framework import Framework, VersionInfo
from skillgrid.domain.people import Person, Team
from skillgrid.domain.policies import Policy, Strict
from tests.unit.fake_notifications import FakeNotificationRepository


class FakeFrameworkRepository:
    def __init__(self) -> None:
        self.stored: dict[str, list[Framework]] = {}
        self.policies: dict[str, Policy] = {}
        self.changes: dict[tuple[str, int], dict[int, str]] = {}
        self.cycles: Any = list

    def latest(self, name: str) -> Framework | None:
        versions = self.stored.get(name)
        return versions[-1] if versions else None

    def get(self, name: str, version: int | None = None) -> Framework | None:
        if version is None:
            return self.latest(name)
        return next((f for f in self.stored.get(name, []) if f.version == version), None)

    def versions(self, name: str) -> list[VersionInfo]:
        return [_info(f) for f in self.stored.get(name, [])]

    def policy(self, name: str) -> Policy:
        return self.policies.get(name, Strict())

    def of_cycles(self) -> list[tuple[Any, Framework, Policy]]:
        found = []
        for cycle in self.cycles():
            ladder = self.get(cycle.framework, cycle.version)
            assert ladder is not None
            found.append((cycle, ladder, self.policy(cycle.framework)))
        return found

    def set_policy(self, name: str, policy: Policy) -> None:
        self.policies[name] = policy

    def latest_versions(self) -> list[VersionInfo]:
        return [_info(versions[-1]) for _, versions in sorted(self.stored.items())]

    def add(
        self, framework: Framework, changes: dict[int, str], source: Any, fmt: Any
    ) -> Framework:
        versions = self.stored.setdefault(framework.name, [])
        criteria = tuple(
            c if c.uid else replace(c, uid=str(uuid.uuid4())) for c in framework.criteria
        )
        stored = replace(framework, criteria=criteria, version=len(versions) + 1)
        versions.append(stored)
        self.changes[(framework.name, len(versions))] = dict(changes)
        return stored


def _info(framework: Framework) -> VersionInfo:
    return VersionInfo(
        framework.name,
        framework.version or 0,
        framework.title,
        len(framework.levels),
        len(framework.tracks),
        len(framework.criteria),
        None,
        None,
    )


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.frameworks = FakeFrameworkRepository()
        self.people = FakePeopleRepository()
        self.assessments = FakeAssessmentRepository()
        self.evidence = FakeEvidenceRepository()
        self.accounts = FakeAccountRepository()
        self.insight = FakeInsightRepository()
        self.summaries = FakeSummaryRepository()
        self.audit = FakeAuditRepository()
        self.notifications = FakeNotificationRepository()
        self.frameworks.cycles = self.assessments.cycles  # the store joins them
        self.commits = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def write(self) -> Self:
        return self

    def snapshot(self) -> Self:
        return self

    def commit(self) -> None:
        self.commits += 1


class FakePeopleRepository:
    def __init__(self) -> None:
        self.by_email: dict[str, Person] = {}
        self.team_list: list[Team] = []

    def directory(self) -> list[tuple[str, str | None, str | None]]:
        return [(p.email, p.team, p.manager) for p in self.by_email.values()]

    def teams(self) -> list[Team]:
        return sorted(self.team_list, key=lambda team: team.name)

    def add_team(self, team: Team) -> None:
        self.team_list.append(team)

    def people(self) -> list[Person]:
        return [self.by_email[email] for email in sorted(self.by_email)]

    def get(self, email: str) -> Person | None:
        return self.by_email.get(email)

    def unmanaged(self, teams: Sequence[str] | None = None) -> list[Person]:
        return [
            p
            for p in self.people()
            if p.active and p.manager is None and (teams is None or p.team in teams)
        ]

    def with_chain(self, email: str) -> tuple[Person | None, list[str]]:
        found = self.get(email)
        return found, self._chain_above(email) if found is not None else []

    def _chain_above(self, email: str) -> list[str]:
        chain: list[str] = []
        current = self.by_email[email].manager if email in self.by_email else None
        while current is not None:
            chain.append(current)
            current = self.by_email[current].manager
        return chain

    def save(self, people: list[Person]) -> None:
        self.by_email.update({person.email: person for person in people})


class FakeAssessmentRepository:
    def __init__(self) -> None:
        self.cycle_list: list[Cycle] = []
        self.stored: dict[tuple[str, str, str], Assessment] = {}

    def cycles(self) -> list[Cycle]:
        return list(self.cycle_list)

    def add_cycle(self, cycle: Cycle) -> None:
        self.cycle_list.append(cycle)

    def set_open(self, name: str, is_open: bool) -> None:
        self.cycle_list = [
            replace(c, open=is_open) if c.name == name else c for c in self.cycle_list
        ]

    def set_due(self, name: str, due: Any) -> None:
        self.cycle_list = [replace(c, due=due) if c.name == name else c for c in self.cycle_list]

    def get(self, person: str, cycle: str, rater: str) -> Assessment | None:
        return self.stored.get((person, cycle, rater))

    def count_by_state(self) -> dict[str, int]:
        return dict(Counter(a.state.value for a in self.stored.values()))

    def open_cycle_count(self) -> int:
        return sum(cycle.open for cycle in self.cycle_list)

    def move_cycle(self, name: str, version: int) -> None:
        self.cycle_list = [
            replace(c, version=version) if c.name == name else c for c in self.cycle_list
        ]

    def in_cycle(self, cycle: str, people: Any = None) -> list[Assessment]:
        return sorted(
            (
                a
                for a in self.stored.values()
                if a.cycle == cycle and (people is None or a.person in people)
            ),
            key=lambda a: (a.person, a.rater),
        )

    def states(self, cycle: str, below: Any = None) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        for (person, at, rater), a in self.stored.items():
            if at == cycle:
                found.setdefault(person, {})[rater] = a.state.value
        return found

    def finalized_people(self, cycle: str, among: Sequence[str] | None = None) -> list[str]:
        return sorted(
            a.person
            for a in self.stored.values()
            if a.cycle == cycle
            and a.rater == "manager"
            and a.state.value == "finalized"
            and (among is None or a.person in among)
        )

    def for_person(
        self, person: str, cycle: str | None = None, rater: str | None = None
    ) -> list[Assessment]:
        order = [c.name for c in self.cycle_list]
        found = [
            a
            for (p, c, r), a in self.stored.items()
            if p == person and cycle in (None, c) and rater in (None, r)
        ]
        return sorted(found, key=lambda a: (order.index(a.cycle), a.rater))

    def drafts(self, names: Any) -> set[str]:
        return {
            f"{p}/{c}/{r}" for (p, c, r), a in self.stored.items() if a.state.value == "draft"
        } & set(names)

    def headers(self, person: str, rater: str) -> list[Assessment]:
        return [replace(a, entries={}) for a in self.for_person(person, rater=rater)]

    def history(self, person: str, rater: str) -> list[Assessment]:
        found = self.headers(person, rater)
        return found[:-1] + self.for_person(person, rater=rater)[-1:]

    def save(self, assessment: Assessment, stored: Any = None) -> Assessment:
        key = (assessment.person, assessment.cycle, assessment.rater)
        current = self.stored.get(key)
        if (current.revision if current else 0) != assessment.revision:
            raise Conflict("stale revision")
        saved = replace(
            assessment, entries=dict(assessment.entries), revision=assessment.revision + 1
        )
        self.stored[key] = saved
        return saved


class FakeEvidenceRepository:
    def __init__(self) -> None:
        self.items: list[Evidence] = []

    def for_person(self, email: str) -> list[Evidence]:
        return [item for item in reversed(self.items) if item.owner == email]

    def add(self, evidence: Evidence) -> Evidence:
        stored = replace(evidence, id=len(self.items) + 1)
        self.items.append(stored)
        return stored

    def statements_for(self, uids: Collection[str], each: int) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for item in reversed(self.items):
            for uid in item.criteria & set(uids):
                if len(found.setdefault(uid, [])) < each:
                    found[uid].append(item.text or item.title)
        return found

    def set_links(self, evidence_id: int, criteria: frozenset[str]) -> None:
        self.items = [
            replace(e, criteria=criteria) if e.id == evidence_id else e for e in self.items
        ]


class FakeAccountRepository:
    """Accounts are exercised against real databases; services that touch them in passing
    (deactivating a person ends their sessions) record what they asked for."""

    def __init__(self) -> None:
        self.ended: list[str] = []
        self.revoked: list[str] = []

    def end_sessions_of(self, email: str, keep: str | None = None) -> None:
        self.ended.append(email)

    def revoke_tokens_of(self, email: str) -> None:
        self.revoked.append(email)


class FakeSummaryRepository:
    """Stored summaries, in memory."""

    def __init__(self) -> None:
        self.stored: dict[tuple[str, str], tuple[Any, str | None]] = {}

    def save_summary(self, person: str, cycle: str, summary: Any, manager: str | None) -> None:
        self.stored[(person, cycle)] = (summary, manager)

    def save_summaries(self, cycle: str, rows: Any) -> None:
        for person, summary, manager in rows:
            self.stored[(person, cycle)] = (summary, manager)

    def delete_summary(self, person: str, cycle: str) -> None:
        self.stored.pop((person, cycle), None)

    def delete_summaries(self, cycles: Any) -> None:
        self.stored = {key: value for key, value in self.stored.items() if key[1] not in cycles}

    def stored_manager(self, person: str, cycle: str) -> tuple[str | None] | None:
        found = self.stored.get((person, cycle))
        return None if found is None else (found[1],)

    def team_drift(self) -> list[tuple[str, str]]:
        return []

    def stored_managers(self) -> dict[tuple[str, str], str | None]:
        return {key: manager for key, (_, manager) in self.stored.items()}

    def follow_teams(self, people: Any) -> None:
        """Summaries here hold no team."""

    def summaries(self) -> dict[tuple[str, str], tuple[Any, str | None]]:
        return dict(self.stored)

    def of_person(self, email: str) -> list[tuple[str, Any]]:
        return [
            (cycle, summary)
            for (person, cycle), (summary, _) in self.stored.items()
            if person == email
        ]


class FakeInsightRepository:
    """Targets; the aggregate reads are exercised on real databases."""

    def __init__(self) -> None:
        self.target_list: list[Any] = []

    def targets(self, framework: str | None = None, teams: Any = None) -> list[Any]:
        return [
            t
            for t in self.target_list
            if framework in (None, t.framework) and (teams is None or t.team in teams)
        ]

    def target_counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for target in self.target_list:
            found[target.team] = found.get(target.team, 0) + 1
        return found

    def set_target(self, target: Any) -> None:
        self.remove_target(target.team, target.framework, target.track)
        self.target_list.append(target)

    def remove_target(self, team: str, framework: str, track: str) -> bool:
        before = len(self.target_list)
        self.target_list = [
            t
            for t in self.target_list
            if (t.team, t.framework, t.track) != (team, framework, track)
        ]
        return len(self.target_list) < before


class FakeAuditRepository:
    """Entries kept in a list, newest last (the scope filter is exercised on real databases)."""

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    def add(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    def find(self, query: AuditQuery, scope: AuditScope | None) -> list[AuditEntry]:
        found = [
            e
            for e in reversed(self.entries)
            if query.person in (None, e.person) and query.entity in (None, e.entity)
        ]
        return found[query.offset : query.offset + query.limit]
