"""Settings from the environment (prefix ``SKILLGRID_``); read when a command runs, never at
import time."""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


def default_database_url() -> str:
    """SQLite in the user's data directory (``$XDG_DATA_HOME/skillgrid/skillgrid.db``)."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return f"sqlite:///{base / 'skillgrid' / 'skillgrid.db'}"


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/skillgrid`` (``~/.cache/skillgrid``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "skillgrid"


class Settings(BaseSettings):
    """Every setting SkillGrid reads; each is documented in docs/operations.md."""

    model_config = SettingsConfigDict(env_prefix="SKILLGRID_", extra="ignore")

    database_url: str = Field(
        default_factory=default_database_url,
        description="SQLAlchemy URL of the database: SQLite file by default, "
        "postgresql+psycopg://… for PostgreSQL.",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=5000, ge=0, description="How long a SQLite writer waits for a lock (ms)."
    )
    echo_sql: bool = Field(default=False, description="Log every SQL statement (debugging).")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="INFO", description="Least severe log records written to stderr."
    )
    log_format: Literal["json", "text"] = Field(
        default="json", description="Log lines as JSON objects (for collectors) or plain text."
    )
    cache_dir: Path = Field(
        default_factory=default_cache_dir,
        description="Where computed data is kept between runs (criterion embeddings for "
        "evidence suggestions); safe to delete.",
    )
    suggestion_backend: str = Field(
        default="auto",
        pattern="^(auto|lexical|embedding|hybrid)$",
        description="How evidence suggestions are scored: auto (hybrid when the embeddings "
        "extra is installed, else lexical), lexical, embedding or hybrid.",
    )
    suggestion_model: Path | None = Field(
        default=None,
        description="A directory holding model.onnx and tokenizer.json (any "
        "sentence-transformers style ONNX export) for evidence suggestions; unset: the "
        "packaged all-MiniLM-L6-v2.",
    )
    suggestion_learning: bool = Field(
        default=True,
        description="Whether evidence linked to a criterion (accepted suggestions among it) "
        "helps rank that criterion in later suggestions, for ranking only; false turns it off.",
    )
    trusted_proxies: Annotated[list[Network], NoDecode] = Field(
        default_factory=list,
        description="Addresses or networks of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed, comma-separated (e.g. 127.0.0.1,10.0.0.0/8); "
        "none by default.",
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["*"],
        description="Host names the app answers to, comma-separated; a leading *. allows "
        "the subdomains (e.g. skills.example.com,*.corp.example.com). Any other Host header "
        "is answered 400. Every host by default: set it in production.",
    )
    base_url: str | None = Field(
        default=None,
        description="The address people reach SkillGrid at (e.g. https://skills.example.com/). "
        "Links that leave the app are built from it, never from a request's Host header; "
        "when it is https, cookies are Secure and HSTS is sent even behind a proxy that "
        "does not pass X-Forwarded-Proto.",
    )
    sign_in_address_limit: int = Field(
        default=20,
        ge=1,
        le=100_000,
        description="Failed sign-ins one client address may make in 15 minutes before it "
        "must wait.",
    )
    web_threads: int = Field(
        default=2,
        ge=1,
        le=256,
        description="Threads per app process for database work and page rendering (they "
        "share one interpreter lock: more than a few only slows each down).",
    )

    max_in_flight: int = Field(
        default=64,
        ge=1,
        le=100_000,
        description="Requests one app process takes at once (answering, or waiting for a "
        "thread); past it, 503 with Retry-After: 1 at once instead of a queue that answers "
        "everyone late. /healthz always answers; /readyz says busy meanwhile.",
    )
    expensive_per_account: int = Field(
        default=2,
        ge=1,
        le=100,
        description="Expensive requests (evidence suggestions, uploads, team and org "
        "reports) one account may run at once in one app process; one more is answered 429 "
        "with Retry-After.",
    )

    smtp_url: str | None = Field(
        default=None,
        description="The mail server for reminders: smtp://host:25 (STARTTLS when offered) or "
        "smtps://user:password@host:465 (TLS); a user and password in it log in. Unset: "
        "no mail is sent.",
    )
    mail_from: str | None = Field(
        default=None,
        description="The address SkillGrid's mail comes from, e.g. skillgrid@example.com "
        "(needed with SKILLGRID_SMTP_URL).",
    )

    outbox_interval: float = Field(
        default=5.0,
        ge=0,
        le=3600,
        description="Seconds between an app process's looks for webhook deliveries and event "
        "mails that are due (0: the app sends none; run `skillgrid notify send` instead).",
    )

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, value: str | None) -> str | None:
        """smtp:// or smtps:// with a host."""
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(
                "not a mail server address (the password, if any, is not repeated here): give "
                "one like "
                "smtp://mail.example.com:25 or smtps://user:password@mail.example.com:465"
            )
        return value.strip()

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: Any) -> Any:
        """``127.0.0.1, 10.0.0.0/8`` → networks (a bare address is a /32 or /128)."""
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list | tuple):
            return [ipaddress.ip_network(str(part), strict=False) for part in value]
        return value

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _hosts(cls, value: Any) -> Any:
        """``a.example.com, *.corp`` → names; each a bare host name (the port is not part
        of what is compared)."""
        if isinstance(value, str):
            value = [part.strip().lower() for part in value.split(",") if part.strip()]
        for host in value if isinstance(value, list) else ():
            name = str(host).removeprefix("*.")
            if host != "*" and not _HOST_NAME.fullmatch(name):
                raise ValueError(
                    f"{host!r} is not a host name: give names like skills.example.com or "
                    "*.example.com, without scheme, port or path"
                )
        return value

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        """An http(s) address with a host and no query; kept with one trailing slash."""
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
            raise ValueError(
                f"{value!r} is not the address of a site: give one like "
                "https://skills.example.com/ (http or https, a host, no query)"
            )
        return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + "/", "", ""))

    @property
    def served_over_https(self) -> bool:
        """People reach the app over https, whatever the last hop says."""
        return self.base_url is not None and self.base_url.startswith("https:")

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_in_capitals(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value
