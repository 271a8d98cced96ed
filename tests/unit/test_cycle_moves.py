"""Moving a cycle to a newer ladder version, and the leveling policy chosen per ladder."""

from __future__ import annotations

import pytest

from skillgrid.domain.assessments import OPERATOR, AssessmentError, Entry
from skillgrid.domain.leveling import Rating
from skillgrid.domain.policies import Points, PolicyError, Tolerance
from skillgrid.services import (
    assessment_files,
    assessments,
    cycles,
    frameworks,
    people_import,
    results,
)
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.test_assessment_services import BO, PEOPLE

V1 = b"Level,Networking,Security\n1,Knows DNS. Knows DHCP.,Uses SSH keys.\n2,Runs LBs.,Uses MAC.\n"
V2 = (
    b"Level,Networking,Security\n"
    b"1,Knows DNS well. Runs chaos game days.,Uses SSH keys.\n2,Runs LBs.,Uses MAC.\n"
)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    frameworks.import_framework(uow, V1, "v1.csv", "ops", actor=OPERATOR)
    people_import.import_people(uow, PEOPLE, "people.csv", actor=OPERATOR)
    cycles.open_cycle(uow, "2026-H2", "ops", actor=OPERATOR)
    ratings = {cid: Entry(Rating.MEETS) for cid in ("NET.1.1", "NET.1.2", "SEC.1.1", "NET.2.1")}
    assessments.rate(uow, BO, "ana@x.org", "2026-H2", "manager", ratings)
    return uow


def test_moving_a_cycle_carries_flags_and_archives_ratings_by_identity(uow) -> None:
    frameworks.import_framework(uow, V2, "v2.csv", "ops", actor=OPERATOR)
    moved = cycles.move_cycle(uow, "2026-H2", actor=OPERATOR)
    assert (moved.from_version, moved.to_version, moved.assessments) == (1, 2, 1)
    assert (moved.carried, moved.archived) == (2, 1)  # SSH keys + LBs; DHCP removed
    assert moved.to_review == (("ana@x.org", "manager", "NET.1.1"),)
    stored, ladder = assessments.get_assessment(uow, OPERATOR, "ana@x.org", "2026-H2", "manager")
    assert ladder.version == 2
    assert len(stored.entries) == 4  # the archived rating is kept
    flagged = [e for e in stored.entries.values() if e.needs_review]
    assert flagged == [Entry(Rating.MEETS, needs_review=True)]


def test_a_cycle_with_finalized_assessments_stays_where_it_is(uow) -> None:
    assessments.submit(uow, BO, "ana@x.org", "2026-H2", "manager")
    assessments.finalize(uow, BO, "ana@x.org", "2026-H2")
    frameworks.import_framework(uow, V2, "v2.csv", "ops", actor=OPERATOR)
    with pytest.raises(AssessmentError, match="finalized assessments"):
        cycles.move_cycle(uow, "2026-H2", actor=OPERATOR)
    with pytest.raises(AssessmentError, match="newer version"):
        cycles.move_cycle(uow, "2026-H2", 1, actor=OPERATOR)


def test_the_ladder_policy_decides_unless_a_report_asks_for_another(uow) -> None:
    assessments.submit(uow, BO, "ana@x.org", "2026-H2", "manager")
    assessments.finalize(uow, BO, "ana@x.org", "2026-H2")
    # NET complete at 1 (and 2: Runs LBs.), SEC complete at 1, not at 2 (MAC unrated)
    assert results.person_report(uow, OPERATOR, "ana@x.org").current.result.overall == 1
    frameworks.set_policy(uow, "ops", Tolerance(1), actor=OPERATOR)
    report = results.person_report(uow, OPERATOR, "ana@x.org")
    assert (report.current.result.policy, report.current.result.overall) == ("tolerance:1", 2)
    strict = results.person_report(uow, OPERATOR, "ana@x.org", policy="strict")
    assert strict.current.result.overall == 1
    with pytest.raises(PolicyError, match="give 3 points"):
        frameworks.set_policy(uow, "ops", Points((0, 1), (2, 4)), actor=OPERATOR)


def test_archived_ratings_and_re_rate_flags_survive_a_later_import(uow) -> None:
    frameworks.import_framework(uow, V2, "v2.csv", "ops", actor=OPERATOR)
    cycles.move_cycle(uow, "2026-H2", actor=OPERATOR)
    text = assessment_files.export_ratings(uow, OPERATOR, "ana@x.org", "2026-H2", "manager")
    assessment_files.import_ratings(
        uow, BO, "ana@x.org", "2026-H2", "manager", text.encode(), "x.csv"
    )
    stored, _ = assessments.get_assessment(uow, OPERATOR, "ana@x.org", "2026-H2", "manager")
    assert len(stored.entries) == 4  # the archived rating is still there
    assert sum(e.needs_review for e in stored.entries.values()) == 1
    changed = text.replace("NET.1.1,meets", "NET.1.1,exceeds")
    assessment_files.import_ratings(
        uow, BO, "ana@x.org", "2026-H2", "manager", changed.encode(), "x.csv"
    )
    stored, _ = assessments.get_assessment(uow, OPERATOR, "ana@x.org", "2026-H2", "manager")
    assert not any(e.needs_review for e in stored.entries.values())


