"""Database URLs read as SQLAlchemy reads them (``make_url``), without importing it.

The pattern is SQLAlchemy's own; a test compares both readers on many URLs. ``hidden`` is
``make_url(url).render_as_string(hide_password=True)``: what messages show of a URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, quote_plus, unquote

_PATTERN = re.compile(
    r"""
        (?P<name>[\w\+]+)://
        (?:
            (?P<username>[^:/]*)
            (?::(?P<password>[^@]*))?
        @)?
        (?:
            (?:
                \[(?P<ipv6host>[^/\?]+)\] |
                (?P<ipv4host>[^/:\?]+)
            )?
            (?::(?P<port>[^/\?]*))?
        )?
        (?:/(?P<database>[^\?]*))?
        (?:\?(?P<query>.*))?
    """,
    re.X,
)


@dataclass(frozen=True)
class DatabaseURL:
    """The parts of a database URL, as SQLAlchemy's ``URL`` holds them."""

    drivername: str
    username: str | None = None
    password: str | None = None
    host: str | None = None
    port: int | None = None
    database: str | None = None
    query: tuple[tuple[str, str], ...] = ()  # in the order given; a key may repeat

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql`` (``postgres`` is an old spelling of it), …"""
        name = self.drivername.split("+")[0]
        return "postgresql" if name == "postgres" else name

    @property
    def driver(self) -> str | None:
        return self.drivername.split("+")[1] if "+" in self.drivername else None


def parse_url(text: str) -> DatabaseURL | None:
    """The parts of ``text``, or None where SQLAlchemy would refuse it (or fail on its
    port)."""
    match = _PATTERN.match(text)
    if match is None:
        return None
    parts = match.groupdict()
    port = parts["port"]
    if port is not None and not (port.isascii() and port.isdigit()):
        return None
    return DatabaseURL(
        parts["name"],
        _unquoted(parts["username"]),
        _unquoted(parts["password"]),
        parts["ipv4host"] or parts["ipv6host"],
        int(port) if port else None,
        _unquoted(parts["database"]),
        tuple(parse_qsl(parts["query"])) if parts["query"] is not None else (),
    )


def _unquoted(value: str | None) -> str | None:
    return unquote(value) if value is not None else None


def hidden(text: str) -> str:
    """The URL to show in messages: the password replaced by ``***`` (the text as given
    when it is no URL at all)."""
    url = parse_url(text)
    if url is None:
        return text
    shown = url.drivername + "://"
    if url.username is not None:
        shown += quote(url.username, safe=" +")
        if url.password is not None:
            shown += ":***"
        shown += "@"
    if url.host is not None:
        shown += f"[{url.host}]" if ":" in url.host else url.host
    if url.port is not None:
        shown += f":{url.port}"
    if url.database is not None:
        shown += "/" + quote(url.database, safe=" +/")
    if url.query:
        shown += "?" + "&".join(
            f"{quote_plus(key)}={quote_plus(value)}"
            for key in sorted({key for key, _ in url.query})
            for value in (v for k, v in url.query if k == key)
        )
    return shown
