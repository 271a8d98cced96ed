"""Bounded work per caller (#12): a small hostile file is refused, with its place and what to
do, for no more work than reading a normal ladder of the seed's size.

Work is counted, not timed: :func:`python_calls` counts the Python function calls a read
makes (a profile hook), and stops the read once it passes the budget, so a regression fails
at once instead of walking millions of cells. The budget is what reading the seed ladder in
the same format costs, measured in the same test.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from skillgrid.domain.errors import InputError, LadderError
from skillgrid.importers import read_ladder
from skillgrid.importers.options import (
    MAX_ALIASED_VALUES,
    MAX_NESTING,
    MAX_SHEET_CELLS,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_UNZIPPED_BYTES,
)
from tests.conftest import SEED

SHEET = "xl/worksheets/sheet1.xml"
ALLOWED = "outside A1:ZZ2000, the part of a sheet a ladder may use"


class OverBudget(BaseException):
    """Raised inside the read once it makes more calls than allowed (a BaseException, so the
    importer's ``except Exception`` cannot turn it into a LadderError and hide it)."""


def python_calls(call: Callable[[], object], budget: int | None = None) -> int:
    """How many Python function calls ``call()`` makes; raise OverBudget past ``budget``."""
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event == "call":
            count += 1
            if budget is not None and count > budget:
                raise OverBudget(f"more than {budget:,} Python calls")

    sys.setprofile(profile)
    try:
        call()
    finally:
        sys.setprofile(None)
    return count


def refused_within(budget: int, data: bytes, source: str) -> LadderError:
    """The LadderError reading ``data`` raises, checked to cost at most ``budget`` calls."""
    with pytest.raises(LadderError) as refused:
        python_calls(lambda: read_ladder(data, source), budget)
    return refused.value


@pytest.fixture(scope="module")
def seed_workbook_calls() -> int:
    """The work of reading the seed ladder (6 levels × 6 tracks, 90 criteria) as a workbook."""
    from skillgrid.exporters import ExportFormat, export_framework

    framework = read_ladder(SEED.read_bytes(), "sre.tsv").framework
    data = export_framework(framework, ExportFormat.XLSX)
    read_ladder(data, "sre.xlsx")  # imports done once, outside the count
    return python_calls(lambda: read_ladder(data, "sre.xlsx"))


@pytest.fixture(scope="module")
def seed_yaml_calls() -> int:
    from skillgrid.exporters import ExportFormat, export_framework

    framework = read_ladder(SEED.read_bytes(), "sre.tsv").framework
    data = export_framework(framework, ExportFormat.YAML)
    read_ladder(data, "sre.yaml")
    return python_calls(lambda: read_ladder(data, "sre.yaml"))


# --- workbooks ----------------------------------------------------------------------------


def workbook(
    stray: str | None = None,
    *,
    styled_only: bool = False,
    edit: Callable[[str], str] = lambda xml: xml,
    padding: int = 0,
) -> bytes:
    """A small good ladder on sheet 'Ladder', optionally with a ``stray`` cell ("stray" in it,
    or only a bold font when ``styled_only``), its sheet XML passed through ``edit`` and
    ``padding`` spaces (XML allows them) written before its end tag, a megabyte at a time."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Ladder"
    sheet.append(["Level", "Ops", "Dev"])
    sheet.append([1, "Runs it.", "Writes it."])
    sheet.append([2, "Scales it.", "Designs it."])
    if stray and styled_only:
        sheet[stray].font = Font(bold=True)
    elif stray:
        sheet[stray] = "stray"
    saved = io.BytesIO()
    book.save(saved)
    source = zipfile.ZipFile(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name != SHEET:
                target.writestr(name, source.read(name))
                continue
            xml = edit(source.read(name).decode("utf-8")).encode("utf-8")
            head, end = xml.rsplit(b"</worksheet>", 1)
            with target.open(name, "w", force_zip64=True) as part:
                part.write(head)
                for start in range(0, padding, 1 << 20):
                    part.write(b" " * min(1 << 20, padding - start))
                part.write(b"</worksheet>" + end)
    return out.getvalue()


def set_dimension(ref: str | None) -> Callable[[str], str]:
    """Rewrite the sheet's <dimension> tag to ``ref`` (None: remove it)."""
    tag = f'<dimension ref="{ref}"/>' if ref else ""
    return lambda xml: re.sub(r"<dimension [^>]*/>", tag, xml, count=1)


def add_merged(ref: str) -> Callable[[str], str]:
    """Add a merged range without openpyxl (which would make a cell for each one it covers)."""
    merged = f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'
    return lambda xml: xml.replace("</sheetData>", "</sheetData>" + merged, 1)


def assert_names_the_cell(error: LadderError, says: str, row: int, column: int) -> None:
    problem = error.problems[0]
    assert problem.source == "far.xlsx [Ladder]"
    assert says in problem.message and ALLOWED in problem.message
    assert (problem.row, problem.column) == (row, column)
    assert "delete the stray cells beyond column ZZ and below row 2,000" in problem.hint
    assert "or copy the ladder to a new sheet" in problem.hint


def test_sheet_limits_leave_room_for_the_largest_ladder_in_either_orientation() -> None:
    from skillgrid.importers.options import MAX_LEVELS, MAX_TRACKS

    largest = max(MAX_LEVELS, MAX_TRACKS) + 1  # the labels take a column (or a row)
    assert largest <= MAX_SHEET_COLUMNS and largest <= MAX_SHEET_ROWS
    assert (MAX_LEVELS + 1) * (MAX_TRACKS + 1) < MAX_SHEET_CELLS
    assert (MAX_SHEET_COLUMNS, MAX_SHEET_ROWS) == (702, 2000)  # ALLOWED says A1:ZZ2000


@pytest.mark.parametrize(
    ("cell", "corner", "row", "column"),
    [
        ("ALL2000", "ALL2000", 2000, 1000),
        ("A1048576", "C1048576", 1048576, 3),
        ("XFD1", "XFD3", 3, 16384),
        ("XFD1048576", "XFD1048576", 1048576, 16384),
    ],
)
def test_xlsx_with_a_far_cell_is_refused_before_its_cells_are_walked(
    seed_workbook_calls: int, cell: str, corner: str, row: int, column: int
) -> None:
    """The sheet's <dimension> (A1 to the far corner, as Excel and openpyxl write it) is
    enough to refuse it; the place named is that corner."""
    error = refused_within(seed_workbook_calls, workbook(cell), "far.xlsx")
    assert_names_the_cell(
        error, f"its cells reach {corner} (its dimension is A1:{corner})", row, column
    )


def test_xlsx_whose_dimension_tag_lies_is_refused_by_the_cell_it_holds(
    seed_workbook_calls: int,
) -> None:
    data = workbook("ZZ5000", edit=set_dimension("A1:B2"))
    error = refused_within(seed_workbook_calls, data, "far.xlsx")
    assert_names_the_cell(error, "a cell at ZZ5000", 5000, 702)


def test_xlsx_without_a_dimension_tag_is_refused_by_the_cell_it_holds(
    seed_workbook_calls: int,
) -> None:
    data = workbook("XFD1048576", edit=set_dimension(None))
    error = refused_within(seed_workbook_calls, data, "far.xlsx")
    assert_names_the_cell(error, "a cell at XFD1048576", 1048576, 16384)


def test_xlsx_with_merged_cells_reaching_far_is_refused_before_they_are_expanded(
    seed_workbook_calls: int,
) -> None:
    data = workbook(edit=add_merged("B5:XFD1048576"))
    error = refused_within(seed_workbook_calls, data, "far.xlsx")
    problem = error.problems[0]
    assert f"merged cells B5:XFD1048576 reach {ALLOWED}" in problem.message
    assert (problem.source, problem.row, problem.column) == ("far.xlsx [Ladder]", 5, 2)
    assert "unmerge them" in problem.hint


def test_xlsx_that_unpacks_past_the_limit_is_refused_before_it_is_unpacked(
    seed_workbook_calls: int,
) -> None:
    # 50 MB of spaces inside the sheet XML pack into about 50 KB
    data = workbook(padding=MAX_UNZIPPED_BYTES + 1)
    assert len(data) < 1_000_000
    error = refused_within(seed_workbook_calls, data, "bomb.xlsx")
    problem = error.problems[0]
    assert problem.source == "bomb.xlsx"
    assert re.search(
        rf"unpacks to [\d,]+ bytes; the limit is {MAX_UNZIPPED_BYTES:,}", problem.message
    )
    assert "copy the ladder sheet into a new workbook" in problem.hint


def test_xlsx_with_more_cells_than_the_largest_ladder_is_refused_before_they_are_read() -> None:
    """Cells within A1:ZZ2000 still cost openpyxl about 8 µs each: a dense sheet is refused
    past the cells of the largest ladder, by counting them, not by reading their values."""
    from openpyxl.utils import get_column_letter

    width = 200
    letters = [get_column_letter(c) for c in range(1, width + 1)]
    more = MAX_SHEET_CELLS // width + 1  # rows of 200 empty cells that keep a format

    def fill(xml: str) -> str:
        rows = "".join(
            f'<row r="{r}">' + "".join(f'<c r="{x}{r}" s="0"/>' for x in letters) + "</row>"
            for r in range(4, 4 + more)
        )
        return xml.replace("</sheetData>", rows + "</sheetData>", 1)

    with pytest.raises(LadderError) as refused:
        read_ladder(workbook(edit=fill), "dense.xlsx")
    problem = refused.value.problems[0]
    assert f"the sheet holds more than {MAX_SHEET_CELLS:,} cells" in problem.message
    assert problem.source == "dense.xlsx [Ladder]" and problem.row is not None
    assert "formatted" in problem.hint and "copy the ladder to a new sheet" in problem.hint


def test_xlsx_reaching_the_last_allowed_row_and_column_still_reads() -> None:
    """Formatting left on empty cells (as a range formatted down to row 2000) is no ladder
    content and no reason to refuse."""
    result = read_ladder(workbook("ZZ2000", styled_only=True), "edge.xlsx")
    assert [c.text for c in result.framework.criteria] == [
        "Runs it.",
        "Scales it.",
        "Writes it.",
        "Designs it.",
    ]


def test_xlsx_with_more_tracks_than_allowed_is_refused_as_a_tsv_would_be(tmp_path: Any) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Level", *[f"Skill {i:03}" for i in range(1, 502)]])
    sheet.append([1, *["Knows it." for _ in range(501)]])
    saved = io.BytesIO()
    book.save(saved)
    with pytest.raises(LadderError, match="501 tracks; the limit is 500"):
        read_ladder(saved.getvalue(), "wide.xlsx")


def test_a_far_cell_on_another_sheet_does_not_refuse_the_ladder_sheet() -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook()))
    book.create_sheet("Notes")["XFD1048576"] = "far away"
    saved = io.BytesIO()
    book.save(saved)
    result = read_ladder(saved.getvalue(), "book.xlsx")
    assert len(result.framework.criteria) == 4


