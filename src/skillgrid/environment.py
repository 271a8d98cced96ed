"""The database settings read straight from the environment, as ``config.Settings`` reads
them but without pydantic-settings (about 140 ms of imports), for the read-only commands that
must start fast (``skillgrid report person``).

The reader is deliberately narrow: it accepts only values whose meaning is beyond doubt and
answers ``None`` for anything else (a value pydantic would coerce, such as ``" 5000"``, or
refuse, such as ``SKILLGRID_LOG_LEVEL=info``). The caller then falls back to ``Settings``, so
an odd environment gets exactly the behaviour and the errors it always had. A test feeds both
readers the same environments and checks they agree whenever this one answers.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

PREFIX = "skillgrid_"  # matched without regard to case, as pydantic-settings does


def default_database_url() -> str:
    """SQLite in the user's data directory (``$XDG_DATA_HOME/skillgrid/skillgrid.db``)."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return f"sqlite:///{base / 'skillgrid' / 'skillgrid.db'}"


@dataclass(frozen=True)
class DatabaseSettings:
    """What a command needs to open the database (the same names as in ``Settings``)."""

    database_url: str
    sqlite_busy_timeout_ms: int = 5000
    echo_sql: bool = False


class _Unsure(Exception):
    """A value this reader does not judge: leave it to ``Settings``."""


def _text(value: str) -> str:
    return value


def _count(value: str) -> int:
    if not (value.isascii() and value.isdigit() and len(value) <= 12):
        raise _Unsure
    return int(value)


def _count_within(low: int, high: int) -> Callable[[str], int]:
    def check(value: str) -> int:
        number = _count(value)
        if not low <= number <= high:
            raise _Unsure
        return number

    return check


def _networks(value: str) -> list[str]:
    """Comma-separated addresses or networks, as ``Settings`` splits and reads them."""
    import ipaddress

    parts = [part.strip() for part in value.split(",") if part.strip()]
    try:
        return [str(ipaddress.ip_network(part, strict=False)) for part in parts]
    except ValueError:
        raise _Unsure from None


def _flag(value: str) -> bool:
    lowered = value.lower()
    if lowered in ("0", "off", "f", "false", "n", "no"):
        return False
    if lowered in ("1", "on", "t", "true", "y", "yes"):
        return True
    raise _Unsure


def _one_of(*choices: str, upper: bool = False) -> Callable[[str], str]:
    def check(value: str) -> str:
        value = value.upper() if upper else value
        if value not in choices:
            raise _Unsure
        return value

    return check


# Every field of config.Settings and how its value is checked (a test keeps the names equal).
FIELDS: dict[str, Callable[[str], object]] = {
    "database_url": _text,
    "sqlite_busy_timeout_ms": _count,
    "echo_sql": _flag,
    "log_level": _one_of("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", upper=True),
    "log_format": _one_of("json", "text"),
    "cache_dir": _text,
    "suggestion_backend": _one_of("auto", "lexical", "embedding", "hybrid"),
    "trusted_proxies": _networks,
    "sign_in_address_limit": _count_within(1, 100_000),
    "web_threads": _count_within(1, 256),
    "response_cache_mb": _count,
}


def database_settings(environ: Mapping[str, str] | None = None) -> DatabaseSettings | None:
    """The database settings in ``environ`` (the process environment by default), or
    ``None`` when any ``SKILLGRID_*`` value is one to leave to ``config.Settings``."""
    environ = os.environ if environ is None else environ
    found: dict[str, object] = {}
    for key, value in environ.items():
        name = key.lower()
        if not name.startswith(PREFIX) or name[len(PREFIX) :] not in FIELDS:
            continue  # Settings ignores other variables too
        field = name[len(PREFIX) :]
        if field in found:
            return None  # two spellings of one variable: which one wins is not ours to say
        try:
            found[field] = FIELDS[field](value)
        except _Unsure:
            return None
    url, timeout, echo = (
        found.get(name) for name in ("database_url", "sqlite_busy_timeout_ms", "echo_sql")
    )
    return DatabaseSettings(
        url if isinstance(url, str) else default_database_url(),
        timeout if isinstance(timeout, int) else DatabaseSettings.sqlite_busy_timeout_ms,
        echo if isinstance(echo, bool) else DatabaseSettings.echo_sql,
    )
