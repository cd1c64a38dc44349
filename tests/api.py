"""Builders for tests that go through the HTTP API: a tenant with keys, and the ladder's steps
(put a case, issue, deliver, explain) as one-liners that assert what must hold."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from service.bootstrap import Wiring
from service.creditors.schemas import CreditorIn
from service.creditors.service import create_key, register_creditor
from service.kit.fields import parse

FIXTURES = Path(__file__).parent / "fixtures"
CASE = "KKT3-21-045"
NAME = "Жақсыбеков Нұрлан Әбілқайырұлы"
PROTOCOL = {"number": "3", "date": "2025-12-20"}
WAIVER_MANDATE = {"body": "meeting", "protocol": {"number": "5", "date": "2026-03-14"}}
"""The owners' meeting decision that lets the chairman waive penalty (review #5, research C.11):
the contract's restructuring payload asks for a waiver, which is refused without it."""


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@dataclass
class Tenant:
    creditor_id: str
    system_key: str
    auditor_key: str

    def headers(self, key: str | None = None, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.system_key}", **extra}


def make_tenant(wiring: Wiring, payload: dict[str, Any] | None = None) -> Tenant:
    creditor = parse(CreditorIn, payload or fixture("creditor.json"))
    with wiring.db.transaction() as session:
        creditor_id = register_creditor(session, wiring.clock, creditor, actor="test")
        system = create_key(session, wiring.clock, creditor_id=creditor_id, role="system")
        auditor = create_key(session, wiring.clock, creditor_id=creditor_id, role="auditor")
    return Tenant(creditor_id, system, auditor)


def key_for(wiring: Wiring, creditor_id: str | None, role: str) -> str:
    with wiring.db.transaction() as session:
        return create_key(session, wiring.clock, creditor_id=creditor_id, role=role)


def put_case(
    client: TestClient,
    tenant: Tenant,
    external_id: str,
    charges: list[dict[str, Any]],
    payments: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The contract case's debtor and unit with the given charges (and payments)."""
    base = fixture("case.json")
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


def issue(
    client: TestClient, tenant: Tenant, body: dict[str, Any], case: str = CASE, **headers: str
) -> Response:
    return client.post(f"/v1/cases/{case}/documents", json=body, headers=tenant.headers(**headers))


def issued(
    client: TestClient, tenant: Tenant, body: dict[str, Any], case: str = CASE
) -> dict[str, Any]:
    response = issue(client, tenant, body, case)
    assert response.status_code == 201, response.text
    document: dict[str, Any] = response.json()
    return document


def explain(
    client: TestClient, tenant: Tenant, body: dict[str, Any], case: str = CASE
) -> dict[str, Any]:
    response = client.post(
        f"/v1/cases/{case}/documents:explain", json=body, headers=tenant.headers()
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def deliver(client: TestClient, tenant: Tenant, document_id: str, on: str) -> None:
    response = client.post(
        f"/v1/documents/{document_id}/deliveries",
        json={**fixture("delivery.json"), "delivered_at": on},
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text


def pdf_of(client: TestClient, tenant: Tenant, document_id: str) -> bytes:
    response = client.get(f"/v1/documents/{document_id}/pdf", headers=tenant.headers())
    assert response.status_code == 200, response.text
    return response.content


def violation(body: dict[str, Any], rule: str) -> dict[str, Any]:
    """The violation of ``rule`` in a refusal or an explain trace (fails if there is none)."""
    found = [v for v in body["violations"] if v["rule"] == rule]
    assert found, f"{rule} not among {[v['rule'] for v in body['violations']]}"
    return found[0]


def rules_of(body: dict[str, Any]) -> set[str]:
    return {v["rule"] for v in body["violations"]}


def record_waiver_mandate(client: TestClient, tenant: Tenant) -> None:
    """Record ``WAIVER_MANDATE`` for the tenant's creditor, through the API."""
    response = client.put(
        "/v1/mandates/penalty_waiver", json=WAIVER_MANDATE, headers=tenant.headers()
    )
    assert response.status_code == 200, response.text
