"""Injection into the evidence pack (issue 13, item 9): the pack is typeset by Typst from what a
client recorded — the debtor's name, a delivery's note and tracking number, a proof's file name.
Every hostile payload as a delivery's tracking number and in its proof's file name: the pack's
PDF prints each as stored, evaluates nothing, fetches nothing."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api import CASE, Tenant, fixture, issued
from tests.evidence.pack_builders import receipt
from tests.hardening.injection import PAYLOADS, Canary, canary_server, evaluated, with_canary
from tests.pdftext import pdf_text, squashed, squashed_text

PRINTABLE = [p for p in PAYLOADS if "\u202e" not in p and "شركة" not in p]
"""The payloads the document fonts can show (U+202E is D7; Arabic has no
glyphs in DejaVu Serif and is refused by name where it is printed)."""


@pytest.fixture
def canary() -> Iterator[Canary]:
    with canary_server() as server:
        yield server


def deliver(
    client: TestClient, tenant: Tenant, document_id: str, tracking: str, proof_name: str
) -> dict[str, Any]:
    delivery = {**fixture("delivery.json"), "delivered_at": "2026-11-24"}
    delivery["tracking_number"] = tracking
    response = client.post(
        f"/v1/documents/{document_id}/deliveries",
        data={"delivery": json.dumps(delivery)},
        files=[("proof", (proof_name, receipt(), "application/pdf"))],
        headers=tenant.headers(),
    )
    body: dict[str, Any] = response.json()
    if response.status_code == 422:  # refused: by name
        assert {e["path"] for e in body["errors"]} <= {"tracking_number", "proof"}, body
        return {}
    assert response.status_code == 201, response.text
    return body


def test_the_pack_prints_hostile_tracking_numbers_and_proof_names_as_text(
    client: TestClient,
    tenant: Tenant,
    contract_case: dict[str, Any],
    canary: Canary,
) -> None:
    payloads = [with_canary(p, canary.address) for p in PRINTABLE]
    reminder = issued(client, tenant, fixture("issue-reminder.json"))
    stored_names = []
    refused = 0
    for i, payload in enumerate(payloads):
        recorded = deliver(
            client, tenant, reminder["id"], f"T{i:02d}{payload}"[:100], f"P{i:02d}{payload}.pdf"
        )
        if not recorded:
            refused += 1
            continue
        stored_names.extend(p["filename"] for p in recorded.get("proofs", []))
    response = client.get(
        f"/v1/cases/{CASE}/evidence-pack", headers=tenant.headers(tenant.auditor_key)
    )
    assert response.status_code == 200, response.text
    text = squashed_text(response.content)
    outcomes: Counter[str] = Counter()
    for i, payload in enumerate(payloads):
        tag = squashed(f"T{i:02d}")
        if tag not in text:
            outcomes["tracking not printed"] += 1
        elif squashed(f"T{i:02d}{payload}"[:100]) in text:
            outcomes["tracking printed literally"] += 1
        else:
            outcomes["tracking printed differently"] += 1
    for name in stored_names:  # the name as stored (reduced to a safe base name, or as sent)
        outcomes["proof name printed" if squashed(name) in text else "proof name not printed"] += 1
    print(f"\n{len(payloads)} deliveries, {refused} refused by name: {dict(outcomes)}")
    assert outcomes["tracking printed differently"] == 0
    assert outcomes["tracking printed literally"] + refused >= len(payloads) - 2
    assert evaluated(pdf_text(response.content)) == []
    assert canary.hits == []
