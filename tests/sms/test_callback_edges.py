"""Delivery reports at their edges, signed correctly: a body that is no report, a moment no day
can be made of, a message Talap did not send — each a precise 4xx, none of them consuming the
report's place in the replay store; and a report about another creditor's message is found only
by the gateway's own ids (the gateway is configured for the whole service, not per creditor)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.channels.sms import SmsChannel
from service.channels.sms_memory import MemorySmsGateway
from service.kit.signatures import sign
from service.main import create_app
from service.outbox.tasks import drain
from tests.api import CASE, Tenant, issued
from tests.api import fixture as load_fixture

GATEWAY = "memory"
SECRET = "callback-secret-0123456789"


@pytest.fixture
def sms_wiring(wiring: Wiring) -> Wiring:
    double = MemorySmsGateway(GATEWAY)
    channel = SmsChannel(gateways={GATEWAY: double}, secrets={GATEWAY: (SECRET,)}, default=GATEWAY)
    return dataclasses.replace(wiring, sms=channel)


@pytest.fixture
def sms_client(sms_wiring: Wiring) -> Iterator[TestClient]:
    with TestClient(create_app(sms_wiring)) as test_client:
        yield test_client


@pytest.fixture
def sent(sms_client: TestClient, sms_wiring: Wiring, tenant: Tenant) -> dict[str, Any]:
    case = load_fixture("case.json")
    assert (
        sms_client.put(f"/v1/cases/{CASE}", json=case, headers=tenant.headers()).status_code == 201
    )
    document = issued(sms_client, tenant, {"kind": "reminder", "language": "ru"})
    response = sms_client.post(
        f"/v1/documents/{document['id']}/deliveries",
        json={"channel": "sms", "recipient": "+77015551234"},
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text
    assert [o.state for o in drain(sms_wiring)] == ["done"]
    attempt: dict[str, Any] = response.json()
    return attempt


def _report(client: TestClient, wiring: Wiring, body: bytes) -> Any:
    headers = {"Content-Type": "application/json", **sign(SECRET, body, wiring.clock.now())}
    return client.post(f"/v1/deliveries/callbacks/{GATEWAY}", content=body, headers=headers)


@pytest.mark.parametrize(
    ("body", "path", "code"),
    [
        (b"DELIVRD", "body", "invalid_json"),
        (b'["DELIVRD"]', "body", "invalid_type"),
        (b"\xff\xfe", "body", "invalid_json"),
        (b'{"message_id": "memory-1", "status": "DELIVRD", "at": "0001-01-01T00:00:00+14:00"}',
         "occurred_at", "out_of_range"),
        (b'{"message_id": "memory-1", "status": 5}', "status", "unknown_status"),
        (b'{"message_id": "memory-1", "status": "DELIVRD", "at": "2026-11-24T10:00"}',
         "at", "naive_datetime"),
        (b'{"message_id": ["memory-1"], "status": "DELIVRD"}', "message_id", None),
    ],
)  # fmt: skip
def test_a_signed_body_that_is_no_report_is_refused_and_not_remembered(
    sms_client: TestClient,
    sms_wiring: Wiring,
    sent: dict[str, Any],
    body: bytes,
    path: str,
    code: str | None,
) -> None:
    refused = _report(sms_client, sms_wiring, body)
    assert refused.status_code == 422, refused.text
    errors = {e["path"]: e["code"] for e in refused.json()["errors"]}
    assert path in errors and (code is None or errors[path] == code), errors
    # refused in the transaction that claimed the signature: the same bytes are not a replay
    again = _report(sms_client, sms_wiring, body)
    assert again.status_code == 422, again.text


def test_a_report_on_a_message_talap_did_not_send_is_not_found(
    sms_client: TestClient, sms_wiring: Wiring, sent: dict[str, Any]
) -> None:
    body = json.dumps({"message_id": "memory-999", "status": "DELIVRD"}).encode()
    assert _report(sms_client, sms_wiring, body).status_code == 404
    body = json.dumps({"message_id": "memory-1", "status": "DELIVRD"}).encode()
    delivered = _report(sms_client, sms_wiring, body)
    assert delivered.status_code == 200, delivered.text
    assert delivered.json()["outcome"] == "delivered"
    assert delivered.json()["delivery_id"] == sent["id"]
