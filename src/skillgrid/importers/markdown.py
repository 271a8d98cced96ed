"""Markdown ladders: a pipe table (``<br>`` separates items inside a cell, ``\\|`` is a literal
pipe), or, in a file with no table, an outline (:mod:`skillgrid.importers.outline`). Fenced
code and HTML comments are not read."""

from __future__ import annotations

import re
from dataclasses import replace

from skillgrid.domain.errors import LadderError, Problem
from skillgrid.importers.grid import GridRow, build_from_grid
from skillgrid.importers.markdown_lines import front_matter, readable
from skillgrid.importers.options import Format, ImportOptions, ImportResult
from skillgrid.importers.outline import read_outline
from skillgrid.importers.text import decode
from skillgrid.markdown_labels import plain_label

_DELIMITER_CELL = re.compile(r":?-+:?")  # a cell of the |---|:---:| line, stripped
_UNESCAPE = re.compile(r"\\([\\|])")
_HEADING = re.compile(r"#{1,6}\s+")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")
_FRONT_MATTER_READ = (
    "the ladder was read from the front matter (levels and topics, as in Monzo's progression "
    "framework); the text of the page below it was not read"
)
_TABLE_TAG = re.compile(r"<table[\s>]", re.IGNORECASE)
_HTML_TABLE = (
    "; the file holds an HTML table (<table>), which is not read: write it as a pipe table, "
    "or save it from a spreadsheet as CSV or XLSX"
)


def read_markdown(data: bytes, source: str, options: ImportOptions) -> ImportResult:
    """Read the one pipe table of a Markdown file (text lines above it may hold the title),
    or the outline of a file without one. When the file has both, the outline is read if
    the table cannot be, or if the outline's criteria hold more text (a table of the levels'
    titles and years over a section for each level), with a warning that the tables were
    left out."""
    written = decode(data, source, options.encoding).splitlines()
    if (kept := _in_front_matter(written, source, options)) is not None:
        return kept
    lines = readable(written, source)
    start = _table_start(lines)
    try:
        if start is None and (outline := read_outline(lines, source, options)):
            return outline
    except LadderError as refused:  # headings, but none read as a ladder's
        if not (note := _html_table(lines)):
            raise
        first, *rest = refused.problems
        raise LadderError([replace(first, message=first.message + note), *rest]) from None
    try:
        rows = markdown_rows(lines, source)
        table = build_from_grid(rows, source, Format.MARKDOWN, options, strict_width=False)
    except LadderError:
        if start is not None and (outline := _outline_beside(lines, source, options)):
            return _left_out(outline, start, "could not be read as a ladder")
        raise
    assert start is not None  # markdown_rows refused a file with neither
    outline = _outline_beside(lines, source, options)
    if outline is None or _text(outline) <= _text(table):
        return table
    found, held = len(outline.framework.criteria), len(table.framework.criteria)
    return _left_out(
        outline,
        start,
        f"holds less of the ladder than the headings around it ({held} criteria against "
        f"{found}, less text); to read the table, remove the lists under the headings",
    )


def _outline_beside(lines: list[str], source: str, options: ImportOptions) -> ImportResult | None:
    """The outline of ``lines`` with every table blanked, or None when they hold none."""
    blanked = list(lines)
    start = _table_start(blanked)
    while start is not None:
        end = next((i for i in range(start, len(blanked)) if "|" not in blanked[i]), len(blanked))
        blanked[start:end] = [""] * (end - start)
        start = _table_start(blanked)
    try:
        return read_outline(blanked, source, options)
    except LadderError:
        return None


def _in_front_matter(lines: list[str], source: str, options: ImportOptions) -> ImportResult | None:
    """The ladder a page keeps in its front matter, as the progression framework's pages
    do (:mod:`progression`); the page's text is then its description, not read."""
    from skillgrid.importers.native import parse_yaml
    from skillgrid.importers.progression import is_progression, read_progression

    yaml = front_matter(lines)
    document = parse_yaml(yaml, source) if yaml and "topics:" in yaml else None
    if document is None or not is_progression(document):
        return None
    framework = read_progression(document, source, options)
    return ImportResult(framework, Format.MARKDOWN, warnings=(_FRONT_MATTER_READ,))


def _html_table(lines: list[str]) -> str:
    """What a refusal adds when the file holds an HTML table, which is not read."""
    return _HTML_TABLE if any(_TABLE_TAG.search(line) for line in lines) else ""


def _left_out(outline: ImportResult, start: int, why: str) -> ImportResult:
    warning = f"the table at line {start + 1} was left out: it {why}"
    return replace(outline, warnings=(warning, *outline.warnings))


def _text(result: ImportResult) -> int:
    """How much a reading of the file holds: the length of all its criteria."""
    return sum(len(criterion.text) for criterion in result.framework.criteria)


def markdown_rows(lines: list[str], source: str) -> list[GridRow]:
    """Lines above the table as one-cell rows, then the table's rows (delimiter row dropped)."""
    start = _table_start(lines)
    if start is None:
        raise LadderError(
            [
                Problem(
                    "no Markdown table (a header line followed by a |---|---| line), and no "
                    "outline (a heading for each level over a heading for each track)"
                    + _html_table(lines),
                    "write the ladder as a pipe table (| Level | Track A | Track B |), or as "
                    "## Level 1, under it ### Track A and its criteria as list items",
                    source,
                )
            ]
        )
    rows = [
        GridRow(n, (_UNESCAPE.sub(r"\1", _HEADING.sub("", line, count=1)).strip(),))
        for n, line in _numbered(lines[:start])
    ]
    rows.append(GridRow(start + 1, tuple(map(plain_label, split_row(lines[start])))))
    end = start + 2
    while end < len(lines) and "|" in lines[end]:
        first, *rest = split_row(lines[end]) or ("",)
        rows.append(GridRow(end + 1, (plain_label(first), *rest)))
        end += 1
    later = _table_start(lines[end:])
    if later is not None:
        raise LadderError(
            [
                Problem(
                    "a second table follows the first; SkillGrid reads one table per file",
                    "put every track in one table, split the file in two, or remove the tables "
                    "that are not the ladder (a table of salaries or of links)",
                    source,
                    end + later + 1,
                )
            ]
        )
    return rows


def split_row(line: str) -> tuple[str, ...]:
    """Cells of a pipe-table line; a leading and a trailing pipe are optional."""
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    pieces = _UNESCAPED_PIPE.split(stripped)
    # split() also returns each run of escaped backslashes before a pipe: glue it back
    cells = [pieces[0]]
    for i in range(1, len(pieces), 2):
        cells[-1] += pieces[i]
        cells.append(pieces[i + 1])
    if len(cells) > 1 and cells[-1] == "":
        cells.pop()
    return tuple(_UNESCAPE.sub(r"\1", cell).strip() for cell in cells)


def _table_start(lines: list[str]) -> int | None:
    for i in range(len(lines) - 1):
        if "|" in lines[i] and _is_delimiter_row(lines[i + 1]):
            return i
    return None


def _is_delimiter_row(line: str) -> bool:
    """Whether ``line`` is a table's ``|---|:---:|`` line (split, not one regular
    expression: a long run of spaces must cost linear time)."""
    stripped = line.strip()
    if "|" not in stripped:
        return False
    cells = stripped.removeprefix("|").removesuffix("|").split("|")
    return all(_DELIMITER_CELL.fullmatch(cell.strip()) for cell in cells)


def _numbered(lines: list[str]) -> list[tuple[int, str]]:
    return [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