# --- JSON and YAML ------------------------------------------------------------------------


def test_json_nested_past_the_limit_is_refused_at_the_bracket_that_crosses_it() -> None:
    text = '{"name": "x",\n "levels": ' + "[" * 100_000
    with pytest.raises(LadderError) as refused:
        read_ladder(text.encode(), "deep.json")
    problem = refused.value.problems[0]
    assert f"nested more than {MAX_NESTING} levels deep" in problem.message
    assert (problem.source, problem.row, problem.column) == ("deep.json", 2, 12 + MAX_NESTING - 1)
    assert "brackets" in problem.hint


def test_brackets_inside_json_strings_do_not_count_as_nesting() -> None:
    text = '{"name": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"[[[[[[[[["'
    with pytest.raises(LadderError) as refused:
        read_ladder(text.encode(), "brackets.json")
    assert "nested more than" not in str(refused.value)


@pytest.mark.parametrize(
    ("text", "row", "column"),
    [
        ("levels: " + "[" * 100_000, 1, 9 + MAX_NESTING - 1),
        ("".join(f"{'  ' * i}k{i}:\n" for i in range(100)) + "  " * 100 + "x: 1\n", 33, 65),
    ],
    ids=["flow", "block"],
)
def test_yaml_nested_past_the_limit_is_refused_at_the_collection_that_crosses_it(
    text: str, row: int, column: int
) -> None:
    with pytest.raises(LadderError) as refused:
        read_ladder(text.encode(), "deep.yaml")
    problem = refused.value.problems[0]
    assert f"nested more than {MAX_NESTING} levels deep" in problem.message
    assert (problem.source, problem.row, problem.column) == ("deep.yaml", row, column)


