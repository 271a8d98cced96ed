"""The audit trail: each audited action writes exactly the expected entry, with only the
changed fields and never a secret or personal text."""

from __future__ import annotations

import datetime as dt

import pytest

from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.domain.audit import CHANGED_TEXT, PERSONAL_TEXT, AuditEntry
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.leveling import Rating
from skillgrid.domain.people import Person, Role
from skillgrid.domain.policies import parse_policy
from skillgrid.services import (
    assessments,
    cycles,
    evidence,
    frameworks,
    people,
    people_import,
    review_form,
)
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.test_assessment_services import ANA, BO, PEOPLE

A = "ana@x.org/2026-H2/self"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    frameworks.install_builtin(uow, actor=OPERATOR)
    people_import.import_people(uow, PEOPLE, "people.csv", actor=OPERATOR)
    cycles.open_cycle(uow, "2026-H2", "sre", actor=OPERATOR)
    uow.audit.entries.clear()
    return uow


def only(uow: FakeUnitOfWork) -> AuditEntry:
    """The one entry written since the last call."""
    entries = list(uow.audit.entries)
    uow.audit.entries.clear()
    assert len(entries) == 1, entries
    return entries[0]


def uid(uow: FakeUnitOfWork, cid: str) -> str:
    ladder = frameworks.get_framework(uow, "sre")
    return next(str(c.uid) for c in ladder.criteria if c.id == cid)


def test_a_rating_records_the_criterion_and_old_and_new_rating(uow) -> None:
    assessments.rate(uow, ANA, "ana@x.org", "2026-H2", "self", {"NET.1.1": Entry(Rating.MEETS)})
    first = only(uow)
    assert (first.actor, first.action, first.entity, first.entity_id, first.person) == (
        "ana@x.org",
        "rate",
        "assessment",
        A,
        "ana@x.org",
    )
    net = uid(uow, "NET.1.1")
    assert first.before == {"NET.1.1": {"uid": net, "rating": None}}
    assert first.after == {"NET.1.1": {"uid": net, "rating": "meets"}}
    assessments.rate(
        uow, ANA, "ana@x.org", "2026-H2", "self", {"NET.1.1": Entry(Rating.EXCEEDS, None, "mine")}
    )
    second = only(uow)
    assert second.before == {"NET.1.1": {"uid": net, "rating": "meets", "comment": None}}
    assert second.after == {"NET.1.1": {"uid": net, "rating": "exceeds", "comment": PERSONAL_TEXT}}


def test_a_changed_comment_is_recorded_as_changed_never_as_text(uow) -> None:
    rate = {"NET.1.1": Entry(Rating.MEETS, None, "secret one")}
    assessments.rate(uow, ANA, "ana@x.org", "2026-H2", "self", rate)
    uow.audit.entries.clear()
    rate = {"NET.1.1": Entry(Rating.MEETS, None, "secret two")}
    assessments.rate(uow, ANA, "ana@x.org", "2026-H2", "self", rate)
    entry = only(uow)
    assert entry.before["NET.1.1"]["comment"] == PERSONAL_TEXT
    assert entry.after["NET.1.1"]["comment"] == CHANGED_TEXT
    assert "secret" not in repr(entry)


