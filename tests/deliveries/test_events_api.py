"""Delivery attempts and events over HTTP: the contract payload as one client-reported event,
events appended later (with a raw receipt and proofs), the legal outcome shown, the channel
without a sender refused, and proof files checked by content, size and count."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.clock import FixedClock
from tests.api import Tenant, issued
from tests.conftest import load_fixture

PDF = b"%PDF-1.4 scanned return receipt RR123456789KZ"
PNG = b"\x89PNG\r\n\x1a\n photo of the signed notice"


@pytest.fixture
def reminder(client: TestClient, tenant: Tenant, contract_case: dict[str, Any]) -> str:
    document: str = issued(client, tenant, {"kind": "reminder", "language": "kk"})["id"]
    return document


def post(client: TestClient, tenant: Tenant, document: str, **body: Any) -> Any:
    return client.post(f"/v1/documents/{document}/deliveries", json=body, headers=tenant.headers())


def test_the_contract_payload_is_one_client_reported_event(
    client: TestClient, tenant: Tenant, reminder: str, clock: FixedClock
) -> None:
    clock.move_to(dt.date(2026, 11, 30))
    response = post(client, tenant, reminder, **load_fixture("delivery.json"))
    assert response.status_code == 201, response.text
    body = response.json()
    (event,) = body["events"]
    assert event["status"] == "delivered" and event["source"] == "client" and event["applied"]
    assert event["occurred_at"] == "2026-11-27T07:00:00Z"  # noon in Kazakhstan that day
    assert event["details"] == {"reported_status": "delivered", "date_only": True}
    assert body["outcome"] == {
        "state": "delivered",
        "legal_date": "2026-11-27",
        "counts_as_delivered": True,
        "reason": "none",
    }
    assert body["status"] == "delivered" and body["delivered_at"] == "2026-11-27"
    one = client.get(f"/v1/deliveries/{body['id']}", headers=tenant.headers())
    assert one.status_code == 200 and one.json() == body


@pytest.mark.parametrize(
    ("reported", "state", "outcome"),
    [("failed", "permanent_failure", "not_delivered"), ("pending", "queued", "unknown")],
)
def test_the_contracts_other_statuses_map_onto_events(
    client: TestClient,
    tenant: Tenant,
    reminder: str,
    reported: str,
    state: str,
    outcome: str,
) -> None:
    response = post(client, tenant, reminder, channel="hand", status=reported)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["channel"] == "hand_delivery"  # the alias
    assert body["status"] == state and body["outcome"]["state"] == outcome
    assert body["events"][0]["details"]["reported_status"] == reported


def test_a_channel_without_a_sender_is_refused_naming_it(
    client: TestClient, tenant: Tenant, reminder: str
) -> None:
    response = post(client, tenant, reminder, channel="courier")
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["path"], error["code"]) == ("channel", "no_sender")
    assert "courier" in error["message"]
    assert "give status and delivered_at" in error["message"]
    listed = client.get(f"/v1/documents/{reminder}/deliveries", headers=tenant.headers())
    assert listed.json() == []


def test_events_appended_later_with_a_receipt_and_a_late_event_kept(
    client: TestClient, tenant: Tenant, reminder: str, clock: FixedClock
) -> None:
    started = post(
        client, tenant, reminder, channel="registered_post", status="pending",
        tracking_number="RR123456789KZ",
    ).json()  # fmt: skip
    url = f"/v1/deliveries/{started['id']}/events"
    clock.move_to(dt.date(2026, 11, 28))
    sent = client.post(
        url,
        json={"status": "sent", "occurred_at": "2026-11-24T15:00:00+05:00"},
        headers=tenant.headers(),
    )
    assert sent.status_code == 201, sent.text
    assert not sent.json()["outcome_changed"]
    delivered = client.post(
        url,
        data={"event": json.dumps({"status": "delivered", "occurred_on": "2026-11-27"})},
        files=[
            ("receipt", ("notice.pdf", PDF, "application/pdf")),
            ("proof", ("../photo.png", PNG, "application/octet-stream")),
        ],
        headers=tenant.headers(),
    )
    assert delivered.status_code == 201, delivered.text
    body = delivered.json()
    assert body["outcome_changed"] is True
    assert body["event"]["receipt_sha256"] == hashlib.sha256(PDF).hexdigest()
    (proof,) = body["delivery"]["proofs"]
    assert proof == {
        "filename": "photo.png",
        "content_type": "image/png",  # from the bytes, not the declared octet-stream
        "sha256": hashlib.sha256(PNG).hexdigest(),
        "size": len(PNG),
        "event_id": body["event"]["id"],
    }
    late = client.post(
        url,
        json={"status": "returned", "occurred_on": "2026-11-28"},
        headers=tenant.headers(),
    )
    assert late.status_code == 201
    assert late.json()["event"]["applied"] is False and not late.json()["outcome_changed"]
    (shown,) = client.get(f"/v1/documents/{reminder}/deliveries", headers=tenant.headers()).json()
    assert [(e["status"], e["applied"]) for e in shown["events"]] == [
        ("queued", True),
        ("sent", True),
        ("delivered", True),
        ("returned", False),
    ]
    assert shown["outcome"]["state"] == "delivered"
    assert shown["outcome"]["legal_date"] == "2026-11-27"
    assert shown["tracking_number"] == "RR123456789KZ"


def test_an_event_is_checked_like_a_delivery(
    client: TestClient, tenant: Tenant, reminder: str, wiring: Any
) -> None:
    started = post(client, tenant, reminder, channel="sms", status="pending").json()
    url = f"/v1/deliveries/{started['id']}/events"
    early = client.post(
        url, json={"status": "delivered", "occurred_on": "2026-11-20"}, headers=tenant.headers()
    )
    assert early.status_code == 422
    assert early.json()["errors"][0]["code"] == "before_issue_date"
    undated = client.post(url, json={"status": "refused"}, headers=tenant.headers())
    assert undated.json()["errors"][0]["code"] == "occurred_required"
    naive = client.post(
        url,
        json={"status": "sent", "occurred_at": "2026-11-24T10:00:00"},
        headers=tenant.headers(),
    )
    assert naive.json()["errors"][0]["code"] == "timezone_required"
    from tests.api import make_tenant

    other = load_fixture("creditor.json")
    other["bin"] = "200540012348"
    intruder = make_tenant(wiring, other)
    hidden = client.post(url, json={"status": "sent"}, headers=intruder.headers())
    assert hidden.status_code == 404
    assert (
        client.get(f"/v1/deliveries/{started['id']}", headers=intruder.headers()).status_code == 404
    )


# --- proof files ------------------------------------------------------------------------------


def upload(client: TestClient, tenant: Tenant, document: str, files: list[tuple[str, Any]]) -> Any:
    delivery = {**load_fixture("delivery.json"), "delivered_at": "2026-11-24"}
    return client.post(
        f"/v1/documents/{document}/deliveries",
        data={"delivery": json.dumps(delivery)},
        files=files,
        headers=tenant.headers(),
    )


def test_a_proof_is_typed_by_its_content_not_by_what_the_client_says(
    client: TestClient, tenant: Tenant, reminder: str
) -> None:
    program = b"MZ\x90\x00 not a receipt"
    response = upload(
        client, tenant, reminder, [("proof", ("receipt.pdf", program, "application/pdf"))]
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["path"], error["code"]) == ("proof.0", "unsupported_type")
    assert "application/pdf, image/jpeg, image/png, image/tiff, message/rfc822" in error["message"]


def test_a_proof_over_20_mib_is_refused_with_413(
    client: TestClient, tenant: Tenant, reminder: str
) -> None:
    big = b"%PDF-1.4" + b"0" * (20 * 1024 * 1024)
    response = upload(client, tenant, reminder, [("proof", ("scan.pdf", big, "application/pdf"))])
    assert response.status_code == 413
    (error,) = response.json()["errors"]
    assert (error["path"], error["code"]) == ("proof.0", "too_large")
    assert "20971520 bytes" in error["message"]


def test_more_than_10_proofs_are_refused(client: TestClient, tenant: Tenant, reminder: str) -> None:
    files = [("proof", (f"p{i}.png", PNG, "image/png")) for i in range(11)]
    response = upload(client, tenant, reminder, files)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["path"], error["code"]) == ("proof", "too_many")
    assert "10" in error["message"]
    listed = client.get(f"/v1/documents/{reminder}/deliveries", headers=tenant.headers())
    assert listed.json() == []  # nothing recorded


def test_a_body_over_every_limit_is_refused_before_it_is_read(
    client: TestClient, tenant: Tenant, reminder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("service.deliveries.endpoints.MAX_BODY", 1000)
    files = [("proof", ("scan.pdf", b"%PDF-1.4" + b"0" * 2000, "application/pdf"))]
    response = upload(client, tenant, reminder, files)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_without_status_the_channels_sender_is_asked_to_send(
    client: TestClient, tenant: Tenant, reminder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sender runs in the request's transaction with the queued attempt (it enqueues the
    sending; the e-mail and SMS lanes register theirs in SENDERS)."""
    from service.deliveries.senders import SENDERS

    seen: list[tuple[str, str, str | None]] = []

    def sender(session: Any, clock: Any, wiring: Any, attempt: Any) -> None:
        seen.append((attempt.channel, attempt.state, attempt.recipient))

    monkeypatch.setitem(SENDERS, "courier", sender)
    response = post(client, tenant, reminder, channel="courier", recipient="Алматы, Көктем-3")
    assert response.status_code == 201, response.text
    body = response.json()
    assert seen == [("courier", "queued", "Алматы, Көктем-3")]
    assert body["status"] == "queued" and body["events"] == []
    assert body["outcome"]["state"] == "unknown" and body["outcome"]["reason"] == "no_event"
    with_proof = client.post(
        f"/v1/documents/{reminder}/deliveries",
        data={"delivery": json.dumps({"channel": "courier"})},
        files=[("proof", ("p.png", PNG, "image/png"))],
        headers=tenant.headers(),
    )
    assert with_proof.status_code == 422
    assert with_proof.json()["errors"][0]["code"] == "outcome_required"
    assert len(seen) == 1