def test_nesting_up_to_the_limit_is_left_to_the_schema() -> None:
    deep = "[" * (MAX_NESTING - 1) + "]" * (MAX_NESTING - 1)
    text = '{"name": "x", "tracks": [], "criteria": [], "levels": ' + deep + "}"
    with pytest.raises(LadderError) as refused:
        read_ladder(text.encode(), "deep.json")
    assert "nested more than" not in str(refused.value)
    assert "at levels[0]: [" in str(refused.value)  # the schema's word on it


def laughs(levels: int = 6) -> str:
    """The "billion laughs", cut to a million: each line repeats the one before ten times.
    A million is far past the limit, yet small enough that without the limit the read ends
    (with some other error) in about a second, so the test fails instead of hanging: that
    work would be done inside single C calls (repr of the expanded lists), unseen by the
    call count."""
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


def test_yaml_aliases_that_expand_past_the_limit_are_refused_before_the_document_is_used(
    seed_yaml_calls: int,
) -> None:
    text = "name: lol\n" + laughs() + "levels: *l5\ntracks: *l5\ncriteria: *l5\n"
    error = refused_within(seed_yaml_calls, text.encode(), "laughs.yaml")
    problem = error.problems[0]
    assert f"aliases (*name) repeat more than {MAX_ALIASED_VALUES:,} values" in problem.message
    # l3 (line 5) is where the aliases pass 10,000 values in all: l1 repeats 110, l2 1,110
    assert (problem.source, problem.row) == ("laughs.yaml", 5)
    assert "write the values out" in problem.hint


