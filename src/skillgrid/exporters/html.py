"""A self-contained HTML page of the ladder: readable, printable, a permalink per criterion."""

from __future__ import annotations

from skillgrid.domain.framework import Framework


def write_html(framework: Framework) -> bytes:
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("skillgrid.exporters", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = environment.get_template("ladder.html")
    return template.render(framework=framework).encode("utf-8")
