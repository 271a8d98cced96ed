"""From a grid of cells (any tabular format) to a Framework, with every problem located.

The shape rules: the header row is the first row with two or more non-empty cells; a
single-cell line above it is the title; levels are rows or columns (detected, or said);
each (track, level) cell is split into criteria by :mod:`skillgrid.domain.splitting`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from skillgrid.domain.framework import Level, Track, build_framework
from skillgrid.domain.keys import assign_keys, split_key_suffix
from skillgrid.domain.splitting import (
    SplitMode,
    choose_mode,
    has_separators,
    split_cell,
    split_sentences,
    take_examples,
)
from skillgrid.importers import grid_checks as check
from skillgrid.importers.asides import description_index, set_aside_rows, stray_labels, thin_cells
from skillgrid.importers.labels import (
    is_number_label,
    level_order,
    looks_like_levels,
    orientation_hint,
    points_down,
)
from skillgrid.importers.options import (
    MAX_LEVELS,
    MAX_TRACKS,
    Format,
    ImportOptions,
    ImportResult,
    Orientation,
)


@dataclass(frozen=True, slots=True)
class GridRow:
    """One row of the source: ``number`` as an editor or spreadsheet shows it (from 1);
    the cell at index ``i`` is in column ``i + 1``."""

    number: int
    cells: tuple[str, ...]

    def filled(self) -> int:
        return sum(1 for cell in self.cells if cell.strip())

    def get(self, index: int) -> str:
        return self.cells[index] if index < len(self.cells) else ""


@dataclass(frozen=True, slots=True)
class Labelled:
    """A label (track name or level label) and where it stands in the source."""

    text: str
    row: int
    column: int


def _strip_empty_columns(rows: list[GridRow]) -> tuple[list[GridRow], tuple[int, ...]]:
    """Cut the columns that are empty in every row: a table starting at B3, a narrow spacer
    column between the labels and the levels. A row keeps its own length (a short row is
    still short)."""
    width = max((len(row.cells) for row in rows), default=0)
    kept = tuple(i for i in range(width) if any(row.get(i).strip() for row in rows))
    if all(i == at for at, i in enumerate(kept)):
        return rows, ()
    cut = [
        GridRow(row.number, tuple(row.cells[i] for i in kept if i < len(row.cells))) for row in rows
    ]
    return cut, kept


def find_header(rows: list[GridRow]) -> int | None:
    """Index of the header row: the first with two or more non-empty cells."""
    return next((i for i, row in enumerate(rows) if row.filled() >= 2), None)


def build_from_grid(
    rows: list[GridRow],
    source: str,
    file_format: Format,
    options: ImportOptions,
    *,
    strict_width: bool = True,
) -> ImportResult:
    """Read a ladder from ``rows``; raise :class:`LadderError` listing every problem."""
    rows, kept = _strip_empty_columns(rows)
    problems = check.Problems(source, kept)
    check.cell_sizes(rows, problems)
    problems.raise_if_any()
    header_index = find_header(rows)
    if header_index is None:
        check.no_header(rows, problems)
    assert header_index is not None
    header = rows[header_index]
    title = _title(rows[:header_index])
    body = [row for row in rows[header_index + 1 :] if row.filled()]
    width = max(i for i, cell in enumerate(header.cells) if cell.strip()) + 1
    check.body_rows(header, body, width, strict_width, problems)
    problems.raise_if_any()

    orientation, overruled = _orientation(header, body, width, options)
    by_rows = orientation is Orientation.ROWS
    body, asides = set_aside_rows(body, tracks_in_rows=not by_rows)
    column_labels = [Labelled(header.get(i).strip(), header.number, i + 1) for i in range(1, width)]
    row_labels = [Labelled(row.get(0).strip(), row.number, 1) for row in body]
    level_labels, track_labels = (
        (row_labels, column_labels) if by_rows else (column_labels, row_labels)
    )
    described = description_index(level_labels)
    places = [i for i in range(len(level_labels)) if i != described]
    level_labels = [level_labels[i] for i in places]
    levels, level_index = _levels(level_labels, orientation, problems)
    tracks = _tracks(track_labels, orientation, options, problems)
    problems.raise_if_any()

    def cell(track: int, place: int) -> str:
        return body[place].get(track + 1) if by_rows else body[track].get(place + 1)

    if described is not None:
        tracks = [
            replace(track, description=cell(t, described).strip() or None)
            for t, track in enumerate(tracks)
        ]
    texts = {
        (track.key, level.number): cell(t, places[at])
        for t, track in enumerate(tracks)
        for level, at in zip(levels, level_index, strict=True)
    }
    mode = choose_mode(texts.values(), options.split)
    framework = build_framework("", title, levels, tracks, *_criteria(texts, mode))
    warnings = _warnings(texts, mode, options, level_labels, track_labels, orientation)
    warnings += (*asides, *([] if options.levels_as or overruled is None else [overruled]))
    warnings += tuple(thin_cells([c.text for c in framework.criteria]))
    return ImportResult(framework, file_format, mode, orientation, warnings)


def _orientation(
    header: GridRow, body: list[GridRow], width: int, options: ImportOptions
) -> tuple[Orientation, str | None]:
    """The orientation said or detected, and a warning when the labels overruled the corner."""
    column_labels = [Labelled(header.get(i).strip(), header.number, i + 1) for i in range(1, width)]
    row_labels = [Labelled(row.get(0).strip(), row.number, 1) for row in body]
    detected, overruled = _detect_orientation(header.cells[0].strip(), row_labels, column_labels)
    return options.levels_as or detected, overruled


def _criteria(
    texts: dict[tuple[str, int], str], mode: SplitMode
) -> tuple[dict[tuple[str, int], list[str]], dict[tuple[str, int, int], tuple[str, ...]]]:
    """Each cell's criteria, and the examples written under them."""
    cells: dict[tuple[str, int], list[str]] = {}
    examples: dict[tuple[str, int, int], tuple[str, ...]] = {}
    for (key, number), text in texts.items():
        for position, item in enumerate(split_cell(text, mode) if text else [], 1):
            criterion, lines = take_examples(item)
            cells.setdefault((key, number), []).append(criterion)
            if lines:
                examples[(key, number, position)] = lines
    return cells, examples


