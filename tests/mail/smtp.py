"""A real SMTP server on loopback (aiosmtpd, a port the OS picks) that keeps what it receives,
refuses as told, and can report back like a mail system: a DSN to the message's return path."""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import format_datetime
from typing import Any

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    mail_options: tuple[str, ...]


@dataclass
class Mailbox:
    """The server's handler: every message it accepted, in order."""

    received: list[Received] = field(default_factory=list)
    refuse_rcpt: str | None = None
    """An answer to RCPT instead of 250 (``550 5.1.1 …``, ``451 4.3.0 …``)."""
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.arrived:
            self.received.append(
                Received(
                    envelope.mail_from,
                    tuple(envelope.rcpt_tos),
                    envelope.original_content,
                    tuple(envelope.mail_options),
                )
            )
            self.arrived.notify_all()
        return f"250 2.0.0 Ok: queued as Q{len(self.received)}"

    def wait_for(self, count: int, timeout: float = 60) -> list[Received]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout)
        return list(self.received)


class LoopbackController(Controller):  # type: ignore[misc]
    """aiosmtpd's controller on a port the OS picks (``.port`` says which once started)."""

    def _trigger_server(self) -> None:
        if self.port == 0 and self.server is not None:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextmanager
def smtp_server(mailbox: Mailbox, **smtp: Any) -> Iterator[LoopbackController]:
    controller = LoopbackController(
        mailbox, hostname="127.0.0.1", port=0, decode_data=False, **smtp
    )
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def dsn(
    received: Received,
    *,
    action: str,
    status: str,
    at: dt.datetime,
    diagnostic: str | None = None,
    message_id: str | None = None,
) -> bytes:
    """A delivery status notification (RFC 3464) about ``received``, as an MTA writes one: to
    the envelope sender, with the returned headers."""
    recipient = received.rcpt_tos[0]
    headers = received.data.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
    lines = [
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.kz>",
        f"To: <{received.mail_from}>",
        f"Subject: Delivery Status Notification ({action})",
        f"Date: {format_datetime(at)}",
        f"Message-ID: {message_id or '<dsn.1@mx.example.kz>'}",
        "MIME-Version: 1.0",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="RPT"',
        "Auto-Submitted: auto-replied",
        "",
        "--RPT",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        f"This is the mail system at mx.example.kz: your message was {action}.",
        "",
        "--RPT",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.example.kz",
        f"Arrival-Date: {format_datetime(at - dt.timedelta(seconds=5))}",
        "",
        f"Final-Recipient: rfc822; {recipient}",
        f"Original-Recipient: rfc822; {recipient}",
        f"Action: {action}",
        f"Status: {status}",
        *([f"Diagnostic-Code: smtp; {diagnostic}"] if diagnostic else []),
        f"Last-Attempt-Date: {format_datetime(at)}",
        "",
        "--RPT",
        "Content-Type: text/rfc822-headers",
        "",
        headers,
        "",
        "--RPT--",
        "",
    ]
    return "\r\n".join(lines).encode("utf-8")


def send_raw(port: int, mail_from: str, rcpt: str, data: bytes) -> None:
    """Deliver ``data`` over SMTP as a reporting MTA would (no TLS on loopback)."""
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail(mail_from, [rcpt], data)


def client_context(cert_pem: bytes) -> ssl.SSLContext:
    context = ssl.create_default_context(cadata=cert_pem.decode("ascii"))
    return context
