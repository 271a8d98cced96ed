"""Every main page of the demo organisation in Chromium on a 375-px-wide phone: nothing
sticks out sideways (wide tables scroll inside their own box), and all visible text has a
contrast of at least 4.5:1 (3:1 when large); every folded section is opened first, so
what a click would show is checked too. Keyboard: the skip link comes first and is
visible when focused, and a focused control shows its outline. Screenshots of each page
land in tests/e2e/screenshots/phone-*.png."""

from __future__ import annotations

import re

import pytest

from skillgrid.services.demo import DEMO_PASSWORD
from tests.e2e.conftest import SCREENSHOTS, signed_in_pages

ENGINEER, MANAGER, ADMIN = "eli@example.com", "bo@example.com", "admin@example.com"
TEAM = "/insight/SRE%20Platform"
PAGES = [
    (None, "/login"),
    (ENGINEER, "/"),
    (ENGINEER, f"/people/{ENGINEER}/growth"),
    (ENGINEER, f"/people/{ENGINEER}/assess/2026-H2/self"),
    (ENGINEER, "/ladders"),
    (ENGINEER, "/ladders/sre"),
    (ENGINEER, "/ladders/sre/criteria/SEC.3.8"),
    (ENGINEER, "/evidence/suggest"),
    (ENGINEER, "/account/tokens"),
    (ENGINEER, "/no-such-page"),
    (MANAGER, "/"),
    (MANAGER, "/team"),
    (MANAGER, f"/people/{ENGINEER}/assess/2026-H2/manager"),
    (MANAGER, "/insight"),
    (MANAGER, TEAM),
    (MANAGER, f"{TEAM}?view=coverage"),
    (MANAGER, f"{TEAM}?view=calibration"),
    (MANAGER, f"{TEAM}?view=movement"),
    (ADMIN, "/"),
    (ADMIN, "/admin"),
    (ADMIN, "/admin/audit"),
    (ADMIN, "/ladders/sre/criteria/SEC.3.8"),  # with the examples form
    (ADMIN, "/insight?view=coverage"),
    (ADMIN, "/team"),  # everyone: the filters and the pages of people
    (ADMIN, f"/admin/people/{MANAGER}"),
]

OPEN_EVERYTHING = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"

# Elements that reach past the right edge of the window without a sideways scroller
# (overflow-x auto/scroll/hidden) between them and the page: the page itself would scroll.
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = el => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(e).overflowX)) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1 && !clipped(el)) {
      out.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(box.right)}`);
    }
  }
  return {page: document.documentElement.scrollWidth, window: width, out: out.slice(0, 8)};
}"""

# Visible text whose colour is too close to the background behind it (WCAG 2 contrast).
LOW_CONTRAST = """() => {
  const parse = c => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1});
  const lum = c => {
    const f = v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const behind = el => {
    const chain = [];
    for (let e = el; e; e = e.parentElement) chain.unshift(e);
    let bg = {r: 255, g: 255, b: 255, a: 1};
    for (const e of chain) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) bg = over(c, bg);
    }
    return bg;
  };
  const bad = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === "hidden" || box.width === 0 || box.height === 0) continue;
    if (box.right < 0 || el.closest("[disabled], .skip")) continue;  // inactive, off-screen
    const bg = behind(el);
    const fg = over(parse(el.closest("svg") ? style.fill : style.color), bg);
    const ratio = (Math.max(lum(fg), lum(bg)) + 0.05) / (Math.min(lum(fg), lum(bg)) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (parseInt(style.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) {
      const what = `${el.tagName.toLowerCase()}.${el.className}`;
      bad.push(`${what} "${node.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`);
    }
  }
  return bad.slice(0, 10);
}"""


@pytest.fixture(scope="module")
def phone(browser, demo_server):  # type: ignore[no-untyped-def]
    """A phone-sized page per person, signed in once and reused."""
    with signed_in_pages(browser, demo_server, DEMO_PASSWORD, width=375, height=812) as open_as:
        pages = {who: open_as(who) for who in (None, ENGINEER, MANAGER, ADMIN)}
        yield lambda who: pages[who]


@pytest.mark.parametrize(("who", "path"), PAGES, ids=[f"{w or 'anonymous'} {p}" for w, p in PAGES])
def test_page_fits_a_phone_and_its_text_is_readable(phone, demo_server, who, path) -> None:
    page = phone(who)
    response = page.goto(f"{demo_server}{path}")
    assert response is not None and response.status in (200, 404)
    page.evaluate(OPEN_EVERYTHING)
    SCREENSHOTS.mkdir(exist_ok=True)
    name = re.sub(r"[^a-z0-9]+", "-", f"{who or 'anonymous'} {path}".lower()).strip("-")
    page.screenshot(path=str(SCREENSHOTS / f"phone-{name}.png"), full_page=True)
    fit = page.evaluate(STICKING_OUT)
    low = page.evaluate(LOW_CONTRAST)
    assert (fit["page"] <= fit["window"], low) == (True, []), f"wider than the phone: {fit}"


def test_keyboard_finds_the_skip_link_first_and_sees_where_focus_is(phone, demo_server) -> None:
    page = phone(ENGINEER)
    page.goto(f"{demo_server}/ladders/sre")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to content"
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # shown, not off-screen
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")  # the first control after the skip target
    focused = page.locator(":focus")
    assert focused.evaluate("el => el.closest('main') !== null")
    outline = focused.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in ("none", ""), "a focused control shows no outline"


def test_each_control_of_a_person_s_admin_page_is_named_by_its_label_alone(
    phone, demo_server
) -> None:
    # a <select> inside its <label> takes the chosen option into its name ("Team SRE …")
    page = phone(ADMIN)
    page.goto(f"{demo_server}/admin/people/{MANAGER}")
    assert page.get_by_label("Team", exact=True).count() == 1
    assert page.get_by_label("Manager's email (empty: nobody)", exact=True).count() == 1


def test_the_checks_catch_low_contrast_and_a_page_wider_than_the_phone(phone) -> None:
    page = phone(None)
    page.goto("about:blank")  # away from the app's CSP, which refuses inline styles
    page.set_content(
        '<p style="color: #fff; background: #60a5fa">Level 4</p>'
        '<table style="width: 800px"><tr><td>A wide table</td></tr></table>'
    )
    fit = page.evaluate(STICKING_OUT)
    assert fit["page"] > fit["window"] and "table. right=808" in fit["out"]
    assert page.evaluate(LOW_CONTRAST) == ['p. "Level 4" 2.54:1']
