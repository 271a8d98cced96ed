"""A Markdown ladder kept as a document rather than a table: a heading for each level (or
track), under it a heading for each track (or level), the criteria as list items under those.

It is read as the table it stands for — a row per outer heading, a column per inner one, the
lines under an inner heading as one cell — so every rule of a table holds: which headings are
the levels (read from their labels, or said with ``levels_as``), list items as criteria with
``Example:`` sub-bullets, repeated or missing levels refused where they are. The file's one
heading shallower than all others is its title. Text under a track's heading before its first
level is the track's description. Fenced code, HTML comments and other HTML lines are not
part of the ladder.
"""

from __future__ import annotations

import heapq
import itertools
import re
from dataclasses import dataclass, field, replace

from skillgrid.domain.errors import LadderError, Problem
from skillgrid.importers.asides import description_index
from skillgrid.importers.grid import GridRow, Labelled, build_from_grid
from skillgrid.importers.labelled_lines import split_by_labels
from skillgrid.importers.labels import looks_like_levels
from skillgrid.importers.markdown_lines import LIST_ITEM, PLUS_ITEM, find_headings, is_markup
from skillgrid.importers.options import Format, ImportOptions, ImportResult, Orientation

_NUMBERED = re.compile(r"^\d+(?:\.\d+)*[.)]?\s+(?=\D)")  # "2. ", "1.3 " before a heading's words
CORNER = "Outline"  # a header row needs two cells; this one hints neither levels nor tracks
DESCRIPTION = "Description"
ONE_TRACK = "Expectations"  # the track of an outline with level headings and no track headings
LEVELS_READ = 0.5  # the share of one axis's labels that must read as levels, unless said


@dataclass
class _Section:
    """An outer heading and what is under it."""

    line: int
    label: str
    before: list[str] = field(default_factory=list)  # text before its first inner heading
    text_line: int = 0  # where that text begins
    cells: dict[str, list[str]] = field(default_factory=dict)  # inner heading → its lines
    lines: dict[str, int] = field(default_factory=dict)  # inner heading → its line


def read_outline(lines: list[str], source: str, options: ImportOptions) -> ImportResult | None:
    """The ladder in the outline of ``lines`` (already ``markdown_lines.readable``), or None
    when they hold no headings below the title. Headings at one depth are levels over the
    items of one track."""
    headings = find_headings(lines, source)
    title, depths = _title(headings)
    if not depths or (len(depths) == 1 and options.levels_as is Orientation.COLUMNS):
        return None
    if len(depths) > 2:
        _too_deep(headings, depths, title is not None, source)
    outer, inner = depths if len(depths) == 2 else (depths[0], 0)  # 0: one track, unnamed
    sections, title, warnings = _trimmed(_sections(lines, headings, outer, inner, source), title)
    if not sections:
        return None
    levels_as, doubt = _levels_as(sections, options, inner, source)
    options = replace(options, levels_as=levels_as)
    warnings += doubt
    labels = _labelled(sections, inner, levels_as)
    if labels:
        shown = ", ".join(repr(label) for label in labels[:5])
        warnings.append(f"the bold labels that open lines under the levels ({shown}) are tracks")
    elif not inner:
        warnings.append(
            f"no track headings under the levels, so every criterion is in one track, "
            f"{ONE_TRACK!r}; to split them into tracks, put a {'#' * (outer + 1)} heading "
            "over each track's items under every level"
        )
    result = _as_table(sections, title, options, source)
    return replace(result, warnings=(*result.warnings, *warnings))


def _labelled(sections: list[_Section], inner: int, levels_as: Orientation | None) -> list[str]:
    """The tracks that bold labels opening the lines under the levels name (``**Impact:**``,
    :mod:`labelled_lines`; with track headings, the lines before a level's first one): their
    lines go to them, ahead of any track heading's; a line with no label stays put."""
    if levels_as is not Orientation.ROWS:
        return []
    found = split_by_labels([s.before if inner else s.cells.get(ONE_TRACK, []) for s in sections])
    if found is None:
        return []
    for section, cells in zip(sections, found[0], strict=True):
        line = section.text_line if inner else section.lines.pop(ONE_TRACK, section.line)
        unlabelled = cells.pop("", [])
        if inner:
            section.before = unlabelled
        else:
            section.cells = {ONE_TRACK: unlabelled} if unlabelled else {}
            section.lines = {ONE_TRACK: line} if unlabelled else {}
        for label, lines in reversed(cells.items()):
            same = next((c for c in section.cells if c.casefold() == label.casefold()), label)
            section.cells = {same: [*lines, *section.cells.pop(same, [])], **section.cells}
            section.lines = {same: section.lines.pop(same, line), **section.lines}
    return found[1]


