"""A web app on a real database with an admin and an engineer account, and a signed-in
client helper."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from skillgrid.config import Settings
from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import accounts, frameworks, people_import
from skillgrid.web.app import create_app

PASSWORD = "correct horse battery"
PEOPLE = (
    b"name,email,team,manager_email,role\n"
    b"Bo,bo@x.org,SRE,,manager\nAna,ana@x.org,SRE,bo@x.org,engineer\n"
)


@pytest.fixture
def app_client(database_url: str, uow_factory) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    frameworks.install_builtin(uow_factory(), actor=OPERATOR)
    people_import.import_people(uow_factory(), PEOPLE, "people.csv", actor=OPERATOR)
    accounts.add_user(uow_factory(), "ana@x.org", PASSWORD, actor=OPERATOR)
    accounts.add_user(uow_factory(), "root@x.org", PASSWORD, admin=True, actor=OPERATOR)
    app = create_app(Settings(database_url=database_url))
    with TestClient(app, follow_redirects=False) as client:
        yield client


def sign_in(client: TestClient, email: str = "ana@x.org", password: str = PASSWORD):  # type: ignore[no-untyped-def]
    client.get("/login")
    token = client.cookies.get("skillgrid_login_csrf")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": "/ladders"},
    )


def as_(client: TestClient, email: str | None) -> TestClient:
    """The client signed in as ``email`` (anonymous for None), its earlier cookies gone."""
    client.cookies.clear()
    if email:
        sign_in(client, email)
    return client
