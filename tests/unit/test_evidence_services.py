"""Evidence: linked to criteria by identity (links survive new ladder versions), written by
its owner, read by the owner's management chain."""

from __future__ import annotations

import datetime as dt

import pytest

from skillgrid.domain.assessments import OPERATOR, Forbidden
from skillgrid.domain.errors import InputError, NotFound
from skillgrid.domain.evidence import Evidence, EvidenceError
from skillgrid.services import evidence, frameworks, people
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.test_assessment_services import ANA, BO, CY, PEOPLE

LADDER = (
    b"Level,Networking,Security\n1,Knows DNS. Knows DHCP.,Uses SSH keys.\n2,Runs LBs.,Uses MAC.\n"
)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    frameworks.import_framework(uow, LADDER, "v1.csv", "ops")
    people.import_people(uow, PEOPLE, "people.csv")
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
    frameworks.import_framework(uow, v2, "v2.csv", "ops")
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