def _title(headings: dict[int, tuple[int, str]]) -> tuple[str | None, list[int]]:
    """The title (the first heading, when no other is as shallow) and the depths below it."""
    depths = sorted({depth for depth, _ in headings.values()})
    if not headings:
        return None, depths
    depth, label = headings[min(headings)]
    if depth == depths[0] and [d for d, _ in headings.values()].count(depth) == 1:
        return label, depths[1:]
    return None, depths


def _trimmed(
    sections: list[_Section], title: str | None
) -> tuple[list[_Section], str | None, list[str]]:
    """The sections of the ladder, the title, and a warning for each section left out at
    either end: one with nothing under it that is not an empty level (the first of them is
    the title when there is none: an introduction follows it), or one that is not a level
    (:func:`_aside`)."""
    warnings: list[str] = []
    while sections and (_empty(sections[0], sections) or _aside(sections[0], sections)):
        intro = sections.pop(0)
        if title is None and not warnings:
            title = intro.label
        else:
            warnings.append(_left_out(intro, "before"))
    trailing: list[str] = []
    while sections and (not sections[-1].cells or _aside(sections[-1], sections)):
        trailing.insert(0, _left_out(sections.pop(), "after"))
    return sections, title, warnings + trailing


def _empty(section: _Section, sections: list[_Section]) -> bool:
    """A section with nothing under it, unless it is a level not filled in yet (its heading
    reads as a level, as most others do), which stays as in a table."""
    if section.cells:
        return False
    others = [s.label for s in sections if s.cells]
    return not (_level_share([section.label]) and _level_share(others) >= LEVELS_READ)


def _as_table(
    sections: list[_Section], title: str | None, options: ImportOptions, source: str
) -> ImportResult:
    """Read the sections as the table they stand for; when the outer headings are tracks,
    the text under each before its first level is its description."""
    columns, conflict = _columns(sections, source)
    above = [GridRow(1, (title,))] if title else []
    header = GridRow(min(s.lines[c] for s in sections for c in s.lines), (CORNER, *columns))
    rows = [
        GridRow(s.line, (s.label, *("\n".join(s.cells.get(c, ())) for c in columns)))
        for s in sections
    ]
    described = [s for s in sections if s.before]
    if options.levels_as is Orientation.COLUMNS:  # the outer headings are tracks
        if conflict:
            raise LadderError([conflict])
        given = description_index([Labelled(c, header.number, 0) for c in ("", *columns)])
        if described and given:  # "### Summary" under a track: its text joins it
            rows = [
                replace(
                    row,
                    cells=(
                        *row.cells[:given],
                        _joined([*s.before, row.cells[given]]),
                        *row.cells[given + 1 :],
                    ),
                )
                for row, s in zip(rows, sections, strict=True)
            ]
        elif described:
            header = replace(header, cells=(CORNER, DESCRIPTION, *columns))
            rows = [
                GridRow(row.number, (row.cells[0], _joined(s.before), *row.cells[1:]))
                for row, s in zip(rows, sections, strict=True)
            ]
        return build_from_grid([*above, header, *rows], source, Format.MARKDOWN, options)
    result = build_from_grid([*above, header, *rows], source, Format.MARKDOWN, options)
    if not described:
        return result
    where = ", ".join(str(s.text_line) for s in described)
    return replace(
        result,
        warnings=(
            *result.warnings,
            f"the text under a level's heading before its first track (line {where}) was not "
            "read: a level has a name and criteria; to keep it, make it criteria under a "
            "track's heading",
        ),
    )


def _joined(lines: list[str]) -> str:
    return " ".join(line.strip() for line in lines)


