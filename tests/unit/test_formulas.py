"""Text cells of CSV/TSV exports never start a formula, and reading undoes exactly that."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillgrid.formulas import TRIGGERS, escape_formula, escape_row, unescape_formula


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (
            '=HYPERLINK("http://evil.example","click")',
            '\'=HYPERLINK("http://evil.example","click")',
        ),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("'=already quoted", "''=already quoted"),
        ("''+twice", "'''+twice"),
    ],
)
def test_text_starting_a_formula_gets_one_more_leading_quote(text: str, written: str) -> None:
    assert escape_formula(text) == written
    assert unescape_formula(written) == text


@pytest.mark.parametrize("text", ["plain", "", "'", "''", "'quoted", "a=b", " =x", "O'Brien"])
def test_other_text_is_written_and_read_as_it_is(text: str) -> None:
    assert escape_formula(text) == text
    assert unescape_formula(text) == text


@pytest.mark.parametrize("number", [-0.75, -3, 0, 2.5, True, None])
def test_numbers_and_other_values_stay_as_they_are(number: object) -> None:
    assert escape_formula(number) is number


def test_a_quote_written_by_hand_before_a_formula_is_read_as_the_spreadsheet_prefix() -> None:
    assert unescape_formula("'=1+1") == "=1+1"
    assert unescape_formula("'@home") == "@home"


@given(st.text(st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "a", " "]), max_size=6))
def test_writing_then_reading_gives_back_the_text_and_starts_no_formula(text: str) -> None:
    written = escape_formula(text)
    assert not written.startswith(TRIGGERS)
    assert unescape_formula(written) == text


@pytest.mark.parametrize(
    ("cell", "read"),
    [("x\ry", "x\ny"), ("a\r\nb", "a\nb"), ("a\nb", "a\nb"), ("\rlate", "\nlate")],
)
def test_a_cell_holding_a_carriage_return_stays_one_cell_of_one_row(cell: str, read: str) -> None:
    """csv.writer quotes a cell holding a line feed, not one holding only a carriage return,
    which a reader then takes for the end of the row: line breaks are written as line feeds."""
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(escape_row(["name", cell, "end"]))
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert rows == [["name", read, "end"]]
