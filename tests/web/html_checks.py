"""Accessibility checks on a page's HTML that need no browser: the language and viewport,
one h1 and headings that skip no level, a label for every control, a text alternative for
every image and chart, a name for every link and button, ids used once. Each problem is
returned as a sentence naming the element, so a failing test says what to fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}
NOT_CONTROLS = {"hidden", "submit", "button", "reset", "image"}
NAMED = {"a", "button", "label", "svg", "title"}  # elements whose text we collect


@dataclass
class _Open:
    tag: str
    attrs: dict[str, str]
    text: list[str] = field(default_factory=list)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Open] = []
        self.problems: list[str] = []
        self.headings: list[int] = []
        self.ids: dict[str, int] = {}
        self.label_for: set[str] = set()
        self.controls: list[tuple[str, dict[str, str], bool]] = []  # tag, attrs, in a label
        self.lang = ""
        self.viewport = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "id" in found:
            self.ids[found["id"]] = self.ids.get(found["id"], 0) + 1
        if tag == "html":
            self.lang = found.get("lang", "")
        elif tag == "meta" and found.get("name") == "viewport":
            self.viewport = found.get("content", "")
        elif tag == "label" and found.get("for"):
            self.label_for.add(found["for"])
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        elif tag == "img":
            if "alt" not in found:
                self.problems.append(f"<img src={found.get('src')!r}> has no alt text")
            self._add_text(found.get("alt", ""))
        if tag in ("input", "select", "textarea"):
            in_label = any(o.tag == "label" for o in self.stack)
            self.controls.append((tag, found, in_label))
        if tag not in VOID:
            self.stack.append(_Open(tag, found))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            closed = self.stack.pop()
            if closed.tag == tag:
                self._check_name(closed)
                return

    def handle_data(self, data: str) -> None:
        self._add_text(data)

    def _add_text(self, text: str) -> None:
        for element in self.stack:
            if element.tag in NAMED:
                element.text.append(text)

    def _check_name(self, element: _Open) -> None:
        text = " ".join("".join(element.text).split())
        label = element.attrs.get("aria-label", "").strip()
        if element.tag == "svg":
            hidden = element.attrs.get("aria-hidden") == "true"
            named = element.attrs.get("role") == "img" and (
                label or "aria-labelledby" in element.attrs
            )
            if not (hidden or named):
                self.problems.append(
                    f"<svg class={element.attrs.get('class')!r}> has no text alternative"
                )
        elif element.tag == "a" and "href" in element.attrs and not (text or label):
            self.problems.append(f"link to {element.attrs['href']!r} has no text")
        elif element.tag == "button" and not (text or label):
            self.problems.append("a button has no text")

    def finish(self) -> list[str]:
        problems = list(self.problems)
        if not self.lang:
            problems.append("<html> has no lang")
        if "width=device-width" not in self.viewport:
            problems.append("no viewport meta with width=device-width")
        if self.headings.count(1) != 1:
            problems.append(f"{self.headings.count(1)} h1 headings (want exactly one)")
        if self.headings and self.headings[0] != 1:
            problems.append(f"the first heading is h{self.headings[0]}, not h1")
        for before, after in zip(self.headings, self.headings[1:], strict=False):
            if after > before + 1:
                problems.append(f"heading h{after} follows h{before} (a level skipped)")
        for tag, attrs, in_label in self.controls:
            if tag == "input" and attrs.get("type", "text") in NOT_CONTROLS:
                continue
            named = attrs.get("aria-label", "").strip() or attrs.get("aria-labelledby")
            if not (named or in_label or attrs.get("id") in self.label_for):
                problems.append(f"<{tag} name={attrs.get('name')!r}> has no label")
        problems += [f"id {i!r} is used {n} times" for i, n in self.ids.items() if n > 1]
        return problems


def page_problems(html: str) -> list[str]:
    """Every accessibility problem the HTML shows (empty: none)."""
    page = _Page()
    page.feed(html)
    page.close()
    return page.finish()