def test_a_file_that_rates_nothing_does_not_wipe_an_assessment(uow) -> None:
    from skillgrid.domain.errors import InputError

    with pytest.raises(InputError, match="rates no criterion"):
        assessment_files.import_ratings(
            uow, BO, "ana@x.org", "2026-H2", "manager", b"criterion,rating\n", "empty.csv"
        )
    stored, _ = assessments.get_assessment(uow, OPERATOR, "ana@x.org", "2026-H2", "manager")
    assert len(stored.entries) == 4


# DHCP moves from Networking 1 to Networking 2; LBs from Networking 2 to Security 2
MOVED = (
    b"Level,Networking,Security\n1,Knows DNS.,Uses SSH keys.\n2,Knows DHCP.,Uses MAC. Runs LBs.\n"
)


def test_a_criterion_moved_to_another_level_or_track_is_flagged_with_where_it_went(uow) -> None:
    frameworks.import_framework(uow, MOVED, "v2.csv", "ops", actor=OPERATOR)
    moved = cycles.move_cycle(uow, "2026-H2", actor=OPERATOR)
    assert sorted(moved.to_review) == [
        ("ana@x.org", "manager", "NET.2.1"),
        ("ana@x.org", "manager", "SEC.2.2"),
    ]
    stored, ladder = assessments.get_assessment(uow, OPERATOR, "ana@x.org", "2026-H2", "manager")
    by_id = {c.id: stored.entries[c.uid] for c in ladder.criteria if c.uid in stored.entries}
    assert by_id["NET.2.1"] == Entry(
        Rating.MEETS, needs_review=True, review_reason="moved from level 1 to level 2"
    )
    assert by_id["SEC.2.2"].review_reason == "moved from Networking to Security"
    assert not by_id["NET.1.1"].needs_review and by_id["NET.1.1"].review_reason is None
    # the same rating given again keeps the flag and its reason; another rating clears both
    same = {"NET.2.1": Entry(Rating.MEETS), "SEC.2.2": Entry(Rating.EXCEEDS)}
    assessments.rate(uow, BO, "ana@x.org", "2026-H2", "manager", same)
    stored, _ = assessments.get_assessment(uow, OPERATOR, "ana@x.org", "2026-H2", "manager")
    by_id = {c.id: stored.entries[c.uid] for c in ladder.criteria if c.uid in stored.entries}
    assert by_id["NET.2.1"].review_reason == "moved from level 1 to level 2"
    assert by_id["SEC.2.2"] == Entry(Rating.EXCEEDS)


def test_a_reworded_criterion_is_flagged_as_before_with_no_move_named(uow) -> None:
    frameworks.import_framework(uow, V2, "v2.csv", "ops", actor=OPERATOR)
    cycles.move_cycle(uow, "2026-H2", actor=OPERATOR)
    stored, _ = assessments.get_assessment(uow, OPERATOR, "ana@x.org", "2026-H2", "manager")
    flagged = [e for e in stored.entries.values() if e.needs_review]
    assert [e.review_reason for e in flagged] == [None]  # the page says "reworded"


def test_the_audit_entry_of_a_move_says_why_each_rating_must_be_re_checked(uow) -> None:
    from skillgrid.domain.audit import AuditQuery
    from skillgrid.services.audit import list_audit

    frameworks.import_framework(uow, MOVED, "v2.csv", "ops", actor=OPERATOR)
    cycles.move_cycle(uow, "2026-H2", actor=OPERATOR)
    trail = list_audit(uow, OPERATOR, AuditQuery(entity="cycle"))
    (entry,) = [e for e in trail if e.action == "move"]
    assert entry.after == {
        "version": 2,
        "ratings_to_review": 2,
        "review_reasons": {"moved": 2},
        "to_review": [
            ["ana@x.org", "manager", "NET.2.1", "moved from level 1 to level 2"],
            ["ana@x.org", "manager", "SEC.2.2", "moved from Networking to Security"],
        ],
    }


def test_the_audit_entry_of_a_move_lists_a_bounded_number_of_ratings(uow, monkeypatch) -> None:
    from skillgrid.domain.audit import AuditQuery
    from skillgrid.services.audit import list_audit

    monkeypatch.setattr(cycles, "AUDIT_LISTED", 1)  # as if a large cycle went past the bound
    frameworks.import_framework(uow, MOVED, "v2.csv", "ops", actor=OPERATOR)
    cycles.move_cycle(uow, "2026-H2", actor=OPERATOR)
    trail = list_audit(uow, OPERATOR, AuditQuery(entity="cycle"))
    (entry,) = [e for e in trail if e.action == "move"]
    assert entry.after["ratings_to_review"] == 2
    assert entry.after["review_reasons"] == {"moved": 2}  # the counts cover every rating
    assert entry.after["to_review"] == [
        ["ana@x.org", "manager", "NET.2.1", "moved from level 1 to level 2"]
    ]
    assert entry.after["to_review_not_listed"] == 1
