"""What a workbook holds, measured before any cell is read: the size it unpacks to, and how
far a worksheet reaches (its declared ``<dimension>``, its cells, its merged ranges).

The sheet's XML is read as a stream that stops at the first cell past the limits, so a small
file naming a far cell (XFD1048576) is refused for the cost of reading it, where walking
its grid would cost billions of empty cells. Parts are found the way the Open Packaging
Conventions say (``_rels/.rels`` → workbook → its sheets), with the standard library only.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from skillgrid.domain.errors import LadderError, Problem
from skillgrid.importers.options import (
    MAX_SHEET_CELLS,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_UNZIPPED_BYTES,
)

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_OFFICE_DOCUMENT = "/officeDocument"  # the end of the package relationship's Type
_SHEET_DATA, _ROW, _CELL = f"{_MAIN}sheetData", f"{_MAIN}row", f"{_MAIN}c"
_DIMENSION, _MERGED = f"{_MAIN}dimension", f"{_MAIN}mergeCell"


@dataclass(frozen=True)
class Extent:
    """How far a sheet reaches (0 × 0 when it has no cell), and its merged ranges
    (openpyxl ``CellRange``s, in the order the sheet lists them)."""

    rows: int
    columns: int
    merged: tuple[Any, ...]


def check_unpacked_size(archive: zipfile.ZipFile, source: str) -> None:
    """Refuse a workbook whose parts together unpack past the limit (a "zip bomb"); the sizes
    are the zip directory's, which the reader holds each part to."""
    total = sum(info.file_size for info in archive.infolist())
    if total > MAX_UNZIPPED_BYTES:
        raise LadderError(
            [
                Problem(
                    f"the workbook unpacks to {total:,} bytes; the limit is {MAX_UNZIPPED_BYTES:,}",
                    "a ladder workbook unpacks to well under a megabyte: copy the ladder sheet "
                    "into a new workbook (or save it as CSV) and import that",
                    source,
                )
            ]
        )


def sheet_extent(archive: zipfile.ZipFile, title: str, where: str) -> Extent:
    """The extent of the sheet named ``title``; raise LadderError (located in ``where``) at
    the first cell, declared dimension or merged range outside the part a ladder may use,
    or at the first cell past the count the largest ladder needs."""
    measure = _Measure(where)
    sheet_data = None
    with archive.open(_sheet_part(archive, title)) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            if event == "start":
                if element.tag == _SHEET_DATA:
                    sheet_data = element
            elif element.tag == _ROW:
                measure.row(element)
                if sheet_data is not None:
                    sheet_data.clear()  # rows read are let go: memory stays flat
            elif element.tag == _DIMENSION:
                measure.dimension(element.get("ref"))
            elif element.tag == _MERGED:
                measure.merged_range(element.get("ref"))
    return Extent(measure.rows, measure.columns, tuple(measure.merged))


class _Measure:
    """How far the sheet reaches so far, as its parts are read in order."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.rows = self.columns = self.cells = self.row_number = 0
        self.merged: list[Any] = []

    def row(self, element: ElementTree.Element) -> None:
        """A <row> and its cells (each names its place, or follows the one before)."""
        from openpyxl.utils.cell import coordinate_to_tuple

        self.row_number = int(element.get("r") or self.row_number + 1)
        column = 0
        for cell in element.iterfind(_CELL):
            ref = cell.get("r")
            row, column = coordinate_to_tuple(ref) if ref else (self.row_number, column + 1)
            if row > MAX_SHEET_ROWS or column > MAX_SHEET_COLUMNS:
                found = f"the sheet has a cell at {ref or _reference(row, column)},"
                raise _outside(found, self.where, row, column)
            self.rows, self.columns = max(self.rows, row), max(self.columns, column)
            self.cells += 1
            if self.cells > MAX_SHEET_CELLS:
                raise _too_many_cells(self.where, row, column)

    def dimension(self, ref: str | None) -> None:
        """The <dimension> the sheet declares (A1 to its last cell, as Excel writes it)."""
        declared = _span(ref)
        if _reaches_out(declared):
            corner = _reference(declared.max_row, declared.max_col)
            found = f"the sheet says its cells reach {corner} (its dimension is {declared.coord}),"
            raise _outside(found, self.where, declared.max_row, declared.max_col)

    def merged_range(self, ref: str | None) -> None:
        span = _span(ref)
        if _reaches_out(span):
            found = f"merged cells {span.coord} reach"
            raise _outside(found, self.where, span.min_row, span.min_col, merged=True)
        self.merged.append(span)
        self.rows, self.columns = max(self.rows, span.max_row), max(self.columns, span.max_col)


def _span(ref: str | None) -> Any:
    from openpyxl.worksheet.cell_range import CellRange

    return CellRange(ref)


def _reaches_out(span: Any) -> bool:
    return bool(span.max_row > MAX_SHEET_ROWS or span.max_col > MAX_SHEET_COLUMNS)


def _outside(found: str, where: str, row: int, column: int, merged: bool = False) -> LadderError:
    last_column = _reference(None, MAX_SHEET_COLUMNS)
    return LadderError(
        [
            Problem(
                f"{found} outside A1:{last_column}{MAX_SHEET_ROWS}, the part of a sheet a "
                "ladder may use",
                ("unmerge them, " if merged else "")
                + f"delete the stray cells beyond column {last_column} and below row "
                f"{MAX_SHEET_ROWS:,} (Ctrl+End goes to the last one), or copy the ladder to a "
                "new sheet",
                where,
                row,
                column,
            )
        ]
    )


def _too_many_cells(where: str, row: int, column: int) -> LadderError:
    return LadderError(
        [
            Problem(
                f"the sheet holds more than {MAX_SHEET_CELLS:,} cells, more than the largest "
                "ladder has",
                "delete the cells around the ladder that are not part of it (cleared cells "
                "that are still formatted count too), or copy the ladder to a new sheet",
                where,
                row,
                column,
            )
        ]
    )


def _reference(row: int | None, column: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    letters: str = get_column_letter(column)
    return letters + ("" if row is None else str(row))


def _sheet_part(archive: zipfile.ZipFile, title: str) -> str:
    """The zip member holding the worksheet named ``title``."""
    package = _relationships(archive, "")
    workbook = next(
        (target for kind, target in package.values() if kind.endswith(_OFFICE_DOCUMENT)),
        "xl/workbook.xml",
    )
    sheets = _relationships(archive, workbook)
    for sheet in ElementTree.fromstring(archive.read(workbook)).iter(f"{_MAIN}sheet"):
        if sheet.get("name") == title:
            return sheets[sheet.get(_RELATIONSHIP_ID, "")][1]
    raise KeyError(f"no part for sheet {title!r}")


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, zip member) from the ``.rels`` of ``part`` ("": the package)."""
    folder, name = posixpath.split(part)
    root = ElementTree.fromstring(archive.read(posixpath.join(folder, "_rels", f"{name}.rels")))
    found = {}
    for relationship in root:
        target = relationship.get("Target", "")
        member = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        found[relationship.get("Id", "")] = (
            relationship.get("Type", ""),
            posixpath.normpath(member),
        )
    return found
