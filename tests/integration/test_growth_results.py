"""The growth page reads stored results; what it shows equals leveling the ratings again,
on a realistic organisation (two ladder versions, a moved cycle, a ladder policy, n/a,
self and peer ratings), on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from skillgrid.domain.assessments import SELF, Actor
from skillgrid.domain.errors import NotFound
from skillgrid.domain.people import Role
from skillgrid.services.assessments import rate
from skillgrid.services.growth import growth
from skillgrid.services.results import person_report
from tests.organisation import ANA, build_organisation

BO = Actor("bo@x.org", Role.MANAGER)


@pytest.mark.postgres
def test_stored_results_equal_the_ratings_leveled_again(uow_factory) -> None:
    build_organisation(uow_factory)
    view = growth(uow_factory(), BO, ANA)
    stored = person_report(uow_factory(), BO, ANA)
    # the ladder's own rule, named: every cycle leveled again from its ratings
    leveled = person_report(uow_factory(), BO, ANA, policy="tolerance:1")
    assert [s.cycle.name for s in view.history] == [r.cycle.name for r in leveled.history]
    for kept, again in zip(view.history, leveled.history, strict=True):
        assert kept.framework == again.framework
        assert kept.result == replace(again.result, not_applicable=())
    assert view.history == stored.history
    assert view.change == stored.change == leveled.change
    assert stored.current == leveled.current and stored.lines == leveled.lines
    assert view.official is not None and view.official.cycle.name == "2026-H2"


@pytest.mark.postgres
def test_growth_shows_the_latest_self_assessment_its_viewer_may_read(uow_factory) -> None:
    build_organisation(uow_factory)
    mine = growth(uow_factory(), Actor(ANA, Role.ENGINEER), ANA)
    assert mine.self_cycle == "2025-H2" and mine.self_result is not None
    assert [c.name for c in mine.open_cycles] == ["2025-H2", "2026-H1", "2026-H2"]
    di = growth(uow_factory(), Actor("di@x.org", Role.ENGINEER), "di@x.org")
    assert di.history == () and di.self_cycle == "2026-H2"  # her own draft, no result yet
    assert growth(uow_factory(), BO, "di@x.org").self_cycle is None  # a draft is hers alone


@pytest.mark.postgres
def test_growth_of_someone_the_viewer_may_not_see_is_not_found(uow_factory) -> None:
    build_organisation(uow_factory)
    with pytest.raises(NotFound, match=r"no person ana@x\.org"):
        growth(uow_factory(), Actor("cy@x.org", Role.ENGINEER), ANA)


@pytest.mark.postgres
def test_a_manager_sees_the_submitted_self_assessment_under_a_newer_draft(uow_factory) -> None:
    build_organisation(uow_factory)
    before = growth(uow_factory(), BO, ANA)
    assert before.self_cycle == "2025-H2" and before.self_result is not None
    ana = Actor(ANA, Role.ENGINEER)
    rate(uow_factory(), ana, ANA, "2026-H2", SELF, {})  # her draft, newer than what Bo reads
    assert growth(uow_factory(), ana, ANA).self_cycle == "2026-H2"
    after = growth(uow_factory(), BO, ANA)
    assert (after.self_cycle, after.self_result) == (before.self_cycle, before.self_result)
