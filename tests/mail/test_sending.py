"""``POST /v1/documents/{id}/deliveries {"channel": "email"}``: the signed PDF goes out over real
SMTP after the commit, from the outbox, once; the server's answers become delivery events."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.clock import FixedClock
from service.mail import service as mail
from service.outbox import repository as outbox
from service.outbox.tasks import drain
from tests.api import CASE, Tenant, fixture, issued, pdf_of
from tests.mail.smtp import Mailbox

DOMAIN = "osi.example.kz"
DEBTOR_EMAIL = "n.zhaksybekov@example.kz"  # tests/fixtures/case.json


def send_by_email(client: TestClient, tenant: Tenant, document_id: str) -> dict[str, Any]:
    response = client.post(
        f"/v1/documents/{document_id}/deliveries",
        json={"channel": "email"},
        headers=tenant.headers(),
    )
    assert response.status_code == 201, response.text
    attempt: dict[str, Any] = response.json()
    return attempt


def delivery(client: TestClient, tenant: Tenant, attempt_id: str) -> dict[str, Any]:
    response = client.get(f"/v1/deliveries/{attempt_id}", headers=tenant.headers())
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def parsed(data: bytes) -> EmailMessage:
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def pdf_in(message: EmailMessage) -> bytes:
    [attachment] = [
        p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"
    ]
    data = attachment.get_content()
    assert isinstance(data, bytes)
    return data


@pytest.fixture
def reminder(client: TestClient, tenant: Tenant, contract_case: dict[str, Any]) -> dict[str, Any]:
    return issued(client, tenant, {"kind": "reminder", "language": "kk"})


def test_the_signed_pdf_is_e_mailed_after_the_commit_once(
    client: TestClient, tenant: Tenant, wiring: Wiring, reminder: dict[str, Any], mailbox: Mailbox
) -> None:
    attempt = send_by_email(client, tenant, reminder["id"])
    assert (attempt["channel"], attempt["status"], attempt["recipient"]) == (
        "email",
        "queued",
        DEBTOR_EMAIL,
    )
    assert mailbox.received == [], "nothing leaves with the request"
    assert [o.state for o in drain(wiring)] == ["done"]
    assert drain(wiring) == []

    [received] = mailbox.received
    attempt_id = attempt["id"]
    assert received.mail_from == f"bounces+{attempt_id}@{DOMAIN}"
    assert received.rcpt_tos == (DEBTOR_EMAIL,)
    message = parsed(received.data)
    assert message["Message-ID"] == f"<delivery.{attempt_id}@{DOMAIN}>"
    assert message["To"] == DEBTOR_EMAIL
    assert message["Subject"] == f"Еске салу хат / Напоминание № {reminder['number']}"
    assert message["Content-Language"] == "kk, ru"
    archived = pdf_of(client, tenant, reminder["id"])
    sent_pdf = pdf_in(message)
    assert hashlib.sha256(sent_pdf).hexdigest() == reminder["sha256"]
    assert sent_pdf == archived
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert text.index("Құрметті меншік иесі!") < text.index("Уважаемый собственник!")
    assert f"№ {reminder['number']}" in text and reminder["verify_url"] in text

    found = delivery(client, tenant, attempt_id)
    assert found["status"] == "sent" and found["outcome"]["state"] == "unknown"
    [sent] = [e for e in found["events"] if e["status"] == "sent"]
    assert sent["source"] == "smtp"
    assert sent["details"]["message_id"] == message["Message-ID"]
    assert sent["details"]["smtp_reply"] == "250 2.0.0 Ok: queued as Q1"
    # the receipt of ``sent`` is the message exactly as the server received it
    assert sent["receipt_sha256"] == hashlib.sha256(received.data).hexdigest()
    assert wiring.archive.get(sent["receipt_sha256"]) == received.data


def test_a_send_interrupted_before_its_record_is_sent_again_as_the_same_message(
    client: TestClient,
    tenant: Tenant,
    wiring: Wiring,
    reminder: dict[str, Any],
    mailbox: Mailbox,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The server took the message, then the worker died before ``sent`` committed: the item
    runs again and sends the very same message (same Message-ID, same bytes); ``sent`` once."""
    attempt = send_by_email(client, tenant, reminder["id"])
    record_sent = mail.record_sent
    crashes = [RuntimeError("the worker died")]

    def crash_once(*args: Any, **kwargs: Any) -> Any:
        if crashes:
            raise crashes.pop()
        return record_sent(*args, **kwargs)

    monkeypatch.setattr(mail, "record_sent", crash_once)
    assert [o.state for o in drain(wiring)] == ["pending"]
    clock.move_to(clock.today() + dt.timedelta(days=1))
    assert [o.state for o in drain(wiring)] == ["done"]
    first, second = mailbox.received
    assert first.data == second.data
    assert parsed(first.data)["Message-ID"] == f"<delivery.{attempt['id']}@{DOMAIN}>"
    events = delivery(client, tenant, attempt["id"])["events"]
    assert [e["status"] for e in events].count("sent") == 1


