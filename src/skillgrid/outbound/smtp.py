"""Mail over SMTP with the standard library: ``smtp://host:25`` (STARTTLS when the server
offers it) or ``smtps://user:password@host:465`` (TLS from the first byte); a user and
password in the address log in."""

from __future__ import annotations

import email.utils
import smtplib
import ssl
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

from skillgrid.domain.errors import ConfigurationError
from skillgrid.domain.reminders import Mail, MailError

TIMEOUT = 30.0  # seconds for each step of talking to the mail server


class SmtpMailer:
    """Sends each mail on a connection of its own (a cron job sends a few hundred)."""

    def __init__(self, url: str, sender: str, timeout: float = TIMEOUT) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(f"{url!r}: give smtp://host:port or smtps://user:password@host:port")
        self.tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.tls else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password or "")
        self.sender = sender
        self.timeout = timeout

    @property
    def location(self) -> str:
        return f"{'smtps' if self.tls else 'smtp'}://{self.host}:{self.port}"

    def send(self, mail: Mail) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Date"] = email.utils.formatdate(localtime=False)
        message["Message-ID"] = email.utils.make_msgid(domain=self.sender.rpartition("@")[2])
        message.set_content(mail.text)
        try:
            with self._connect() as server:
                server.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            raise MailError(
                f"mail to {mail.to} via {self.location}: {error} — check SKILLGRID_SMTP_URL "
                "and that the mail server is up"
            ) from error

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        server: smtplib.SMTP
        if self.tls:
            server = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            server = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            server.ehlo()
            if server.has_extn("starttls"):
                server.starttls(context=context)
                server.ehlo()
        if self.user:
            server.login(self.user, self.password)
        return server


def mailer_of(settings: Any) -> SmtpMailer | None:
    """The mailer the settings describe; None when SKILLGRID_SMTP_URL is unset."""
    if settings.smtp_url is None:
        return None
    if not settings.mail_from:
        raise ConfigurationError(
            "SKILLGRID_SMTP_URL is set but SKILLGRID_MAIL_FROM is not: set it to the address "
            "mail comes from, e.g. skillgrid@example.com"
        )
    return SmtpMailer(settings.smtp_url, settings.mail_from)
