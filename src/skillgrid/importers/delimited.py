"""TSV and CSV ladders: BOM, CRLF, quoted cells with line breaks, trailing delimiters, and
the ``'`` exports put before text that would start a formula."""

from __future__ import annotations

import csv
import io

from skillgrid.domain.errors import LadderError, Problem
from skillgrid.formulas import unescape_formula
from skillgrid.importers.grid import GridRow, build_from_grid
from skillgrid.importers.options import Format, ImportOptions, ImportResult
from skillgrid.importers.text import decode

csv.field_size_limit(1 << 24)


def read_delimited(
    data: bytes, source: str, file_format: Format, options: ImportOptions
) -> ImportResult:
    """Read a TSV (tab) or CSV (comma, or semicolon as some spreadsheets write) ladder."""
    text = decode(data, source, options.encoding)
    delimiter = "\t" if file_format is Format.TSV else csv_delimiter(text)
    rows = parse_rows(text, delimiter, source)
    return build_from_grid(rows, source, file_format, options)


def parse_rows(text: str, delimiter: str, source: str) -> list[GridRow]:
    """Rows with the line each starts on; a quote left open is an error, not a long cell.
    A cell written as ``'=x`` (as exports and spreadsheets write text that would start a
    formula) reads as ``=x``."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[GridRow] = []
    line = 1
    try:
        for record in reader:
            rows.append(GridRow(line, tuple(map(unescape_formula, record))))
            line = reader.line_num + 1
    except csv.Error as error:
        raise LadderError([_row_problem(str(error), source, line)]) from None
    return rows


def _row_problem(reason: str, source: str, line: int) -> Problem:
    if "expected after" in reason:
        return Problem(
            "a cell starts with a quote but has more text after its closing quote",
            'quote the whole cell and double each quote inside it ("""Fast"" is good"), '
            "or remove the quote at the start of the cell",
            source,
            line,
        )
    if "end of data" in reason or "EOF" in reason:
        return Problem(
            "a quoted cell is never closed: the rest of the file would run into it",
            'close the quote, or double a quote that is part of the text ("")',
            source,
            line,
        )
    hint = "check the row's quotes and delimiters"
    return Problem(f"cannot read the row: {reason}", hint, source, line)


def csv_delimiter(text: str) -> str:
    """Comma, unless the file only reads as a table with semicolons (as spreadsheets in
    many locales write them)."""
    sample = text[:65536]
    if _reads_as_table(sample, ",") or not _reads_as_table(sample, ";"):
        return ","
    return ";"


def _reads_as_table(sample: str, delimiter: str) -> bool:
    """A header of two or more cells, rows below it, and none of them wider."""
    try:
        rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
    except csv.Error:
        return False
    filled = [[i for i, cell in enumerate(row) if cell.strip()] for row in rows]
    header = next((i for i, cells in enumerate(filled) if len(cells) >= 2), None)
    if header is None:
        return False
    width = filled[header][-1] + 1
    body = [cells for cells in filled[header + 1 :] if cells]
    return bool(body) and all(cells[-1] < width for cells in body)
