"""A Markdown table row holds exactly its cells whatever they say: a pipe, a trailing
backslash or a line break in a track, team or cycle name never splits or merges cells of
the ladder export or the person and team reports."""

from __future__ import annotations

import re

import pytest

from skillgrid.exporters.markdown import table_row
from skillgrid.markdown_labels import plain_label, protected_label

# a cell ends at a pipe that no backslash escapes (GitHub-flavoured Markdown tables)
CELL_END = re.compile(r"(?<!\\)(?:\\\\)*\|")


def cells(row: str) -> int:
    inner = row.strip()[1:]
    return len(CELL_END.findall(inner))


@pytest.mark.parametrize(
    "awkward",
    ["Ops | On-call", "Ops\\", "a\\|b", "first line\nsecond line", "||", "\\\\|"],
)
def test_each_cell_stays_one_cell(awkward: str) -> None:
    row = table_row(["Track", awkward, "3"])
    assert "\n" not in row
    assert cells(row) == 3, row


def test_plain_text_is_written_as_it_is() -> None:
    assert table_row(["Networking", "2", "+1"]) == "| Networking | 2 | +1 |"


@pytest.mark.parametrize("label", ["**Technology**", "_Delivery_", "*Ops*"])
def test_a_label_in_bold_or_italics_is_read_without_its_markers(label: str) -> None:
    assert plain_label(label) == label.strip("*_")


@pytest.mark.parametrize(
    "name", ["__0__", "_x_", "*nix*", "**a**", "__init__.py", "Ops", "snake_case", "a * b"]
)
def test_a_name_that_reads_as_emphasis_is_written_so_that_it_reads_back_whole(
    name: str,
) -> None:
    assert plain_label(protected_label(name)) == name
