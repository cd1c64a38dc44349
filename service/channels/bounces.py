"""Inbound SMTP for bounces (``talap bounces``): a small aiosmtpd listener that takes mail for
the per-message return paths only and hands each message to a function that records it.

The answer to DATA is the recording's own: ``250`` once the report is committed, ``451`` when it
could not be (the reporting MTA keeps the report and tries again — its queue is the durable
one), ``550`` for a message that is no report about one of our attempts. RCPT is refused for any
address that is not a return path (no open relay, no backscatter).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SmtpServer
from aiosmtpd.smtp import Envelope, Session

Accept = Callable[[str], bool]
"""Whether RCPT TO may name this address."""
Ingest = Callable[[bytes, list[str]], tuple[int, str]]
"""``(raw message, envelope recipients) -> (SMTP code, text)``; runs in a worker thread."""

MAX_MESSAGE = 10 * 1024 * 1024


class _Handler:
    def __init__(self, accept: Accept, ingest: Ingest) -> None:
        self.accept = accept
        self.ingest = ingest

    async def handle_RCPT(
        self,
        server: SmtpServer,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if not self.accept(address):
            return "550 5.1.1 not a return path of this service"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SmtpServer, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        data = raw if isinstance(raw, bytes) else raw.encode("utf-8")
        loop = asyncio.get_running_loop()
        code, text = await loop.run_in_executor(None, self.ingest, data, list(envelope.rcpt_tos))
        return f"{code} {text}"


class BounceListener(Controller):
    """aiosmtpd's threaded controller; ``port=0`` asks the OS for a free port (``.port`` then
    says which)."""

    def __init__(self, accept: Accept, ingest: Ingest, *, host: str, port: int) -> None:
        super().__init__(
            _Handler(accept, ingest),
            hostname=host,
            port=port,
            data_size_limit=MAX_MESSAGE,
            decode_data=False,
        )

    def _trigger_server(self) -> None:
        server: Any = self.server
        if server is not None and self.port == 0:
            self.port = server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]
