"""Bounces: delivery status notifications (RFC 3464) reach the per-message return path, over SMTP
(``talap bounces``' listener) or forwarded to ``POST /v1/deliveries/bounces``, and become events
that the rules read — with the acceptance path of issue 10 end to end."""

from __future__ import annotations

import datetime as dt
import hashlib
import smtplib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.channels.bounces import BounceListener
from service.clock import FixedClock
from service.mail.message import attempt_of_address
from service.mail.tasks import receive_bounce
from service.outbox.tasks import drain
from tests.api import Tenant, explain, fixture, issue, issued, make_tenant, violation
from tests.mail.smtp import Mailbox, Received, dsn, send_raw
from tests.mail.test_sending import delivery, parsed, pdf_in, send_by_email

KZ = dt.timezone(dt.timedelta(hours=5))
WARNING = {"kind": "warning", "language": "kk"}
RULE = "warning-after-reminder-delivery"


@pytest.fixture
def listener(wiring: Wiring) -> Iterator[BounceListener]:
    server = BounceListener(
        lambda address: attempt_of_address(address) is not None,
        lambda raw, recipients: receive_bounce(wiring, raw, recipients),
        host="127.0.0.1",
        port=0,
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def emailed(
    client: TestClient,
    tenant: Tenant,
    wiring: Wiring,
    contract_case: dict[str, Any],
    mailbox: Mailbox,
) -> tuple[dict[str, Any], dict[str, Any], Received]:
    """A reminder issued and e-mailed: (document, attempt, what the server received)."""
    document = issued(client, tenant, {"kind": "reminder", "language": "kk"})
    attempt = send_by_email(client, tenant, document["id"])
    assert [o.state for o in drain(wiring)] == ["done"]
    [received] = mailbox.received
    return document, attempt, received


def post_bounce(client: TestClient, key: str, raw: bytes) -> Any:
    return client.post(
        "/v1/deliveries/bounces",
        content=raw,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "message/rfc822"},
    )


def test_a_delivered_notice_over_smtp_is_recorded_with_its_date(
    client: TestClient,
    tenant: Tenant,
    emailed: tuple[dict[str, Any], dict[str, Any], Received],
    listener: BounceListener,
) -> None:
    _, attempt, received = emailed
    at = dt.datetime(2026, 11, 24, 13, 30, tzinfo=KZ)
    report = dsn(received, action="delivered", status="2.0.0", at=at)
    send_raw(listener.port, "", received.mail_from, report)
    found = delivery(client, tenant, attempt["id"])
    assert found["status"] == "delivered"
    assert found["outcome"]["state"] == "delivered"
    assert found["outcome"]["legal_date"] == "2026-11-24"
    [event] = [e for e in found["events"] if e["status"] == "delivered"]
    assert event["source"] == "dsn"
    assert dt.datetime.fromisoformat(event["occurred_at"]) == at
    assert event["details"]["action"] == "delivered" and event["details"]["status"] == "2.0.0"
    # the raw report is the receipt, byte for byte
    assert event["receipt_sha256"] == hashlib.sha256(report).hexdigest()


def test_the_listener_takes_only_reports_about_our_attempts(
    emailed: tuple[dict[str, Any], dict[str, Any], Received], listener: BounceListener
) -> None:
    _, _, received = emailed
    report = dsn(received, action="failed", status="5.1.1", at=dt.datetime.now(dt.UTC))
    with pytest.raises(smtplib.SMTPRecipientsRefused):  # no open relay: only return paths
        send_raw(listener.port, "", "postmaster@osi.example.kz", report)
    stranger = f"bounces+{uuid.uuid4()}@osi.example.kz"
    with pytest.raises(smtplib.SMTPDataError) as unknown:
        send_raw(listener.port, "", stranger, report.replace(received.mail_from.encode(), b"x"))
    assert unknown.value.smtp_code == 550
    with pytest.raises(smtplib.SMTPDataError) as not_a_report:
        send_raw(listener.port, "", received.mail_from, b"Subject: hello\r\n\r\nhi\r\n")
    assert not_a_report.value.smtp_code == 550 and b"5.6.0" in not_a_report.value.smtp_error


