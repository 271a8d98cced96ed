"""Assessing that respects people's time, in Chromium: the track list shows each track's
progress and shows one track at a time; "rate the rest of this level" rates the unrated
criteria of a level at once (and autosave keeps them); j / k move between criteria."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import shot

SELF = "/people/cy@x.org/assess/2026-H2/self"


def test_one_track_at_a_time_with_its_progress(page_for, server) -> None:
    cy = page_for("cy@x.org")
    cy.goto(f"{server}{SELF}")
    nav = cy.get_by_role("navigation", name="Tracks")
    networking = nav.get_by_role("link", name="Networking")
    assert "0 of" in networking.inner_text()
    networking.click()
    assert cy.locator("section#track-NET").is_visible()
    assert not cy.locator("section#track-PO").is_visible()
    assert networking.get_attribute("aria-current") == "true"
    cy.locator("fieldset[id='c-NET.1.1']").get_by_label("Meets").check()
    assert "1 of" in networking.inner_text()
    nav.get_by_role("link", name="All tracks").click()
    assert cy.locator("section#track-PO").is_visible()


def test_rate_the_rest_of_a_level_rates_only_the_unrated_and_is_saved(page_for, server) -> None:
    cy = page_for("cy@x.org")
    cy.goto(f"{server}{SELF}")
    level = cy.locator("section#track-SEC details").first
    level.locator("fieldset[id='c-SEC.1.1']").get_by_label("Exceeds").check()
    level.get_by_label("Rating for the unrated criteria of this level").select_option("developing")
    level.get_by_role("button", name="Rate the rest of this level").click()
    assert level.locator("fieldset[id='c-SEC.1.1']").get_by_label("Exceeds").is_checked()
    for cid in ("SEC.1.2", "SEC.1.3"):
        assert level.locator(f"fieldset[id='c-{cid}']").get_by_label("Developing").is_checked()
    shot(cy, "rate-the-rest")
    expect(level.locator("p.rate-rest")).to_be_hidden()  # nothing left to rate here
    expect(cy.locator("#save-state")).to_contain_text("Saved at")
    cy.reload()
    again = cy.locator("section#track-SEC details").first
    assert again.locator("fieldset[id='c-SEC.1.3']").get_by_label("Developing").is_checked()
    assert again.locator("fieldset[id='c-SEC.1.1']").get_by_label("Exceeds").is_checked()
    expect(again.locator("p.rate-rest")).to_be_hidden()
    cy.get_by_text("Save and submit…").click()  # what submitting leaves unrated, counted now
    note = cy.locator("#confirm-submit-note")
    expect(note).to_contain_text(" criteria are not rated yet; a criterion left unrated")
    assert not note.inner_text().startswith("90 of")


def test_j_and_k_move_between_criteria_and_open_their_level(page_for, server) -> None:
    cy = page_for("cy@x.org")
    cy.goto(f"{server}{SELF}")
    cy.locator("fieldset[id='c-PO.1.1'] .ratings input").first.focus()
    cy.keyboard.press("j")
    focused = "document.activeElement.closest('fieldset.criterion').id"
    assert cy.evaluate(focused) == "c-PO.2.1"  # the next level's fold opened for it
    assert cy.locator("fieldset[id='c-PO.2.1']").is_visible()
    cy.keyboard.press("k")
    assert cy.evaluate(focused) == "c-PO.1.1"
    cy.keyboard.press("ArrowRight")  # the arrow keys choose the rating, as on any radio group
    assert cy.locator("fieldset[id='c-PO.1.1']").get_by_label("Developing").is_checked()
