"""Injection into the e-mail and the SMS that carry a document (issue 13, item 9). The texts
they take from stored data — the creditor's names in the e-mail body and the SMS, the recipient
in the ``To`` header and the SMTP envelope — with every hostile payload: a body prints it as sent,
a header never gains a line (no ``Bcc:`` smuggled in by CR LF), a recipient that is not one plain
mailbox is refused naming the field, before anything is queued. The e-mail is read back as bytes
(and once through a real SMTP server on loopback)."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.channels.email import is_address
from service.creditors.service import create_key
from service.mail.message import Letter, compose
from service.outbox.tasks import drain
from service.sms.message import Notice, part
from service.sms.message import compose as compose_sms
from tests.api import fixture
from tests.hardening.injection import PAYLOADS, valid_bin
from tests.mail.conftest import SENDER, mailbox, mx, wiring
from tests.mail.smtp import Mailbox

__all__ = ["mailbox", "mx", "wiring"]  # fixtures: the mail tests' wiring over a loopback SMTP

HEADERS = {
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "Auto-Submitted",
    "MIME-Version",
    "Content-Type",
    "Content-Language",
}
HEADER_INJECTION = next(p for p in PAYLOADS if "\r\nBcc:" in p)
VERIFY_URL = "https://talap.example.kz/v/0b0e6f1e"


def lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def letter(creditor: str, recipient: str = "owner@example.kz") -> Letter:
    return Letter(
        attempt_id="5d1f3c2a-7b7e-4c1e-9a55-0f1d2e3c4b5a",
        message_id="<delivery.5d1f3c2a-7b7e-4c1e-9a55-0f1d2e3c4b5a@osi.example.kz>",
        date=dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC),
        sender=SENDER,
        recipient=recipient,
        kind="reminder",
        number="2026-00001",
        issue_date=dt.date(2026, 11, 24),
        creditor_kk=creditor,
        creditor_ru=creditor,
        verify_url=VERIFY_URL,
        pdf=b"%PDF-1.7\n",
    )


def read_back(data: bytes) -> tuple[EmailMessage, str]:
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    assert body is not None
    return message, body.get_content()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_creditor_name_is_printed_in_the_body_and_never_becomes_a_header(payload: str) -> None:
    message, text = read_back(compose(letter(payload)).as_bytes())
    assert set(message.keys()) == HEADERS
    assert message["To"] == "owner@example.kz" and "Bcc" not in message
    assert lines(text).count(lines(payload)) == 2  # Kazakh and Russian


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_passes_for_a_recipient(payload: str) -> None:
    assert not is_address(payload)
    if any(c.isspace() or c in '<>,;"()' for c in payload):  # what could add a header or a mailbox
        assert not is_address(f"owner@example.kz{payload}")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_sms_prints_the_creditor_name_as_sent_or_leaves_it_out(payload: str) -> None:
    notice = Notice(
        kind="reminder",
        number="2026-00001",
        language="ru",
        debtor_language="ru",
        amount=Decimal("58648.00"),
        issue_date=dt.date(2026, 11, 24),
        deadline=dt.date(2026, 12, 4),
        verify_url=VERIFY_URL,
        creditor={"kk": payload, "ru": payload},
    )
    text = compose_sms(notice).text
    assert text.startswith(f"{payload}. ") or text == (
        f"{part(notice, 'ru', with_name=False)} {VERIFY_URL}"
    )


def test_over_smtp_a_smuggled_recipient_is_refused_by_name_and_the_name_sent_as_text(
    client: TestClient, wiring: Wiring, admin_key: str, mailbox: Mailbox
) -> None:
    name = '<script>alert(1)</script> {{ 7*7777 }} #read("/etc/passwd") =HYPERLINK("x")'
    creditor = copy.deepcopy(fixture("creditor.json"))
    creditor["bin"] = valid_bin(77)
    creditor["name"] = {"kk": name, "ru": name}
    created = client.post(
        "/v1/creditors", json=creditor, headers={"Authorization": f"Bearer {admin_key}"}
    )
    assert created.status_code == 201, created.text
    with wiring.db.transaction() as session:
        key = create_key(session, wiring.clock, creditor_id=created.json()["id"], role="system")
    headers = {"Authorization": f"Bearer {key}"}
    case = fixture("case.json")
    case["debtor"]["email"] = HEADER_INJECTION
    stored = client.put(f"/v1/cases/{case['external_id']}", json=case, headers=headers)
    if stored.status_code == 422:  # refused where it is stored: fine, named
        assert [e["path"] for e in stored.json()["errors"]] == ["debtor.email"]
        case["debtor"].pop("email")
        stored = client.put(f"/v1/cases/{case['external_id']}", json=case, headers=headers)
    assert stored.status_code == 201, stored.text
    document = client.post(
        f"/v1/cases/{case['external_id']}/documents",
        json={"kind": "reminder", "language": "kk"},
        headers=headers,
    ).json()
    path = f"/v1/documents/{document['id']}/deliveries"

    for body, field in (
        ({"channel": "email"}, {"debtor.email", "recipient"}),
        ({"channel": "email", "recipient": HEADER_INJECTION}, {"recipient"}),
    ):
        refused = client.post(path, json=body, headers=headers)
        assert refused.status_code == 422, refused.text
        assert {e["path"] for e in refused.json()["errors"]} <= field
    assert drain(wiring) == [] and mailbox.received == []

    sent = client.post(
        path, json={"channel": "email", "recipient": "owner@example.kz"}, headers=headers
    )
    assert sent.status_code == 201, sent.text
    assert [o.state for o in drain(wiring)] == ["done"]
    [received] = mailbox.received
    assert received.rcpt_tos == ("owner@example.kz",)
    message, text = read_back(received.data)
    assert set(message.keys()) == HEADERS and message["To"] == "owner@example.kz"
    assert text.count(name) == 2
