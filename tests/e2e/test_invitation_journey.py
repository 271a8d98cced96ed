"""An invitation in Chromium: an admin invites a person on /admin and copies the link; the
person opens it in a browser of their own, chooses a password (a refused one first: the
reason shows, nothing of it stays) and lands on their home, signed in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.conftest import PASSWORD, organisation, serving, shot

NEW = "quiet otter maps the harbour"


@pytest.fixture(scope="module")
def invite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The e2e organisation with Di, a person who has no account yet."""
    from skillgrid.db.engine import make_engine, make_session_factory
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork
    from skillgrid.domain.assessments import OPERATOR
    from skillgrid.services import people_import

    url = organisation(tmp_path_factory)
    engine = make_engine(url)
    di = b"name,email,team,manager_email,role\nDi Ng,di@x.org,SRE,bo@x.org,engineer\n"
    people_import.import_people(
        SqlAlchemyUnitOfWork(make_session_factory(engine)), di, "di.csv", actor=OPERATOR
    )
    engine.dispose()
    with serving(url) as base:
        yield base


def test_an_invited_person_chooses_a_password_and_lands_on_their_home(
    browser, invite_server: str
) -> None:  # type: ignore[no-untyped-def]
    server = invite_server
    admin_context, person_context = browser.new_context(), browser.new_context()
    try:
        admin = admin_context.new_page()
        admin.goto(f"{server}/login")
        admin.get_by_label("Email").fill("root@x.org")
        admin.get_by_label("Password").fill(PASSWORD)
        admin.get_by_role("button", name="Sign in").click()
        admin.goto(f"{server}/admin#invitations")
        invitations = admin.locator("section#invitations")
        invitations.get_by_label("Email").fill("di@x.org")
        invitations.get_by_role("button", name="Invite").click()
        admin.wait_for_load_state()
        note = admin.locator("#invited")
        assert "Invited di@x.org" in note.inner_text()
        path = note.locator("code").inner_text()
        assert path.startswith("/auth/invite/")
        shot(admin, "invitation-made")
        assert "di@x.org" in admin.locator("section#invitations table").inner_text()

        person = person_context.new_page()
        person.goto(server + path)
        assert person.get_by_role("heading", level=1).inner_text() == "Choose your password"
        assert person.locator("#account-email").input_value() == "di@x.org"
        person.get_by_label("Password", exact=True).fill("di@x.org long")
        person.get_by_label("Password again").fill("di@x.org lonG")
        person.get_by_role("button", name="Set password and sign in").click()
        assert "differ" in person.get_by_role("alert").inner_text()
        assert person.get_by_label("Password", exact=True).input_value() == ""
        person.get_by_label("Password", exact=True).fill(NEW)
        person.get_by_label("Password again").fill(NEW)
        shot(person, "invitation-choose-password")
        person.get_by_role("button", name="Set password and sign in").click()
        person.wait_for_url(f"{server}/")
        assert person.get_by_role("heading", level=1).inner_text() == "Hello Di Ng"
        assert person.locator(".who").inner_text() == "di@x.org"
        shot(person, "invitation-home")

        person.goto(server + path)  # used up
        assert "ask an admin for a new invitation" in person.get_by_role("alert").inner_text()
    finally:
        admin_context.close()
        person_context.close()
