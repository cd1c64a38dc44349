"""An in-memory SMS gateway: records what it was asked to send (tests of the use cases that
need no network). The real adapter (``sms.HttpSmsGateway``) is tested against a loopback HTTP
gateway."""

from __future__ import annotations

import threading

from service.channels.sms import GatewayUnavailable, OutgoingSms, SentSms


class MemorySmsGateway:
    def __init__(self, name: str = "memory", *, failures: int = 0) -> None:
        self.name = name
        self.sent: list[OutgoingSms] = []
        self._ids: dict[str, str] = {}
        self._failures = failures
        self._lock = threading.Lock()

    def send(self, message: OutgoingSms) -> SentSms:
        with self._lock:
            if self._failures > 0:
                self._failures -= 1
                raise GatewayUnavailable(f"gateway {self.name}: HTTP 503")
            message_id = self._ids.get(message.reference)
            if message_id is None:  # the idempotency key: a second send is the same message
                message_id = f"{self.name}-{len(self._ids) + 1}"
                self._ids[message.reference] = message_id
                self.sent.append(message)
            return SentSms(
                message_id=message_id, response=b'{"message_id": "%s"}' % message_id.encode()
            )
