"""Settings from the environment (prefix ``SKILLGRID_``); read when a command runs, never at
import time."""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Self
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, SecretStr, field_validator, model_validator
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
        description="The mail server for reminders, event mails and invitations: "
        "smtp://host:25 (STARTTLS when offered) or smtps://user:password@host:465 (TLS); a "
        "user and password in it log in. Unset: no mail is sent.",
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

    oidc_issuer: str | None = Field(
        default=None,
        description="The identity provider's issuer URL (OpenID Connect), e.g. "
        "https://company.okta.com; its endpoints come from the discovery document. Set it "
        'to offer "Sign in with SSO" (it needs SKILLGRID_BASE_URL and the client id).',
    )
    oidc_client_id: str | None = Field(
        default=None, description="The client id SkillGrid is registered with at the provider."
    )
    oidc_client_secret: SecretStr | None = Field(
        default=None,
        description="The client secret from the provider (none: a public client with PKCE).",
    )
    oidc_scopes: str = Field(
        default="openid email profile",
        description="Scopes asked for; add the one that releases groups where the provider "
        "needs it (e.g. groups for Okta).",
    )
    oidc_email_claim: str = Field(
        default="email", description="The ID token claim matched with a person's email."
    )
    oidc_require_verified_email: bool = Field(
        default=True,
        description="Sign in only when the ID token says email_verified is true.",
    )
    oidc_admin_claim: str = Field(
        default="groups", description="The ID token claim that can make an admin."
    )
    oidc_admin_values: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Values of the admin claim that make an admin, comma-separated (e.g. "
        "skillgrid-admins); each SSO sign-in then sets the admin right. None: SSO never "
        "changes it.",
    )
    oidc_create_people: bool = Field(
        default=False,
        description="An email the provider vouches for that matches no person becomes a "
        "person (an engineer on no team); by default it is refused.",
    )
    oidc_contact: str | None = Field(
        default=None,
        description="Whom someone refused should ask (e.g. the People team, "
        "people@example.com); by default the page names SkillGrid's admins.",
    )
    oidc_clock_skew_seconds: int = Field(
        default=60,
        ge=0,
        le=300,
        description="Seconds of clock difference with the provider allowed when checking "
        "the ID token's times.",
    )
    password_sign_in: bool = Field(
        default=True,
        description="Passwords sign in on the sign-in page; false leaves only single sign-on "
        "(and one-time links for admins: skillgrid user sign-in-link).",
    )

    @field_validator("oidc_admin_values", mode="before")
    @classmethod
    def _values(cls, value: Any) -> Any:
        """``a, b`` → ["a", "b"]."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("oidc_issuer")
    @classmethod
    def _issuer(cls, value: str | None) -> str | None:
        """https (http only on this machine, for tests), a host, no query or fragment."""
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        local = parts.hostname in ("localhost", "127.0.0.1", "::1")
        if (
            not parts.hostname
            or parts.query
            or parts.fragment
            or not (parts.scheme == "https" or (parts.scheme == "http" and local))
        ):
            raise ValueError(
                f"{value!r} is not an issuer URL: give the provider's issuer exactly as its "
                "discovery document names it, e.g. https://company.okta.com (https)"
            )
        return value.strip()

    @model_validator(mode="after")
    def _sign_in(self) -> Self:
        """Single sign-on needs its client id and the site's address (the redirect URI is
        built from it); turning passwords off needs single sign-on."""
        if self.oidc_issuer is not None:
            missing = [
                name
                for name, value in (
                    ("SKILLGRID_OIDC_CLIENT_ID", self.oidc_client_id),
                    ("SKILLGRID_BASE_URL", self.base_url),
                )
                if not value
            ]
            if missing:
                raise ValueError(
                    f"SKILLGRID_OIDC_ISSUER is set but {' and '.join(missing)} "
                    f"{'are' if len(missing) > 1 else 'is'} not: the "
                    "client id comes from the provider, and the redirect URI is "
                    "SKILLGRID_BASE_URL followed by auth/oidc/callback"
                )
        elif not self.password_sign_in:
            raise ValueError(
                "SKILLGRID_PASSWORD_SIGN_IN=false needs single sign-on "
                "(SKILLGRID_OIDC_ISSUER): nobody could sign in otherwise"
            )
        return self

    @property
    def sso_enabled(self) -> bool:
        return self.oidc_issuer is not None

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
