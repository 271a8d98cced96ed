"""A self-contained HTML page of the ladder: readable, printable, a permalink per criterion."""

from __future__ import annotations

from skillgrid.domain.framework import Framework


def write_html(framework: Framework) -> bytes:
    from skillgrid.templating import environment

    template = environment("skillgrid.exporters").get_template("ladder.html")
    return template.render(framework=framework).encode("utf-8")
