"""A small SMS gateway on loopback, speaking the protocol of ``service.channels.sms``: it takes
messages (Bearer token checked, ``Idempotency-Key`` honoured), and calls back the Talap server
with signed delivery reports when the test says so — in whatever order the test chooses."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from service.kit.signatures import sign


@dataclass
class Received:
    body: dict[str, Any]
    headers: dict[str, str]
    message_id: str


@dataclass
class LoopbackGateway:
    token: str
    secret: str
    url: str = ""
    received: list[Received] = field(default_factory=list)
    by_key: dict[str, str] = field(default_factory=dict)
    fail_next: list[int] = field(default_factory=list)
    """Status codes to answer the next sends with, before accepting (503, 400 …)."""
    on_send: Callable[[Received], None] | None = None
    """Runs when a message is accepted, before the answer goes back (a report can overtake it)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def report(
        self,
        message: Received,
        status: str,
        at: dt.datetime,
        *,
        signed_at: dt.datetime | None = None,
        secret: str | None = None,
        by_reference: bool = False,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
    ) -> httpx.Response:
        """POST a signed report to the callback URL the message named."""
        payload: dict[str, Any] = {"status": status, "at": at.isoformat()}
        if by_reference:
            payload["reference"] = message.body["reference"]
        else:
            payload["message_id"] = message.message_id
        raw = body if body is not None else json.dumps(payload).encode()
        signed = headers or sign(secret or self.secret, raw, signed_at or at)
        return httpx.post(
            message.body["callback_url"],
            content=raw,
            headers={"Content-Type": "application/json", **signed},
            timeout=30,
        )


def _handler(gateway: LoopbackGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            if self.headers.get("Authorization") != f"Bearer {gateway.token}":
                self._answer(401, {"error": "bad token"})
                return
            with gateway.lock:
                if gateway.fail_next:
                    status = gateway.fail_next.pop(0)
                    self._answer(status, {"error": "scripted failure"})
                    return
                key = self.headers["Idempotency-Key"]
                message_id = gateway.by_key.get(key)
                fresh = message_id is None
                if message_id is None:
                    message_id = f"gw-{len(gateway.by_key) + 1:04d}"
                    gateway.by_key[key] = message_id
                received = Received(body, dict(self.headers.items()), message_id)
                if fresh:
                    gateway.received.append(received)
            if fresh and gateway.on_send is not None:
                gateway.on_send(received)
            self._answer(200, {"message_id": message_id})

    return Handler


@contextmanager
def loopback_gateway(token: str, secret: str) -> Iterator[LoopbackGateway]:
    gateway = LoopbackGateway(token=token, secret=secret)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gateway))
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
