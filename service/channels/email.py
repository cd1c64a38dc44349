"""E-mail out over SMTP (``smtplib``): the ``Mailer`` seam, its SMTP adapter and its settings.

A message goes to one recipient with an envelope sender of our choosing (the per-message return
path, VERP), so bounces come back to an address that names the attempt. When the server offers
the DSN extension (RFC 3461) we ask for success and failure notices too (``NOTIFY``), with the
attempt as the envelope id (``ENVID``). The adapter answers with what the server said to the
message (``Accepted``), or raises ``SendFailed`` saying whether trying again may help: 4xx
answers, a refused or dropped connection and timeouts are temporary; 5xx answers are permanent.

The password is a ``SecretStr`` until the moment of ``login`` and is never logged.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Literal, Protocol

Security = Literal["none", "starttls", "tls"]
DEFAULT_PORTS: dict[str, int] = {"none": 25, "starttls": 587, "tls": 465}


@dataclass(frozen=True)
class Accepted:
    """The server took the message: its last answer (``250 2.0.0 queued as …``)."""

    code: int
    reply: str
    dsn_requested: bool
    data: bytes
    """The message exactly as it went out (CRLF line ends): the receipt of ``sent``."""


class SendFailed(Exception):
    def __init__(self, message: str, *, temporary: bool, code: int | None = None) -> None:
        super().__init__(message)
        self.temporary = temporary
        self.code = code


class Mailer(Protocol):
    sender: str
    """The ``From`` address."""

    def send(
        self, message: EmailMessage, *, envelope_from: str, recipient: str, envelope_id: str
    ) -> Accepted: ...


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    security: Security = "starttls"
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0
    ssl_context: ssl.SSLContext | None = None
    """Trust for STARTTLS/TLS (default: the system's CAs; tests hand in their own)."""

    def __repr__(self) -> str:  # never print the password
        return f"SmtpConfig(host={self.host!r}, port={self.port}, security={self.security!r})"


class SmtpMailer:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self.sender = config.sender
        self._context: ssl.SSLContext | None = config.ssl_context

    def _tls(self) -> ssl.SSLContext:
        # Loading the system's CA store takes ~30 ms: once per mailer, and only for TLS.
        if self._context is None:
            self._context = ssl.create_default_context()
        return self._context

    def send(
        self, message: EmailMessage, *, envelope_from: str, recipient: str, envelope_id: str
    ) -> Accepted:
        config = self.config
        try:
            smtp: smtplib.SMTP
            if config.security == "tls":
                smtp = smtplib.SMTP_SSL(
                    config.host, config.port, timeout=config.timeout, context=self._tls()
                )
            else:
                smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            with smtp:
                smtp.ehlo()
                if config.security == "starttls":
                    smtp.starttls(context=self._tls())
                    smtp.ehlo()
                if config.user:
                    smtp.login(config.user, config.password or "")
                return _transact(smtp, message, envelope_from, recipient, envelope_id)
        except smtplib.SMTPAuthenticationError as exc:  # our configuration, not the recipient
            raise SendFailed(f"SMTP login refused ({exc.smtp_code})", temporary=True) from exc
        except smtplib.SMTPResponseException as exc:
            error = exc.smtp_error
            text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
            raise SendFailed(
                f"{exc.smtp_code} {text}".strip(), temporary=exc.smtp_code < 500, code=exc.smtp_code
            ) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            code, answer = next(iter(exc.recipients.values()))
            shown = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
            reply = f"{code} {shown}"
            raise SendFailed(reply, temporary=code < 500, code=code) from exc
        except (smtplib.SMTPException, OSError) as exc:  # refused, dropped, timed out, TLS
            raise SendFailed(f"{type(exc).__name__}: {exc}", temporary=True) from exc


def _transact(
    smtp: smtplib.SMTP,
    message: EmailMessage,
    envelope_from: str,
    recipient: str,
    envelope_id: str,
) -> Accepted:
    """MAIL, RCPT, DATA by hand, to keep the server's answer to DATA (``send_message`` drops
    it) and to ask for DSNs where the server offers them."""
    dsn = smtp.has_extn("dsn")
    mail_options = ["RET=HDRS", f"ENVID={_xtext(envelope_id)}"] if dsn else []
    rcpt_options = (
        ["NOTIFY=SUCCESS,FAILURE,DELAY", f"ORCPT=rfc822;{_xtext(recipient)}"] if dsn else []
    )
    if smtp.has_extn("smtputf8") and not recipient.isascii():
        mail_options.append("SMTPUTF8")
    code, reply = smtp.mail(envelope_from, mail_options)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, reply, envelope_from)
    code, reply = smtp.rcpt(recipient, rcpt_options)
    if code not in (250, 251):
        smtp.rset()
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    # SMTP wants CRLF line ends; smtplib fixes them only for text, not for bytes
    data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    code, reply = smtp.data(data)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPDataError(code, reply)
    return Accepted(code, reply.decode("utf-8", "replace"), dsn, data)


def _xtext(value: str) -> str:
    """RFC 3461 xtext: printable ASCII but ``+`` and ``=``, the rest as ``+HH``."""
    return "".join(
        c if 33 <= ord(c) <= 126 and c not in "+=" else f"+{ord(c):02X}"
        for c in value.encode("utf-8").decode("latin-1")
    )


def domain_of(address: str) -> str:
    """The domain of an address (``Talap <notices@osi.kz>`` → ``osi.kz``)."""
    return parseaddr(address)[1].rpartition("@")[2].lower()


def is_address(value: str) -> bool:
    """A plausible single mailbox (``local@domain.tld``), no display name, no spaces."""
    _, address = parseaddr(value)
    local, at, domain = address.rpartition("@")
    return (
        address == value.strip()
        and bool(at and local and "." in domain)
        and not any(c.isspace() or c in '<>,;"()' for c in address)
    )
