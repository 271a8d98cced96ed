"""TSV and CSV ladders: BOM, CRLF, quoted cells with line breaks, trailing delimiters."""

from __future__ import annotations

import csv
import io

from skillgrid.domain.errors import LadderError, Problem
from skillgrid.importers.grid import GridRow, build_from_grid
from skillgrid.importers.options import Format, ImportOptions, ImportResult
from skillgrid.importers.text import decode

csv.field_size_limit(1 << 24)


def read_delimited(
    data: bytes, source: str, file_format: Format, options: ImportOptions
) -> ImportResult:
    """Read a TSV (tab) or CSV (comma, or semicolon as some spreadsheets write) ladder."""
    text = decode(data, source, options.encoding)
    delimiter = "\t" if file_format is Format.TSV else _csv_delimiter(text)
    rows = parse_rows(text, delimiter, source)
    return build_from_grid(rows, source, file_format, options)


def parse_rows(text: str, delimiter: str, source: str) -> list[GridRow]:
    """Rows with the line each starts on; a quote left open is an error, not a long cell."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[GridRow] = []
    line = 1
    try:
        for record in reader:
            rows.append(GridRow(line, tuple(record)))
            line = reader.line_num + 1
    except csv.Error as error:
        hint = (
            'close the quote, or double a quote that is part of the text ("")'
            if "quote" in str(error) or "end of data" in str(error)
            else "check that this is a text file saved as CSV/TSV"
        )
        raise LadderError([Problem(f"cannot read the row: {error}", hint, source, line)]) from None
    return rows


def _csv_delimiter(text: str) -> str:
    """Comma, unless the header line plainly uses semicolons (spreadsheets in many locales)."""
    for line in text.splitlines():
        if line.strip(" ,;\t"):
            return ";" if line.count(";") > line.count(",") else ","
    return ","
