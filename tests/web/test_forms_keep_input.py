"""No form loses a person's input on a validation error (#17): each comes back with what was
typed (never a password, and a file must be chosen again) and the reason beside it — the
admin forms, evidence from text, signing in and changing one's password. The assessment
form is in test_assessment_input_kept."""

from __future__ import annotations

from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import cycles
from tests.web.conftest import as_
from tests.web.test_admin_pages import csrf


def admin(app_client):  # type: ignore[no-untyped-def]
    return csrf(as_(app_client, "root@x.org").get("/admin").text)


def test_a_refused_new_cycle_keeps_its_name_and_ladder_beside_the_reason(app_client) -> None:
    token = admin(app_client)
    form = {"csrf_token": token, "name": "2027-H1", "ladder": "nope"}
    refused = app_client.post("/admin/cycles", data=form)
    assert refused.status_code == 422 and refused.template.name == "admin.html"
    assert "nope" in refused.context["errors"]["cycles"]
    assert refused.context["typed"] == {"cycle_name": "2027-H1", "ladder": "nope"}
    assert 'value="2027-H1" aria-describedby="error-cycles"' in refused.text


def test_a_refused_account_keeps_the_email_and_not_the_password(app_client) -> None:
    token = admin(app_client)
    form = {"csrf_token": token, "email": "dee@x.org", "password": "short", "admin": "true"}
    refused = app_client.post("/admin/accounts", data=form)
    assert refused.status_code == 422 and refused.template.name == "admin.html"
    assert "at least" in refused.context["errors"]["accounts"]
    assert refused.context["typed"] == {"account_email": "dee@x.org", "account_admin": "true"}
    assert 'value="dee@x.org"' in refused.text and "short" not in refused.text


def test_a_refused_ladder_upload_keeps_its_name_and_choices_beside_the_reason(app_client) -> None:
    token = admin(app_client)
    refused = app_client.post(
        "/admin/ladders/preview",
        data={"csrf_token": token, "name": "bad", "split": "sentences", "levels": "rows"},
        files={"file": ("bad.csv", b"Level,A,a\n1,x,y\n", "text/csv")},
    )
    assert refused.status_code == 422 and refused.template.name == "admin.html"
    assert "duplicate track" in refused.context["errors"]["ladders"]
    assert refused.context["typed"] == {
        "ladder_name": "bad",
        "split": "sentences",
        "levels": "rows",
    }
    assert '<option value="sentences" selected>' in refused.text
    assert '<option value="rows" selected>' in refused.text
    assert "choose it again" in refused.text


def test_a_refused_people_file_says_why_beside_its_form(app_client) -> None:
    token = admin(app_client)
    refused = app_client.post(
        "/admin/people",
        data={"csrf_token": token},
        files={"file": ("p.csv", b"name,email\nZed,not-an-email\n", "text/csv")},
    )
    assert refused.status_code == 422 and refused.template.name == "admin.html"
    assert "people" in refused.context["errors"]
    assert 'id="error-people"' in refused.text


def test_closing_and_reopening_a_cycle_ask_first_saying_what_happens(
    app_client, uow_factory
) -> None:
    cycles.open_cycle(uow_factory(), "2027-H1", "sre", actor=OPERATOR)
    page = as_(app_client, "root@x.org").get("/admin").text
    assert '<details class="confirm" id="confirm-close-2027-H1">' in page
    assert "Closing 2027-H1 stops every change to its assessments" in page
    assert 'name="open" value="false">Yes, close 2027-H1</button>' in page


def test_evidence_from_text_keeps_the_text_when_the_file_is_refused(app_client) -> None:
    page = as_(app_client, "ana@x.org").get("/evidence/suggest").text
    refused = app_client.post(
        "/evidence/suggest",
        data={"csrf_token": csrf(page), "framework": "sre", "text": "- Ran the DNS migration"},
        files={"file": ("notes.md", b"\xff\xfe\x00bad", "text/markdown")},
    )
    assert refused.status_code == 422 and refused.template.name == "evidence_suggest.html"
    assert "not UTF-8" in refused.context["error"]
    assert refused.context["text"] == "- Ran the DNS migration"
    assert "- Ran the DNS migration</textarea>" in refused.text


def test_signing_in_with_a_wrong_password_keeps_the_email(app_client) -> None:
    app_client.cookies.clear()
    app_client.get("/login")
    token = app_client.cookies.get("skillgrid_login_csrf")
    form = {"email": "ana@x.org", "password": "wrong one", "csrf_token": token, "next": "/"}
    refused = app_client.post("/login", data=form)
    assert refused.status_code == 401 and refused.template.name == "login.html"
    assert refused.context["email"] == "ana@x.org" and refused.context["error"]


def test_a_refused_password_change_says_why_beside_the_fields(app_client) -> None:
    page = as_(app_client, "ana@x.org").get("/account/password").text
    form = {
        "csrf_token": csrf(page),
        "current_password": "correct horse battery",
        "new_password": "another good phrase",
        "repeat_password": "another good phrase!",
    }
    refused = app_client.post("/account/password", data=form)
    assert refused.status_code == 422 and refused.template.name == "password.html"
    assert refused.context["error"] and 'aria-describedby="password-error"' in refused.text


def test_a_form_error_that_needs_a_whole_page_says_the_input_is_one_step_back(
    app_client,
) -> None:
    token = admin(app_client)
    refused = app_client.post("/admin/cycles", data={"csrf_token": token, "name": "x" * 101})
    assert refused.status_code == 422 and refused.template.name == "error.html"
    assert "your browser's Back button returns to it" in refused.text
    assert "Back button" not in app_client.get("/no-such-page").text  # not after a GET


def test_accepting_nothing_gives_the_statements_back_to_suggest_again(app_client) -> None:
    page = as_(app_client, "ana@x.org").get("/evidence/suggest").text
    form = {"csrf_token": csrf(page), "statement-0": "Ran the DNS migration", "choice-0": "skip"}
    refused = app_client.post("/evidence/accept", data=form)
    assert refused.status_code == 422 and refused.template.name == "evidence_suggest.html"
    assert "nothing was accepted" in refused.context["error"]
    assert refused.context["text"] == "- Ran the DNS migration"


def test_refused_criterion_examples_come_back_as_typed_beside_the_reason(app_client) -> None:
    token = admin(app_client)
    typed = "Wrote the design doc\n" + "x" * 5000
    refused = app_client.post(
        "/admin/ladders/sre/criteria/PO.1.1/examples",
        data={"csrf_token": token, "examples": typed},
    )
    assert refused.status_code == 422 and refused.template.name == "criterion.html"
    assert "example 2 has 5,000 characters" in refused.context["error"]
    assert refused.context["typed"] == typed and "Wrote the design doc" in refused.text
    assert 'aria-describedby="examples-error"' in refused.text
