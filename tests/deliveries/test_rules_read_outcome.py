"""The ladder reads the legal outcome: a notice that failed, came back (policy) or has no
receipt blocks the next step, naming why and what would unblock it (``passes_on`` none)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.clock import FixedClock
from service.kernel.route import Route
from service.rules import DeliveryStatus, DocumentKind, RequestedDocument, evaluate_all
from tests.api import Tenant, explain, issued, violation
from tests.cases.builders import d, kz, monthly
from tests.rules.builders import document, history, rulebook

WARNING = {"kind": "warning", "language": "kk"}
RULE = "warning-after-reminder-delivery"
LATER = dt.date(2027, 1, 20)  # long after any waiting period from late November


@pytest.fixture
def reminder(client: TestClient, tenant: Tenant, contract_case: dict[str, Any]) -> str:
    document: str = issued(client, tenant, {"kind": "reminder", "language": "kk"})["id"]
    return document


def record(client: TestClient, tenant: Tenant, document: str, **body: Any) -> dict[str, Any]:
    response = client.post(
        f"/v1/documents/{document}/deliveries", json=body, headers=tenant.headers()
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def test_a_permanent_failure_keeps_the_warning_refused_with_the_reason(
    client: TestClient, tenant: Tenant, reminder: str, clock: FixedClock
) -> None:
    attempt = record(client, tenant, reminder, channel="email", status="pending")
    clock.move_to(dt.date(2026, 11, 25))
    bounced = client.post(
        f"/v1/deliveries/{attempt['id']}/events",
        json={"status": "permanent_failure", "occurred_at": "2026-11-25T10:00:00+05:00"},
        headers=tenant.headers(),
    )
    assert bounced.json()["delivery"]["outcome"]["state"] == "not_delivered"
    clock.move_to(LATER)
    refused = violation(explain(client, tenant, WARNING), RULE)
    assert refused["passes_on"] is None
    assert "delivery failed permanently" in refused["message"]
    assert (
        refused["unblock"]
        == "record a delivery by another channel (e.g. by hand against signature)"
    )
    assert "другим способом" in refused["unblock_messages"]["ru"]
    assert "басқа тәсілмен" in refused["unblock_messages"]["kk"]
    # what unblocks it: a delivery by another channel
    record(client, tenant, reminder, channel="hand", status="delivered", delivered_at="2027-01-04")
    assert RULE not in {v["rule"] for v in explain(client, tenant, WARNING)["violations"]}


def test_an_e_mail_only_sent_has_no_receipt_yet(
    client: TestClient, tenant: Tenant, reminder: str, clock: FixedClock
) -> None:
    """E-document law art. 7 p. 2-4: an e-mail sent is not delivered without a receipt."""
    record(client, tenant, reminder, channel="email", status="sent")
    clock.move_to(LATER)
    refused = violation(explain(client, tenant, WARNING), RULE)
    assert "no receipt yet" in refused["message"] and refused["passes_on"] is None
    assert refused["unblock"].startswith("wait for the receipt notice")


def test_a_returned_registered_letter_counts_or_blocks_by_the_creditors_policy(
    client: TestClient, tenant: Tenant, reminder: str, clock: FixedClock
) -> None:
    """Default since 2026-11-28 (research A.5, notary law 92-6 logic): a returned registered
    letter counts from the day it came back; a creditor who switches the policy off is refused,
    naming the returned letter and what would unblock it."""
    clock.move_to(dt.date(2026, 11, 30))
    record(
        client,
        tenant,
        reminder,
        channel="registered_post",
        status="returned",
        delivered_at="2026-11-30",
        tracking_number="RR000000001KZ",
    )
    clock.move_to(LATER)
    allowed = explain(client, tenant, WARNING)
    assert RULE not in {v["rule"] for v in allowed["violations"]}
    entry = next(t for t in allowed["trace"] if t["rule"] == RULE)
    assert "30.11.2026" in entry["detail"]["ru"]
    assert "the creditor's policy counts that as delivered" in entry["detail"]["en"]
    assert "по политике взыскателя это считается вручением" in entry["detail"]["ru"]

    changed = client.put(
        "/v1/policy",
        json={"overrides": {"delivery-outcome": {"count_returned_refused": False}}},
        headers=tenant.headers(),
    )
    assert changed.status_code == 200, changed.text
    refused = violation(explain(client, tenant, WARNING), RULE)
    assert "came back undelivered" in refused["message"] and refused["passes_on"] is None
    assert "delivery-outcome.count_returned_refused" in refused["unblock"]
    shown = client.get(f"/v1/documents/{reminder}/deliveries", headers=tenant.headers()).json()
    assert shown[0]["outcome"]["state"] == "returned"
    assert shown[0]["outcome"]["counts_as_delivered"] is False
    assert shown[0]["outcome"]["reason"] == "returned"


def test_a_pre_court_letter_after_a_returned_warning_follows_the_policy() -> None:
    """pretrial-after-warning-deadline reads the same policy (pure): counted from the day the
    warning came back, or refused naming the returned warning and what unblocks it."""
    warning = document(
        DocumentKind.WARNING, "2026-12-01", "2026-12-03", DeliveryStatus.RETURNED,
        deadline="2026-12-11",
    )  # fmt: skip
    case = history(monthly("2026-08", "2026-08"), "2027-01-20", documents=(warning,))
    pretrial = RequestedDocument(DocumentKind.PRETRIAL, route=Route.COURT)
    counted = evaluate_all(rulebook(), case, pretrial, d("2027-01-20"), kz())
    assert "pretrial-after-warning-deadline" not in {v.rule for v in counted.violations}
    off = {"delivery-outcome": {"count_returned_refused": False}}
    refused = evaluate_all(rulebook(), case, pretrial, d("2027-01-20"), kz(), off)
    (blocked,) = [v for v in refused.violations if v.rule == "pretrial-after-warning-deadline"]
    assert "warning No. 00001 is not delivered" in blocked.message.en
    assert "came back undelivered" in blocked.message.en and blocked.passes_on is None
    assert blocked.unblock is not None and "another channel" in blocked.unblock.en
