"""SMS end to end over real sockets: Talap served on loopback sends through a loopback gateway,
which calls back out of order — delivered before the send is even answered, a duplicate, a
replay, a bad signature, a stale timestamp, a late failure — and the attempt ends delivered."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from service.bootstrap import Wiring
from service.channels.sms import GatewayConfig, build_channel
from service.clock import FixedClock
from service.kit.signatures import sign
from service.outbox.tasks import drain
from service.sms.models import SmsCallbackRow
from tests.api import CASE, make_tenant
from tests.api import fixture as load_fixture
from tests.served import at_port, free_port, serve
from tests.sms.gateway import LoopbackGateway, Received, loopback_gateway

TOKEN = "gateway-token-1"
SECRET = "loop-callback-secret"


@dataclass
class Setup:
    wiring: Wiring
    base: str
    gateway: LoopbackGateway
    http: httpx.Client


@pytest.fixture
def setup(wiring: Wiring) -> Iterator[Setup]:
    with loopback_gateway(TOKEN, SECRET) as gateway:
        channel = build_channel(
            [GatewayConfig(name="loop", url=gateway.url, callback_secret=SECRET, token=TOKEN)]
        )
        port = free_port()
        served = at_port(wiring, port, sms=channel)
        tenant = make_tenant(served, load_fixture("creditor.json"))
        with (
            serve(served, port) as base,
            httpx.Client(base_url=base, headers=tenant.headers(), timeout=60) as http,
        ):
            yield Setup(served, base, gateway, http)


def _issue_and_send(setup: Setup) -> tuple[dict[str, Any], dict[str, Any]]:
    http = setup.http
    assert http.put(f"/v1/cases/{CASE}", json=load_fixture("case.json")).status_code == 201
    response = http.post(f"/v1/cases/{CASE}/documents", json={"kind": "reminder", "language": "kk"})
    assert response.status_code == 201, response.text
    document: dict[str, Any] = response.json()
    response = http.post(f"/v1/documents/{document['id']}/deliveries", json={"channel": "sms"})
    assert response.status_code == 201, response.text
    attempt: dict[str, Any] = response.json()
    return document, attempt


def _attempt(setup: Setup, document_id: str) -> dict[str, Any]:
    response = setup.http.get(f"/v1/documents/{document_id}/deliveries")
    assert response.status_code == 200, response.text
    (attempt,) = response.json()
    result: dict[str, Any] = attempt
    return result


def test_out_of_order_reports_end_delivered(setup: Setup) -> None:
    now = setup.wiring.clock.now()
    early: list[httpx.Response] = []

    def delivered_before_the_answer(message: Received) -> None:
        # the handset got it before the gateway even answered Talap's POST: by reference
        early.append(setup.gateway.report(message, "DELIVRD", now, by_reference=True))

    setup.gateway.on_send = delivered_before_the_answer
    document, attempt = _issue_and_send(setup)
    assert attempt["status"] == "queued"
    assert setup.gateway.received == []  # nothing leaves before the commit and the outbox

    outcomes = drain(setup.wiring)
    assert [o.state for o in outcomes] == ["done"]
    (message,) = setup.gateway.received
    assert message.body["to"] == "+77015551234"
    assert message.body["reference"] == outcomes[0].item_id
    assert message.headers["Idempotency-Key"] == outcomes[0].item_id
    assert "Еске салу хат №" in message.body["text"]
    assert document["verify_url"] in message.body["text"]
    assert message.body["callback_url"] == f"{setup.base}/v1/deliveries/callbacks/loop"
    assert early[0].status_code == 200, early[0].text
    assert early[0].json()["status"] == "delivered"

    after = _attempt(setup, document["id"])
    assert after["status"] == "delivered"
    assert after["outcome"]["state"] == "delivered"
    statuses = [e["status"] for e in after["events"]]
    assert sorted(statuses) == ["delivered", "sent"]  # the late ``sent`` is kept, not applied

    gateway = setup.gateway
    # an ACCEPTD report dated before the delivery arrives after it: kept, changes nothing
    late = gateway.report(message, "ACCEPTD", now - dt.timedelta(seconds=30))
    assert late.status_code == 200, late.text
    assert late.json()["applied"] is False
    # the same report again, freshly signed: recorded once
    duplicate = gateway.report(
        message, "DELIVRD", now, signed_at=now + dt.timedelta(seconds=1), by_reference=True
    )
    assert duplicate.status_code == 200, duplicate.text
    assert duplicate.json()["duplicate"] is True
    # a late failure after the terminal state: kept, the outcome stays delivered
    failure = gateway.report(message, "UNDELIV", now + dt.timedelta(minutes=1))
    assert failure.json() | {"delivery_id": None} == {
        "delivery_id": None,
        "status": "permanent_failure",
        "applied": False,
        "duplicate": False,
        "outcome": "delivered",
    }
    final = _attempt(setup, document["id"])
    assert final["status"] == "delivered"
    assert final["outcome"]["state"] == "delivered"
    assert final["outcome"]["legal_date"] == now.date().isoformat()
    assert sorted(e["status"] for e in final["events"]) == [
        "delivered",
        "permanent_failure",
        "sent",
        "sent",
    ]


def test_the_report_body_is_the_events_receipt(setup: Setup) -> None:
    document, _ = _issue_and_send(setup)
    drain(setup.wiring)
    (message,) = setup.gateway.received
    now = setup.wiring.clock.now()
    body = json.dumps({"message_id": message.message_id, "status": "DELIVRD"}).encode()
    response = setup.gateway.report(message, "", now, body=body)
    assert response.status_code == 200, response.text
    events = _attempt(setup, document["id"])["events"]
    delivered = next(e for e in events if e["status"] == "delivered")
    digest = hashlib.sha256(body).hexdigest()
    assert delivered["receipt_sha256"] == digest
    assert setup.wiring.archive.get(digest) == body


def test_bad_signature_replay_stale_and_unknown_gateway_are_refused(setup: Setup) -> None:
    document, _ = _issue_and_send(setup)
    drain(setup.wiring)
    (message,) = setup.gateway.received
    now = setup.wiring.clock.now()
    url = message.body["callback_url"]
    body = json.dumps({"message_id": message.message_id, "status": "DELIVRD"}).encode()

    def post(headers: dict[str, str], to: str = url) -> httpx.Response:
        return httpx.post(to, content=body, headers=headers, timeout=30)

    forged = post(sign("not-the-gateway-secret", body, now))
    assert forged.status_code == 401
    assert forged.json()["error"]["code"] == "bad_signature"
    assert post({}).status_code == 401
    stale = post(sign(SECRET, body, now - dt.timedelta(minutes=6)))
    assert stale.status_code == 401
    assert "300 s" in stale.json()["error"]["message"]
    unknown = post(sign(SECRET, body, now), to=url.replace("/loop", "/other"))
    assert unknown.status_code == 404
    assert _attempt(setup, document["id"])["status"] == "sent"  # none of them counted

    signed = sign(SECRET, body, now)
    assert post(signed).status_code == 200
    replay = post(signed)
    assert replay.status_code == 409
    assert replay.json()["error"]["code"] == "replayed"
    assert _attempt(setup, document["id"])["status"] == "delivered"

    # the replay store keeps only the window: a report eleven minutes later forgets the first
    clock = setup.wiring.clock
    assert isinstance(clock, FixedClock)
    clock.advance(dt.timedelta(minutes=11))
    later = setup.gateway.report(message, "DELIVRD", now + dt.timedelta(minutes=11))
    assert later.status_code == 200, later.text
    with setup.wiring.db.transaction(read_only=True) as session:
        kept = session.scalars(select(SmsCallbackRow.timestamp)).all()
    assert kept == [int((now + dt.timedelta(minutes=11)).timestamp())]


def test_a_failure_report_makes_the_outcome_not_delivered(setup: Setup) -> None:
    document, _ = _issue_and_send(setup)
    drain(setup.wiring)
    (message,) = setup.gateway.received
    now = setup.wiring.clock.now()
    response = setup.gateway.report(message, "EXPIRED", now)
    assert response.json()["status"] == "permanent_failure"
    attempt = _attempt(setup, document["id"])
    assert attempt["status"] == "permanent_failure"
    assert attempt["outcome"]["state"] == "not_delivered"
    # a DELIVRD dated after it is a contradiction the model resolves: terminal stays
    late = setup.gateway.report(message, "DELIVRD", now + dt.timedelta(minutes=2))
    assert late.status_code == 200
    assert _attempt(setup, document["id"])["outcome"]["state"] == "not_delivered"


def test_a_gateway_outage_is_retried_with_the_same_idempotency_key(setup: Setup) -> None:
    setup.gateway.fail_next.extend([503])
    document, _ = _issue_and_send(setup)
    first = drain(setup.wiring)
    assert [o.state for o in first] == ["pending"]
    assert setup.gateway.received == []
    clock = setup.wiring.clock
    assert isinstance(clock, FixedClock)
    clock.move_to(clock.today() + dt.timedelta(days=1))
    second = drain(setup.wiring)
    assert [o.state for o in second] == ["done"]
    assert second[0].item_id == first[0].item_id
    (message,) = setup.gateway.received
    assert message.headers["Idempotency-Key"] == first[0].item_id
    assert _attempt(setup, document["id"])["status"] == "sent"