def test_a_permanent_bounce_makes_it_not_delivered_and_the_warning_stays_refused(
    client: TestClient,
    tenant: Tenant,
    clock: FixedClock,
    emailed: tuple[dict[str, Any], dict[str, Any], Received],
) -> None:
    _, attempt, received = emailed
    at = dt.datetime(2026, 11, 24, 13, 45, tzinfo=KZ)
    report = dsn(
        received,
        action="failed",
        status="5.1.1",
        at=at,
        diagnostic="550 5.1.1 <n.zhaksybekov@example.kz>: user unknown",
    )
    response = post_bounce(client, tenant.system_key, report)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["delivery_id"] == attempt["id"]
    assert (body["action"], body["dsn_status"], body["recorded"]) == (
        "failed",
        "5.1.1",
        "permanent_failure",
    )
    assert body["outcome"] == "not_delivered" and body["applied"] is True
    found = delivery(client, tenant, attempt["id"])
    assert found["outcome"]["state"] == "not_delivered"
    clock.move_to(dt.date(2027, 1, 20))
    refused = violation(explain(client, tenant, WARNING), RULE)
    assert refused["passes_on"] is None
    assert "delivery failed permanently" in refused["message"]


def test_a_delayed_notice_is_a_temporary_failure_and_a_late_failure_changes_nothing_final(
    client: TestClient, tenant: Tenant, emailed: tuple[dict[str, Any], dict[str, Any], Received]
) -> None:
    _, attempt, received = emailed
    at = dt.datetime(2026, 11, 24, 13, 0, tzinfo=KZ)
    delayed = post_bounce(
        client, tenant.system_key, dsn(received, action="delayed", status="4.4.7", at=at)
    )
    assert delayed.json()["recorded"] == "temporary_failure"
    delivered = post_bounce(
        client,
        tenant.system_key,
        dsn(received, action="delivered", status="2.0.0", at=at + dt.timedelta(minutes=20)),
    )
    assert delivered.json()["outcome"] == "delivered"
    late = post_bounce(
        client,
        tenant.system_key,
        dsn(received, action="failed", status="5.2.2", at=at + dt.timedelta(minutes=25)),
    )
    assert late.status_code == 200
    assert late.json()["applied"] is False and late.json()["outcome"] == "delivered"
    relayed = post_bounce(
        client, tenant.system_key, dsn(received, action="relayed", status="2.0.0", at=at)
    )
    assert relayed.json()["recorded"] is None
    statuses = [e["status"] for e in delivery(client, tenant, attempt["id"])["events"]]
    assert statuses.count("permanent_failure") == 1  # kept as a row, not applied


def test_the_bounce_endpoint_is_the_creditors_own(
    client: TestClient,
    tenant: Tenant,
    wiring: Wiring,
    emailed: tuple[dict[str, Any], dict[str, Any], Received],
) -> None:
    _, _, received = emailed
    report = dsn(
        received, action="failed", status="5.1.1", at=dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.UTC)
    )
    other = make_tenant(wiring, {**fixture("creditor.json"), "bin": "180140000008"})
    assert post_bounce(client, other.system_key, report).status_code == 404
    assert post_bounce(client, tenant.auditor_key, report).status_code == 403
    garbage = post_bounce(client, tenant.system_key, b"Subject: hi\r\n\r\nnot a report\r\n")
    assert garbage.status_code == 422
    assert garbage.json()["errors"][0]["code"] == "not_a_dsn"


def test_acceptance_reminder_e_mailed_delivered_then_the_warning_after_the_period(
    client: TestClient,
    tenant: Tenant,
    clock: FixedClock,
    emailed: tuple[dict[str, Any], dict[str, Any], Received],
    listener: BounceListener,
) -> None:
    """Issue 10, acceptance: a reminder is issued and e-mailed to the loopback SMTP server (the
    PDF received hashes to the archived one); before a receipt the warning is refused, naming the
    delivery; the server's ``delivered`` notice is recorded; the warning is refused until the
    policy period from delivery passes (``passes_on``), then issued."""
    document, attempt, received = emailed
    assert hashlib.sha256(pdf_in(parsed(received.data))).hexdigest() == document["sha256"]

    waiting = violation(explain(client, tenant, WARNING), RULE)
    assert "no receipt yet" in waiting["message"] and waiting["passes_on"] is None

    at = dt.datetime(2026, 11, 24, 13, 30, tzinfo=KZ)
    send_raw(
        listener.port,
        "",
        received.mail_from,
        dsn(received, action="delivered", status="2.0.0", at=at),
    )
    assert delivery(client, tenant, attempt["id"])["outcome"]["legal_date"] == "2026-11-24"

    refused = issue(client, tenant, WARNING)
    assert refused.status_code == 422, refused.text
    period = violation(refused.json(), RULE)
    passes_on = dt.date.fromisoformat(period["passes_on"])
    assert passes_on > dt.date(2026, 12, 4)  # 10 working days after 24 November, at least

    clock.move_to(passes_on - dt.timedelta(days=1))
    assert issue(client, tenant, WARNING).status_code == 422
    clock.move_to(passes_on)
    allowed = issue(client, tenant, WARNING)
    assert allowed.status_code == 201, allowed.text
