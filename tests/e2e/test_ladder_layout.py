"""The ladder matrix fits the window: every track's column is on screen in a 1,400-pixel
window, the table scrolls inside itself with its header row and level column kept in view,
and a phone still scrolls it sideways inside its box."""

from __future__ import annotations

from tests.e2e.conftest import PASSWORD, shot, signed_in_pages


def test_every_column_of_the_matrix_is_on_screen_in_a_1400_pixel_window(browser, server) -> None:
    with signed_in_pages(browser, server, PASSWORD, width=1400, height=900) as open_as:
        page = open_as("ana@x.org")
        page.goto(f"{server}/ladders/sre")
        shot(page, "ladder-1400")
        headers = page.locator("table.matrix thead th")
        assert headers.count() == 7  # the level column and six tracks
        for i in range(headers.count()):
            box = headers.nth(i).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1400, (
                headers.nth(i).inner_text(),
                box,
            )


def test_the_header_row_and_level_column_stay_in_view_while_the_table_scrolls(
    browser, server
) -> None:
    with signed_in_pages(browser, server, PASSWORD, width=1400, height=700) as open_as:
        page = open_as("ana@x.org")
        page.goto(f"{server}/ladders/sre")
        box = page.locator(".matrix-box")
        before = page.locator("table.matrix thead th").nth(1).bounding_box()
        box.evaluate("element => element.scrollBy(0, 600)")
        page.wait_for_function(
            "document.querySelector('.matrix-box').scrollTop > 0"
        )  # the table scrolled inside its box, not the page
        after = page.locator("table.matrix thead th").nth(1).bounding_box()
        assert before is not None and after is not None
        assert abs(after["y"] - before["y"]) < 1  # the header row did not move
        assert page.evaluate("window.scrollY") == 0


def test_on_a_phone_the_matrix_scrolls_sideways_inside_its_box(browser, server) -> None:
    with signed_in_pages(browser, server, PASSWORD, width=390, height=800) as open_as:
        page = open_as("ana@x.org")
        page.goto(f"{server}/ladders/sre")
        box = page.locator(".matrix-box")
        assert box.evaluate("element => element.scrollWidth > element.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, "ladder-phone")
        level = page.locator("table.matrix tbody th").first
        left = level.bounding_box()
        box.evaluate("element => element.scrollBy(400, 0)")
        page.wait_for_function("document.querySelector('.matrix-box').scrollLeft > 0")
        moved = level.bounding_box()
        assert left is not None and moved is not None and abs(moved["x"] - left["x"]) < 1
