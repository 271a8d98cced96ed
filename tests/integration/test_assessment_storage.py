"""Assessments in real SQLite and PostgreSQL: the whole flow, and two sessions racing."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from skillgrid.domain.assessments import OPERATOR, Actor, Entry, State
from skillgrid.domain.errors import Conflict
from skillgrid.domain.leveling import Rating
from skillgrid.domain.people import Role
from skillgrid.services import (
    assessments,
    cycles,
    frameworks,
    operations,
    people_import,
    results,
)
from tests.unit.test_assessment_services import BO, PEOPLE, entries
from tests.unit.test_leveling import MAC, through


@pytest.fixture
def ready(uow_factory):  # type: ignore[no-untyped-def]
    frameworks.install_builtin(uow_factory(), actor=OPERATOR)
    people_import.import_people(uow_factory(), PEOPLE, "people.csv", actor=OPERATOR)
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    return uow_factory


def test_rate_submit_finalize_and_report(ready) -> None:
    ratings = {**through(3, except_ids=(MAC,)), "NET.2.3": Rating.NOT_APPLICABLE}
    assessments.rate(ready(), BO, "ana@x.org", "2026-H2", "manager", entries(ratings))
    assessments.rate(ready(), BO, "cy@x.org", "2026-H2", "manager", entries(ratings))
    assessments.submit(ready(), BO, "ana@x.org", "2026-H2", "manager")
    final = assessments.finalize(ready(), BO, "ana@x.org", "2026-H2")
    assert (final.state, final.revision) == (State.FINALIZED, 3)
    activity = operations.activity(ready())  # the figures /metrics shows
    assert activity.assessments == {"draft": 1, "submitted": 0, "finalized": 1}
    assert activity.open_cycles == 1
    stored, _ = assessments.get_assessment(ready(), OPERATOR, "ana@x.org", "2026-H2", "manager")
    # every rating as given, whatever order the rows come back in
    assert Counter(e.rating for e in stored.entries.values()) == Counter(ratings.values())
    report = results.person_report(ready(), OPERATOR, "ana@x.org")
    assert report.current.result.overall == 2
    assert report.current.result.not_applicable == ("NET.2.3",)


def test_evidence_is_stored_with_its_links(ready) -> None:
    import datetime as dt

    from skillgrid.domain.evidence import Evidence
    from skillgrid.services import evidence

    item = Evidence(
        "ana@x.org",
        "Postmortem: DNS",
        "https://x.org/pm",
        dt.date(2026, 3, 1),
        "We lost DNS for 20 minutes.",
        "postmortem",
    )
    stored = evidence.add_evidence(ready(), OPERATOR, item, ["NET.1.4", "SRE.2.6"], "sre")
    listed = evidence.list_evidence(ready(), OPERATOR, "ana@x.org")
    assert listed == [stored]
    ladder = frameworks.get_framework(ready(), "sre")
    assert evidence.criterion_ids(ladder, listed[0]) == ["NET.1.4", "SRE.2.6"]


def test_two_sessions_racing_on_one_assessment_lose_nothing(ready) -> None:
    assessments.rate(ready(), BO, "ana@x.org", "2026-H2", "manager", entries(through(1)))
    with pytest.raises(Conflict):  # the late write finds no row at the revision it read
        race(slow=ready(), fast=ready())
    kept, _ = assessments.get_assessment(ready(), OPERATOR, "ana@x.org", "2026-H2", "manager")
    assert kept.revision == 2 and list(kept.entries.values()) == [Entry(Rating.EXCEEDS)]


def race(slow, fast) -> None:  # type: ignore[no-untyped-def]
    """Both read revision 1; the fast one writes first, then the slow one tries."""
    with slow:
        read_by_slow = slow.assessments.get("ana@x.org", "2026-H2", "manager")
        with fast.write():
            read_by_fast = fast.assessments.get("ana@x.org", "2026-H2", "manager")
            uid = next(iter(read_by_fast.entries))
            fast.assessments.save(replace(read_by_fast, entries={uid: Entry(Rating.EXCEEDS)}))
            fast.commit()
        with slow.write():
            slow.assessments.save(replace(read_by_slow, entries={}))
            slow.commit()


def test_moving_a_cycle_and_choosing_a_policy_in_the_database(ready) -> None:
    from skillgrid.domain.policies import Points, Tolerance
    from skillgrid.exporters import ExportFormat

    assessments.rate(ready(), BO, "ana@x.org", "2026-H2", "manager", entries(through(2)))
    seed = frameworks.get_framework(ready(), "sre")
    first = seed.criterion("PO.1.1").text
    changed = frameworks.export(ready(), "sre", ExportFormat.YAML).replace(
        first.encode(),
        b"Creates a design document from well-defined requirements and implements it.",
    )
    frameworks.import_framework(ready(), changed, "sre-v2.yaml", "sre", actor=OPERATOR)
    moved = cycles.move_cycle(ready(), "2026-H2", actor=OPERATOR)
    assert (moved.to_version, moved.carried, moved.archived) == (2, 33, 0)
    assert moved.to_review == (("ana@x.org", "manager", "PO.1.1"),)
    frameworks.set_policy(
        ready(), "sre", Points((0, 1, 3, 6, 12, 20, 30), (6, 18, 36, 72, 120, 180)), actor=OPERATOR
    )
    assert frameworks.get_policy(ready(), "sre") == Points(
        (0, 1, 3, 6, 12, 20, 30), (6, 18, 36, 72, 120, 180)
    )
    frameworks.set_policy(ready(), "sre", Tolerance(2), actor=OPERATOR)
    assert frameworks.get_policy(ready(), "sre") == Tolerance(2)


def test_writers_saving_different_people_at_once_never_conflict(uow_factory) -> None:
    import threading

    frameworks.install_builtin(uow_factory(), actor=OPERATOR)
    rows = "".join(f"P{n},p{n}@x.org,SRE,bo@x.org,engineer\n" for n in range(8))
    people_import.import_people(uow_factory(), PEOPLE + rows.encode(), "people.csv", actor=OPERATOR)
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    refused: list[Exception] = []
    start = threading.Barrier(4)

    def save(emails: list[str]) -> None:
        start.wait()
        for round_ in range(10):
            for email in emails:
                rating = (Rating.MEETS, Rating.DEVELOPING)[round_ % 2]
                try:  # each reads the current revision and writes the next one
                    assessments.rate(
                        uow_factory(), OPERATOR, email, "2026-H2", "self", entries({MAC: rating})
                    )
                except Conflict as error:
                    refused.append(error)

    mine = [[f"p{n}@x.org", f"p{n + 4}@x.org"] for n in range(4)]
    threads = [threading.Thread(target=save, args=(emails,)) for emails in mine]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert refused == []  # they wait for each other's write, never fail on it
    for email in (e for emails in mine for e in emails):
        saved, _ = assessments.get_assessment(uow_factory(), OPERATOR, email, "2026-H2", "self")
        assert saved.revision == 10


def test_a_save_changes_dropped_and_changed_ratings_and_keeps_the_rest(ready) -> None:
    first = {**through(2), "NET.2.3": Rating.NOT_APPLICABLE}
    assessments.rate(ready(), BO, "ana@x.org", "2026-H2", "manager", entries(first))
    second = {**first, MAC: Rating.EXCEEDS}
    del second["NET.1.1"]
    second["PO.1.1"] = Rating.DEVELOPING
    assessments.rate(
        ready(), BO, "ana@x.org", "2026-H2", "manager", entries(second), replace_all=True
    )
    stored, ladder = assessments.get_assessment(ready(), BO, "ana@x.org", "2026-H2", "manager")
    by_id = {c.uid: c.id for c in ladder.criteria}
    assert {by_id[uid]: e.rating for uid, e in stored.entries.items()} == second
    assert stored.entries[ladder.criterion("NET.2.3").uid].reason  # unchanged, kept whole


def test_a_history_reads_every_cycle_and_the_newest_one_s_ratings(ready) -> None:
    ana = Actor("ana@x.org", Role.ENGINEER)
    cycles.open_cycle(ready(), "2027-H1", "sre", actor=OPERATOR)
    assessments.rate(ready(), ana, "ana@x.org", "2026-H2", "self", entries(through(2)))
    assessments.rate(ready(), ana, "ana@x.org", "2027-H1", "self", entries(through(1)))
    with ready() as uow:
        found = uow.assessments.history("ana@x.org", "self")
        newest = uow.assessments.get("ana@x.org", "2027-H1", "self")
        assert uow.assessments.history("cy@x.org", "self") == []
    assert [(a.cycle, a.state, a.revision) for a in found] == [
        ("2026-H2", State.DRAFT, 1),
        ("2027-H1", State.DRAFT, 1),
    ]
    assert found[0].entries == {}  # an older one: its header only
    assert found[1] == newest and len(newest.entries) == len(through(1))
