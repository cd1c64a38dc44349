"""Recording deliveries: the contract payload as JSON or multipart with proof files, the legal
date checked against the issue date, proofs archived beside (never inside) the signed PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.clock import FixedClock
from tests.api import Tenant
from tests.conftest import load_fixture

CASE = "KKT3-21-045"


def issued(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    response = client.post(
        f"/v1/cases/{CASE}/documents",
        json=load_fixture("issue-reminder.json"),
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_contract_delivery_json_is_recorded(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], clock: FixedClock
) -> None:
    document = issued(client, tenant)
    clock.move_to(dt.date(2026, 11, 30))
    response = client.post(
        f"/v1/documents/{document['id']}/deliveries",
        json=load_fixture("delivery.json"),
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "delivered"
    assert body["delivered_at"] == "2026-11-27"
    assert body["tracking_number"] == "RR123456789KZ"
    listed = client.get(f"/v1/documents/{document['id']}/deliveries", headers=tenant.headers())
    assert [d["id"] for d in listed.json()] == [body["id"]]
    # the moment it was recorded reads back as it was answered: in UTC, with its zone
    assert body["recorded_at"] == "2026-11-30T09:00:00Z"
    assert listed.json()[0]["recorded_at"] == body["recorded_at"]


def test_delivery_before_issue_date_is_refused(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    document = issued(client, tenant)
    delivery = {**load_fixture("delivery.json"), "delivered_at": "2026-11-20"}
    response = client.post(
        f"/v1/documents/{document['id']}/deliveries", json=delivery, headers=tenant.headers()
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "delivered_at"
    assert response.json()["errors"][0]["code"] == "before_issue_date"
    assert (
        client.get(f"/v1/documents/{document['id']}/deliveries", headers=tenant.headers()).json()
        == []
    )


def test_delivery_in_the_future_and_missing_date_are_refused(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    document = issued(client, tenant)
    url = f"/v1/documents/{document['id']}/deliveries"
    future = client.post(url, json=load_fixture("delivery.json"), headers=tenant.headers())
    assert future.status_code == 422  # the clock stands at 24 November, delivery says 27th
    assert future.json()["errors"][0]["code"] == "in_future"
    undated = client.post(
        url, json={"channel": "hand_delivery", "status": "delivered"}, headers=tenant.headers()
    )
    assert undated.status_code == 422
    assert undated.json()["errors"][0]["code"] == "delivered_at_required"


def test_multipart_with_proof_archives_the_file_and_leaves_the_pdf_untouched(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any]
) -> None:
    document = issued(client, tenant)
    receipt = b"%PDF-1.4 scanned postal receipt RR123456789KZ"
    delivery = {**load_fixture("delivery.json"), "delivered_at": "2026-11-24"}
    response = client.post(
        f"/v1/documents/{document['id']}/deliveries",
        data={"delivery": json.dumps(delivery)},
        files=[("proof", ("receipt.pdf", receipt, "application/pdf"))],
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text
    (proof,) = response.json()["proofs"]
    assert proof["sha256"] == hashlib.sha256(receipt).hexdigest()
    assert proof["filename"] == "receipt.pdf"
    verdict = client.get(f"/v1/documents/{document['id']}/verify", headers=tenant.headers())
    assert verdict.json()["valid"] is True


def test_another_creditor_cannot_record_a_delivery(
    client: TestClient, tenant: Tenant, contract_case: dict[str, Any], wiring: Wiring
) -> None:
    from tests.api import make_tenant

    document = issued(client, tenant)
    other = load_fixture("creditor.json")
    other["bin"] = "200540012348"
    intruder = make_tenant(wiring, other)
    response = client.post(
        f"/v1/documents/{document['id']}/deliveries",
        json={**load_fixture("delivery.json"), "delivered_at": "2026-11-24"},
        headers=intruder.headers(),
    )
    assert response.status_code == 404
