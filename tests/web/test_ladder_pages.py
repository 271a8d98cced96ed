"""The ladder in the browser and the API: matrix, filters, permalinks, versions, escaping."""

from __future__ import annotations

from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import frameworks
from tests.web.conftest import sign_in


def test_ladder_page_renders_the_matrix(app_client) -> None:
    sign_in(app_client)
    response = app_client.get("/ladders/sre")
    assert response.template.name == "ladder.html"
    framework = response.context["framework"]
    assert len(framework.criteria) == 90
    assert 'id="SEC.3.8"' in response.text
    assert "Nothing more at this level" in response.text


def test_filter_by_track_and_show_one_level_step(app_client) -> None:
    sign_in(app_client)
    response = app_client.get("/ladders/sre", params={"track": "NET", "step": 2})
    assert [t.key for t in response.context["tracks"]] == ["NET"]
    assert "NET.3.1" in response.text and "NET.2.1" not in response.text
    assert "SEC.3.1" not in response.text


def test_criterion_permalink_and_unknown_ones(app_client) -> None:
    sign_in(app_client)
    page = app_client.get("/ladders/sre/criteria/SRE.2.5")
    assert page.status_code == 200 and "Prometheus, Grafana)" in page.text
    missing = app_client.get("/ladders/sre/criteria/SRE.9.9")
    assert missing.status_code == 404 and "has no criterion SRE.9.9" in missing.text
    assert app_client.get("/ladders/nope").status_code == 404


def test_an_unknown_address_answers_the_error_page_and_json_under_the_api(app_client) -> None:
    page = app_client.get("/no-such-page")
    assert page.status_code == 404 and page.template.name == "error.html"
    api = app_client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_text_from_a_ladder_is_escaped(app_client, uow_factory) -> None:
    hostile = b"Level,Ops\n1,<script>alert(1)</script> Runs it.\n"
    frameworks.import_framework(uow_factory(), hostile, "x.csv", "hostile", actor=OPERATOR)
    sign_in(app_client)
    page = app_client.get("/ladders/hostile").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_versions_and_their_diff(app_client, uow_factory) -> None:
    v1 = b"Level,Ops\n1,Runs it.\n"
    frameworks.import_framework(uow_factory(), v1, "v1.csv", "ops", actor=OPERATOR)
    frameworks.import_framework(
        uow_factory(), v1 + b"2,Scales it.\n", "v2.csv", "ops", actor=OPERATOR
    )
    sign_in(app_client)
    assert "what changed from v1" in app_client.get("/ladders/ops").text
    diff = app_client.get("/ladders/ops/diff", params={"from": 1, "to": 2})
    assert diff.status_code == 200 and "Scales it." in diff.text
    api = app_client.get("/api/v1/frameworks/ops/diff", params={"from": 1, "to": 2}).json()
    assert api["counts"]["added"] == 1


def test_api_lists_and_returns_ladders(app_client) -> None:
    sign_in(app_client)
    listed = app_client.get("/api/v1/frameworks").json()
    assert [item["name"] for item in listed] == ["sre"]
    document = app_client.get("/api/v1/frameworks/sre").json()
    assert len(document["criteria"]) == 90
    assert app_client.get("/api/v1/frameworks/nope").status_code == 404
    assert app_client.get("/api/v1/frameworks/sre", params={"version": 0}).status_code == 422


def test_an_admin_edits_a_criterion_s_examples_on_its_page(app_client) -> None:
    from tests.web.conftest import as_

    engineer_page = as_(app_client, "ana@x.org").get("/ladders/sre/criteria/PO.1.1")
    assert "Turned the PRD into an RFC" not in engineer_page.text  # built-in ones stay private
    assert "Save examples" not in engineer_page.text
    admin = as_(app_client, "root@x.org")
    page = admin.get("/ladders/sre/criteria/PO.1.1")
    assert "Save examples" in page.text
    csrf = page.context["user"].session.csrf_token
    saved = admin.post(
        "/admin/ladders/sre/criteria/PO.1.1/examples",
        data={"examples": "Wrote the RFC for the quota service\n\nShipped it", "csrf_token": csrf},
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("?version=2")
    shown = as_(app_client, "ana@x.org").get("/ladders/sre/criteria/PO.1.1")
    assert shown.context["criterion"].examples == (
        "Wrote the RFC for the quota service",
        "Shipped it",
    )
    assert "<li>Shipped it</li>" in shown.text


def test_the_diff_page_names_criteria_whose_examples_changed(app_client, uow_factory) -> None:
    from tests.unit.test_ladder_examples import LADDER

    frameworks.import_framework(uow_factory(), LADDER.encode(), "o.yaml", "ops", actor=OPERATOR)
    changed = LADDER.replace("Debugged a stale resolver cache during an incident", "Ran CoreDNS")
    frameworks.import_framework(uow_factory(), changed.encode(), "o.yaml", "ops", actor=OPERATOR)
    sign_in(app_client)
    page = app_client.get("/ladders/ops/diff", params={"from": 1})
    assert "NET.1.1</span> examples changed: 2 → 2" in page.text


def test_the_filter_form_as_a_browser_sends_it_shows_the_whole_ladder_of_one_track(
    app_client,
) -> None:
    # a browser sends every field of the form, "The whole ladder" as an empty step
    sign_in(app_client)
    response = app_client.get("/ladders/sre", params={"version": "1", "track": "NET", "step": ""})
    assert response.status_code == 200
    assert [t.key for t in response.context["tracks"]] == ["NET"]
    assert response.context["step"] is None
    assert "NET.1.1" in response.text and "NET.5.1" in response.text
    everything = app_client.get("/ladders/sre", params={"track": "", "step": ""})
    assert everything.status_code == 200 and len(everything.context["tracks"]) == 6
    for wrong in ("two", "-1", "501"):
        assert app_client.get("/ladders/sre", params={"step": wrong}).status_code == 422
