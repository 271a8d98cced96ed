"""The table layout shared by CSV, TSV, Markdown and XLSX exports.

A title line, a blank line, then a header (``Level`` and the track names) and one row per
level. Every criterion is a ``- `` bullet, so the file reads back in list mode exactly;
a criterion's own line breaks become indented continuation lines, its examples indented
``- Example: …`` sub-bullets. Track keys are written
as ``Name [key: KEY]`` only when they differ from the keys derived from the names.
"""

from __future__ import annotations

from skillgrid.domain.framework import Framework
from skillgrid.domain.keys import assign_keys, split_key_suffix

CORNER = "Level ↓"
# A row with a label and nothing else reads back as a note or heading, not a level: a level
# without criteria gets this placeholder (which reads as "no criteria") in its first cell.
EMPTY_LEVEL = "-"


def track_labels(framework: Framework) -> list[str]:
    names = [track.name for track in framework.tracks]
    keys = [track.key for track in framework.tracks]
    ambiguous = any(split_key_suffix(name)[1] for name in names)
    if assign_keys(names) == keys and not ambiguous:
        return names
    return [f"{name} [key: {key}]" for name, key in zip(names, keys, strict=True)]


def cell_items(framework: Framework, track: str, level: int) -> list[str]:
    """Each criterion of a cell as a bullet item (continuation lines indented), its examples
    as indented ``- Example: …`` sub-bullets."""
    return [
        "\n  ".join(
            ["- " + "\n  ".join(criterion.text.splitlines())]
            + [f"- Example: {example}" for example in criterion.examples]
        )
        for criterion in framework.cell(track, level)
    ]


def table_rows(framework: Framework) -> list[list[str]]:
    """Title, blank line, header and level rows: the grid the table importers read back."""
    rows: list[list[str]] = []
    if framework.title:
        rows += [[framework.title], []]
    rows.append([CORNER, *track_labels(framework)])
    for level in framework.levels:
        cells = [
            "\n".join(cell_items(framework, track.key, level.number)) for track in framework.tracks
        ]
        if cells and not any(cells):
            cells[0] = EMPTY_LEVEL
        rows.append([level.label, *cells])
    return rows
