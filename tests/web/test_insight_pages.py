"""Team insight in the browser's HTML and in the API, with the privacy of the services: an
admin sees the org, a manager the teams made of their reports, an engineer none."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from skillgrid.config import Settings
from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import accounts
from skillgrid.web.app import create_app
from tests.integration.test_team_insight import org  # noqa: F401  (the fixture)
from tests.web.conftest import PASSWORD, sign_in


@pytest.fixture
def client(org, database_url: str) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]  # noqa: F811
    for email in ("mia@x.org", "nat@x.org"):
        accounts.add_user(org(), email, PASSWORD, actor=OPERATOR)
    accounts.add_user(org(), "root@x.org", PASSWORD, admin=True, actor=OPERATOR)
    with TestClient(create_app(Settings(database_url=database_url)), follow_redirects=False) as c:
        yield c


def bearer(client: TestClient, email: str) -> dict[str, str]:
    sign_in(client, email)
    csrf = client.cookies.get("skillgrid_csrf")
    token = client.post("/api/v1/tokens", json={"name": "t"}, headers={"X-CSRF-Token": csrf or ""})
    client.cookies.clear()
    return {"Authorization": f"Bearer {token.json()['token']}"}


def test_the_org_page_shows_coverage_heatmap_calibration_and_movement(client) -> None:
    sign_in(client, "root@x.org")
    overview = client.get("/insight")
    assert overview.status_code == 200
    assert 'href="/insight/Infra?view=overview' in overview.text and "<svg" in overview.text
    coverage = client.get("/insight?view=coverage").text
    assert "missed by 1" in coverage and "single point of failure: Al" in coverage
    assert "Nat</a> — level 2, 1 unmet" in coverage and "Capacity." in coverage
    assert "Mia" in client.get("/insight?view=calibration").text
    assert "Since C1" in client.get("/insight?view=movement").text
    team = client.get("/insight/Net?view=coverage")
    assert team.status_code == 200 and "single point of failure: Nat" in team.text
    assert client.get("/insight?view=bogus").status_code == 200  # the overview


def test_a_manager_sees_their_teams_and_nothing_else(client) -> None:
    sign_in(client, "mia@x.org")
    listing = client.get("/insight")
    assert listing.status_code == 200 and 'href="/insight/Net"' in listing.text
    assert client.get("/insight/Net").status_code == 200
    for hidden in ("/insight/Infra", "/insight/Apps", "/insight/Nowhere"):
        assert client.get(hidden).status_code == 404


def test_the_api_gives_the_report_sections_and_guards_them(client) -> None:
    admin = bearer(client, "root@x.org")
    report = client.get("/api/v1/org/report", headers=admin).json()
    assert set(report) >= {"coverage", "distribution", "calibration", "movement"}
    assert report["coverage"]["missed"] == 1
    moved = client.get("/api/v1/teams/Net/report?cycle=C2&since=C1", headers=admin).json()
    assert (moved["movement"]["from"], moved["movement"]["to"]) == ("C1", "C2")
    backwards = client.get("/api/v1/teams/Net/report?cycle=C1&since=C2", headers=admin)
    assert backwards.status_code == 422
    infra = client.get("/api/v1/teams/Infra/report?cycle=C2", headers=admin).json()
    closest = infra["coverage"]["targets"][0]["closest"]
    assert [(p["name"], [x["id"] for x in p["lacking"]]) for p in closest] == [
        ("Nat", ["OPS.3.1"]),
        ("Ned", ["OPS.2.1", "OPS.3.1"]),
    ]
    mia = bearer(client, "mia@x.org")
    assert [t["name"] for t in client.get("/api/v1/teams", headers=mia).json()] == ["Net"]
    assert client.get("/api/v1/teams/Infra/report", headers=mia).status_code == 404
    assert client.get("/api/v1/org/report", headers=mia).status_code == 404
    assert client.get("/api/v1/teams/Net/report?cycle=nope", headers=mia).status_code == 404
    nat = bearer(client, "nat@x.org")
    assert client.get("/api/v1/teams", headers=nat).json() == []
    assert client.get("/api/v1/teams/Net/report", headers=nat).status_code == 404


def test_only_an_admin_sets_targets_and_bad_ones_are_refused(client) -> None:
    admin, mia = bearer(client, "root@x.org"), bearer(client, "mia@x.org")
    body = {"team": "Net", "framework": "tiny", "track": "OPS", "level": 2, "people": 2}
    assert client.put("/api/v1/targets", json=body, headers=mia).status_code == 403
    stored = client.put("/api/v1/targets", json=body, headers=admin)
    assert stored.status_code == 200 and stored.json()["track"] == "OPS"
    before = client.get("/api/v1/targets", headers=admin).json()
    for bad, status in (
        ({**body, "track": "DNS"}, 422),
        ({**body, "level": 9}, 422),
        ({**body, "people": 0}, 422),
        ({**body, "team": "Nope"}, 404),
        ({**body, "framework": "nope"}, 404),
        ({"team": "Net"}, 422),
    ):
        assert client.put("/api/v1/targets", json=bad, headers=admin).status_code == status, bad
    assert client.get("/api/v1/targets", headers=admin).json() == before
    gone = client.delete("/api/v1/targets/tiny/Net/OPS", headers=admin)
    assert gone.status_code == 204
    assert client.delete("/api/v1/targets/tiny/Net/OPS", headers=admin).status_code == 404


def test_an_admin_sets_and_removes_targets_on_the_coverage_page(client) -> None:
    sign_in(client, "root@x.org")
    page = client.get("/insight/Net?view=coverage")
    assert 'action="/insight/targets"' in page.text
    csrf = client.cookies.get("skillgrid_csrf") or _csrf(page.text)
    form = {"team": "Net", "framework": "tiny", "track": "OPS", "level": "2", "people": "2"}
    saved = client.post("/insight/targets", data={**form, "back": "Net", "csrf_token": csrf})
    assert saved.status_code == 303 and saved.headers["location"] == "/insight/Net?view=coverage"
    assert "2 at Ops ≥ 2" in client.get("/insight/Net?view=coverage").text
    forged = client.post("/insight/targets", data={**form, "csrf_token": "nope"})
    assert forged.status_code in (400, 403)
    bad = client.post("/insight/targets", data={**form, "track": "DNS", "csrf_token": csrf})
    assert bad.status_code == 422
    gone = {"team": "Net", "framework": "tiny", "track": "OPS", "back": "Net", "csrf_token": csrf}
    assert client.post("/insight/targets/remove", data=gone).status_code == 303
    assert "2 at Ops ≥ 2" not in client.get("/insight/Net?view=coverage").text


def test_only_admins_may_post_targets(client) -> None:
    sign_in(client, "mia@x.org")
    page = client.get("/insight/Net?view=coverage")
    assert 'action="/insight/targets"' not in page.text
    form = {
        "team": "Net",
        "framework": "tiny",
        "track": "OPS",
        "level": "2",
        "people": "2",
        "csrf_token": _csrf(page.text),
    }
    assert client.post("/insight/targets", data=form).status_code == 403


def _csrf(html: str) -> str:
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    return found.group(1) if found else ""


def test_a_team_name_with_a_slash_has_its_pages_and_api(client, org) -> None:  # noqa: F811
    from skillgrid.services import people

    people.add_team(org(), "Ops/Net", "Infra", actor=OPERATOR)
    people.change_person(org(), "ned@x.org", team="Ops/Net", actor=OPERATOR)
    admin = bearer(client, "root@x.org")
    report = client.get("/api/v1/teams/Ops%2FNet/report", headers=admin)
    assert report.status_code == 200 and report.json()["team"] == "Ops/Net"
    body = {"team": "Ops/Net", "framework": "tiny", "track": "OPS", "level": 1, "people": 1}
    assert client.put("/api/v1/targets", json=body, headers=admin).status_code == 200
    assert client.delete("/api/v1/targets/tiny/Ops/Net/OPS", headers=admin).status_code == 204
    sign_in(client, "root@x.org")
    assert client.get("/insight/Ops/Net?view=coverage").status_code == 200
    assert client.get("/insight/" + "x" * 300).status_code == 404


def test_numbers_say_what_they_rest_on_and_unreviewed_is_not_a_gap(client) -> None:
    sign_in(client, "root@x.org")
    early = client.get("/insight/Infra?view=coverage&cycle=C1")  # Mia and Max not reviewed
    report = early.context["report"]
    assert early.template.name == "insight.html" and report.based_on == (2, 4)
    assert "Based on <strong>2 of 4 with a manager finalized</strong> in C1" in early.text
    assert "; 2 not yet reviewed; 1 has no manager." in early.text  # Boss, the top of Infra
    ops = next(c for c in report.coverage if c.target.team == "Infra")
    assert ops.pending and ops.unreviewed == 2
    assert "not yet reviewed: 3 short so far, and 2 people not finalized yet" in early.text
    assert "reviewed and below target" not in early.text
    done = client.get("/insight/Infra?view=coverage&cycle=C2")
    assert done.context["report"].based_on == (4, 4)
    assert "reviewed and below target: missed by 1" in done.text
    overview = client.get("/insight/Infra?cycle=C1")
    assert ">2 of 4</td>" in overview.text  # the heatmap's people: finalized of all
    api = client.get("/api/v1/teams/Infra/report?cycle=C1", headers=bearer(client, "root@x.org"))
    based_on = api.json()["based_on"]
    assert (based_on["finalized"], based_on["reviewable"], based_on["unmanaged"]) == (
        2,
        4,
        [{"email": "boss@x.org", "name": "Boss"}],
    )


def test_a_refused_target_keeps_its_input_and_removing_one_asks_first(client) -> None:
    sign_in(client, "root@x.org")
    page = client.get("/insight/Net?view=coverage")
    assert '<details class="confirm" id="confirm-remove-all-1">' in page.text
    assert "Removing the target of Net (1 at Code ≥ 2)" in page.text
    csrf = client.cookies.get("skillgrid_csrf") or _csrf(page.text)
    form = {"team": "Net", "framework": "tiny", "track": "DNS", "level": "2", "people": "4"}
    refused = client.post("/insight/targets", data={**form, "back": "Net", "csrf_token": csrf})
    assert refused.status_code == 422 and refused.template.name == "insight.html"
    assert "DNS" in refused.context["target_error"]
    assert refused.context["typed"] == {"team": "Net", "track": "DNS", "level": 2, "people": 4}
    assert 'id="t-people" name="people" type="number" min="1" value="4"' in refused.text
