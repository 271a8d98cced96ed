"""Cells of exported spreadsheets are never formulas (CSV/formula injection, issue #13).

A spreadsheet runs a CSV or TSV cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula, so a criterion, a person's name or a comment written as
``=HYPERLINK(…)`` would become a live link or worse. Every delimited writer passes its cells
through :func:`escape_formula`, which writes such text behind a leading ``'`` (the prefix
spreadsheets read as "this is text"); text already starting with quotes before a trigger gets
one more, so the delimited reader's :func:`unescape_formula` takes exactly one off and every
export reads back as written. XLSX cells are typed, so there :func:`store_as_text` only keeps
openpyxl from turning text that starts with ``=`` into a formula.

Standard library only: exporters, importers, reports and services all use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes as the start of a formula."""

T = TypeVar("T")


def escape_formula(value: T) -> T | str:
    """Text that would start a formula, behind one more ``'``; anything else (numbers too)
    as it is: ``=SUM(A1)`` → ``'=SUM(A1)``, ``'=x`` → ``''=x``, ``-0.75`` (a number) stays."""
    if isinstance(value, str) and value.lstrip("'").startswith(TRIGGERS):
        return "'" + value
    return value


def unescape_formula(text: str) -> str:
    """Undo :func:`escape_formula`: one ``'`` off a cell that then starts with quotes and a
    trigger (a cell a spreadsheet wrote as ``'=x`` reads as ``=x``); any other text as it is."""
    if text.startswith("'") and text[1:].lstrip("'").startswith(TRIGGERS):
        return text[1:]
    return text


def escape_row(row: Iterable[T]) -> list[T | str]:
    """A row for ``csv.writer`` with each cell through :func:`escape_formula`, its line
    breaks written as line feeds: ``csv.writer`` quotes a cell holding a line feed but not
    one holding only a carriage return, which a reader then takes for the end of the row."""
    return [escape_formula(_line_feeds(value)) for value in row]


def _line_feeds(value: T) -> T | str:
    if isinstance(value, str) and "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def store_as_text(sheet: Any) -> None:
    """Keep every text cell of an openpyxl sheet text: openpyxl stores a string starting with
    ``=`` as a formula, which the spreadsheet would then run."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
