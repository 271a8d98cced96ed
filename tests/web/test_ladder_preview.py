"""The admin's upload preview names the criteria storing the file would change, grouped by
kind, as the diff between versions does (one partial, one diff function); it stores nothing."""

from __future__ import annotations

import re

from skillgrid.domain.assessments import OPERATOR
from skillgrid.services import frameworks
from tests.conftest import table_snapshot
from tests.web.conftest import sign_in

STORED = (
    b"Level,Ops,Dev\n"
    b"1,Runs the service from its runbook.,Writes small features with tests.\n"
    b"2,Scales the service for peak traffic.,Reviews code of the team.\n"
    b"3,Designs the service's capacity plan.,Leads a project across teams.\n"
)
CHANGED = (
    b"Level,Ops,Dev\n"
    b"1,Runs the service from its runbook.,Writes small features with tests.\n"
    b"2,Scales the service for peak seasonal traffic.,Leads a project across teams.\n"
    b"3,Designs the service's capacity plan.,Mentors engineers in other teams.\n"
)
# (kind, the change as read on the page): exactly the four criteria that change
CHANGES = [
    ("added", "DEV.3.1 Mentors engineers in other teams."),
    ("removed", "DEV.2.1 Reviews code of the team."),
    (
        "reworded",
        "OPS.2.1 was Scales the service for peak traffic. "
        "now Scales the service for peak seasonal traffic.",
    ),
    ("moved", "DEV.3.1 → DEV.2.1 level 3 → 2: Leads a project across teams."),
]


def listed_changes(page: str) -> list[tuple[str, str]]:
    """The changes the page's diff section lists: (kind, its text without tags)."""
    section = re.search(r'<section class="diff"[^>]*>(.*?)</section>', page, re.S)
    assert section, "the page has no diff section"
    items = re.findall(r'<li class="(\w+)">(.*?)</li>', section.group(1), re.S)
    return [(kind, " ".join(re.sub(r"<[^>]+>", " ", text).split())) for kind, text in items]


def group_headings(page: str) -> list[str]:
    section = re.search(r'<section class="diff"[^>]*>(.*?)</section>', page, re.S)
    assert section
    return re.findall(r"<h\d[^>]*>([^<]+)</h\d>", section.group(1))


def preview(client, data: bytes, name: str = "ops", file: str = "ops.csv", **form: str):  # type: ignore[no-untyped-def]
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin").text).group(1)
    return client.post(
        "/admin/ladders/preview",
        data={"csrf_token": token, "name": name, **form},
        files={"file": (file, data, "text/plain")},
    )


def test_the_preview_lists_exactly_the_criteria_that_change_and_stores_nothing(
    app_client, uow_factory, database_url: str
) -> None:
    frameworks.import_framework(uow_factory(), STORED, "ops.csv", "ops", actor=OPERATOR)
    sign_in(app_client, "root@x.org")
    before = table_snapshot(database_url)
    page = preview(app_client, CHANGED)
    assert page.status_code == 200 and page.template.name == "admin_preview.html"
    assert listed_changes(page.text) == CHANGES
    assert group_headings(page.text) == [
        "Added (1)",
        "Removed (1)",
        "Reworded (1)",
        "Moved to another level or track (1)",
    ]
    assert "What storing changes from version 1" in page.text
    assert table_snapshot(database_url) == before
    assert [v.version for v in frameworks.list_versions(uow_factory(), "ops")] == [1]


def test_the_diff_page_lists_the_same_changes_from_the_same_partial(
    app_client, uow_factory
) -> None:
    for data in (STORED, CHANGED):
        frameworks.import_framework(uow_factory(), data, "ops.csv", "ops", actor=OPERATOR)
    sign_in(app_client)
    page = app_client.get("/ladders/ops/diff", params={"from": 1, "to": 2})
    assert page.status_code == 200
    assert listed_changes(page.text) == CHANGES


def test_a_new_ladder_s_preview_says_it_is_new_and_shows_its_shape(app_client) -> None:
    sign_in(app_client, "root@x.org")
    page = preview(app_client, STORED, "fresh")
    assert page.status_code == 200
    assert "fresh is a new ladder: storing makes version 1" in page.text
    shape = re.search(r'<table class="shape">(.*?)</table>', page.text, re.S)
    assert shape, "no table of the new ladder's shape"
    rows = re.findall(r"<tr>(.*?)</tr>", shape.group(1), re.S)
    cells = [re.findall(r"<t[hd][^>]*>([^<]*)", row) for row in rows]
    assert cells == [
        ["Level", "Ops", "Dev"],
        ["1", "1", "1"],
        ["2", "1", "1"],
        ["3", "1", "1"],
    ]
    assert '<section class="diff"' not in page.text


