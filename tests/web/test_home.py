"""Each role's home, where signing in lands: the engineer's open tasks beside their growth,
the manager's queue of reports waiting for review, the admin's progress per team (and CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from skillgrid.domain.assessments import OPERATOR, DueDates, Entry
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.leveling import Rating
from skillgrid.services import accounts, assessments, cycles, evidence, people_import
from tests.web.conftest import PASSWORD, as_

DUE = DueDates(self_=dt.date(2026, 7, 1), manager=dt.date(2026, 7, 15))


def open_week(uow_factory) -> None:  # type: ignore[no-untyped-def]
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR, due=DUE)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)


def submitted(uow_factory, email: str, rater: str) -> None:  # type: ignore[no-untyped-def]
    ratings = {"PO.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, email, "2026-H2", rater, ratings)
    assessments.submit(uow_factory(), OPERATOR, email, "2026-H2", rater)


def test_an_engineer_lands_on_what_waits_on_them(app_client, uow_factory) -> None:
    open_week(uow_factory)
    page = as_(app_client, "ana@x.org").get("/")
    assert page.status_code == 200 and page.template.name == "home.html"
    home = page.context["home"]
    assert [(cycle.name, state) for cycle, state, _ in home.own] == [("2026-H2", None)]
    assert home.reviews == () and home.progress is None
    assert "Your self-assessment for 2026-H2" in page.text and "not started" in page.text
    assert '<time datetime="2026-07-01">' in page.text  # the due date beside it
    submitted(uow_factory, "ana@x.org", "self")
    done = app_client.get("/")
    assert done.context["home"].own[0][1] == "submitted" and "Nothing waits on you" in done.text


def test_evidence_linked_to_no_criterion_is_a_task(app_client, uow_factory) -> None:
    open_week(uow_factory)
    item = Evidence("ana@x.org", "Ran the DNS cut-over")
    evidence.add_evidence(uow_factory(), OPERATOR, item, (), "sre")
    page = as_(app_client, "ana@x.org").get("/")
    assert page.context["home"].unlinked == 1
    assert "1 evidence item linked to no criterion" in page.text


def test_a_manager_s_queue_puts_reports_waiting_for_review_first(app_client, uow_factory) -> None:
    people_import.import_people(
        uow_factory(),
        b"name,email,team,manager_email,role\nCy,cy@x.org,SRE,bo@x.org,engineer\n",
        "more.csv",
        actor=OPERATOR,
    )
    open_week(uow_factory)
    submitted(uow_factory, "cy@x.org", "self")
    page = as_(app_client, "bo@x.org").get("/")
    home = page.context["home"]
    assert [(r.person.email, r.waiting) for r in home.reviews] == [
        ("cy@x.org", True),
        ("ana@x.org", False),
    ]
    assert home.waiting == 1 and "(1 waiting for you)" in page.text
    assert 'href="/people/cy@x.org/assess/2026-H2/manager"' in page.text
    assert 'href="/insight/SRE?view=calibration"' in page.text
    assert "<strong>waiting for your review</strong>" in page.text
    submitted(uow_factory, "cy@x.org", "manager")  # the review is written: it waits to be final
    page = app_client.get("/").text
    assert "<strong>waiting for you to finalize</strong>" in page
    assert "waiting for your review" not in page
    assessments.finalize(uow_factory(), OPERATOR, "cy@x.org", "2026-H2")
    assert app_client.get("/").context["home"].waiting == 0


def test_an_admin_sees_each_team_s_progress_and_downloads_it(app_client, uow_factory) -> None:
    people_import.import_people(
        uow_factory(),
        b"name,email,team,manager_email,role\n=Ops,ops@x.org,=cmd(),bo@x.org,engineer\n",
        "more.csv",
        actor=OPERATOR,
    )
    open_week(uow_factory)
    submitted(uow_factory, "ana@x.org", "self")
    page = as_(app_client, "root@x.org").get("/")
    progress = page.context["home"].progress
    assert progress.cycle.name == "2026-H2"
    assert dict(progress.teams) == {
        "=cmd()": {"not started": 1},
        "SRE": {"not started": 1, "submitted": 1},
    }
    assert progress.totals == {"not started": 2, "draft": 0, "submitted": 1, "finalized": 0}
    answer = app_client.get("/cycles/2026-H2/progress.csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert 'filename="2026-H2-progress.csv"' in answer.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows == [
        ["team", "not started", "draft", "submitted", "finalized", "people"],
        ["'=cmd()", "1", "0", "0", "0", "1"],  # a team name never runs as a formula
        ["SRE", "1", "0", "1", "0", "2"],
    ]
    assert app_client.get("/cycles/nope/progress.csv").status_code == 404


def test_only_an_admin_downloads_the_progress(app_client, uow_factory) -> None:
    open_week(uow_factory)
    for email in ("ana@x.org", "bo@x.org"):
        assert as_(app_client, email).get("/cycles/2026-H2/progress.csv").status_code == 403
    assert as_(app_client, "bo@x.org").get("/").context["home"].progress is None
