"""Emails may hold characters that mean something in a web address (``#``, ``?``, ``%``):
every link to such a person opens their page, and their forms save to it."""

from __future__ import annotations

import html
import re

import pytest

from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.people import PeopleError, check_email
from skillgrid.services import accounts, assessments, cycles, people_import
from tests.web.conftest import PASSWORD, sign_in
from tests.web.test_assessment_pages import form_of

ODD = "jo#ops?x@x.org"  # and "%": the test client decodes a path twice, so see the last test


def _links(page: str) -> set[str]:
    return {html.unescape(h) for h in re.findall(r'href="([^"]+)"', page) if "jo" in h}


def test_every_link_to_a_person_whose_email_holds_url_characters_opens_their_page(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    csv = f"name,email,team,manager_email,role\nJo,{ODD},SRE,bo@x.org,engineer\n".encode()
    people_import.import_people(uow_factory(), csv, "more.csv", actor=OPERATOR)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    sign_in(app_client, "bo@x.org")
    links = _links(app_client.get("/").text) | _links(app_client.get("/team").text)
    growth = next(link for link in links if link.endswith("/growth"))
    links |= _links(app_client.get(growth).text)
    segment = "jo%23ops%3Fx@x.org"
    assert links == {f"/people/{segment}/growth", f"/people/{segment}/assess/2026-H2/manager"}
    for link in links:
        opened = app_client.get(link)
        assert opened.status_code == 200, link
        assert opened.context["view"].person.email == ODD

    review = next(link for link in links if link.endswith("/manager"))
    page = app_client.get(review).text
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', page).group(1))
    saved = app_client.post(action, data=form_of(page, {"PO.1.1": "meets"}, "save"))
    assert saved.status_code == 303 and app_client.get(saved.headers["location"]).status_code == 200
    stored = assessments.get_assessment(uow_factory(), OPERATOR, ODD, "2026-H2", "manager")
    assert [e.rating.value for e in stored[0].entries.values()] == ["meets"]


def test_an_email_with_a_slash_is_refused_with_the_reason() -> None:
    # a web address cannot carry it in one path segment: servers decode %2F before routing
    with pytest.raises(PeopleError, match="'/'"):
        check_email("a/b@x.org")
    assert check_email("a+b#c@x.org") == "a+b#c@x.org"


def test_an_email_is_one_path_segment_that_decodes_back_to_itself() -> None:
    from urllib.parse import unquote

    from skillgrid.domain.people import url_segment

    for email in ("jo#ops%41?x@x.org", "zoë+1@x.org", "ana@x.org"):
        segment = url_segment(email)
        assert "/" not in segment and "#" not in segment and "?" not in segment
        assert unquote(segment) == email
    assert url_segment("ana+1@x.org") == "ana+1@x.org"  # plain emails read as they are
