"""Evidence: linked to criteria by identity (links survive new ladder versions), written by
its owner, read by the owner's management chain."""

from __future__ import annotations

import datetime as dt

import pytest

from skillgrid.domain.assessments import OPERATOR, Forbidden
from skillgrid.domain.errors import InputError, NotFound
from skillgrid.domain.evidence import Evidence, EvidenceError
from skillgrid.services import evidence, frameworks, people_import
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.test_assessment_services import ANA, BO, CY, PEOPLE

LADDER = (
    b"Level,Networking,Security\n1,Knows DNS. Knows DHCP.,Uses SSH keys.\n2,Runs LBs.,Uses MAC.\n"
)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    frameworks.import_framework(uow, LADDER, "v1.csv", "ops", actor=OPERATOR)
    people_import.import_people(uow, PEOPLE, "people.csv", actor=OPERATOR)
    return uow


def test_evidence_links_follow_criteria_into_new_versions(uow) -> None:
    item = Evidence(
        "ana@x.org",
        "SELinux rollout",
        "https://wiki.example/selinux",
        dt.date(2026, 5, 4),
        source="design",
    )
    stored = evidence.add_evidence(uow, ANA, item, ["SEC.2.1", "NET.1.2"], "ops")
    v2 = LADDER.replace(b"Uses SSH keys.,", b"Uses SSH keys. Rotates keys.,").replace(
        b"2,Runs LBs.,Uses MAC.", b"2,Runs LBs.,Hardens hosts. Uses MAC."
    )
    frameworks.import_framework(uow, v2, "v2.csv", "ops", actor=OPERATOR)
    newest = frameworks.get_framework(uow, "ops")
    listed = evidence.list_evidence(uow, ANA, "ana@x.org")
    assert [e.id for e in listed] == [stored.id]
    assert evidence.criterion_ids(newest, listed[0]) == ["NET.1.2", "SEC.2.2"]


def test_only_the_owner_or_an_admin_writes_and_the_chain_reads(uow) -> None:
    item = Evidence("ana@x.org", "Talk: on-call at scale", source="talk")
    with pytest.raises(Forbidden):
        evidence.add_evidence(uow, BO, item, [], "ops")
    evidence.add_evidence(uow, OPERATOR, item, ["NET.1.1"], "ops")
    assert len(evidence.list_evidence(uow, BO, "ana@x.org")) == 1
    with pytest.raises(NotFound):
        evidence.list_evidence(uow, CY, "ana@x.org")


def test_bad_evidence_is_refused(uow) -> None:
    with pytest.raises(InputError, match=r"unknown criterion 'NET\.9\.9'"):
        evidence.add_evidence(uow, ANA, Evidence("ana@x.org", "x"), ["NET.9.9"], "ops")
    with pytest.raises(EvidenceError, match="not a web address"):
        evidence.add_evidence(uow, ANA, Evidence("ana@x.org", "x", url="wiki/page"), [], "ops")
    with pytest.raises(EvidenceError, match="source 'blog'"):
        evidence.add_evidence(uow, ANA, Evidence("ana@x.org", "x", source="blog"), [], "ops")
    with pytest.raises(EvidenceError, match="title"):
        evidence.add_evidence(uow, ANA, Evidence("ana@x.org", "  "), [], "ops")
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        evidence.parse_date("4 May")
    assert uow.evidence.items == []


def test_links_can_be_changed(uow) -> None:
    stored = evidence.add_evidence(uow, ANA, Evidence("ana@x.org", "Runbook"), ["NET.1.1"], "ops")
    assert stored.id is not None
    evidence.link_evidence(uow, ANA, "ana@x.org", stored.id, ["NET.2.1", "SEC.1.1"], "ops")
    ladder = frameworks.get_framework(uow, "ops")
    item = evidence.list_evidence(uow, ANA, "ana@x.org")[0]
    assert evidence.criterion_ids(ladder, item) == ["NET.2.1", "SEC.1.1"]


def add(uow, title: str, criteria: list[str], owner: str = "ana@x.org") -> int:  # type: ignore[no-untyped-def]
    actor = ANA if owner == "ana@x.org" else OPERATOR
    stored = evidence.add_evidence(uow, actor, Evidence(owner, title), criteria, "ops")
    assert stored.id is not None
    return stored.id