def test_yaml_alias_inside_the_value_it_names_is_refused() -> None:
    with pytest.raises(LadderError) as refused:
        read_ladder(b"name: x\nlevels: &loop [*loop]\ntracks: []\ncriteria: []\n", "loop.yaml")
    problem = refused.value.problems[0]
    assert "the alias *loop is used inside the value it names" in problem.message
    assert (problem.source, problem.row, problem.column) == ("loop.yaml", 2, 16)


def test_a_few_yaml_aliases_still_read() -> None:
    text = b"""title: Ops
levels:
  - {number: 1, title: &first Starter}
  - {number: 2}
tracks:
  - {key: OPS, name: Ops, description: &same Keeps it running}
  - {key: DEV, name: Dev, description: *same}
criteria:
  - {track: OPS, level: 1, text: &runs Runs it.}
  - {track: DEV, level: 2, text: *runs}
  - {track: DEV, level: 1, text: *first}
"""
    framework = read_ladder(text, "ok.yaml").framework
    assert [c.text for c in framework.criteria] == ["Runs it.", "Starter", "Runs it."]


@pytest.mark.parametrize("kind", ["targets", "assessment"])
@pytest.mark.parametrize(
    ("document", "says"),
    [
        ("[" * 100_000, f"nested more than {MAX_NESTING} levels deep"),
        (laughs(), "aliases (*name) repeat more than"),
    ],
    ids=["deep", "laughs"],
)
def test_targets_and_assessment_files_have_the_same_limits(
    kind: str, document: str, says: str
) -> None:
    from skillgrid.importers.ratings import read_assessment_yaml
    from skillgrid.importers.targets import read_targets

    readers: dict[str, Callable[[bytes], object]] = {
        "targets": lambda data: read_targets(data, "team.yaml"),
        "assessment": lambda data: read_assessment_yaml(data, "team.yaml", ["OPS.1.1"]),
    }
    with pytest.raises(InputError) as refused:
        readers[kind](document.encode())
    problem = refused.value.problems[0]
    assert says in problem.message and problem.source == "team.yaml" and problem.row is not None
