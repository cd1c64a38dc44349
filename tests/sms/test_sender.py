"""``POST …/deliveries {"channel": "sms"}`` through the in-memory gateway double: what is
refused before anything is queued, and what the queued message holds."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.channels.sms import SmsChannel
from service.channels.sms_memory import MemorySmsGateway
from service.main import create_app
from service.outbox.tasks import drain
from tests.api import CASE, Tenant, issued
from tests.api import fixture as load_fixture

DOUBLE = "memory"


@pytest.fixture
def double() -> MemorySmsGateway:
    return MemorySmsGateway(DOUBLE)


@pytest.fixture
def sms_wiring(wiring: Wiring, double: MemorySmsGateway) -> Wiring:
    channel = SmsChannel(gateways={DOUBLE: double}, secrets={DOUBLE: ("x" * 16,)}, default=DOUBLE)
    return dataclasses.replace(wiring, sms=channel)


@pytest.fixture
def sms_client(sms_wiring: Wiring) -> Iterator[TestClient]:
    with TestClient(create_app(sms_wiring)) as test_client:
        yield test_client


def _document(client: TestClient, tenant: Tenant, **debtor: Any) -> dict[str, Any]:
    case = load_fixture("case.json")
    case["debtor"] = {**case["debtor"], **debtor}
    assert client.put(f"/v1/cases/{CASE}", json=case, headers=tenant.headers()).status_code == 201
    return issued(client, tenant, {"kind": "reminder", "language": "ru"})


def _send(client: TestClient, tenant: Tenant, document_id: str, **extra: Any) -> Any:
    return client.post(
        f"/v1/documents/{document_id}/deliveries",
        json={"channel": "sms", **extra},
        headers=tenant.headers(),
    )


def test_no_gateway_configured_is_refused_naming_the_channel(
    client: TestClient, tenant: Tenant
) -> None:
    document = _document(client, tenant)
    response = _send(client, tenant, document["id"])
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert (error["path"], error["code"]) == ("channel", "no_gateway")
    assert "status and delivered_at" in error["message"]
    listed = client.get(f"/v1/documents/{document['id']}/deliveries", headers=tenant.headers())
    assert listed.json() == []  # the attempt was rolled back with the refusal


def test_no_phone_and_a_bad_phone_are_refused(sms_client: TestClient, tenant: Tenant) -> None:
    document = _document(sms_client, tenant, phone=None)
    response = _send(sms_client, tenant, document["id"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "recipient"
    response = _send(sms_client, tenant, document["id"], recipient="not a number")
    assert response.status_code == 422
    assert response.json()["errors"][0] | {"message": ""} == {
        "path": "recipient",
        "code": "invalid_phone",
        "message": "",
    }


def test_the_message_goes_after_the_commit_through_the_outbox(
    sms_client: TestClient, sms_wiring: Wiring, tenant: Tenant, double: MemorySmsGateway
) -> None:
    document = _document(sms_client, tenant, language="ru")
    response = _send(sms_client, tenant, document["id"], recipient="8 (701) 555-12-34")
    assert response.status_code == 201, response.text
    assert response.json()["recipient"] == "+77015551234"
    assert double.sent == []
    outcomes = drain(sms_wiring)
    assert [o.state for o in outcomes] == ["done"]
    (message,) = double.sent
    assert message.to == "+77015551234"
    assert message.reference == outcomes[0].item_id
    assert message.text.startswith("Напоминание № ")
    assert document["verify_url"] in message.text
    assert drain(sms_wiring) == []  # done once
    listed = sms_client.get(f"/v1/documents/{document['id']}/deliveries", headers=tenant.headers())
    (attempt,) = listed.json()
    assert attempt["status"] == "sent"
    (event,) = attempt["events"]
    assert event["details"]["message_id"] == "memory-1"
    assert event["source"] == "sms:memory"