def linked(uow) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    ladder = frameworks.get_framework(uow, "ops")
    items = evidence.list_evidence(uow, ANA, "ana@x.org")
    return {item.title: evidence.criterion_ids(ladder, item) for item in items}


def test_linking_to_a_criterion_ticks_exactly_the_chosen_items(uow) -> None:
    runbook = add(uow, "Runbook", ["NET.1.1", "SEC.1.1"])
    talk = add(uow, "Talk", [])
    evidence.link_to_criteria(uow, ANA, "ana@x.org", {"NET.1.1": {talk}}, "ops")
    assert linked(uow) == {"Talk": ["NET.1.1"], "Runbook": ["SEC.1.1"]}  # SEC.1.1 stays
    evidence.link_to_criteria(
        uow, ANA, "ana@x.org", {"NET.1.1": set(), "NET.2.1": {runbook}}, "ops"
    )
    assert linked(uow) == {"Talk": [], "Runbook": ["NET.2.1", "SEC.1.1"]}


def test_links_to_criteria_of_another_version_are_kept(uow) -> None:
    runbook = add(uow, "Runbook", ["NET.1.2"])
    frameworks.import_framework(  # v2 drops "Knows DHCP." (NET.1.2)
        uow, LADDER.replace(b" Knows DHCP.", b""), "v2.csv", "ops", actor=OPERATOR
    )
    evidence.link_to_criteria(uow, ANA, "ana@x.org", {"NET.1.1": {runbook}}, "ops")
    item = evidence.list_evidence(uow, ANA, "ana@x.org")[0]
    old = frameworks.get_framework(uow, "ops", 1)
    assert evidence.criterion_ids(old, item) == ["NET.1.1", "NET.1.2"]


def test_relinking_on_one_ladder_keeps_links_to_another(uow) -> None:
    frameworks.import_framework(
        uow, b"Level,Writing\n1,Writes docs.\n", "docs.csv", "docs", actor=OPERATOR
    )
    runbook = add(uow, "Runbook", ["NET.1.1"])
    evidence.link_evidence(uow, ANA, "ana@x.org", runbook, ["WRI.1.1"], "docs")
    evidence.link_evidence(uow, ANA, "ana@x.org", runbook, ["SEC.1.1"], "ops")
    item = evidence.list_evidence(uow, ANA, "ana@x.org")[0]
    assert evidence.criterion_ids(frameworks.get_framework(uow, "ops"), item) == ["SEC.1.1"]
    assert evidence.criterion_ids(frameworks.get_framework(uow, "docs"), item) == ["WRI.1.1"]


def test_only_the_person_s_own_evidence_can_be_linked_and_only_by_them(uow) -> None:
    mine = add(uow, "Runbook", [])
    theirs = add(uow, "Cy's talk", [], owner="cy@x.org")
    with pytest.raises(NotFound, match=f"ana@x.org has no evidence #{theirs}"):
        evidence.link_to_criteria(uow, ANA, "ana@x.org", {"NET.1.1": {mine, theirs}}, "ops")
    with pytest.raises(Forbidden):  # her manager reads it, but does not change it
        evidence.link_to_criteria(uow, BO, "ana@x.org", {"NET.1.1": {mine}}, "ops")
    with pytest.raises(NotFound):  # a colleague does not even see it
        evidence.link_to_criteria(uow, CY, "ana@x.org", {"NET.1.1": {mine}}, "ops")
    with pytest.raises(InputError, match="unknown criterion"):
        evidence.link_to_criteria(uow, ANA, "ana@x.org", {"NET.9.9": {mine}}, "ops")
    assert linked(uow) == {"Runbook": []}


def test_relinking_records_what_changed_and_nothing_when_nothing_did(uow) -> None:
    runbook = add(uow, "Runbook", ["SEC.1.1"])
    before = len(uow.audit.entries)
    evidence.link_to_criteria(uow, ANA, "ana@x.org", {"NET.1.1": {runbook}}, "ops")
    evidence.link_to_criteria(uow, ANA, "ana@x.org", {"NET.1.1": {runbook}}, "ops")
    entries = uow.audit.entries[before:]
    assert [(e.action, e.before, e.after) for e in entries] == [
        ("link", {"criteria": ["SEC.1.1"]}, {"criteria": ["NET.1.1", "SEC.1.1"]})
    ]
