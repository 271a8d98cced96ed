"""Real ladders, in the shapes companies keep them, import with every criterion exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillgrid.domain.errors import LadderError
from skillgrid.importers import read_ladder
from tests.conftest import DATA

LADDERS = sorted(
    path
    for path in (DATA / "ladders").iterdir()
    if path.suffix in {".csv", ".tsv", ".md", ".xlsx", ".yaml", ".json"}
    and not path.name.endswith(".expected.json")
)


def test_seed_gives_90_criteria_and_4_empty_cells_exactly_as_written(seed_bytes: bytes) -> None:
    result = read_ladder(seed_bytes, "sre-matrix.tsv")
    framework = result.framework
    assert framework.title == "Site Reliability Engineering (SRE)"
    assert len(framework.levels) == 6
    assert [t.name for t in framework.tracks] == [
        "Product Output",
        "Communication/Writing",
        "Networking",
        "Security",
        "Systems Engineering",
        "Site Reliability Engineering (SRE)",
    ]
    assert len(framework.criteria) == 90
    empty = {(t.name, lv.number) for t, lv in framework.empty_cells()}
    assert empty == {
        ("Systems Engineering", 1),
        ("Networking", 6),
        ("Security", 6),
        ("Site Reliability Engineering (SRE)", 6),
    }
    sre2 = [c.text for c in framework.cell("SRE", 2)]
    assert (
        "Uses Cloud native metrics, monitor, and alerting stacks (Cloud-Watch, Prometheus, Grafana)"
        in sre2
    )
    assert "Is a member of on-call rotation and can resolve issues outlined in runbooks." in sre2
    assert "Can utilize Mandatory Access Control (MAC) systems like as SELinux or AppArmor." in [
        c.text for c in framework.cell("SEC", 3)
    ]


def test_every_seed_criterion_is_a_verbatim_piece_of_its_cell(seed_bytes: bytes) -> None:
    rows = [line.split("\t") for line in seed_bytes.decode().splitlines()[5:]]
    framework = read_ladder(seed_bytes, "sre.tsv").framework
    for track, level, items in framework.cells():
        raw = rows[level.number - 1][framework.tracks.index(track) + 1]
        rebuilt = raw
        for criterion in items:
            assert criterion.text in rebuilt
            rebuilt = rebuilt.replace(criterion.text, "", 1)
        assert rebuilt.strip() == "", (track.key, level.number, rebuilt)


# Ladders in shapes the importer was not written against (tests/data/ladders/unseen/README.md);
# the ones it cannot read yet have no .expected.json.
UNSEEN = sorted(
    path
    for path in (DATA / "ladders" / "unseen").iterdir()
    if path.with_name(path.stem + ".expected.json").exists() and path.suffix != ".json"
)


@pytest.mark.parametrize("path", LADDERS + UNSEEN, ids=lambda p: p.name)
def test_public_ladder_imports_every_criterion_exactly(path: Path) -> None:
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
    result = read_ladder(path.read_bytes(), path.name)
    framework = result.framework
    assert result.levels_as == expected["levels_as"]
    assert framework.title == expected["title"]
    assert [lv.label for lv in framework.levels] == expected["levels"]
    assert [t.name for t in framework.tracks] == expected["tracks"]
    described = {t.name: t.description for t in framework.tracks if t.description}
    assert described == expected.get("descriptions", {})
    assert len(result.warnings) == expected.get("warnings", len(result.warnings))
    for track in framework.tracks:
        cells = expected["cells"].get(track.name, {})
        for level in framework.levels:
            got = [c.text for c in framework.cell(track.key, level.number)]
            assert got == cells.get(str(level.number), []), (track.name, level.number)


def test_public_ladders_cover_the_shapes_companies_keep() -> None:
    suffixes = {path.suffix for path in LADDERS}
    assert {".csv", ".md", ".xlsx"} <= suffixes
    orientations = {
        json.loads(p.with_name(p.stem + ".expected.json").read_text("utf-8"))["levels_as"]
        for p in LADDERS
    }
    assert orientations == {"rows", "columns"}


def _workbook(path: Path, sheets: list[tuple[str, list[list[object]], str]], active: int) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows, state in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = state
    book.active = active
    book.save(path)
    return path.read_bytes()


def test_xlsx_reads_the_sheet_it_opens_on_not_a_hidden_one(tmp_path: Path) -> None:
    data = _workbook(
        tmp_path / "book.xlsx",
        [
            ("Old v1", [["Level", "Ops"], [1, "old"]], "hidden"),
            ("Ladder", [["Level", "Ops"], [1, "new"]], "visible"),
        ],
        active=1,
    )
    assert [c.text for c in read_ladder(data, "book.xlsx").framework.criteria] == ["new"]


def test_xlsx_error_on_the_first_sheet_points_to_the_others(tmp_path: Path) -> None:
    from skillgrid.domain.errors import LadderError

    data = _workbook(
        tmp_path / "book.xlsx",
        [
            ("README", [["How to read this ladder"], ["Rows", "are levels"]], "visible"),
            ("Ladder", [["Level", "Ops"], [1, "a"]], "visible"),
        ],
        active=0,
    )
    with pytest.raises(LadderError, match="also has 'Ladder' — if the ladder is on another sheet"):
        read_ladder(data, "book.xlsx")


def test_xlsx_opening_on_a_notes_sheet_reads_the_first_sheet_with_a_table(tmp_path: Path) -> None:
    data = _workbook(
        tmp_path / "book.xlsx",
        [
            ("Read me", [["How to use this ladder"], ["Levels are cumulative."]], "visible"),
            ("Old", [["Level", "Ops"], [1, "old"]], "hidden"),
            ("Matrix", [["Level", "Ops"], [1, "Runs it"]], "visible"),
        ],
        active=0,
    )
    result = read_ladder(data, "book.xlsx")
    assert [c.text for c in result.framework.criteria] == ["Runs it"]
    assert any("'Read me'" in w and "'Matrix'" in w and "--sheet" in w for w in result.warnings)


def test_xlsx_spacer_column_between_labels_and_levels_is_skipped(tmp_path: Path) -> None:
    data = _workbook(
        tmp_path / "book.xlsx",
        [("Matrix", [["Competency", None, "L1", "L2"], ["Craft", None, "a", "b"]], "visible")],
        active=0,
    )
    framework = read_ladder(data, "book.xlsx").framework
    assert [lv.title for lv in framework.levels] == ["L1", "L2"]
    assert [c.text for c in framework.criteria] == ["a", "b"]


def test_a_category_merged_down_the_first_column_is_set_aside_and_named() -> None:
    path = DATA / "ladders" / "unseen" / "acme_sub_competencies.xlsx"
    result = read_ladder(path.read_bytes(), path.name)
    assert [t.name for t in result.framework.tracks][:2] == ["Code quality", "System design"]
    (warning,) = result.warnings
    assert "column 1 (Category: 'Technical', 'People')" in warning
    assert "'Group: track'" in warning


def test_a_title_in_the_category_column_stays_the_title(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Acme ladder"], [], *GROUPED]
    data = _merged(tmp_path / "book.xlsx", rows, "A1:D1", "A4:A5")
    result = read_ladder(data, "book.xlsx")
    assert result.framework.title == "Acme ladder"
    assert [t.name for t in result.framework.tracks] == ["Code quality", "Operations"]


def _merged(path: Path, rows: list[list[object]], *ranges: str) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    for merged in ranges:
        book.active.merge_cells(merged)
    book.save(path)
    return path.read_bytes()


GROUPED = [
    ["Category", "Competency", "IC1", "IC2"],
    ["Technical", "Code quality", "Writes tested code", "Raises the bar"],
    [None, "Operations", "Joins on-call", "Runs incidents"],
]


@pytest.mark.parametrize(
    ("rows", "ranges", "refused"),
    [
        # another merge in the table: nothing is set aside, both are refused
        (GROUPED, ("A2:A3", "D2:D3"), ["A2:A3", "D2:D3"]),
        # the next column holds criteria (a level), not each row's track
        (
            [["Track", "IC1", "IC2"], ["Technical", "Writes code", "Leads"], [None, "Tests", "-"]],
            ("A2:A3",),
            ["A2:A3"],
        ),
        # a row of the group names no track in the next column
        ([*GROUPED[:2], [None, None, "Joins on-call", "Runs incidents"]], ("A2:A3",), ["A2:A3"]),
        # a level merged over rows of criteria, not a category over tracks
        (
            [["Level", "Delivery", "Ops"], ["L1", "Ships", "Watches"], [None, "Tests", "Fixes"]],
            ("A2:A3",),
            ["A2:A3"],
        ),
    ],
)
def test_other_merged_cells_are_still_refused_where_they_are(
    tmp_path: Path, rows: list[list[object]], ranges: tuple[str, ...], refused: list[str]
) -> None:
    from skillgrid.domain.errors import LadderError

    data = _merged(tmp_path / "book.xlsx", rows, *ranges)
    with pytest.raises(LadderError) as caught:
        read_ladder(data, "book.xlsx")
    messages = sorted(problem.message for problem in caught.value.problems)
    assert messages == [f"merged cells {where} in the table" for where in refused]


def test_program_code_is_refused_as_code_not_read_as_markdown() -> None:
    with pytest.raises(LadderError) as caught:
        read_ladder(b"export const tracks = {\n  MOBILE: {}\n}\n", "constants.js")
    assert "program code" in caught.value.problems[0].message
