"""The main journey over HTTP: self-assess with evidence, submit; the manager reviews side by
side, changes a rating and finalizes; growth shows the level; privacy and escaping hold."""

from __future__ import annotations

import re

from skillgrid.domain.assessments import OPERATOR, Entry
from skillgrid.domain.evidence import Evidence
from skillgrid.domain.leveling import Rating
from skillgrid.services import accounts, assessments, cycles, evidence
from tests.unit.test_leveling import sre, through
from tests.web.conftest import PASSWORD, sign_in


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def revision(page: str) -> str:
    return re.search(r'name="revision" value="(\d+)"', page).group(1)


def form_of(page: str, ratings: dict[str, str], action: str, **extra: str) -> dict[str, str]:
    data = {"csrf_token": csrf(page), "revision": revision(page), "action": action, **extra}
    data.update({f"rating-{cid}": value for cid, value in ratings.items()})
    return data


def test_self_assessment_review_and_finalize(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    sign_in(app_client, "ana@x.org")
    url = "/people/ana@x.org/assess/2026-H2/self"
    page = app_client.get(url)
    assert page.status_code == 200 and page.template.name == "assess.html"
    mine = dict.fromkeys(list(through(1)), "meets")
    data = form_of(
        page.text,
        mine,
        "submit",
        **{
            "evidence-title-NET.1.1": "Postmortem: DNS <script>x</script>",
            "evidence-url-NET.1.1": "https://wiki.example/dns",
            "comment-NET.1.2": "<b>OSI</b> talk",
        },
    )
    assert app_client.post(url, data=data).status_code == 303
    page = app_client.get(url).text
    assert "submitted" in page and "Postmortem: DNS &lt;script&gt;" in page
    assert "&lt;b&gt;OSI&lt;/b&gt; talk" in page
    # the manager sees the self ratings beside their own, changes one and finalizes
    app_client.cookies.clear()
    sign_in(app_client, "bo@x.org")
    review = "/people/ana@x.org/assess/2026-H2/manager"
    page = app_client.get(review).text
    assert "self: <strong>Meets</strong>" in page
    theirs = dict(mine, **{"NET.1.1": "developing"})
    app_client.post(review, data=form_of(page, theirs, "submit"))
    page = app_client.get(review).text
    assert app_client.post(review, data=form_of(page, {}, "finalize")).status_code == 303
    growth = app_client.get("/people/ana@x.org/growth")
    assert growth.context["official"].result.overall == 0
    assert growth.context["official"].result.gaps["NET"][0] == "NET.1.1"


def test_a_stale_form_is_a_conflict_not_a_lost_update(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    sign_in(app_client)
    url = "/people/ana@x.org/assess/2026-H2/self"
    first = app_client.get(url).text
    app_client.post(url, data=form_of(first, {"PO.1.1": "meets"}, "save"))
    stale = app_client.post(url, data=form_of(first, {"PO.1.1": "exceeds"}, "save"))
    assert stale.status_code == 409 and stale.template.name == "assess.html"
    assert "saved elsewhere meanwhile" in stale.context["refused"]["PO.1.1"]  # beside it
    assert stale.context["conflict"] and "Nothing was saved" in stale.text
    assert line(stale, "PO.1.1").shown.rating == "exceeds"  # what was typed, not lost
    assert line(stale, "PO.1.1").entry.rating.value == "meets"  # still what is stored
    again = app_client.post(url, data=form_of(stale.text, {"PO.1.1": "exceeds"}, "save"))
    assert again.status_code == 303


def test_an_engineer_cannot_open_a_colleague_s_assessment(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    sign_in(app_client, "ana@x.org")
    assert app_client.get("/people/bo@x.org/assess/2026-H2/self").status_code == 404
    page = app_client.get("/people/ana@x.org/assess/2026-H2/self").text
    forged = form_of(page, {"PO.1.1": "exceeds"}, "save")
    assert app_client.post("/people/bo@x.org/assess/2026-H2/self", data=forged).status_code == 404


def test_forms_without_the_csrf_token_change_nothing(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    sign_in(app_client)
    url = "/people/ana@x.org/assess/2026-H2/self"
    page = app_client.get(url).text
    data = form_of(page, {"PO.1.1": "meets"}, "save", csrf_token="forged")
    assert app_client.post(url, data=data).status_code == 403
    assert '<span id="rated-count">0</span> of 90 criteria rated' in app_client.get(url).text
    assert len(sre().criteria) == 90


def titles(items) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(item.title for item in items)


def lines(page):  # type: ignore[no-untyped-def]
    """Every criterion line the assessment page rendered."""
    return [line for cells in page.context["cells"].values() for c in cells for line in c.lines]


def line(page, cid: str):  # type: ignore[no-untyped-def]
    return next(found for found in lines(page) if found.criterion.id == cid)


def test_existing_evidence_is_linked_and_unlinked_without_javascript(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    dns = evidence.add_evidence(uow_factory(), OPERATOR, Evidence("ana@x.org", "DNS"), [], "sre")
    talk = evidence.add_evidence(
        uow_factory(), OPERATOR, Evidence("ana@x.org", "SLO talk"), ["NET.1.1"], "sre"
    )
    sign_in(app_client)
    url = "/people/ana@x.org/assess/2026-H2/self"
    page = app_client.get(url)
    assert titles(line(page, "PO.1.1").unlinked) == ["DNS", "SLO talk"]
    assert 'name="evidence-links-PO.1.1" value="1"' in page.text
    ticked = {"evidence-links-PO.1.1": "1", "evidence-link-PO.1.1": [str(dns.id), str(talk.id)]}
    assert app_client.post(url, data=form_of(page.text, {}, "save", **ticked)).status_code == 303
    page = app_client.get(url)
    assert titles(line(page, "PO.1.1").linked) == ["DNS", "SLO talk"]
    assert titles(line(page, "NET.1.1").linked) == ["SLO talk"]  # not on the form
    assert line(page, "PO.1.1").unlinked == ()
    untick_talk = {"evidence-links-PO.1.1": "1", "evidence-link-PO.1.1": str(dns.id)}
    app_client.post(url, data=form_of(page.text, {}, "save", **untick_talk))
    page = app_client.get(url)
    assert titles(line(page, "PO.1.1").linked) == ["DNS"]
    assert titles(line(page, "PO.1.1").unlinked) == ["SLO talk"]


def test_only_the_person_links_their_own_evidence(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    dns = evidence.add_evidence(uow_factory(), OPERATOR, Evidence("ana@x.org", "DNS"), [], "sre")
    bos = evidence.add_evidence(uow_factory(), OPERATOR, Evidence("bo@x.org", "Bo's"), [], "sre")
    sign_in(app_client, "ana@x.org")
    url = "/people/ana@x.org/assess/2026-H2/self"
    page = app_client.get(url).text
    someone_else_s = {"evidence-links-PO.1.1": "1", "evidence-link-PO.1.1": str(bos.id)}
    refused = app_client.post(url, data=form_of(page, {}, "save", **someone_else_s))
    assert refused.status_code == 404 and "has no evidence" in refused.text
    app_client.cookies.clear()
    sign_in(app_client, "bo@x.org")  # her manager reads her evidence, and links none of it
    review = "/people/ana@x.org/assess/2026-H2/manager"
    page = app_client.get(review)
    assert not any(found.unlinked for found in lines(page))
    assert "evidence-links-" not in page.text
    forged = {"evidence-links-PO.1.1": "1", "evidence-link-PO.1.1": str(dns.id)}
    assert app_client.post(review, data=form_of(page.text, {}, "save", **forged)).status_code == 403


def test_a_form_naming_a_criterion_the_ladder_lacks_is_refused_and_stores_nothing(
    app_client, uow_factory, database_url
) -> None:
    from tests.conftest import table_snapshot

    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    sign_in(app_client, "ana@x.org")
    url = "/people/ana@x.org/assess/2026-H2/self"
    page = app_client.get(url).text
    before = table_snapshot(database_url)
    data = form_of(page, {"NET.1.1": "meets", "PO.9.9": "meets"}, "save")
    refused = app_client.post(url, data=data)
    assert refused.status_code == 422 and "PO.9.9" in refused.text
    assert table_snapshot(database_url) == before


def test_the_review_shows_the_self_rating_its_n_a_reason_and_differs_only_where_both_rated(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    own = {
        "PO.1.1": Entry(Rating.NOT_APPLICABLE, reason="no design docs in this team"),
        "PO.2.1": Entry(Rating.NOT_YET),
        "NET.1.1": Entry(Rating.MEETS),
    }
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self", own)
    assessments.submit(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self")
    theirs = {"PO.2.1": Entry(Rating.NOT_YET), "NET.1.1": Entry(Rating.DEVELOPING)}
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "manager", theirs)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    sign_in(app_client, "bo@x.org")
    page = app_client.get("/people/ana@x.org/assess/2026-H2/manager")
    assert "self: <strong>N/A</strong> (reason: no design docs in this team)" in page.text
    assert "self: <strong>Not yet</strong>" in page.text
    lines = {line.criterion.id: line for cell in page.context["cells"].values() for c in cell
             for line in c.lines}  # fmt: skip
    assert lines["NET.1.1"].differ == ("self",)  # both rated, apart
    assert lines["PO.2.1"].differ == ()  # both rated alike
    assert lines["PO.1.1"].differ == ()  # not rated by the manager yet: still to do
    assert page.text.count('class="differs-note"') == 1


def test_a_rating_kept_from_a_criterion_the_new_version_removed_is_not_counted(
    app_client, uow_factory
) -> None:
    import yaml

    from skillgrid.exporters import ExportFormat
    from skillgrid.services import frameworks

    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    both = {"PO.1.1": Entry(Rating.MEETS), "CW.1.1": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self", both)
    written = yaml.safe_load(frameworks.export(uow_factory(), "sre", ExportFormat.YAML))
    written["criteria"] = [c for c in written["criteria"] if c["id"] != "CW.1.1"]
    newer = yaml.safe_dump(written).encode()
    frameworks.import_framework(uow_factory(), newer, "sre.yaml", "sre", actor=OPERATOR)
    assert cycles.move_cycle(uow_factory(), "2026-H2", actor=OPERATOR).archived == 1
    sign_in(app_client, "ana@x.org")
    page = app_client.get("/people/ana@x.org/assess/2026-H2/self")
    assert '<span id="rated-count">1</span> of 89 criteria rated' in page.text
    assert "88 of 89 criteria are not rated yet" in page.text


def test_a_rating_of_a_criterion_moved_to_another_level_is_shown_to_check_with_where_from(
    app_client, uow_factory
) -> None:
    from skillgrid.services import frameworks
    from tests.unit.test_cycle_moves import MOVED, V1
    from tests.web.conftest import as_

    frameworks.import_framework(uow_factory(), V1, "v1.csv", "ops", actor=OPERATOR)
    cycles.open_cycle(uow_factory(), "2026-H2", "ops", actor=OPERATOR)
    mine = {"NET.1.1": Entry(Rating.MEETS), "NET.1.2": Entry(Rating.MEETS)}
    assessments.rate(uow_factory(), OPERATOR, "ana@x.org", "2026-H2", "self", mine)
    frameworks.import_framework(uow_factory(), MOVED, "v2.csv", "ops", actor=OPERATOR)
    cycles.move_cycle(uow_factory(), "2026-H2", actor=OPERATOR)
    ana = as_(app_client, "ana@x.org")
    page = ana.get("/people/ana@x.org/assess/2026-H2/self").text
    moved = page.split('id="c-NET.2.1"')[1].split("</legend>")[0]
    assert '<em class="review">moved from level 1 to level 2 since rated: check it</em>' in moved
    kept = page.split('id="c-NET.1.1"')[1].split("</legend>")[0]
    assert "check it" not in kept
    api = ana.get("/api/v1/people/ana@x.org/assessments/2026-H2/self").json()
    assert api["ratings"]["NET.2.1"]["review_reason"] == "moved from level 1 to level 2"
    assert api["ratings"]["NET.1.1"]["review_reason"] is None
