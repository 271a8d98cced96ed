"""Never lose a person's work, never surprise them (#17), as journeys in Chromium: a person
changes two ratings, one invalid — the valid one is saved, the invalid one keeps its input
and shows its error (with and without JavaScript); Enter in a field does not send the page;
leaving with unsaved changes warns; Save draft keeps the page where it was, and the sticky
bar says what was saved and when; submit and finalize ask first, naming what happens."""

from __future__ import annotations

from tests.e2e.conftest import shot
from tests.e2e.test_journeys import criterion

MARK = "() => { window.__stayed = true; }"
STAYED = "() => window.__stayed === true"  # a page load would have cleared it


def test_two_changes_one_invalid_the_valid_one_is_saved_the_other_keeps_its_input(
    page_for, server
) -> None:
    ana = page_for("ana@x.org")
    url = f"{server}/people/ana@x.org/assess/2026-H2/self"
    ana.goto(url)
    ana.evaluate(MARK)
    criterion(ana, "PO.1.1").get_by_label("Meets").check()
    na = criterion(ana, "CW.1.1")
    na.get_by_role("radio", name="N/A").check()
    na.get_by_label("Comment").fill("I never owned a design")
    na.get_by_label("Comment").blur()
    error = ana.locator("p[id='err-CW.1.1']")
    error.wait_for(timeout=5000)
    assert "needs a reason" in error.inner_text()
    status = ana.locator("#actions #save-state")
    status.filter(has_text="Not saved: CW.1.1").wait_for(timeout=5000)
    assert "PO.1.1" in status.inner_text()
    assert ana.evaluate(STAYED)  # nothing reloaded: the typed comment is still there
    assert na.get_by_label("Comment").input_value() == "I never owned a design"
    assert na.get_by_role("radio", name="N/A").is_checked()
    shot(ana, "refused-criterion-beside-its-error")

    ana.on("dialog", lambda dialog: dialog.accept())  # CW.1.1 is unsaved: leaving asks
    ana.reload()
    assert criterion(ana, "PO.1.1").get_by_label("Meets").is_checked()
    assert not criterion(ana, "CW.1.1").get_by_role("radio", name="N/A").is_checked()


def test_without_javascript_the_refused_criterion_comes_back_typed_beside_its_error(
    browser, server
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{server}/login")
        page.get_by_label("Email").fill("cy@x.org")
        page.get_by_label("Password").fill("correct horse battery")
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{server}/people/cy@x.org/assess/2026-H2/self")
        criterion(page, "PO.1.1").get_by_label("Meets").check()
        criterion(page, "CW.1.1").get_by_role("radio", name="N/A").check()
        criterion(page, "CW.1.1").get_by_label("Comment").fill("kept")
        page.get_by_role("button", name="Save draft").click()
        page.wait_for_load_state()
        summary = page.get_by_role("alert")
        assert "1 criterion was not saved" in summary.inner_text()
        assert "needs a reason" in page.locator("p[id='err-CW.1.1']").inner_text()
        assert criterion(page, "CW.1.1").get_by_role("radio", name="N/A").is_checked()
        assert criterion(page, "CW.1.1").get_by_label("Comment").input_value() == "kept"
        assert criterion(page, "PO.1.1").get_by_label("Meets").is_checked()
        shot(page, "refused-criterion-without-javascript")
    finally:
        context.close()


def test_enter_in_a_field_does_not_send_the_page(page_for, server) -> None:
    ana = page_for("ana@x.org")
    ana.goto(f"{server}/people/ana@x.org/assess/2026-H2/self")
    ana.evaluate(MARK)
    reason = criterion(ana, "NET.1.1").get_by_label("Reason (for N/A)")
    reason.fill("not on call")
    reason.press("Enter")
    criterion(ana, "NET.1.1").get_by_label("Meets").press("Enter")
    ana.wait_for_timeout(500)
    assert ana.evaluate(STAYED)


def test_leaving_with_unsaved_changes_asks_first(page_for, server) -> None:
    ana = page_for("ana@x.org")
    ana.goto(f"{server}/people/ana@x.org/assess/2026-H2/self")
    criterion(ana, "NET.1.1").get_by_label("Comment").fill("typed, not yet saved")
    asked = []

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.type)
        dialog.dismiss()  # stay

    ana.on("dialog", answer)
    ana.close(run_before_unload=True)
    ana.wait_for_timeout(500)
    assert asked == ["beforeunload"] and not ana.is_closed()


def test_save_draft_keeps_the_page_where_it_was_and_says_what_and_when(page_for, server) -> None:
    cy = page_for("cy@x.org")
    cy.goto(f"{server}/people/cy@x.org/assess/2026-H2/self")
    rated = int(cy.locator("#rated-count").inner_text())
    target = criterion(cy, "SRE.1.4")
    target.scroll_into_view_if_needed()
    target.get_by_label("Developing").check()
    cy.evaluate(MARK)
    top = cy.evaluate("() => window.scrollY")
    cy.get_by_role("button", name="Save draft").click()
    status = cy.locator("#actions #save-state")
    status.filter(has_text="Saved at").wait_for(timeout=5000)
    assert "SRE.1.4" in status.inner_text()
    assert cy.evaluate(STAYED) and cy.evaluate("() => window.scrollY") == top
    assert status.is_visible()  # in the sticky bar, wherever the page is scrolled
    shot(cy, "saved-in-the-sticky-bar")
    # the header says what is stored now, not what was when the page opened
    assert cy.locator("#rated-count").inner_text() == str(rated + 1)
    assert "not started" not in cy.locator("#state-words").inner_text()


