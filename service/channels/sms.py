"""SMS through an HTTP gateway: the ``SmsGateway`` seam and its real adapter over httpx.

Talap speaks one small JSON protocol to a gateway (an aggregator, or a thin shim in front of an
SMPP link); a gateway with another API gets a shim, not a new code path here:

``POST <url>`` with ``Content-Type: application/json``, ``Idempotency-Key: <reference>`` and the
configured credentials (``Authorization: Bearer <token>``, or HTTP Basic ``user:password``)::

    {"to": "+77015551234", "text": "…", "sender": "OSI-KOKTEM", "reference": "<outbox id>",
     "callback_url": "https://talap.example/v1/deliveries/callbacks/<gateway>"}

A 2xx answer names the gateway's message id: ``{"message_id": "…"}`` (``id`` is accepted too).
The same ``Idempotency-Key`` must give back the same message id without sending again: the
outbox may run a send twice after a crash. Timeouts, connection errors, 5xx and 429 are
``GatewayUnavailable`` (retried with backoff); any other 4xx, or a 2xx without a message id,
is ``GatewayRefused`` (not retried: the same request would be refused again).

Delivery reports come back signed to ``callback_url`` (``service.sms``; the header scheme is
``service.kit.signatures``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx


@dataclass(frozen=True)
class OutgoingSms:
    to: str
    """E.164, e.g. ``+77015551234``."""
    text: str
    reference: str
    """Our idempotency key (the outbox item's id); the gateway echoes it in its reports."""
    callback_url: str | None = None


@dataclass(frozen=True)
class SentSms:
    message_id: str
    response: bytes
    """The gateway's answer as received (kept as the ``sent`` event's receipt)."""


class GatewayUnavailable(Exception):
    """Try again later: a timeout, a connection error, 5xx or 429."""


class GatewayRefused(Exception):
    """The gateway refused the message (4xx): sending the same again will not help."""


class SmsGateway(Protocol):
    name: str

    def send(self, message: OutgoingSms) -> SentSms: ...


@dataclass(frozen=True)
class GatewayConfig:
    """One gateway as configured (``Settings.sms_gateway_list``)."""

    name: str
    url: str
    callback_secret: str
    token: str | None = None
    user: str | None = None
    password: str | None = None
    sender: str | None = None
    """The alphanumeric sender name registered with the gateway (``OSI-KOKTEM``)."""
    timeout: float = 10.0


class HttpSmsGateway:
    """The real adapter: one httpx request per message."""

    def __init__(self, config: GatewayConfig, transport: httpx.BaseTransport | None = None):
        self.name = config.name
        self._config = config
        self._transport = transport

    def send(self, message: OutgoingSms) -> SentSms:
        config = self._config
        body: dict[str, Any] = {"to": message.to, "text": message.text}
        body["reference"] = message.reference
        if config.sender:
            body["sender"] = config.sender
        if message.callback_url:
            body["callback_url"] = message.callback_url
        headers = {"Idempotency-Key": message.reference, "Accept": "application/json"}
        auth: httpx.BasicAuth | None = None
        if config.token:
            headers["Authorization"] = f"Bearer {config.token}"
        elif config.user:
            auth = httpx.BasicAuth(config.user, config.password or "")
        try:
            with httpx.Client(
                timeout=config.timeout, transport=self._transport, auth=auth
            ) as client:
                response = client.post(config.url, json=body, headers=headers)
        except httpx.TimeoutException as exc:
            raise GatewayUnavailable(f"gateway {self.name}: timed out ({exc})") from None
        except httpx.TransportError as exc:
            raise GatewayUnavailable(f"gateway {self.name}: {type(exc).__name__}") from None
        status = response.status_code
        if status == 429 or status >= 500:
            raise GatewayUnavailable(f"gateway {self.name}: HTTP {status}")
        if not 200 <= status < 300:
            raise GatewayRefused(f"gateway {self.name}: HTTP {status}: {response.text[:200]}")
        message_id = _message_id(response)
        if not message_id:
            raise GatewayRefused(f"gateway {self.name}: HTTP {status} without a message id")
        return SentSms(message_id=message_id, response=response.content)


def _message_id(response: httpx.Response) -> str | None:
    try:
        data = response.json()
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    value = data.get("message_id", data.get("id"))
    if isinstance(value, str | int) and str(value).strip():
        return str(value).strip()[:100]
    return None


@dataclass(frozen=True)
class SmsChannel:
    """The configured gateways by name; ``default`` sends, every one may call back."""

    gateways: Mapping[str, SmsGateway] = field(default_factory=dict)
    secrets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    default: str | None = None

    def gateway(self, name: str | None = None) -> SmsGateway | None:
        chosen = name or self.default
        return self.gateways.get(chosen) if chosen else None


def build_channel(configs: list[GatewayConfig], default: str | None = None) -> SmsChannel:
    return SmsChannel(
        gateways={c.name: HttpSmsGateway(c) for c in configs},
        secrets={c.name: (c.callback_secret,) for c in configs},
        default=default or (configs[0].name if configs else None),
    )
