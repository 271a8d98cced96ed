"""Write a Framework in any supported format; each one reads back to the same framework."""

from __future__ import annotations

from enum import StrEnum

from skillgrid.domain.framework import Framework


class ExportFormat(StrEnum):
    YAML = "yaml"
    JSON = "json"
    CSV = "csv"
    TSV = "tsv"
    MARKDOWN = "md"
    XLSX = "xlsx"
    HTML = "html"

    @property
    def is_binary(self) -> bool:
        return self is ExportFormat.XLSX

    @property
    def media_type(self) -> str:
        """The file's Content-Type (text ones are UTF-8)."""
        return _KINDS[self][1]

    @property
    def label(self) -> str:
        """What people call the format."""
        return _KINDS[self][0]


_KINDS = {  # format → label, media type
    ExportFormat.YAML: ("YAML", "application/yaml"),
    ExportFormat.JSON: ("JSON", "application/json"),
    ExportFormat.CSV: ("CSV", "text/csv"),
    ExportFormat.TSV: ("TSV", "text/tab-separated-values"),
    ExportFormat.MARKDOWN: ("Markdown", "text/markdown"),
    ExportFormat.XLSX: (
        "Excel (XLSX)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ExportFormat.HTML: ("HTML page", "text/html"),
}


def export_framework(framework: Framework, export_format: ExportFormat) -> bytes:
    """The framework as the bytes of a file in ``export_format``."""
    if export_format in (ExportFormat.CSV, ExportFormat.TSV):
        from skillgrid.exporters.delimited import write_delimited

        return write_delimited(framework, "\t" if export_format is ExportFormat.TSV else ",")
    if export_format is ExportFormat.MARKDOWN:
        from skillgrid.exporters.markdown import write_markdown

        return write_markdown(framework)
    if export_format is ExportFormat.XLSX:
        from skillgrid.exporters.xlsx import write_xlsx

        return write_xlsx(framework)
    if export_format is ExportFormat.HTML:
        from skillgrid.exporters.html import write_html

        return write_html(framework)
    from skillgrid.exporters.native import write_native

    return write_native(framework, export_format.value)