def test_an_unchanged_save_records_nothing(uow) -> None:
    rate = {"NET.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow, ANA, "ana@x.org", "2026-H2", "self", rate)
    uow.audit.entries.clear()
    assessments.rate(uow, ANA, "ana@x.org", "2026-H2", "self", rate)
    assert uow.audit.entries == []


def test_transitions_record_the_state_before_and_after(uow) -> None:
    assessments.rate(uow, BO, "ana@x.org", "2026-H2", "manager", {"NET.1.1": Entry(Rating.MEETS)})
    uow.audit.entries.clear()
    assessments.submit(uow, BO, "ana@x.org", "2026-H2", "manager")
    submitted = only(uow)
    assert (submitted.action, submitted.before, submitted.after) == (
        "submit",
        {"state": "draft"},
        {"state": "submitted"},
    )
    assessments.finalize(uow, BO, "ana@x.org", "2026-H2")
    finalized = only(uow)
    assert (finalized.actor, finalized.action, finalized.after) == (
        "bo@x.org",
        "finalize",
        {"state": "finalized"},
    )
    assessments.invite_peer(uow, ANA, "ana@x.org", "2026-H2", "cy@x.org")
    invited = only(uow)
    assert (invited.action, invited.entity_id) == ("invite", "ana@x.org/2026-H2/cy@x.org")


def test_evidence_is_recorded_without_its_text(uow) -> None:
    item = Evidence("ana@x.org", "Postmortem", None, dt.date(2026, 3, 1), "private words")
    stored = evidence.add_evidence(uow, ANA, item, ["NET.1.1"], "sre")
    added = only(uow)
    assert (added.action, added.entity, added.entity_id) == ("add", "evidence", str(stored.id))
    assert added.after == {
        "title": "Postmortem",
        "date": "2026-03-01",
        "source": "manual",
        "text": PERSONAL_TEXT,
        "criteria": ["NET.1.1"],
    }
    evidence.link_evidence(uow, ANA, "ana@x.org", stored.id or 0, ["NET.1.2"], "sre")
    linked = only(uow)
    assert (linked.action, linked.before, linked.after) == (
        "link",
        {"criteria": ["NET.1.1"]},
        {"criteria": ["NET.1.2"]},
    )
    assert "private" not in repr(added)


def test_evidence_from_the_review_form_is_recorded_with_the_ratings(uow) -> None:
    review_form.save_review(
        uow,
        ANA,
        "ana@x.org",
        "2026-H2",
        "self",
        {"NET.1.1": Entry(Rating.MEETS)},
        [("NET.1.1", "Talk", "https://x.org/t")],
        revision=None,
    )
    assert [(e.action, e.entity) for e in uow.audit.entries] == [
        ("rate", "assessment"),
        ("add", "evidence"),
    ]


def test_cycles_are_recorded_open_close_reopen(uow) -> None:
    cycles.open_cycle(uow, "2027-H1", "sre", actor=OPERATOR)
    assert only(uow).after == {"framework": "sre", "version": 1, "open": True}
    cycles.set_cycle_open(uow, "2027-H1", False, actor=OPERATOR)
    closed = only(uow)
    assert (closed.actor, closed.action, closed.before, closed.after) == (
        "cli/operator",
        "close",
        {"open": True},
        {"open": False},
    )
    cycles.set_cycle_open(uow, "2027-H1", True, actor=OPERATOR)
    assert only(uow).action == "reopen"


def test_ladder_imports_and_policy_changes_are_recorded(uow, seed_bytes: bytes) -> None:
    changed = seed_bytes.replace(b"SELinux", b"SELinux or AppArmor profiles")
    frameworks.import_framework(uow, changed, "sre2.tsv", "sre", actor=OPERATOR)
    imported = only(uow)
    assert (imported.action, imported.entity, imported.entity_id) == ("import", "framework", "sre")
    assert imported.before == {"version": 1}
    assert imported.after["version"] == 2 and imported.after["source"] == "sre2.tsv"
    frameworks.import_framework(
        uow, changed, "sre2.tsv", "sre", actor=OPERATOR
    )  # unchanged: no new version
    assert uow.audit.entries == []
    frameworks.set_policy(uow, "sre", parse_policy("tolerance:1"), actor=OPERATOR)
    policy = only(uow)
    assert (policy.before, policy.after) == ({"policy": "strict"}, {"policy": "tolerance:1"})


def test_people_changes_record_only_the_changed_fields(uow) -> None:
    people.add_person(uow, Person("dee@x.org", "Dee", "SRE", "bo@x.org"), actor=OPERATOR)
    added = only(uow)
    assert (added.action, added.entity_id, added.after) == (
        "add",
        "dee@x.org",
        {"name": "Dee", "team": "SRE", "manager": "bo@x.org", "role": "engineer", "active": True},
    )
    people.change_person(uow, "dee@x.org", role=Role.MANAGER, manager="", actor=OPERATOR)
    updated = only(uow)
    assert (updated.before, updated.after) == (
        {"manager": "bo@x.org", "role": "engineer"},
        {"manager": None, "role": "manager"},
    )
    people.change_person(uow, "dee@x.org", active=False, actor=OPERATOR)
    assert only(uow).action == "deactivate"
    people.add_team(uow, "Platform", "SRE", actor=OPERATOR)
    assert only(uow).after == {"parent": "SRE"}


def test_a_people_import_records_one_entry_per_added_or_changed_person(uow) -> None:
    again = PEOPLE.replace(b"Cy,cy@x.org,SRE,bo@x.org,engineer", b"Cy,cy@x.org,SRE,,engineer")
    people_import.import_people(
        uow, again + b"Eve,eve@x.org,Ops,,engineer\n", "people.csv", actor=OPERATOR
    )
    assert sorted((e.action, e.entity, e.entity_id) for e in uow.audit.entries) == [
        ("add", "person", "eve@x.org"),
        ("add", "team", "Ops"),
        ("update", "person", "cy@x.org"),
    ]


def test_the_operator_is_named_as_such(uow) -> None:
    assessments.rate(
        uow, OPERATOR, "ana@x.org", "2026-H2", "self", {"NET.1.1": Entry(Rating.MEETS)}
    )
    assert only(uow).actor == "cli/operator"


def test_a_reopen_is_recorded_like_the_other_transitions(uow) -> None:
    assessments.rate(uow, BO, "ana@x.org", "2026-H2", "manager", {"NET.1.1": Entry(Rating.MEETS)})
    assessments.submit(uow, BO, "ana@x.org", "2026-H2", "manager")
    assessments.finalize(uow, BO, "ana@x.org", "2026-H2")
    uow.audit.entries.clear()
    assessments.reopen(uow, OPERATOR, "ana@x.org", "2026-H2")
    reopened = only(uow)
    assert (reopened.action, reopened.before, reopened.after) == (
        "reopen",
        {"state": "finalized"},
        {"state": "submitted"},
    )


def test_team_targets_are_recorded(uow) -> None:
    from skillgrid.domain.insight import Target
    from skillgrid.services import targets

    targets.set_target(uow, Target("SRE", "sre", "NET", 3, 2), actor=OPERATOR)
    added = only(uow)
    assert (added.action, added.entity, added.entity_id, added.after) == (
        "set",
        "target",
        "sre/SRE/NET",
        {"level": 3, "people": 2},
    )
    targets.set_target(uow, Target("SRE", "sre", "NET", 3, 3), actor=OPERATOR)
    assert only(uow).after == {"people": 3}
    targets.remove_target(uow, "SRE", "sre", "NET", actor=OPERATOR)
    removed = only(uow)
    assert (removed.action, removed.before) == ("remove", {"level": 3, "people": 3})


def test_accepted_suggestions_are_recorded_as_evidence(uow) -> None:
    from skillgrid.services.suggestions import Accepted, accept

    accept(uow, ANA, "ana@x.org", "sre", [Accepted("Ran the DNS failover drill", ("NET.1.1",))])
    added = only(uow)
    assert (added.actor, added.action, added.entity, added.after["criteria"]) == (
        "ana@x.org",
        "add",
        "evidence",
        ["NET.1.1"],
    )
