"""Due dates over the API and on the pages where the cycle is shown."""

from __future__ import annotations

import datetime as dt

from skillgrid.domain.assessments import OPERATOR, DueDates
from skillgrid.services import cycles
from tests.web.conftest import as_


def test_an_admin_sets_due_dates_over_the_api_and_every_caller_reads_them(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    body = {"self": "2026-07-01", "close": "2026-07-31"}
    answer = as_(app_client, "root@x.org").put("/api/v1/cycles/2026-H2/due", json=body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["due"] == {
        "self": "2026-07-01",
        "manager": None,
        "calibration": None,
        "close": "2026-07-31",
    }
    listed = as_(app_client, "ana@x.org").get("/api/v1/cycles").json()
    assert listed[0]["due"]["close"] == "2026-07-31"
    refused = app_client.put("/api/v1/cycles/2026-H2/due", json={"self": "2026-07-02"})
    assert refused.status_code == 403


def test_a_close_before_another_step_is_answered_422_with_the_reason(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    body = {"manager": "2026-08-01", "close": "2026-07-31"}
    answer = as_(app_client, "root@x.org").put("/api/v1/cycles/2026-H2/due", json=body)
    assert answer.status_code == 422
    assert "manager due date 2026-08-01 is after the close" in answer.json()["detail"]


def test_the_pages_that_show_the_cycle_show_its_due_dates(app_client, uow_factory) -> None:
    due = DueDates(self_=dt.date(2026, 7, 1), manager=dt.date(2026, 7, 15))
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR, due=due)
    ana = as_(app_client, "ana@x.org")
    for page in ("/people/ana@x.org/growth", "/people/ana@x.org/assess/2026-H2/self"):
        html = ana.get(page).text
        assert '<time datetime="2026-07-01">' in html and "manager" in html, page
    admin = as_(app_client, "root@x.org").get("/admin").text
    assert '<time datetime="2026-07-15">' in admin


def test_an_admin_sets_due_dates_on_the_admin_page_and_a_refusal_keeps_them(
    app_client, uow_factory
) -> None:
    from skillgrid.domain.assessments import OPERATOR
    from skillgrid.services import cycles
    from tests.web.conftest import as_
    from tests.web.test_admin_pages import csrf

    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    admin = as_(app_client, "root@x.org")
    token = csrf(admin.get("/admin").text)
    form = {"csrf_token": token, "self": "2026-07-01", "close": "2026-07-31"}
    assert admin.post("/admin/cycles/2026-H2/due", data=form).status_code == 303
    due = cycles.list_cycles(uow_factory())[0].due
    assert (due.self_.isoformat(), due.close.isoformat()) == ("2026-07-01", "2026-07-31")
    page = admin.get("/admin").text
    assert 'name="self" value="2026-07-01"' in page
    late = {"csrf_token": token, "self": "2026-08-15", "close": "2026-07-31"}
    refused = admin.post("/admin/cycles/2026-H2/due", data=late)
    assert refused.status_code == 422 and "is after the close" in refused.text
    assert 'name="self" value="2026-08-15"' in refused.text  # as typed, beside the reason
    assert cycles.list_cycles(uow_factory())[0].due == due  # nothing changed
    bad = {"csrf_token": token, "manager": "soon"}
    assert admin.post("/admin/cycles/2026-H2/due", data=bad).status_code == 422


def test_due_dates_saved_on_the_admin_page_keep_a_date_another_admin_set_meanwhile(
    app_client, uow_factory
) -> None:
    import re

    from tests.web.test_admin_pages import csrf

    due = DueDates(self_=dt.date(2026, 7, 1), close=dt.date(2026, 7, 31))
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR, due=due)
    admin = as_(app_client, "root@x.org")
    page = admin.get("/admin").text  # the form, as this admin sees it
    shown = re.search(r'name="shown" value="([^"]*)"', page).group(1)
    assert shown == "2026-07-01,,,2026-07-31"
    later = {"close": dt.date(2026, 8, 15)}  # another admin moves the close meanwhile
    cycles.set_due_dates(uow_factory(), "2026-H2", later, actor=OPERATOR)
    form = {"self": "2026-07-01", "calibration": "2026-07-20", "close": "2026-07-31"}
    saved = admin.post(
        "/admin/cycles/2026-H2/due", data={"csrf_token": csrf(page), "shown": shown, **form}
    )
    assert saved.status_code == 303
    stored = cycles.list_cycles(uow_factory())[0].due
    assert stored.calibration == dt.date(2026, 7, 20)  # this admin's change
    assert stored.close == dt.date(2026, 8, 15)  # the other's, kept


def test_a_self_assessment_past_its_due_date_is_marked_overdue_until_submitted(
    app_client, uow_factory
) -> None:
    from skillgrid.domain.assessments import Entry
    from skillgrid.domain.leveling import Rating
    from skillgrid.services import assessments

    past = DueDates(self_=dt.date(2020, 1, 10), manager=dt.date(2999, 1, 10))
    cycles.open_cycle(uow_factory(), "2020-H1", "sre", actor=OPERATOR, due=past)
    ana = as_(app_client, "ana@x.org")
    mark = '<time datetime="2020-01-10">2020-01-10</time> — <strong class="overdue">overdue</'
    for page in ("/", "/people/ana@x.org/assess/2020-H1/self"):
        html = ana.get(page).text
        assert mark in html, page
        assert html.count(">overdue<") == 1, page  # the manager step is not due yet
    manager_page = as_(app_client, "root@x.org").get("/people/ana@x.org/assess/2020-H1/manager")
    assert "overdue" not in manager_page.text  # that assessment's step is not late
    entries = {"PO.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2020-H1", "self", entries)
    assessments.submit(uow_factory(), OPERATOR, "ana@x.org", "2020-H1", "self")
    assert "overdue" not in ana.get("/").text


def test_the_team_page_counts_overdue_reviews_and_marks_each_row(app_client, uow_factory) -> None:
    from skillgrid.services import accounts
    from tests.web.conftest import PASSWORD

    past = DueDates(self_=dt.date(2020, 1, 10), manager=dt.date(2020, 1, 20))
    cycles.open_cycle(uow_factory(), "2020-H1", "sre", actor=OPERATOR, due=past)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    page = as_(app_client, "bo@x.org").get("/team")
    assert page.context["overdue"] == 1
    assert "1 overdue" in page.text
    row = page.text.split('href="/people/ana@x.org/growth"')[1].split("</tr>")[0]
    assert row.count(">overdue<") == 2  # her self-assessment and Bo's review
    home = as_(app_client, "bo@x.org").get("/").text
    assert "1 overdue" in home and ">overdue<" in home  # the review Bo owes, on his home


def test_the_growth_page_marks_the_open_cycles_overdue_steps_in_words(
    app_client, uow_factory
) -> None:
    from skillgrid.domain.assessments import Entry
    from skillgrid.domain.leveling import Rating
    from skillgrid.services import assessments

    past = DueDates(self_=dt.date(2020, 1, 10), manager=dt.date(2020, 1, 20))
    cycles.open_cycle(uow_factory(), "2020-H1", "sre", actor=OPERATOR, due=past)
    self_mark = '<time datetime="2020-01-10">2020-01-10</time> — <strong class="overdue">overdue<'
    review_mark = '<time datetime="2020-01-20">2020-01-20</time> — <strong class="overdue">overdue<'
    for who in ("ana@x.org", "root@x.org"):
        html = as_(app_client, who).get("/people/ana@x.org/growth").text
        assert self_mark in html and review_mark in html, who
    entries = {"PO.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2020-H1", "self", entries)
    assessments.submit(uow_factory(), OPERATOR, "ana@x.org", "2020-H1", "self")
    html = as_(app_client, "ana@x.org").get("/people/ana@x.org/growth").text
    assert self_mark not in html and html.count(">overdue<") == 1  # only the review now