def _warnings(
    texts: dict[tuple[str, int], str],
    mode: SplitMode,
    options: ImportOptions,
    level_labels: list[Labelled],
    track_labels: list[Labelled],
    orientation: Orientation,
) -> tuple[str, ...]:
    """Things that read cleanly but may not be what the author meant."""
    found = []
    if mode is SplitMode.LINES and options.split == SplitMode.AUTO:
        plain = [text for text in texts.values() if text and not has_separators(text)]
        listed = sum(1 for text in texts.values() if text) - len(plain)
        prose = 0 if len(plain) <= listed else sum(len(split_sentences(t)) > 1 for t in plain)
        if prose > listed:
            found.append(
                f"list mode: {listed} cell(s) use line breaks or bullets, so {prose} other "
                "cell(s) of several sentences are kept as one criterion each; if each sentence "
                "is a criterion, import with --split sentences"
            )
    by_rows = orientation is Orientation.ROWS
    found += stray_labels(level_labels, "level", "row" if by_rows else "column")
    found += stray_labels(track_labels, "track", "column" if by_rows else "row")
    return tuple(found)


def _title(above: list[GridRow]) -> str | None:
    for row in above:
        text = next((cell.strip() for cell in row.cells if cell.strip()), "")
        if text:
            return text
    return None


def _detect_orientation(
    corner: str, row_labels: list[Labelled], column_labels: list[Labelled]
) -> tuple[Orientation, str | None]:
    """Which axis holds levels: the corner cell says, unless its word (no arrow) is
    contradicted by the labels plainly (all of one axis read as levels, none of the other),
    as in "Level | IC1 | IC2" over rows of tracks; then the labels win, and a warning says so."""
    by_rows = looks_like_levels([label.text for label in row_labels])
    by_columns = looks_like_levels([label.text for label in column_labels])
    by_labels = Orientation.COLUMNS if by_columns > by_rows else Orientation.ROWS
    hint = orientation_hint(corner)
    if hint is None:
        return by_labels, None
    hinted = Orientation.ROWS if hint == "levels" else Orientation.COLUMNS
    if hinted is by_labels or points_down(corner) or {by_rows, by_columns} != {0.0, 1.0}:
        return hinted, None
    levels = column_labels if by_labels is Orientation.COLUMNS else row_labels
    where, other = (
        ("header row", "rows") if by_labels is Orientation.COLUMNS else ("first column", "columns")
    )
    shown = ", ".join(label.text for label in levels[:3])
    return by_labels, (
        f"the corner cell {corner!r} reads as if the {other} were levels, but the {where}'s "
        f"labels ({shown} …) read as levels and the others do not, so levels were read as "
        f"{by_labels.value}; if that is wrong, import with --levels-as {other}"
    )


def _axis_words(orientation: Orientation, is_levels: bool) -> tuple[str, str]:
    """(what, where): e.g. ("level", "first column") for levels kept in rows."""
    along_rows = (orientation is Orientation.ROWS) == is_levels
    return ("level" if is_levels else "track", "first column" if along_rows else "header row")


def _levels(
    labels: list[Labelled], orientation: Orientation, problems: check.Problems
) -> tuple[list[Level], list[int]]:
    """Levels numbered 1..N in ladder order, and for each the index of its source label."""
    what, where = _axis_words(orientation, is_levels=True)
    check.too_many(labels, what, MAX_LEVELS, problems)
    check.empty(labels, what, where, problems)
    check.duplicates(labels, what, where, problems)
    order, gap = level_order([label.text for label in labels])
    if gap is not None:
        label = labels[gap.index]
        problems.add(
            f"level {gap.missing} is missing: the numbered levels jump to {label.text!r}",
            "number levels without gaps, or give them words as labels",
            label.row,
            label.column,
        )
    levels = []
    for number, index in enumerate(order, start=1):
        text = labels[index].text
        levels.append(Level(number, None if is_number_label(text, number) else text))
    return levels, order


def _tracks(
    labels: list[Labelled],
    orientation: Orientation,
    options: ImportOptions,
    problems: check.Problems,
) -> list[Track]:
    what, where = _axis_words(orientation, is_levels=False)
    check.too_many(labels, what, MAX_TRACKS, problems)
    check.empty(labels, what, where, problems)
    named = [split_key_suffix(label.text) for label in labels]
    names = [
        Labelled(name, label.row, label.column)
        for (name, _), label in zip(named, labels, strict=True)
    ]
    check.duplicates(names, what, where, problems)
    explicit = {name: key for name, key in named if key}
    seen_keys: dict[str, Labelled] = {}
    for (_, key), label in zip(named, labels, strict=True):
        if key and key in seen_keys:
            problems.add(
                f"track key [{key}] is used twice",
                "give each track its own key, or drop the [key: …] to have one derived",
                label.row,
                label.column,
            )
        if key:
            seen_keys[key] = label
    keys = assign_keys([name for name, _ in named], {**options.known_keys, **explicit})
    return [Track(key, name) for key, (name, _) in zip(keys, named, strict=True)]