def _sections(
    lines: list[str], headings: dict[int, tuple[int, str]], outer: int, inner: int, source: str
) -> list[_Section]:
    """Each outer heading with the lines under it, by inner heading (with ``inner`` 0, all
    in the one track's): list items one a line, a wrapped line joined to the line it goes
    on, ``+`` items as ``-``. An inner heading twice under one outer heading is refused."""
    sections: list[_Section] = []
    target: list[str] | None = None
    last = 0  # the line the last text came from
    for n, line in enumerate(lines, start=1):
        depth, label = headings.get(n, (0, ""))
        if depth and depth < outer:
            target = None  # the title: nothing under it belongs to a section
        elif depth == outer:
            sections.append(_Section(n, label))
            target = sections[-1].before if inner else []
        elif inner and depth == inner and sections:
            section = sections[-1]
            same = next((c for c in section.cells if c.casefold() == label.casefold()), None)
            if same is not None:
                raise LadderError(
                    [
                        Problem(
                            f"{label!r} is under {section.label!r} twice (lines "
                            f"{section.lines[same]} and {n})",
                            "give each its own name, or put their lines under one heading",
                            source,
                            n,
                        )
                    ]
                )
            section.lines[label] = n
            target = section.cells.setdefault(label, [])
        elif target is not None and line.strip() and not is_markup(line):
            if not inner and not sections[-1].cells:  # the one track's cell, once it has lines
                sections[-1].cells[ONE_TRACK], sections[-1].lines[ONE_TRACK] = target, n
            if target is sections[-1].before and not target:
                sections[-1].text_line = n
            if target and last == n - 1 and not LIST_ITEM.match(line):
                target[-1] += " " + line.strip()  # a wrapped line goes on the same sentence
            elif target and not line[0].isspace() and not LIST_ITEM.match(line):
                target.append("- " + line.strip())  # a paragraph after a list: its own item
            else:
                target.append(PLUS_ITEM.sub(r"\1-", line.rstrip()))
            last = n
    return sections


def _too_deep(
    headings: dict[int, tuple[int, str]], depths: list[int], titled: bool, source: str
) -> None:
    """Refuse headings at a third depth, at the first of them; or, when the file opens with a
    heading shallower than the rest that comes again after them ("# Appendix"), at that one."""
    at = {depth: [n for n, (d, _) in sorted(headings.items()) if d == depth] for depth in depths}
    shown = "; ".join(f"{'#' * depth}: line {lines[0]}" for depth, lines in at.items())
    first = min(headings)
    deeper = [n for n, (depth, _) in headings.items() if depth > headings[first][0]]
    # the title's depth again after everything under it ("# Appendix"), not a level's
    again = [
        n for n in at.get(headings[first][0], [])[1:] if not titled and deeper and n > max(deeper)
    ]
    raise LadderError(
        [
            Problem(
                f"headings at {len(depths)} depths{' under the title' if titled else ''} "
                f"({shown}); an outline ladder has one title and two depths below it: a "
                "heading for each level (or track) and under it one for each track (or level)",
                "make the deeper lines list items under their heading, or write the ladder "
                "as a pipe table"
                + (f"; line {again[0]} repeats the title's depth" if again else ""),
                source,
                again[0] if again else at[depths[2]][0],
            )
        ]
    )


def _left_out(section: _Section, where: str) -> str:
    """A warning for a section left out ``where`` ("before", "after") the ladder's."""
    why = "holds no criteria" if not section.cells else "does not read as a level"
    return (
        f"the section {section.label[:40]!r} (line {section.line}) {why} and comes {where} "
        "the ladder's sections, so it was left out"
    )


