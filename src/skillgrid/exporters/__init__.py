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
