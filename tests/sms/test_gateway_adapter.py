"""The real HTTP adapter against the loopback gateway (and the in-memory double's promise)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from service.channels.sms import (
    GatewayConfig,
    GatewayRefused,
    GatewayUnavailable,
    HttpSmsGateway,
    OutgoingSms,
)
from service.channels.sms_memory import MemorySmsGateway
from tests.sms.gateway import LoopbackGateway, loopback_gateway

TOKEN = "gateway-token"
SECRET = "callback-secret-0001"


@pytest.fixture
def gateway() -> Iterator[LoopbackGateway]:
    with loopback_gateway(TOKEN, SECRET) as running:
        yield running


def _adapter(url: str, token: str = TOKEN, timeout: float = 10) -> HttpSmsGateway:
    config = GatewayConfig(
        name="loop", url=url, callback_secret=SECRET, token=token, sender="OSI", timeout=timeout
    )
    return HttpSmsGateway(config)


MESSAGE = OutgoingSms(
    to="+77015551234",
    text="Еске салу хат № 2026-00001",
    reference="ref-1",
    callback_url="http://127.0.0.1:1/v1/deliveries/callbacks/loop",
)


def test_a_message_is_posted_with_its_idempotency_key(gateway: LoopbackGateway) -> None:
    adapter = _adapter(gateway.url)
    sent = adapter.send(MESSAGE)
    again = adapter.send(MESSAGE)
    assert sent.message_id == again.message_id == "gw-0001"
    assert len(gateway.received) == 1  # the second post was the same message
    received = gateway.received[0]
    assert received.headers["Idempotency-Key"] == "ref-1"
    assert received.body == {
        "to": "+77015551234",
        "text": "Еске салу хат № 2026-00001",
        "reference": "ref-1",
        "sender": "OSI",
        "callback_url": "http://127.0.0.1:1/v1/deliveries/callbacks/loop",
    }
    assert b"gw-0001" in sent.response


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (503, GatewayUnavailable),
        (429, GatewayUnavailable),
        (400, GatewayRefused),
        (404, GatewayRefused),
    ],
)
def test_server_errors_are_temporary_and_client_errors_final(
    gateway: LoopbackGateway, status: int, error: type[Exception]
) -> None:
    gateway.fail_next.append(status)
    with pytest.raises(error, match=f"HTTP {status}"):
        _adapter(gateway.url).send(MESSAGE)
    assert _adapter(gateway.url).send(MESSAGE).message_id == "gw-0001"


def test_a_wrong_token_is_refused(gateway: LoopbackGateway) -> None:
    with pytest.raises(GatewayRefused, match="HTTP 401"):
        _adapter(gateway.url, token="wrong").send(MESSAGE)


def test_a_gateway_that_does_not_answer_is_temporary() -> None:
    with socket.socket() as silent:  # accepts the connection, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        with pytest.raises(GatewayUnavailable, match="timed out"):
            _adapter(f"http://127.0.0.1:{port}/send", timeout=0.5).send(MESSAGE)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(GatewayUnavailable):
        _adapter(f"http://127.0.0.1:{port}/send").send(MESSAGE)


def test_the_double_keeps_the_same_promise() -> None:
    double = MemorySmsGateway(failures=1)
    with pytest.raises(GatewayUnavailable):
        double.send(MESSAGE)
    first, second = double.send(MESSAGE), double.send(MESSAGE)
    assert first.message_id == second.message_id
    assert double.sent == [MESSAGE]
