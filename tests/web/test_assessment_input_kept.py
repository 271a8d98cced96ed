"""The assessment page never loses a person's input (#17): a criterion the rules refuse
keeps what was typed, beside the reason, and the other criteria are saved; nothing is
submitted or finalized while one is refused; finalizing keeps the changes made since the
last save; the page says the state for who reads it and the last save in its sticky bar."""

from __future__ import annotations

from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import accounts, assessments, cycles
from tests.web.conftest import PASSWORD, as_
from tests.web.test_assessment_pages import form_of, line

URL = "/people/ana@x.org/assess/2026-H2/self"
NA_WITHOUT_REASON = {"rating-CW.1.1": "n/a", "comment-CW.1.1": "typed, not lost"}


def stored(uow_factory, rater: str = "self"):  # type: ignore[no-untyped-def]
    found, framework = assessments.get_assessment(
        uow_factory(), OPERATOR, "ana@x.org", "2026-H2", rater
    )
    ids = {c.uid: c.id for c in framework.criteria}
    return found.state.value, {ids[uid]: e.rating.value for uid, e in found.entries.items()}


def test_a_refused_criterion_keeps_its_input_beside_the_reason_and_the_others_are_saved(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    as_(app_client, "ana@x.org")
    page = app_client.get(URL).text
    data = form_of(page, {"PO.1.1": "meets"}, "save", **NA_WITHOUT_REASON)
    answer = app_client.post(URL, data=data)
    assert answer.status_code == 422 and answer.template.name == "assess.html"
    assert list(answer.context["refused"]) == ["CW.1.1"]
    refused = line(answer, "CW.1.1")
    assert refused.error and "needs a reason" in refused.error
    assert (refused.shown.rating, refused.shown.comment) == ("n/a", "typed, not lost")
    assert 'id="err-CW.1.1"' in answer.text and 'href="#c-CW.1.1"' in answer.text
    assert stored(uow_factory) == ("draft", {"PO.1.1": "meets"})


def test_a_refused_criterion_keeps_what_was_stored_before(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    as_(app_client, "ana@x.org")
    page = app_client.get(URL).text
    app_client.post(URL, data=form_of(page, {"CW.1.1": "meets"}, "save"))
    page = app_client.get(URL).text
    app_client.post(URL, data=form_of(page, {"PO.1.1": "exceeds"}, "save", **NA_WITHOUT_REASON))
    assert stored(uow_factory) == ("draft", {"PO.1.1": "exceeds", "CW.1.1": "meets"})


def test_autosave_answers_which_criteria_were_refused_and_why(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    as_(app_client, "ana@x.org")
    page = app_client.get(URL).text
    data = form_of(page, {"PO.1.1": "meets"}, "save", **NA_WITHOUT_REASON)
    answer = app_client.post(URL, data=data, headers={"X-Requested-With": "fetch"})
    assert answer.status_code == 200
    body = answer.json()
    assert list(body["refused"]) == ["CW.1.1"] and body["revision"] == 1
    assert (body["rated"], body["level"]) == (1, 0)  # for the page's header: PO.1.1 only
    assert stored(uow_factory) == ("draft", {"PO.1.1": "meets"})


def test_evidence_with_a_bad_link_is_refused_beside_its_criterion_and_kept_typed(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    as_(app_client, "ana@x.org")
    page = app_client.get(URL).text
    typed = {"evidence-title-PO.1.1": "Design doc", "evidence-url-PO.1.1": "docs/design"}
    answer = app_client.post(URL, data=form_of(page, {"NET.1.1": "meets"}, "save", **typed))
    assert answer.status_code == 422 and "not a web address" in answer.context["refused"]["PO.1.1"]
    shown = line(answer, "PO.1.1").shown
    assert (shown.title, shown.url) == ("Design doc", "docs/design")
    assert stored(uow_factory) == ("draft", {"NET.1.1": "meets"})


def test_submit_with_a_refused_criterion_saves_the_rest_and_does_not_submit(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    as_(app_client, "ana@x.org")
    page = app_client.get(URL).text
    data = form_of(page, {"PO.1.1": "meets"}, "submit", **NA_WITHOUT_REASON)
    assert app_client.post(URL, data=data).status_code == 422
    assert stored(uow_factory) == ("draft", {"PO.1.1": "meets"})


def test_finalize_keeps_the_changes_made_since_the_last_save(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    as_(app_client, "bo@x.org")
    review = "/people/ana@x.org/assess/2026-H2/manager"
    page = app_client.get(review).text
    app_client.post(review, data=form_of(page, {"PO.1.1": "meets"}, "submit"))
    page = app_client.get(review).text
    changed = form_of(page, {"PO.1.1": "meets", "CW.1.1": "developing"}, "finalize")
    assert app_client.post(review, data=changed).status_code == 303
    assert stored(uow_factory, "manager") == (
        "finalized",
        {"PO.1.1": "meets", "CW.1.1": "developing"},
    )


def test_the_page_says_the_state_for_its_reader_and_the_last_save(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    accounts.add_user(uow_factory(), "bo@x.org", PASSWORD, actor=OPERATOR)
    as_(app_client, "ana@x.org")
    fresh = app_client.get(URL)
    assert fresh.context["state_words"] == "not started"
    assert fresh.context["saved_note"] == "Nothing saved yet."
    app_client.post(URL, data=form_of(fresh.text, {"PO.1.1": "meets"}, "submit"))
    mine = app_client.get(URL)
    assert mine.context["state_words"].startswith("submitted — you can still edit")
    assert mine.context["saved_note"].startswith("Last submitted ")
    assert "by you" in mine.context["saved_note"]
    assert 'value="save">Save changes</button>' in mine.text  # not "Save draft"
    as_(app_client, "bo@x.org")
    review = "/people/ana@x.org/assess/2026-H2/manager"
    page = app_client.get(review).text
    app_client.post(review, data=form_of(page, {"PO.1.1": "meets"}, "submit"))
    assert app_client.get(review).context["state_words"] == "waiting for you to finalize"
    as_(app_client, "ana@x.org")
    theirs = app_client.get(review).context["state_words"]
    assert theirs == "submitted — waiting for your manager to finalize"


def test_submit_and_finalize_ask_first_and_say_what_happens(app_client, uow_factory) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    as_(app_client, "ana@x.org")
    page = app_client.get(URL)
    assert (
        "submit_note" in page.context
        and "shows this self-assessment to your manager" in (page.context["submit_note"])
    )
    assert '<details class="confirm" id="confirm-submit">' in page.text
    assert 'class="danger" name="action" value="submit">Yes, save and submit</button>' in page.text
    assert "90 of 90 criteria are not rated yet" in page.text  # said before, not found after
    app_client.post(URL, data=form_of(page.text, {"PO.1.1": "meets"}, "save"))
    assert "89 of 90 criteria are not rated yet" in app_client.get(URL).text


def test_autosave_says_why_a_save_was_refused_and_tells_an_overtaken_save_apart(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2026-H2", "sre", actor=OPERATOR)
    as_(app_client, "ana@x.org")
    page = app_client.get(URL).text
    fetch = {"X-Requested-With": "fetch"}
    app_client.post(URL, data=form_of(page, {"PO.1.1": "meets"}, "save"), headers=fetch)
    stale = app_client.post(URL, data=form_of(page, {"PO.1.1": "exceeds"}, "save"), headers=fetch)
    assert stale.status_code == 409 and stale.json()["title"] == "Changed meanwhile"
    assert "reload it and apply your change again" in stale.json()["detail"]

    cycles.set_cycle_open(uow_factory(), "2026-H2", False, actor=OPERATOR)
    page = app_client.get(URL).text
    closed = app_client.post(URL, data=form_of(page, {"PO.1.1": "exceeds"}, "save"), headers=fetch)
    assert closed.status_code == 409 and closed.json() == {
        "title": "Not possible now",
        "detail": "cycle 2026-H2 is closed: no more ratings",
    }
    assert stored(uow_factory) == ("draft", {"PO.1.1": "meets"})
