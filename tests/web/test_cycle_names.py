"""Cycle names in any script, with spaces: opened from the admin page and the CLI, reached
through every link as one percent-encoded segment, and turned into valid, unique HTML ids."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillgrid.cli import app
from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import cycles
from tests.web.conftest import as_
from tests.web.test_admin_pages import csrf
from tests.web.test_assessment_pages import form_of

NAME = "Früh 2027"
LINK = "Fr%C3%BCh%202027"


def ids_of(html: str) -> list[str]:
    return re.findall(r'\bid="([^"]*)"', html)


def assert_valid_unique_ids(html: str) -> None:
    found = ids_of(html)
    assert not [i for i in found if not i or re.search(r"\s", i)], found  # HTML: no spaces
    assert len(found) == len(set(found)), [i for i in found if found.count(i) > 1]


def test_a_cycle_named_in_unicode_with_a_space_is_opened_on_the_admin_page_and_used(
    app_client, uow_factory
) -> None:
    admin = as_(app_client, "root@x.org")
    token = csrf(admin.get("/admin").text)
    opened = admin.post("/admin/cycles", data={"csrf_token": token, "name": NAME, "ladder": "sre"})
    assert opened.status_code == 303, opened.text
    cycles.open_cycle(uow_factory(), "Früh 2027.", "sre", actor=OPERATOR)  # a near neighbour
    assert [c.name for c in cycles.list_cycles(uow_factory())][:1] == [NAME]
    page = admin.get("/admin").text
    assert_valid_unique_ids(page)
    by_api = admin.post("/api/v1/cycles", json={"name": "Осень 2027", "framework": "sre"})
    assert by_api.status_code == 201, by_api.text
    assert admin.post("/api/v1/cycles", json={"name": "a/b"}).status_code == 422
    assert f'action="/admin/cycles/{LINK}/state"' in page
    closed = admin.post(f"/admin/cycles/{LINK}/state", data={"csrf_token": token, "open": "false"})
    assert closed.status_code == 303
    assert not next(c for c in cycles.list_cycles(uow_factory()) if c.name == NAME).open
    admin.post(f"/admin/cycles/{LINK}/state", data={"csrf_token": token, "open": "true"})
    download = admin.get(f"/cycles/{LINK}/progress.csv")
    assert download.status_code == 200
    assert f"filename*=UTF-8''{LINK}-progress.csv" in download.headers["content-disposition"]

    ana = as_(app_client, "ana@x.org")
    home = ana.get("/").text
    url = f"/people/ana@x.org/assess/{LINK}/self"
    assert f'href="{url}"' in home
    page = ana.get(url)
    assert page.status_code == 200 and page.context["view"].cycle.name == NAME
    assert f'action="{url}"' in page.text
    saved = ana.post(url, data=form_of(page.text, {"PO.1.1": "meets"}, "submit"))
    assert saved.status_code == 303 and saved.headers["location"].startswith(url)
    after = ana.get(url)
    assert after.context["view"].assessment.state.value == "submitted"
    assert_valid_unique_ids(after.text)
    assert_valid_unique_ids(
        as_(app_client, "root@x.org").get(f"/people/ana@x.org/assess/{LINK}/manager").text
    )


def test_a_cycle_named_in_unicode_is_opened_from_the_command_line(tmp_path: Path) -> None:
    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    runner = CliRunner()
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    opened = runner.invoke(app, ["cycle", "open", NAME, "--framework", "sre"], env=env)
    assert opened.exit_code == 0, opened.output
    listed = runner.invoke(app, ["cycle", "list", "--json"], env=env)
    assert [c["name"] for c in json.loads(listed.output)] == [NAME]


@pytest.mark.parametrize(
    "name", ["2026/H2", "tab\there", "bell\x07", " lead", "trail ", "_under", "x" * 101, ""]
)
def test_a_cycle_name_with_a_slash_a_control_character_or_an_edge_space_is_refused(
    name: str,
) -> None:
    from skillgrid.domain.assessments import cycle_name_problem

    assert cycle_name_problem(name) is not None


@pytest.mark.parametrize("name", ["Früh 2027", "2026-H2", "Осень 2026", "秋 2026", "v1.2_b"])
def test_a_cycle_name_of_letters_and_digits_of_any_script_is_allowed(name: str) -> None:
    from skillgrid.domain.assessments import cycle_name_problem

    assert cycle_name_problem(name) is None


def test_the_admin_form_refuses_a_cycle_name_with_a_slash_and_stores_nothing(
    app_client, uow_factory
) -> None:
    admin = as_(app_client, "root@x.org")
    token = csrf(admin.get("/admin").text)
    refused = admin.post(
        "/admin/cycles", data={"csrf_token": token, "name": "a/b", "ladder": "sre"}
    )
    assert refused.status_code == 422 and "cycle name &#39;a/b&#39;" in refused.text
    assert cycles.list_cycles(uow_factory()) == []


def test_a_reminder_links_a_cycle_named_with_a_space_as_one_segment() -> None:
    from skillgrid.domain.assessments import Cycle
    from skillgrid.domain.reminders import CycleWork, Digest, digest_mail

    work = CycleWork(Cycle(NAME, "sre", 1), True, (("Ana", "ana@x.org"),))
    mail = digest_mail(Digest("bo@x.org", "Bo", (work,)), "https://sk.example/")
    assert f"https://sk.example/people/bo@x.org/assess/{LINK}/self" in mail.text
    assert f"https://sk.example/people/ana@x.org/assess/{LINK}/manager" in mail.text


DECOMPOSED = "Fru\u0308h 2027"  # "ü" as u + combining diaeresis, as macOS keyboards type it


def test_a_cycle_is_found_by_its_name_typed_in_decomposed_form_in_a_link(
    app_client, uow_factory
) -> None:
    from urllib.parse import quote

    assert DECOMPOSED != NAME
    cycles.open_cycle(uow_factory(), NAME, "sre", actor=OPERATOR)
    url = f"/people/ana@x.org/assess/{quote(DECOMPOSED)}/self"
    ana = as_(app_client, "ana@x.org")
    page = ana.get(url)
    assert page.status_code == 200, page.text
    assert page.context["view"].cycle.name == NAME
    saved = ana.post(url, data=form_of(page.text, {"PO.1.1": "meets"}, "submit"))
    assert saved.status_code == 303, saved.text
    after = ana.get(f"/people/ana@x.org/assess/{LINK}/self").context["view"]
    assert after.assessment.state.value == "submitted"
    admin = as_(app_client, "root@x.org")
    assert admin.get(f"/team?cycle={quote(DECOMPOSED)}").context["cycle"].name == NAME
    assert admin.get(f"/insight?cycle={quote(DECOMPOSED)}").status_code == 200


def test_a_cycle_is_found_by_its_name_typed_in_decomposed_form_on_the_command_line(
    tmp_path: Path,
) -> None:
    env = {"SKILLGRID_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    runner = CliRunner()
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    assert runner.invoke(app, ["cycle", "open", NAME, "--framework", "sre"], env=env).exit_code == 0
    closed = runner.invoke(app, ["cycle", "close", DECOMPOSED], env=env)
    assert closed.exit_code == 0, closed.output
    listed = json.loads(runner.invoke(app, ["cycle", "list", "--json"], env=env).output)
    assert [(c["name"], c["open"]) for c in listed] == [(NAME, False)]
    report = runner.invoke(app, ["team", "report", "--cycle", DECOMPOSED], env=env)
    assert report.exit_code == 0, report.output
    assert NAME in report.output