def _levels_as(
    sections: list[_Section], options: ImportOptions, inner: int, source: str
) -> tuple[Orientation, list[str]]:
    """Which headings are the levels, and a warning when the other ones read as levels too:
    as the import says, else the depth whose headings read more as levels (section numbers
    such as "1." do not count). Refuses an outline whose headings read as levels on neither
    depth (a README's "Installation" over "From pip"), or on both alike ("## L1" over
    "### L2")."""
    if options.levels_as:
        return options.levels_as, []
    outer = [s.label for s in sections]
    named = list(dict.fromkeys(c for s in sections for c in s.cells)) if inner else []
    shares = _level_share(outer), _level_share(named)
    if max(shares) >= LEVELS_READ and shares[0] != shares[1]:
        levels_as = Orientation.ROWS if shares[0] > shares[1] else Orientation.COLUMNS
        tracks = named if levels_as is Orientation.ROWS else outer
        doubtful = [label for label in tracks if _level_share([label])]
        if min(shares) < LEVELS_READ or not doubtful:
            return levels_as, []
        depth = "#" * (inner if levels_as is Orientation.ROWS else inner - 1)
        shown = ", ".join(repr(label) for label in doubtful[:5])
        return levels_as, [
            f"the {depth} headings are read as tracks, though {shown} read as levels too; if "
            "one is a level at the wrong depth, move it, or say which headings are levels "
            "(--levels-as; on the upload page, 'Levels are')"
        ]
    both = min(shares) >= LEVELS_READ
    shown = ", ".join([*outer[:3], *named[:3]])
    raise LadderError(
        [
            Problem(
                f"the {'#' * inner} headings and the ones over them read as levels alike "
                f"({shown} …)"
                if both
                else f"no Markdown table, and none of this outline's headings read as levels "
                f"({shown} …)",
                (
                    "move a heading that is at the wrong depth, or "
                    if both
                    else "name the levels as a ladder does ('L1', 'Engineer II', 'Senior'), or "
                )
                + "say which headings are levels: --levels-as rows (the outer ones) or "
                "columns (the ones under them); on the upload page, 'Levels are'",
                source,
                sections[0].line,
            )
        ]
    )


def _level_share(labels: list[str]) -> float:
    """:func:`looks_like_levels` of labels without their section numbers ("2. Delivery")."""
    return looks_like_levels([_NUMBERED.sub("", label) for label in labels])


def _aside(section: _Section, sections: list[_Section]) -> bool:
    """Whether a section at either end is not part of the ladder: the outer headings are
    levels, its heading does not read as one, and it shares no track with the others (an
    FAQ's questions) or, with one track, holds no list (an introduction in prose)."""
    if len(sections) < 2 or _level_share([s.label for s in sections]) < LEVELS_READ:
        return False
    if _level_share([section.label]):
        return False
    if ONE_TRACK in section.lines:
        return not any(LIST_ITEM.match(line) for line in section.cells[ONE_TRACK])
    others = {c for s in sections if s is not section for c in s.cells}
    return not others.intersection(section.cells)


def _columns(sections: list[_Section], source: str) -> tuple[list[str], Problem | None]:
    """The inner headings in an order every section keeps (a level one section skips comes
    where the others put it), ties by first appearance. When the sections' orders cannot all
    hold: first appearance, and the problem to raise if the inner headings are levels."""
    seen = {c: i for i, c in enumerate(dict.fromkeys(c for s in sections for c in s.cells))}
    follows: dict[str, set[str]] = {c: set() for c in seen}
    for s in sections:
        for a, b in itertools.pairwise(s.cells):
            follows[a].add(b)
    waiting = dict.fromkeys(seen, 0)
    for after in follows.values():
        for c in after:
            waiting[c] += 1
    ready = [(i, c) for c, i in seen.items() if not waiting[c]]
    heapq.heapify(ready)
    placed: list[str] = []
    while ready:
        _, c = heapq.heappop(ready)
        placed.append(c)
        for d in follows[c]:
            waiting[d] -= 1
            if not waiting[d]:
                heapq.heappush(ready, (seen[d], d))
    if len(placed) == len(seen):
        return placed, None
    return list(seen), _disagreement(sections, follows, source)


def _disagreement(sections: list[_Section], follows: dict[str, set[str]], source: str) -> Problem:
    """Where the sections list the inner headings in orders that cannot all hold: at a pair
    two sections list the other way round, else at the first section."""
    for s in sections:
        for a, b in itertools.pairwise(s.cells):
            if a in follows[b]:
                t = next(t for t in sections if (b, a) in itertools.pairwise(t.cells))
                return Problem(
                    f"{s.label!r} lists {a!r} before {b!r}, and {t.label!r} lists them the "
                    "other way round",
                    "list the levels in the same order under every heading",
                    source,
                    t.lines[a],
                )
    return Problem(
        "the sections list the levels in orders that cannot all hold (each pair agrees, but "
        "together they go round in a circle)",
        "list the levels in the same order under every heading",
        source,
        sections[0].line,
    )
