"""An admin moves an open cycle to a newer version of its ladder from the admin page, through
the same service as `skillgrid cycle move`."""

from __future__ import annotations

import pytest

from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.domain.audit import AuditQuery
from skillgrid.domain.leveling import Rating
from skillgrid.services import assessments, audit, cycles, frameworks
from tests.conftest import SEED, table_snapshot
from tests.web.conftest import as_, sign_in
from tests.web.test_admin_pages import csrf


@pytest.fixture
def newer(app_client, uow_factory):  # type: ignore[no-untyped-def]
    """Cycle 2026-H2 on sre v1 with Ana's self-assessment begun, then sre v2 (one criterion
    reworded); the admin signed in."""
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    rating = {"SEC.3.8": Entry(Rating.MEETS), "PO.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self", rating)
    changed = SEED.read_bytes().replace(b"Can utilize", b"Can use")
    frameworks.import_framework(uow_factory(), changed, "sre-v2.tsv", "sre", actor=OPERATOR)
    sign_in(app_client, "root@x.org")
    return app_client


def version_of(uow_factory, name: str) -> int:  # type: ignore[no-untyped-def]
    return next(c.version for c in cycles.list_cycles(uow_factory()) if c.name == name)


def test_the_admin_page_offers_a_move_where_the_ladder_is_newer(newer) -> None:
    page = newer.get("/admin").text
    assert 'action="/admin/cycles/2026-H2/move#cycles"' in page
    assert "Move to version 2" in page
    assert "flagged for re-rating" in page and "archived" in page


def test_a_cycle_with_finalized_assessments_is_not_offered_a_move_it_would_refuse(
    newer, uow_factory
) -> None:
    entries = {"PO.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager", entries)
    assessments.submit(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager")
    assessments.finalize(uow_factory(), OPERATOR, "ana@x.org", "2026-H2")
    page = newer.get("/admin").text
    assert 'action="/admin/cycles/2026-H2/move#cycles"' not in page
    assert "sre v2 is out; with finalized assessments 2026-H2 stays on v1" in page


def test_moving_a_cycle_carries_its_ratings_and_is_audited(newer, uow_factory) -> None:
    token = csrf(newer.get("/admin").text)
    moved = newer.post("/admin/cycles/2026-H2/move", data={"csrf_token": token, "version": "2"})
    assert moved.status_code == 200, moved.text
    assert "Moved 2026-H2 from v1 to v2" in moved.text
    assert "1 to re-rate" in moved.text
    assert version_of(uow_factory, "2026-H2") == 2
    trail = audit.audit_trail(uow_factory(), OPERATOR, AuditQuery(entity="cycle"))
    entry = next(e for e in trail if e.action == "move")
    assert (entry.entity_id, entry.actor) == ("2026-H2", "root@x.org")
    assert entry.before == {"version": 1}
    assert entry.after == {
        "version": 2,
        "ratings_to_review": 1,
        "review_reasons": {"reworded": 1},
        "to_review": [["ana@x.org", "self", "SEC.3.8", "reworded"]],
    }
    assert 'action="/admin/cycles/2026-H2/move#cycles"' not in moved.text  # nothing newer now


def test_a_cycle_already_on_the_version_is_refused(newer, uow_factory, database_url) -> None:
    cycles.move_cycle(uow_factory(), "2026-H2", actor=OPERATOR)
    token = csrf(newer.get("/admin").text)
    before = table_snapshot(database_url)
    refused = newer.post("/admin/cycles/2026-H2/move", data={"csrf_token": token, "version": "2"})
    assert refused.status_code == 422
    assert "is on sre v2; move it to a newer version" in refused.text
    assert table_snapshot(database_url) == before


def test_a_closed_cycle_is_refused(newer, uow_factory, database_url) -> None:
    cycles.set_cycle_open(uow_factory(), "2026-H2", False, actor=OPERATOR)
    page = newer.get("/admin").text
    assert 'action="/admin/cycles/2026-H2/move#cycles"' not in page  # not offered
    before = table_snapshot(database_url)
    refused = newer.post(
        "/admin/cycles/2026-H2/move", data={"csrf_token": csrf(page), "version": "2"}
    )
    assert refused.status_code == 422
    assert "cycle 2026-H2 is closed; reopen it first" in refused.text
    assert table_snapshot(database_url) == before
    assert version_of(uow_factory, "2026-H2") == 1


def test_a_move_without_the_forms_token_is_refused(newer, uow_factory) -> None:
    refused = newer.post("/admin/cycles/2026-H2/move", data={"csrf_token": "x", "version": "2"})
    assert refused.status_code == 403
    assert version_of(uow_factory, "2026-H2") == 1


def test_non_admins_cannot_move_a_cycle(newer, uow_factory) -> None:
    as_(newer, "ana@x.org")
    token = csrf(newer.get("/evidence/suggest").text)
    refused = newer.post("/admin/cycles/2026-H2/move", data={"csrf_token": token, "version": "2"})
    assert refused.status_code == 403 and "only an admin may" in refused.text
    assert version_of(uow_factory, "2026-H2") == 1
