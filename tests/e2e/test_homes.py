"""Each role's review week starts at home, in Chromium: the engineer lands on what waits on
them and goes to their self-assessment; the manager's queue shows the report who submitted
first and leads to their review; the admin sees each team's progress and downloads it."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import shot


def test_an_engineer_lands_on_their_tasks_and_opens_their_self_assessment(page_for, server) -> None:
    cy = page_for("cy@x.org")
    assert cy.url == f"{server}/"
    assert cy.get_by_role("heading", level=1).inner_text() == "Hello Cy Diaz"
    task = cy.get_by_role("link", name="Your self-assessment for 2026-H2")
    assert task.is_visible()
    shot(cy, "home-engineer")
    task.click()
    cy.wait_for_url(f"{server}/people/cy@x.org/assess/2026-H2/self")
    cy.locator("fieldset[id='c-PO.1.1']").get_by_label("Meets").check()
    cy.get_by_text("Save and submit…").click()  # it asks first
    cy.get_by_role("button", name="Yes, save and submit").click()
    cy.wait_for_load_state()
    cy.goto(f"{server}/")
    assert "Nothing waits on you" in cy.content()

    bo = page_for("bo@x.org")
    queue = bo.get_by_role("table")
    first = queue.locator("tbody tr").first
    assert "Cy Diaz" in first.inner_text() and "waiting for your review" in first.inner_text()
    shot(bo, "home-manager")
    first.get_by_role("link", name="Cy Diaz").click()
    bo.wait_for_url(f"{server}/people/cy@x.org/assess/2026-H2/manager")

    root = page_for("root@x.org")
    progress = root.locator("table.progress")
    assert "SRE" in progress.inner_text()
    shot(root, "home-admin")
    with root.expect_download() as download:
        root.get_by_role("link", name="download as CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("team,not started,draft,submitted,finalized,people\n")
