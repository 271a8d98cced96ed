"""Markdown export: one pipe table, items joined by ``<br>``, pipes escaped."""

from __future__ import annotations

from skillgrid.domain.framework import Framework
from skillgrid.exporters.table import table_rows


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def write_markdown(framework: Framework) -> bytes:
    rows = table_rows(framework)
    lines: list[str] = []
    if framework.title:
        lines += [escape(rows[0][0]), ""]
        rows = rows[2:]
    header, *body = rows
    lines.append("| " + " | ".join(escape(cell) for cell in header) + " |")
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(escape(cell) for cell in row) + " |" for row in body]
    return ("\n".join(lines) + "\n").encode("utf-8")
