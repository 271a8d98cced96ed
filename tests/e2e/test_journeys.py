"""The main journeys in Chromium: sign in; self-assess three criteria with evidence and
submit; the manager reviews, changes one rating and finalizes; growth shows the new level;
the heatmap shows the person; the team's insight shows the missed target and what the
closest person lacks; an engineer cannot open a colleague's assessment."""

from __future__ import annotations

from tests.e2e.conftest import shot


def criterion(page, cid: str):  # type: ignore[no-untyped-def]
    """The fieldset of one criterion (ids hold dots, so use an attribute selector)."""
    return page.locator(f"fieldset[id='c-{cid}']")


def test_sign_in_lands_on_the_ladder(page_for, server) -> None:
    page = page_for("ana@x.org")
    page.goto(f"{server}/ladders/sre")
    assert page.get_by_role("heading", level=1).inner_text() == "Site Reliability Engineering (SRE)"
    assert page.locator("li[id='SEC.3.8']").is_visible()
    shot(page, "ladder")


def test_assess_review_finalize_and_see_the_level(page_for, server) -> None:
    ana = page_for("ana@x.org")
    ana.goto(f"{server}/people/ana@x.org/assess/2026-H2/self")
    for cid in ("PO.1.1", "CW.1.1", "CW.1.2"):
        criterion(ana, cid).get_by_label("Meets").check()
    criterion(ana, "PO.1.1").get_by_text("Add evidence").click()
    ana.locator("input[name='evidence-title-PO.1.1']").fill("Design doc: billing service")
    ana.locator("input[name='evidence-url-PO.1.1']").fill("https://docs.example/billing")
    shot(ana, "self-assessment")
    ana.get_by_text("Save and submit…").click()  # it asks first
    ana.get_by_role("button", name="Yes, save and submit").click()
    ana.wait_for_load_state()
    assert "submitted" in ana.locator(".meta").first.inner_text()
    assert ana.get_by_role("link", name="Design doc: billing service").is_visible()

    bo = page_for("bo@x.org")
    bo.goto(f"{server}/people/ana@x.org/assess/2026-H2/manager")
    assert "ana@x.org" in bo.content() and "self: " in bo.content()
    for cid in ("PO.1.1", "CW.1.1"):
        criterion(bo, cid).get_by_label("Meets").check()
    criterion(bo, "CW.1.2").get_by_label("Developing").check()
    shot(bo, "manager-review")
    bo.get_by_text("Save and submit…").click()
    bo.get_by_role("button", name="Yes, save and submit").click()
    bo.wait_for_load_state()
    bo.get_by_text("Finalize…").click()
    bo.get_by_role("button", name="Yes, finalize").click()
    bo.wait_for_load_state()
    assert "finalized" in bo.locator(".meta").first.inner_text()

    ana.goto(f"{server}/me")
    assert "No official result yet" not in ana.content()
    assert ana.locator("svg.radar").is_visible()
    assert "CW.1.2" in ana.locator(".gaps").first.inner_text()
    shot(ana, "growth")

    bo.goto(f"{server}/team")
    assert bo.get_by_role("link", name="Ana Lima").is_visible()
    shot(bo, "team")

    bo.goto(f"{server}/insight")  # a manager: the teams made of their reports
    bo.get_by_role("link", name="SRE").click()
    bo.wait_for_load_state()
    assert bo.locator("table.heatmap").is_visible() and bo.locator("svg.bars").is_visible()
    shot(bo, "insight-overview")
    bo.get_by_role("link", name="Coverage").click()
    bo.wait_for_load_state()
    based_on = bo.locator(".based-on").inner_text()  # Bo heads SRE: no manager, in no count
    assert "Based on 1 of 2 with a manager finalized in 2026-H2" in based_on
    assert "not yet reviewed: 2 short so far" in bo.content()  # Cy is not reviewed: no gap yet
    bo.get_by_text("what they lack", exact=True).first.click()
    shot(bo, "insight-coverage")
    assert bo.get_by_role("link", name="CW.1.2").first.is_visible(), bo.content()


def test_an_engineer_cannot_open_a_colleague_s_assessment(page_for, server) -> None:
    cy = page_for("cy@x.org")
    response = cy.goto(f"{server}/people/ana@x.org/assess/2026-H2/self")
    assert response is not None and response.status == 404
    assert cy.get_by_role("heading", name="Not found").is_visible()


def test_link_existing_evidence_to_another_criterion(page_for, server) -> None:
    cy = page_for("cy@x.org")
    cy.goto(f"{server}/people/cy@x.org/assess/2026-H2/self")
    criterion(cy, "PO.1.1").get_by_text("Add evidence").click()
    cy.locator("input[name='evidence-title-PO.1.1']").fill("Postmortem: cache stampede")
    cy.get_by_role("button", name="Save draft").click()  # saved in place, no page load
    cy.locator("#save-state", has_text="Saved at").wait_for(timeout=5000)
    cy.reload()
    cw = criterion(cy, "CW.1.1")
    cw.get_by_text("Link existing evidence (1)").click()
    cw.get_by_label("Postmortem: cache stampede").check()  # the autosave script saves it
    cy.locator("#save-state", has_text="Saved at").wait_for(timeout=5000)
    shot(cy, "link-existing-evidence")
    cy.reload()
    linked = criterion(cy, "CW.1.1").locator("ul.evidence").first
    assert linked.get_by_label("Postmortem: cache stampede").is_checked()
    assert criterion(cy, "PO.1.1").get_by_label("Postmortem: cache stampede").is_checked()


def test_back_after_signing_out_shows_no_personal_page(page_for, server) -> None:
    # a shared machine: the next person at it presses Back
    ana = page_for("ana@x.org")
    ana.goto(f"{server}/people/ana@x.org/growth")
    assert "ana@x.org" in ana.content()
    ana.get_by_role("button", name="Sign out").click()
    ana.wait_for_url(f"{server}/login**")
    ana.go_back()
    ana.wait_for_load_state()
    assert "/login" in ana.url and "ana@x.org ·" not in ana.content()
