"""The case history: the whole timeline in order, filtered by day and kind; rule decisions
recorded for real issuing attempts, refusals too (written after the refused transaction rolled
back), never for the dry runs."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from service.bootstrap import Wiring
from service.decisions.models import RuleDecisionRow
from tests.api import CASE, Tenant, issue, issued
from tests.conftest import load_fixture

RECEIPT = b"%PDF-1.4 return receipt scan\n%%EOF\n"
WARNING_RULE = "warning-after-reminder-delivery"


def history(client: TestClient, tenant: Tenant, query: str = "") -> dict[str, Any]:
    response = client.get(
        f"/v1/cases/{CASE}/history{query}", headers=tenant.headers(tenant.auditor_key)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def issued_with_key(client: TestClient, tenant: Tenant, key: str) -> dict[str, Any]:
    response = issue(
        client, tenant, load_fixture("issue-reminder.json"), **{"Idempotency-Key": key}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def decisions(wiring: Wiring) -> list[RuleDecisionRow]:
    with wiring.db.transaction(read_only=True) as session:
        return list(session.scalars(select(RuleDecisionRow).order_by(RuleDecisionRow.id)))


@pytest.fixture
def story(client: TestClient, tenant: Tenant, contract_case: dict[str, Any]) -> dict[str, Any]:
    """Reminder issued; a warning refused (no delivery yet); the reminder delivered with a
    receipt; a restructuring agreement issued and signed — all on 24 Nov 2026."""
    reminder = issued(client, tenant, load_fixture("issue-reminder.json"))
    refused = issue(client, tenant, load_fixture("issue-warning.json"))
    assert refused.status_code == 422, refused.text
    delivery = client.post(
        f"/v1/documents/{reminder['id']}/deliveries",
        data={
            "delivery": json.dumps({**load_fixture("delivery.json"), "delivered_at": "2026-11-24"})
        },
        files=[("proof", ("receipt.pdf", RECEIPT, "application/pdf"))],
        headers=tenant.headers(),
    )
    assert delivery.status_code == 201, delivery.text
    offer = issued(
        client,
        tenant,
        {
            "kind": "restructuring",
            "language": "bilingual",
            "restructuring": {"installments": 3, "first_due": "2027-01-10"},
        },
    )
    signed = client.post(
        f"/v1/documents/{offer['id']}/signature",
        json={"signed_on": "2026-11-24"},
        headers=tenant.headers(),
    )
    assert signed.status_code in (200, 201), signed.text
    promise = client.post(
        f"/v1/cases/{CASE}/log",
        json={
            "kind": "promise",
            "promised_date": "2026-11-30",
            "amount": "5000.00",
            "note": "by phone",
        },
        headers=tenant.headers(),
    )
    assert promise.status_code == 201, promise.text
    return {"reminder": reminder, "offer": offer, "delivery": delivery.json()}


def test_the_history_tells_the_whole_story_in_order(
    client: TestClient, tenant: Tenant, story: dict[str, Any]
) -> None:
    body = history(client, tenant)
    entries = body["entries"]
    kinds = {e["kind"] for e in entries}
    assert {"charge", "payment", "document", "delivery", "agreement", "decision", "log"} <= kinds
    keys = [(e["date"], e["at"] or "") for e in entries]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)  # by day first

    charges = [e for e in entries if e["kind"] == "charge"]
    assert len(charges) == 16
    assert charges[0]["details"] == {
        "period": "2026-03",
        "contribution": "current",
        "amount": "9360.00",
        "due_date": "2026-04-25",
    }
    payments = [e["details"]["amount"] for e in entries if e["kind"] == "payment"]
    assert payments == ["10608.00", "5000.00"]

    reminder = next(e for e in entries if e["id"] == story["reminder"]["id"])
    assert reminder["kind"] == "document" and reminder["event"] == "issued"
    details = reminder["details"]
    assert details["number"] == story["reminder"]["number"]
    assert details["sha256"] == story["reminder"]["sha256"]
    assert details["template_version"] == story["reminder"]["template_version"]
    assert "housing-34-1-p8" in details["provisions"]

    steps = {e["event"]: e for e in entries if e["kind"] == "delivery"}
    assert sorted(steps) == ["attempt", "delivered"]
    attempt, delivered = steps["attempt"], steps["delivered"]
    assert attempt["id"] == story["delivery"]["id"]
    assert delivered["date"] == "2026-11-24" and delivered["event"] == "delivered"
    assert delivered["details"]["source"] == "client"
    for step in (attempt, delivered):
        assert step["details"]["number"] == story["reminder"]["number"]
        assert step["details"]["outcome"] == "delivered"
        assert step["details"]["legal_date"] == "2026-11-24"
    proofs = attempt["details"]["proofs"] + delivered["details"]["proofs"]
    (proof,) = proofs  # with the event it came with (or the attempt)
    assert proof["sha256"] == hashlib.sha256(RECEIPT).hexdigest()
    assert proof["filename"] == "receipt.pdf"

    (logged,) = [e for e in entries if e["kind"] == "log"]
    assert logged["event"] == "promise" and logged["date"] == "2026-11-24"
    assert logged["details"]["amount"] == "5000.00" and logged["details"]["promise"] == "pending"
    assert "note" not in logged["details"] and "by phone" not in json.dumps(body)
    assert len(logged["details"]["content_sha256"]) == 64  # the text stays in the case log

    steps = [e["event"] for e in entries if e["kind"] == "agreement"]
    assert steps == ["offered", "signed"]

    outcomes = [(e["details"]["kind"], e["event"]) for e in entries if e["kind"] == "decision"]
    assert outcomes == [
        ("reminder", "allowed"),
        ("warning", "refused"),
        ("restructuring", "allowed"),
    ]
    refusal = next(e for e in entries if e["event"] == "refused")
    (failed,) = [f for f in refusal["details"]["failed"] if f["rule"] == WARNING_RULE]
    assert failed["kind"] == "policy" and failed["passes_on"] is None
    # documents and events keep their earlier shape
    assert [d["number"] for d in body["documents"]] == [
        story["reminder"]["number"],
        story["offer"]["number"],
    ]
    actions = [e["action"] for e in body["events"]]
    assert actions.count("RuleDecisionRecorded") == 3
    assert "DeliveryEventAppended" in actions and "AgreementSigned" in actions


def test_the_history_filters_by_day_and_kind(
    client: TestClient, tenant: Tenant, story: dict[str, Any]
) -> None:
    only = history(client, tenant, "?kind=decision")
    assert {e["kind"] for e in only["entries"]} == {"decision"}
    assert only["documents"] == [] and only["events"] == []
    assert only["filter"] == {"since": None, "until": None, "kinds": ["decision"]}

    two = history(client, tenant, "?kind=payment&kind=delivery")
    assert sorted(e["kind"] for e in two["entries"]) == ["delivery"] * 2 + ["payment"] * 2

    spring = history(client, tenant, "?from=2026-04-01&to=2026-06-30")
    days = [e["date"] for e in spring["entries"]]
    assert days and all("2026-04-01" <= d <= "2026-06-30" for d in days)
    assert {e["kind"] for e in spring["entries"]} == {"charge", "payment"}
    assert spring["documents"] == [] and spring["events"] == []

    today = history(client, tenant, "?from=2026-11-24&to=2026-11-24&kind=audit&kind=document")
    assert [e["kind"] for e in today["entries"]] == ["document", "document"]
    assert len(today["documents"]) == 2 and today["events"]

    auditor = tenant.headers(tenant.auditor_key)
    backwards = client.get(
        f"/v1/cases/{CASE}/history?from=2026-12-01&to=2026-11-01", headers=auditor
    )
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["path"] == "to"
    unknown = client.get(f"/v1/cases/{CASE}/history?kind=gossip", headers=auditor)
    assert unknown.status_code == 422


def test_a_window_to_the_calendars_edges_is_the_whole_history(
    client: TestClient, tenant: Tenant, story: dict[str, Any]
) -> None:
    """``to=9999-12-31`` used to overflow (the moment after the last day does not exist): a
    500. Days in a query now lie within 1900–2100 (D9): the edges of that range give the whole
    history or none, and the calendar's own edges are a 422 naming the parameter."""
    whole = history(client, tenant)
    edges = history(client, tenant, "?from=1900-01-01&to=2100-12-31")
    assert edges["entries"] == whole["entries"] and edges["events"] == whole["events"]
    assert history(client, tenant, "?from=2100-12-31")["entries"] == []
    assert history(client, tenant, "?to=1900-01-01")["entries"] == []
    beyond = client.get(
        f"/v1/cases/{CASE}/history?from=0001-01-01&to=9999-12-31", headers=tenant.headers()
    )
    assert beyond.status_code == 422
    assert [e["path"] for e in beyond.json()["errors"]] == ["from", "to"]


