"""Markdown export: one pipe table, items joined by ``<br>``, pipes escaped."""

from __future__ import annotations

from collections.abc import Iterable

from skillgrid.domain.framework import Framework
from skillgrid.exporters.table import table_rows
from skillgrid.markdown_labels import protected_label


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def table_row(cells: Iterable[str]) -> str:
    """One row of a pipe table, each cell escaped so that it stays one cell."""
    return "| " + " | ".join(escape(cell) for cell in cells) + " |"


def write_markdown(framework: Framework) -> bytes:
    rows = table_rows(framework)
    lines: list[str] = []
    if framework.title:
        lines += ["# " + escape(rows[0][0]), ""]  # a heading: read as the title, never as markup
        rows = rows[2:]
    header, *body = rows
    lines.append(table_row(map(protected_label, header)))
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += [table_row([protected_label(label), *cells]) for label, *cells in body]
    return ("\n".join(lines) + "\n").encode("utf-8")
