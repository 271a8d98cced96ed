"""Ladders over the API: a file sent as the body is previewed (nothing stored) or stored as
the next version (nothing when unchanged); a file that cannot be read is refused with every
problem located and stores nothing; admins only; the upload limits hold."""

from __future__ import annotations

from skillgrid.services import frameworks
from skillgrid.web.limits import MAX_UPLOAD
from skillgrid.web.security import MAX_BODY
from tests.conftest import table_snapshot
from tests.web.conftest import as_

API = "/api/v1/frameworks"
OPS = b"Level,Ops,Security\n1,Runs it. Watches it.,Patches it.\n2,Scales it.,\n"
OPS_MD = b"| Level | Ops | Security |\n|---|---|---|\n| 1 | Runs it. | Patches it. |\n"
CSV = {"content-type": "text/csv"}


def test_a_preview_reads_the_file_and_stores_nothing(app_client, database_url) -> None:
    admin = as_(app_client, "root@x.org")
    before = table_snapshot(database_url)
    answer = admin.post(f"{API}/ops/preview", params={"filename": "ops.csv"}, content=OPS)
    assert answer.status_code == 200, answer.text
    preview = answer.json()
    assert (preview["name"], preview["format"], preview["current_version"]) == ("ops", "csv", None)
    assert preview["would_store"] is True and preview["next_version"] == 1
    assert preview["levels"] == [
        {"number": 1, "title": None, "criteria": 3},
        {"number": 2, "title": None, "criteria": 1},
    ]
    assert [(t["key"], t["criteria"]) for t in preview["tracks"]] == [("OPS", 3), ("SEC", 1)]
    assert [c["id"] for c in preview["criteria"]] == ["OPS.1.1", "OPS.1.2", "OPS.2.1", "SEC.1.1"]
    assert preview["empty_cells"] == [{"track": "SEC", "level": 2}]
    assert preview["diff"] is None
    assert table_snapshot(database_url) == before


def test_the_format_comes_from_the_query_the_content_type_or_the_file_name(app_client) -> None:
    admin = as_(app_client, "root@x.org")
    markdown = {"content-type": "text/markdown"}
    by_type = admin.post(f"{API}/ops/preview", content=OPS_MD, headers=markdown).json()
    assert by_type["format"] == "md" and len(by_type["criteria"]) == 2
    by_name = admin.post(f"{API}/ops/preview", params={"filename": "ops.md"}, content=OPS_MD)
    assert by_name.json()["format"] == "md"
    said = admin.post(f"{API}/ops/preview", params={"format": "csv"}, content=OPS, headers=markdown)
    assert said.json()["format"] == "csv"  # the query wins over the content type


def test_storing_makes_a_version_and_an_unchanged_file_stores_nothing(
    app_client, uow_factory, database_url
) -> None:
    admin = as_(app_client, "root@x.org")
    first = admin.post(f"{API}/ops/versions", params={"filename": "ops.csv"}, content=OPS)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["stored"] is True and body["previous_version"] is None and body["diff"] is None
    assert body["version"]["name"] == "ops" and body["version"]["version"] == 1
    assert body["version"]["criteria"] == 4 and body["version"]["source"] == "ops.csv"
    assert admin.get(f"{API}/ops").json()["version"] == 1

    before = table_snapshot(database_url)
    again = admin.post(f"{API}/ops/versions", content=OPS, headers=CSV)
    assert again.status_code == 200
    assert again.json()["stored"] is False and again.json()["version"]["version"] == 1
    assert table_snapshot(database_url) == before

    changed = OPS.replace(b"Scales it.", b"Scales it. Plans capacity.")
    preview = admin.post(f"{API}/ops/preview", content=changed, headers=CSV).json()
    assert preview["current_version"] == 1 and preview["next_version"] == 2
    assert preview["diff"]["counts"]["added"] == 1
    second = admin.post(f"{API}/ops/versions", content=changed, headers=CSV)
    assert second.status_code == 201
    assert second.json()["version"]["version"] == 2 and second.json()["previous_version"] == 1
    assert second.json()["diff"]["counts"]["added"] == 1
    assert [v.version for v in frameworks.list_versions(uow_factory(), "ops")] == [1, 2]


def test_previewing_an_unchanged_file_says_nothing_would_be_stored(app_client) -> None:
    admin = as_(app_client, "root@x.org")
    admin.post(f"{API}/ops/versions", content=OPS, headers=CSV)
    preview = admin.post(f"{API}/ops/preview", content=OPS, headers=CSV).json()
    assert preview["would_store"] is False and preview["next_version"] is None
    assert preview["current_version"] == 1 and preview["diff"] is None


def test_a_bad_file_is_refused_with_located_problems_and_stores_nothing(
    app_client, database_url
) -> None:
    admin = as_(app_client, "root@x.org")
    admin.post(f"{API}/ops/versions", content=OPS, headers=CSV)
    before = table_snapshot(database_url)
    ragged = b"Level,Ops\n1,x\n2,y,z\n"
    for path in ("preview", "versions"):
        refused = admin.post(f"{API}/ops/{path}", params={"filename": "ops.csv"}, content=ragged)
        assert refused.status_code == 422, refused.text
        problem = refused.json()["problems"][0]
        assert (problem["source"], problem["row"]) == ("ops.csv", 3), problem
        assert problem["message"] and problem["hint"]
        assert "row 3" in refused.json()["detail"]
    unsupported = admin.post(f"{API}/ops/versions", params={"filename": "ops.pdf"}, content=OPS)
    assert unsupported.status_code == 422 and "PDF" in unsupported.json()["detail"]
    assert table_snapshot(database_url) == before


def test_only_admins_preview_or_store_ladders(app_client, database_url) -> None:
    engineer = as_(app_client, "ana@x.org")
    before = table_snapshot(database_url)
    for path in ("preview", "versions"):
        refused = engineer.post(f"{API}/ops/{path}", content=OPS, headers=CSV)
        assert refused.status_code == 403, (path, refused.text)
    assert as_(app_client, None).post(f"{API}/ops/versions", content=OPS).status_code == 401
    assert table_snapshot(database_url) == before


def test_a_file_over_the_upload_limit_is_refused_with_413(app_client, database_url) -> None:
    admin = as_(app_client, "root@x.org")
    before = table_snapshot(database_url)
    over_upload = b"Level,Ops\n" + b"1,x\n" * (MAX_UPLOAD // 4)  # past 5 MB, under 8 MB
    over_body = b"Level,Ops\n" + b"1,x\n" * (MAX_BODY // 4)
    for huge in (over_upload, over_body):
        refused = admin.post(f"{API}/ops/versions", content=huge, headers=CSV)
        assert refused.status_code == 413
        assert "MB" in refused.json()["detail"]
    assert table_snapshot(database_url) == before


def test_an_admin_past_their_expensive_requests_gets_429(app_client) -> None:
    admin = as_(app_client, "root@x.org")
    running = app_client.app.state.expensive
    holds = [running.hold("root@x.org") for _ in range(running.per_account)]
    for hold in holds:
        hold.__enter__()
    try:
        busy = admin.post(f"{API}/ops/preview", content=OPS, headers=CSV)
        assert busy.status_code == 429 and busy.headers["retry-after"] == "5"
    finally:
        for hold in holds:
            hold.__exit__(None, None, None)
    assert not running.running
