"""A client system's webhook receiver on loopback: it answers with scripted status codes,
verifies every signature with the endpoint's secret, and keeps what it received."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from service.kit import signatures


@dataclass
class Delivery:
    body: bytes
    headers: dict[str, str]
    signature_ok: bool
    answered: int


@dataclass
class Receiver:
    now: Callable[[], dt.datetime]
    url: str = ""
    secret: str = ""
    script: list[int] = field(default_factory=list)
    """Status codes for the next requests (then 200)."""
    received: list[Delivery] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                signatures.verify(
                    (receiver.secret,),
                    body,
                    self.headers.get(signatures.TIMESTAMP_HEADER),
                    self.headers.get(signatures.SIGNATURE_HEADER),
                    receiver.now(),
                )
                ok = True
            except signatures.SignatureRefused:
                ok = False
            with receiver.lock:
                status = receiver.script.pop(0) if receiver.script else 200
                if not ok:
                    status = 401
                receiver.received.append(Delivery(body, dict(self.headers.items()), ok, status))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


@contextmanager
def loopback_receiver(now: Callable[[], dt.datetime]) -> Iterator[Receiver]:
    receiver = Receiver(now=now)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/talap"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