def test_a_ladder_kept_as_a_markdown_document_previews_as_its_table_with_its_warnings(
    app_client,
) -> None:
    outline = (
        "# Ops ladder\n\n## L1\n- Runs the service from its runbook.\n"
        "## L2\n- Scales the service for peak traffic.\n"
    )
    sign_in(app_client, "root@x.org")
    page = preview(app_client, outline.encode(), "fresh", "ops.md")
    assert page.status_code == 200
    assert "fresh is a new ladder: storing makes version 1" in page.text
    shape = re.search(r'<table class="shape">(.*?)</table>', page.text, re.S)
    assert shape, "no table of the new ladder's shape"
    rows = re.findall(r"<tr>(.*?)</tr>", shape.group(1), re.S)
    assert [re.findall(r"<t[hd][^>]*>([^<]*)", row) for row in rows] == [
        ["Level", "Expectations"],
        ["1", "1"],
        ["2", "1"],
    ]
    assert "one track, &#39;Expectations&#39;" in page.text


def test_the_admin_says_which_headings_are_levels_and_the_store_step_keeps_it(
    app_client, uow_factory
) -> None:
    # both depths read as levels: detected, it is refused; said, it is read and stored so
    outline = b"## Area 1\n### L1\n- Runs the service.\n### L2\n- Scales it.\n"
    outline += b"## Area 2\n### L1\n- Writes code.\n### L2\n- Reviews code.\n"
    sign_in(app_client, "root@x.org")
    refused = preview(app_client, outline, "areas", "areas.md")
    assert refused.status_code == 422 and "read as levels alike" in refused.text
    assert '<select name="levels">' in refused.text
    page = preview(app_client, outline, "areas", "areas.md", levels="columns")
    assert page.status_code == 200 and "levels as columns" in page.text
    form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.text))
    assert form["levels"] == "columns"
    stored = app_client.post("/admin/ladders/store", data=form, follow_redirects=False)
    assert stored.status_code == 303
    ladder = frameworks.get_framework(uow_factory(), "areas")
    assert [t.name for t in ladder.tracks] == ["Area 1", "Area 2"]
    assert [level.title for level in ladder.levels] == ["L1", "L2"]


def test_an_unchanged_file_s_preview_lists_no_changes(app_client, uow_factory) -> None:
    frameworks.import_framework(uow_factory(), STORED, "ops.csv", "ops", actor=OPERATOR)
    sign_in(app_client, "root@x.org")
    page = preview(app_client, STORED)
    assert "Unchanged from version 1" in page.text
    assert '<section class="diff"' not in page.text


def test_a_malformed_upload_of_a_stored_ladder_explains_and_stores_nothing(
    app_client, uow_factory, database_url: str
) -> None:
    frameworks.import_framework(uow_factory(), STORED, "ops.csv", "ops", actor=OPERATOR)
    sign_in(app_client, "root@x.org")
    before = table_snapshot(database_url)
    bad = preview(app_client, b"Level,Ops,ops\n1,x,y\n")
    assert bad.status_code == 422 and bad.template.name == "admin.html"
    assert "duplicate track" in bad.text
    assert table_snapshot(database_url) == before


def test_a_criterion_moved_to_another_track_says_which_tracks(app_client, uow_factory) -> None:
    stored = b"Level,Ops,Dev\n1,Runs it.,Writes it.\n2,Pages on call.,Reviews it.\n"
    frameworks.import_framework(uow_factory(), stored, "ops.csv", "ops", actor=OPERATOR)
    sign_in(app_client, "root@x.org")
    page = preview(app_client, b"Level,Ops,Dev\n1,Runs it.,Writes it.\n2,,Pages on call.\n")
    assert listed_changes(page.text) == [
        ("removed", "DEV.2.1 Reviews it."),
        ("moved", "OPS.2.1 → DEV.2.1 track OPS → DEV: Pages on call."),
    ]


def test_a_table_that_drops_a_track_description_says_so_before_it_is_stored(
    app_client, uow_factory
) -> None:
    described = b"title: Ops\nlevels: [{number: 1}, {number: 2}]\ntracks:\n"
    described += b"  - {key: OPS, name: Ops, description: Keeping services up.}\n"
    described += b"  - {key: DEV, name: Dev}\ncriteria:\n"
    described += b"  - {track: OPS, level: 1, text: Runs the service from its runbook.}\n"
    described += b"  - {track: DEV, level: 2, text: Reviews code of the team.}\n"
    frameworks.import_framework(uow_factory(), described, "ops.yaml", "ops", actor=OPERATOR)
    table = b"Ops\n\nLevel,Ops,Dev\n1,Runs the service from its runbook.,\n"
    table += b"2,,Reviews code of the team.\n"
    sign_in(app_client, "root@x.org")
    page = preview(app_client, table)
    assert page.status_code == 200
    assert "Track Ops (OPS) description: <del>Keeping services up.</del> → none" in page.text