def test_a_refused_issue_is_recorded_after_its_rollback_and_dry_runs_are_not(
    client: TestClient, tenant: Tenant, wiring: Wiring, contract_case: dict[str, Any]
) -> None:
    warning = load_fixture("issue-warning.json")
    for dry_run in (":explain", ":preview"):
        client.post(f"/v1/cases/{CASE}/documents{dry_run}", json=warning, headers=tenant.headers())
    assert decisions(wiring) == []

    refused = issue(client, tenant, warning, **{"Idempotency-Key": "w-1"})
    assert refused.status_code == 422
    (row,) = decisions(wiring)
    assert (row.kind, row.outcome, row.document_id) == ("warning", "refused", None)
    failed = {r["rule"]: r for r in row.rules if r["outcome"] == "fail"}
    assert WARNING_RULE in failed and failed[WARNING_RULE]["kind"] == "policy"
    assert all("provisions" in r and "passes_on" in r for r in row.rules)

    # the refusal rolled back everything else: the key is still free, no number was spent
    first = issued_with_key(client, tenant, "w-1")
    assert first["number"] == "2026-00001"
    rows = decisions(wiring)
    assert [(r.kind, r.outcome) for r in rows] == [("warning", "refused"), ("reminder", "allowed")]
    assert rows[1].document_id == first["id"]

    verdict = client.get(f"/v1/documents/{first['id']}/verify", headers=tenant.headers()).json()
    assert verdict["valid"] is True, verdict  # the decisions' audit events keep the chain whole


def test_the_history_reads_the_cases_own_audit_events_not_the_whole_chain(
    client: TestClient, tenant: Tenant, wiring: Wiring, story: dict[str, Any]
) -> None:
    other = {**load_fixture("case.json"), "external_id": "KKT3-21-099"}
    put = client.put(f"/v1/cases/{other['external_id']}", json=other, headers=tenant.headers())
    assert put.status_code == 201, put.text
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "audit_events" in statement:
            statements.append(" ".join(statement.split()))

    event.listen(wiring.db.engine, "before_cursor_execute", seen)
    try:
        body = history(client, tenant)
    finally:
        event.remove(wiring.db.engine, "before_cursor_execute", seen)
    assert statements, "the history reads audit events"
    assert all("audit_events.subject IN" in s for s in statements), statements
    assert {e["subject"] for e in body["events"]} <= {f"case:{CASE}"} | {
        f"document:{d['id']}" for d in body["documents"]
    }
    assert "case:KKT3-21-099" not in json.dumps(body)