def test_finalize_asks_first_naming_what_happens(page_for, server) -> None:
    bo = page_for("bo@x.org")
    bo.goto(f"{server}/people/cy@x.org/assess/2026-H2/manager")
    criterion(bo, "PO.1.1").get_by_label("Meets").check()
    bo.get_by_text("Save and submit…").click()
    assert "shows this assessment to Cy Diaz" in bo.locator("#confirm-submit").inner_text()
    bo.get_by_role("button", name="Yes, save and submit").click()
    bo.wait_for_load_state()
    assert "waiting for you to finalize" in bo.locator(".meta").first.inner_text()
    bo.goto(f"{server}/team")  # the manager column says the same
    row = bo.get_by_role("row", name="Cy Diaz")
    assert row.get_by_role("link", name="waiting for you to finalize").is_visible()
    row.get_by_role("link", name="waiting for you to finalize").click()
    bo.wait_for_load_state()
    bo.evaluate(MARK)
    bo.get_by_text("Finalize…").click()
    what = bo.locator("#confirm-finalize")
    assert "official result" in what.inner_text() and "read-only" in what.inner_text()
    assert bo.evaluate(STAYED)  # opening it did nothing yet
    shot(bo, "finalize-asks-first")
    bo.get_by_role("button", name="Yes, finalize").click()
    bo.wait_for_load_state()
    assert "finalized" in bo.locator(".meta").first.inner_text()


def test_closing_a_cycle_asks_first_naming_what_happens(browser, demo_server) -> None:
    from skillgrid.services.demo import DEMO_PASSWORD
    from tests.e2e.conftest import signed_in_pages

    with signed_in_pages(browser, demo_server, DEMO_PASSWORD) as open_as:
        admin = open_as("admin@example.com")
        admin.goto(f"{demo_server}/admin")
        admin.evaluate(MARK)
        admin.get_by_text("Close 2026-H2…").click()
        what = admin.locator("details[id='confirm-close-2026-H2']")
        assert "stops every change to its assessments" in what.inner_text()
        assert admin.evaluate(STAYED)  # opening it closed nothing
        shot(admin, "close-cycle-asks-first")
        admin.get_by_role("button", name="Yes, close 2026-H2").click()
        admin.wait_for_load_state()
        assert admin.get_by_text("Reopen 2026-H2…").is_visible()


def test_a_save_overtaken_by_another_tab_keeps_the_input_to_save_again(page_for, server) -> None:
    first = page_for("ana@x.org")
    url = f"{server}/people/ana@x.org/assess/2026-H2/self"
    first.goto(url)
    second = first.context.new_page()
    second.goto(url)
    criterion(first, "NET.1.2").get_by_label("Meets").check()
    first.locator("#save-state").filter(has_text="Saved at").wait_for(timeout=5000)
    criterion(second, "NET.1.3").get_by_label("Exceeds").check()
    overtaken = second.locator("#save-state").filter(has_text="saved elsewhere meanwhile")
    overtaken.wait_for(timeout=5000)
    second.get_by_role("button", name="Save draft").click()
    second.wait_for_load_state()
    assert "saved elsewhere meanwhile" in second.locator("p[id='err-NET.1.3']").inner_text()
    assert criterion(second, "NET.1.3").get_by_label("Exceeds").is_checked()  # kept
    shot(second, "overtaken-save")
    assert criterion(second, "NET.1.2").get_by_label("Meets").is_checked()  # theirs, shown
    second.get_by_role("button", name="Save draft").click()
    second.locator("#save-state").filter(has_text="Saved at").wait_for(timeout=5000)
    second.reload()
    assert criterion(second, "NET.1.3").get_by_label("Exceeds").is_checked()


def test_a_save_after_the_cycle_closed_says_so_in_place(page_for, server) -> None:
    ana = page_for("ana@x.org")
    ana.goto(f"{server}/people/ana@x.org/assess/2026-H2/self")
    ana.evaluate(MARK)
    admin = page_for("root@x.org")
    try:
        admin.goto(f"{server}/admin")
        admin.get_by_text("Close 2026-H2…").click()
        admin.get_by_role("button", name="Yes, close 2026-H2").click()
        admin.wait_for_load_state()

        criterion(ana, "NET.1.4").get_by_label("Developing").check()
        status = ana.locator("#save-state")
        status.filter(has_text="is closed").wait_for(timeout=5000)
        assert "saved elsewhere" not in status.inner_text()
        ana.get_by_role("button", name="Save draft").click()  # still said in place
        status.filter(has_text="is closed").wait_for(timeout=5000)
        assert ana.evaluate(STAYED)
        shot(ana, "save-after-the-cycle-closed")
    finally:
        admin.goto(f"{server}/admin")
        admin.get_by_text("Reopen 2026-H2…").click()
        admin.get_by_role("button", name="Yes, reopen 2026-H2").click()
        admin.wait_for_load_state()