def test_a_refused_mailbox_is_a_permanent_failure(
    client: TestClient, tenant: Tenant, wiring: Wiring, reminder: dict[str, Any], mailbox: Mailbox
) -> None:
    mailbox.refuse_rcpt = "550 5.1.1 <n.zhaksybekov@example.kz>: Recipient address rejected"
    attempt = send_by_email(client, tenant, reminder["id"])
    assert [o.state for o in drain(wiring)] == ["dead"]
    found = delivery(client, tenant, attempt["id"])
    assert found["status"] == "permanent_failure"
    assert found["outcome"]["state"] == "not_delivered"
    [event] = [e for e in found["events"] if e["status"] == "permanent_failure"]
    assert event["source"] == "smtp" and event["details"]["smtp_reply"].startswith("550 5.1.1")
    with wiring.db.transaction(read_only=True) as session:
        [item] = outbox.of_subject(session, f"delivery:{attempt['id']}")
    assert item.state == "dead" and (item.last_error or "").startswith("PermanentFailure: 550")


def test_a_temporary_refusal_is_recorded_and_tried_again(
    client: TestClient,
    tenant: Tenant,
    wiring: Wiring,
    reminder: dict[str, Any],
    mailbox: Mailbox,
    clock: FixedClock,
) -> None:
    mailbox.refuse_rcpt = "451 4.3.0 greylisted, try again later"
    attempt = send_by_email(client, tenant, reminder["id"])
    assert [o.state for o in drain(wiring)] == ["pending"]
    assert delivery(client, tenant, attempt["id"])["status"] == "temporary_failure"
    mailbox.refuse_rcpt = None
    clock.move_to(clock.today() + dt.timedelta(days=1))
    assert [o.state for o in drain(wiring)] == ["done"]
    found = delivery(client, tenant, attempt["id"])
    assert found["status"] == "sent" and len(mailbox.received) == 1


def test_without_smtp_the_request_is_refused_naming_the_channel(
    client: TestClient, tenant: Tenant, wiring: Wiring, reminder: dict[str, Any]
) -> None:
    client.app.state.wiring = dataclasses.replace(wiring, mailer=None)  # type: ignore[attr-defined]
    response = client.post(
        f"/v1/documents/{reminder['id']}/deliveries",
        json={"channel": "email"},
        headers=tenant.headers(),
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert (error["path"], error["code"]) == ("channel", "no_smtp")
    assert "TALAP_SMTP_HOST" in error["message"]
    assert (
        client.get(f"/v1/documents/{reminder['id']}/deliveries", headers=tenant.headers()).json()
        == []
    )


def test_a_case_without_e_mail_needs_a_recipient(
    client: TestClient, tenant: Tenant, wiring: Wiring
) -> None:
    case = fixture("case.json")
    case["debtor"].pop("email")
    response = client.put(f"/v1/cases/{CASE}", json=case, headers=tenant.headers())
    assert response.status_code == 201, response.text
    document = issued(client, tenant, {"kind": "reminder", "language": "kk"})
    path = f"/v1/documents/{document['id']}/deliveries"
    missing = client.post(path, json={"channel": "email"}, headers=tenant.headers())
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["path"] == "recipient"
    bad = client.post(
        path, json={"channel": "email", "recipient": "not-an-address"}, headers=tenant.headers()
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["code"] == "invalid_email"
    given = client.post(
        path, json={"channel": "email", "recipient": "owner@example.kz"}, headers=tenant.headers()
    )
    assert given.status_code == 201 and given.json()["recipient"] == "owner@example.kz"
