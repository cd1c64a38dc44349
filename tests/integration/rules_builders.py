"""Builders for the rules tests: small cases and the ladder's steps through the API."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from tests.conftest import load_fixture
from tests.integration.conftest import Tenant

PROTOCOL = {"number": "3", "date": "2025-12-20"}


def put_case(
    client: TestClient,
    tenant: Tenant,
    external_id: str,
    charges: list[dict[str, Any]],
    payments: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The contract case's debtor and unit with the given charges (and payments)."""
    base = load_fixture("case.json")
    contributions = sorted({c["contribution"] for c in charges})
    body = {
        **base,
        "external_id": external_id,
        "basis": [
            next(
                (b for b in base["basis"] if b["contribution"] == c),
                {"contribution": c, "protocol": PROTOCOL},
            )
            for c in contributions
        ],
        "charges": charges,
        "payments": payments or [],
    }
    response = client.put(f"/v1/cases/{external_id}", json=body, headers=tenant.headers())
    assert response.status_code in (200, 201), response.text
    result: dict[str, Any] = response.json()
    return result


def monthly(*periods: str, amount: str = "9360.00") -> list[dict[str, Any]]:
    return [{"period": p, "contribution": "current", "amount": amount} for p in periods]


def issue(client: TestClient, tenant: Tenant, case: str, body: dict[str, Any]) -> Response:
    return client.post(f"/v1/cases/{case}/documents", json=body, headers=tenant.headers())


def issued(client: TestClient, tenant: Tenant, case: str, body: dict[str, Any]) -> dict[str, Any]:
    response = issue(client, tenant, case, body)
    assert response.status_code == 201, response.text
    document: dict[str, Any] = response.json()
    return document


def explain(client: TestClient, tenant: Tenant, case: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(
        f"/v1/cases/{case}/documents:explain", json=body, headers=tenant.headers()
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def deliver(client: TestClient, tenant: Tenant, document_id: str, on: str) -> None:
    response = client.post(
        f"/v1/documents/{document_id}/deliveries",
        json={**load_fixture("delivery.json"), "delivered_at": on},
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text


def violation(body: dict[str, Any], rule: str) -> dict[str, Any]:
    """The violation of ``rule`` in a refusal or an explain trace (fails if there is none)."""
    found = [v for v in body["violations"] if v["rule"] == rule]
    assert found, f"{rule} not among {[v['rule'] for v in body['violations']]}"
    return found[0]


def rules_of(body: dict[str, Any]) -> set[str]:
    return {v["rule"] for v in body["violations"]}
