"""The same head count wherever levels rest on finalized results: the team page, the insight
pages and the team report say the count is of people with a manager and name who has none."""

from __future__ import annotations

import io
import json

from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import cycles, insight
from tests.web.conftest import as_

# tests/web/conftest.py: Bo (SRE, no manager) and Ana (SRE, managed by Bo)


def _based_on(html: str) -> str:
    return html.split('class="based-on">')[1].split("</p>")[0]


def test_the_insight_pages_say_the_count_is_of_people_with_a_manager_and_name_who_has_none(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    admin = as_(app_client, "root@x.org")
    team = admin.get("/team").text
    for url in ("/insight", "/insight/SRE", "/insight/SRE?view=coverage"):
        page = admin.get(url)
        assert page.status_code == 200, url
        based_on = _based_on(page.text)
        assert "<strong>0 of 1 with a manager finalized</strong> in 2026-H2" in based_on, url
        assert "1 has no manager" in based_on, url
        assert based_on.split("</strong>")[1] == _based_on(team).split("</strong>")[1], url
        no_manager = page.text.split('id="no-manager"')[1].split("</p>")[0]
        assert 'href="/people/bo@x.org/growth">Bo</a>' in no_manager, url
    assert [p.email for p in admin.get("/insight").context["report"].unmanaged] == ["bo@x.org"]


def test_the_team_report_says_the_count_is_of_people_with_a_manager_in_every_format(
    app_client, uow_factory
) -> None:
    from openpyxl import load_workbook

    from skillgrid.reports.team import report_data, report_html, report_markdown
    from skillgrid.reports.team_tables import report_xlsx

    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    report = insight.team_report(uow_factory(), OPERATOR, "SRE")
    words = "0 of 1 with a manager finalized in 2026-H2; 1 not yet reviewed; 1 has no manager"
    markdown = report_markdown(report)
    assert f"Based on {words}." in markdown
    assert "Bo (bo@x.org)" in markdown.split("Based on")[1].split("##")[0]
    html = report_html(report)
    assert words.replace("0 of 1 with a manager finalized", "") in html
    assert "<strong>0 of 1 with a manager finalized</strong>" in html and "bo@x.org" in html
    data = json.loads(json.dumps(report_data(report)))
    assert data["based_on"] == {
        "finalized": 0,
        "reviewable": 1,
        "unmanaged": [{"email": "bo@x.org", "name": "Bo"}],
        "unmanaged_total": 1,
        "words": words,
    }
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    cells = [c.value for row in book["Based on"].iter_rows() for c in row]
    assert f"Based on {words}." in cells and "bo@x.org" in cells


def test_a_person_finalized_before_losing_their_manager_is_counted_and_not_listed_as_left_out(
    app_client, uow_factory
) -> None:
    # Ana's review was finalized, then her manager left the chart: her result stays official
    # and in the levels, so she is one of those counted, not one "in no count" ("1 of 0")
    from skillgrid.domain.assessments import Entry
    from skillgrid.domain.leveling import Rating
    from skillgrid.services import assessments, people

    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    entries = {"PO.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager", entries)
    assessments.submit(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager")
    assessments.finalize(uow_factory(), OPERATOR, "ana@x.org", "2026-H2")
    people.change_person(uow_factory(), "ana@x.org", manager="", actor=OPERATOR)
    admin = as_(app_client, "root@x.org")
    for url in ("/team", "/insight", "/insight/SRE"):
        page = admin.get(url)
        assert "<strong>1 of 1 with a manager finalized</strong>" in _based_on(page.text), url
        assert "1 has no manager" in _based_on(page.text), url
        no_manager = page.text.split('id="no-manager"')[1].split("</p>")[0]
        assert "bo@x.org" in no_manager and "ana@x.org" not in no_manager, url
