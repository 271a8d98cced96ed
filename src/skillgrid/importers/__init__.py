"""Read a ladder file of any supported format into a domain Framework (or precise errors)."""

from __future__ import annotations

from pathlib import PurePath

from skillgrid.domain.errors import LadderError, Problem
from skillgrid.importers.options import (
    MAX_FILE_BYTES,
    Format,
    ImportOptions,
    ImportResult,
    Orientation,
)

__all__ = ["Format", "ImportOptions", "ImportResult", "Orientation", "detect_format", "read_ladder"]

_EXTENSIONS = {
    ".tsv": Format.TSV,
    ".tab": Format.TSV,
    ".csv": Format.CSV,
    ".xlsx": Format.XLSX,
    ".xlsm": Format.XLSX,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".yaml": Format.YAML,
    ".yml": Format.YAML,
    ".json": Format.JSON,
}
_UNSUPPORTED = {
    ".xls": "the old Excel format: save it as .xlsx (Excel workbook)",
    ".ods": "OpenDocument: save it as .xlsx or export it as CSV",
    ".numbers": "Apple Numbers: export it as .xlsx or CSV",
    ".docx": "a Word document: put the ladder in a spreadsheet or Markdown table",
    ".pdf": "a PDF: copy the table into a spreadsheet and save it as .xlsx or CSV",
    ".doc": "a Word document: put the ladder in a spreadsheet or Markdown table",
    ".rtf": "rich text: put the ladder in a spreadsheet or Markdown table",
    ".html": "a web page: copy the table into a spreadsheet and save it as .xlsx or CSV",
    ".htm": "a web page: copy the table into a spreadsheet and save it as .xlsx or CSV",
    **dict.fromkeys(
        (".js", ".mjs", ".ts", ".jsx", ".tsx", ".py", ".rb"),
        "program code: export the ladder it holds as a table (CSV, XLSX or Markdown)",
    ),
}
SUPPORTED = "tsv, csv, xlsx, md, yaml or json"


def detect_format(source: str, data: bytes) -> Format:
    """The format from the file's extension, else from its content."""
    suffix = PurePath(source).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if suffix in _UNSUPPORTED:
        raise _unsupported(source, f"{suffix} is {_UNSUPPORTED[suffix]}")
    sniffed = _sniff(data)
    if sniffed is None:
        raise _unsupported(source, "cannot tell the format from the name or the content")
    return sniffed


def read_ladder(data: bytes, source: str, options: ImportOptions | None = None) -> ImportResult:
    """Read ``data`` (named ``source`` in messages) into a Framework; raise LadderError."""
    options = options or ImportOptions()
    if len(data) > MAX_FILE_BYTES:
        raise LadderError(
            [
                Problem(
                    f"the file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                    "a ladder is a few hundred kilobytes at most: is this the right file?",
                    source,
                )
            ]
        )
    file_format = options.format or detect_format(source, data)
    if options.sheet is not None and file_format is not Format.XLSX:
        raise LadderError(
            [
                Problem(
                    f"--sheet {options.sheet!r} was given, but this is a {file_format.value} file",
                    "--sheet chooses a worksheet of an XLSX workbook: leave it out",
                    source,
                )
            ]
        )
    if file_format in (Format.TSV, Format.CSV):
        from skillgrid.importers.delimited import read_delimited

        return read_delimited(data, source, file_format, options)
    if file_format is Format.MARKDOWN:
        from skillgrid.importers.markdown import read_markdown

        return read_markdown(data, source, options)
    if file_format is Format.XLSX:
        from skillgrid.importers.xlsx import read_xlsx

        return read_xlsx(data, source, options)
    from skillgrid.importers.native import read_native

    return read_native(data, source, file_format, options)


def _sniff(data: bytes) -> Format | None:
    if data.startswith(b"PK\x03\x04"):
        return Format.XLSX
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        return Format.CSV  # empty: let the table reader say so
    if head.startswith(b"{\\rtf"):
        return None
    if head[:1] in (b"{", b"[") and head[1:].lstrip()[:1] in (b'"', b"}", b"]", b"{", b""):
        return Format.JSON
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    if any(line.startswith(b"|") for line in lines):
        return Format.MARKDOWN
    if any(b"\t" in line for line in lines):
        return Format.TSV
    if any(line.split(b":")[0] in (b"levels", b"tracks", b"criteria", b"title") for line in lines):
        return Format.YAML
    if any(b"," in line or b";" in line for line in lines):
        return Format.CSV
    return None


def _unsupported(source: str, why: str) -> LadderError:
    return LadderError(
        [Problem(f"unsupported format: {why}", f"give a {SUPPORTED} file, or say --format", source)]
    )
