"""The outbox handler that delivers one event to one endpoint (topic ``webhook.deliver``)."""

from __future__ import annotations

import ipaddress
import socket
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from service.kit.signatures import sign
from service.outbox import service as outbox
from service.outbox.backoff import gives_up
from service.outbox.handlers import OutboxItem, PermanentFailure, TemporaryFailure, handler
from service.webhooks import events, service

if TYPE_CHECKING:
    from service.bootstrap import Wiring

USER_AGENT = "Talap-Webhooks/1"


def private_target(url: str) -> str | None:
    """A loopback, private, link-local or otherwise non-public address the URL's host resolves
    to, if any: a creditor's webhook must not reach into the network Talap runs in (SSRF).
    ``None`` when every address is public, or when the host does not resolve (the POST then
    fails and is retried like any connection error). Redirects are not followed (httpx's
    default), so a public host cannot bounce the request inward; a host whose DNS answer changes
    between this check and the connection (rebinding) is not caught here — an egress proxy is
    the complete answer."""
    host = urlsplit(url).hostname
    if host is None:
        return None
    try:
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if not address.is_global:
            return str(address)
    return None


@handler(service.TOPIC)
def deliver(wiring: Wiring, item: OutboxItem) -> None:
    """POST the event's body, signed now, to the endpoint; log the try with its status code,
    duration and error; 2xx is done, 5xx/429/timeouts are tried again with backoff, any other
    answer is final. At least once: a receiver drops an event id it has seen (a crash after the
    POST and before the log posts it again)."""
    payload = item.payload
    with wiring.db.transaction(read_only=True) as session:
        endpoint = service.endpoint_of(session, str(payload["endpoint_id"]))
        if endpoint is None or endpoint.deleted_at is not None:
            raise PermanentFailure("the webhook endpoint was deleted")
        url, secret = endpoint.url, endpoint.secret
    body = str(payload["body"]).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Talap-Event": str(payload["event_type"]),
        "Talap-Event-Id": str(payload["event_id"]),
        **sign(secret, body, wiring.clock.now()),
    }
    status: int | None = None
    error: str | None = None
    started = time.monotonic()
    blocked = None if wiring.settings.webhook_private_targets else private_target(url)
    if blocked is not None:
        error = f"refused: the host resolves to {blocked}, not a public address"
    else:
        try:
            with httpx.Client(timeout=wiring.settings.webhook_timeout) as client:
                response = client.post(url, content=body, headers=headers)
            status = response.status_code
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except httpx.TimeoutException:
            error = "timed out"
        except httpx.TransportError as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
    duration_ms = int((time.monotonic() - started) * 1000)
    delivered = error is None
    retry = not delivered and blocked is None and events.retryable(status)
    final = retry and gives_up(item.attempts, max_attempts=wiring.settings.outbox_max_attempts)
    outcome = "delivered" if delivered else "retry" if retry and not final else "failed"
    with wiring.db.transaction() as session:
        service.log_attempt(
            session,
            outbox_id=item.id,
            endpoint_id=str(payload["endpoint_id"]),
            event_id=str(payload["event_id"]),
            event_type=str(payload["event_type"]),
            at=wiring.clock.now(),
            status_code=status,
            duration_ms=duration_ms,
            outcome=outcome,
            error=error,
        )
        if delivered:
            outbox.complete(session, item.id, at=wiring.clock.now())
    if retry:
        raise TemporaryFailure(error or "not delivered")
    if not delivered:
        raise PermanentFailure(error or "not delivered")
